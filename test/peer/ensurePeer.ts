// Installs the llama.cpp peer package (test/peer: node-llama-cpp pinned, its prebuilt Linux x64
// CPU binary only, see .npmrc) when its node_modules is missing or holds another version. The
// root `npm install` never installs it; the benchmark and the fixture generator call this first.
// Usage: node --import tsx test/peer/ensurePeer.ts   (prints the installed versions)

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const peerDirectory = fileURLToPath(new URL('.', import.meta.url));

/** The exact version a package.json of the peer pins for `name`. */
function pinnedVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
  return manifest.dependencies[name];
}

/** The version of `name` installed in test/peer/node_modules, or undefined. */
function installedVersion(name: string): string | undefined {
  const path = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).version : undefined;
}

/** True when node-llama-cpp and its CPU binary package are installed at the pinned versions. */
export function isPeerInstalled(): boolean {
  return ['node-llama-cpp', '@node-llama-cpp/linux-x64'].every((name) => installedVersion(name) === pinnedVersion(name));
}

/**
 * Installs test/peer from its package-lock.json unless the peer is already installed.
 * test/peer/.npmrc omits node-llama-cpp's optional GPU and ARM binaries and skips its postinstall
 * (which would try to build llama.cpp from GitHub if no binary loaded); NODE_LLAMA_CPP_SKIP_DOWNLOAD
 * says the same. It runs `npm install --no-save`, not `npm ci`: npm 11 leaves the other platforms'
 * optional binaries out of the lock file and `npm ci` then refuses it as out of sync ("Missing:
 * @node-llama-cpp/win-x64@ from lock file", npm/cli#4828); with exact pins and the lock present,
 * `npm install --no-save` installs the locked versions and writes nothing back.
 * Throws with npm's exit status when the install fails.
 */
export function ensurePeer(): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`The llama.cpp peer ships only the linux-x64 binary; this is ${process.platform}-${process.arch}`);
  }
  if (isPeerInstalled()) return;
  const args = ['install', '--no-save', '--prefix', peerDirectory, '--no-audit', '--no-fund'];
  console.error(`installing the llama.cpp peer: npm ${args.join(' ')}`);
  const result = spawnSync('npm', args, {
    cwd: peerDirectory,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true', NODE_LLAMA_CPP_POSTINSTALL: 'skip' },
  });
  if (result.status !== 0 || !isPeerInstalled()) {
    throw new Error(`npm ${args.join(' ')} failed (exit status ${result.status ?? result.signal})`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensurePeer();
  console.log(`node-llama-cpp ${installedVersion('node-llama-cpp')} with @node-llama-cpp/linux-x64 ${installedVersion('@node-llama-cpp/linux-x64')}`);
}
