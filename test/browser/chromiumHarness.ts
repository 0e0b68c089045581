// Headless Chromium with WebGPU for tests: bundles a page script with esbuild, serves it with the
// WGSL of shaders/ and registered files on 127.0.0.1, and opens it in Debian's /usr/bin/chromium
// through playwright-core (never a downloaded browser) with SwiftShader as the WebGPU adapter
// (the flags of DESIGN.md "Recipes") and a fresh profile. Without a chromium binary the caller
// gets a reason to skip.

import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { shadersFolder } from '../../core/engine/node/webgpu/nodeShaders.js';

/** Chromium as Debian installs it. */
export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = [
  '--headless', '--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

export interface ChromiumPage {
  readonly page: Page;
  /** Console errors and page errors seen so far. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Bundles `entry` (TypeScript) for the browser. */
async function bundle(entry: string): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', target: 'chrome120', write: false, logLevel: 'silent' });
  return result.outputFiles[0].text;
}

/** Serves the page, its bundle, shaders/ and `files` (name -> path) on 127.0.0.1. */
async function serve(script: string, files: ReadonlyMap<string, string>): Promise<Server> {
  const shaders = shadersFolder();
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const send = (type: string, body: string | Buffer) => response.writeHead(200, { 'content-type': type }).end(body);
    if (path === '/') return send('text/html', '<!doctype html><meta charset="utf-8"><title>pinpoint webgpu</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>');
    if (path === '/page.js') return send('text/javascript', script);
    if (path.startsWith('/shaders/') && /^[\w.]+\.wgsl$/.test(basename(path)) && existsSync(join(shaders, basename(path)))) return send('text/plain', readFileSync(join(shaders, basename(path))));
    const file = path.startsWith('/files/') ? files.get(path.slice('/files/'.length)) : undefined;
    if (file) return send('application/octet-stream', readFileSync(file));
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Opens `entry` in headless Chromium, or returns why it cannot (no chromium binary). */
export async function openChromiumPage(entry: string, files: ReadonlyMap<string, string> = new Map()): Promise<ChromiumPage | string> {
  if (!existsSync(CHROMIUM)) return `skipped: ${CHROMIUM} is missing (apt-get install chromium)`;
  const server = await serve(await bundle(entry), files);
  const profile = mkdtempSync(join(tmpdir(), 'pinpoint-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => 'pinpoint' in globalThis, undefined, { timeout: 30_000 });
    const opened = context;
    return {
      page, errors,
      async close() {
        await opened.close();
        server.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/** Path of a file beside this module. */
export function besideHarness(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}
