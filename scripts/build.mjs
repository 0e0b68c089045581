// Builds what runs outside tsx: the WebAssembly kernels (AssemblyScript) and the esbuild bundles
// of the CLI and its worker threads. Run by `npm install` (prepare), `npm run build` and tests.

import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'core', 'dist');
mkdirSync(dist, { recursive: true });

/** True when `target` is missing or older than any file under `sources`. */
function stale(target, sources) {
  if (!existsSync(target)) return true;
  const built = statSync(target).mtimeMs;
  const newer = (path) => {
    const s = statSync(path);
    if (s.isDirectory()) return readdirSync(path).some((n) => newer(join(path, n)));
    return s.mtimeMs > built;
  };
  return sources.some(newer);
}

/**
 * AssemblyScript kernels for the CPU backend, built twice from the same sources:
 * core/dist/cpuKernels.wasm (SIMD128) and core/dist/cpuKernelsRelaxed.wasm (plus relaxed SIMD,
 * which sets ASC_FEATURE_RELAXED_SIMD); the loader picks one (core/engine/node/cpu/wasmKernels.ts).
 */
function buildWasm() {
  const source = join(root, 'core', 'engine', 'node', 'cpu', 'assembly');
  if (!existsSync(source)) return;
  const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  for (const [name, features] of [['cpuKernels.wasm', []], ['cpuKernelsRelaxed.wasm', ['--enable', 'relaxed-simd']]]) {
    const target = join(dist, name);
    if (!stale(target, [source, join(root, 'scripts', 'build.mjs')])) continue;
    execFileSync(process.execPath, [
      asc, join(source, 'index.ts'), '--outFile', target,
      '-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd', '--enable', 'threads', ...features,
      '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536',
      '--use', 'abort=', '--noExportMemory',
    ], { stdio: 'inherit', cwd: root });
  }
}

/** esbuild bundles: the CLI and every worker entry it starts. */
async function buildBundles() {
  // Worker entries are bundled beside the CLI: each module finds its worker as ./<name>.js next to
  // itself once bundled (and the .ts/.mjs source when run under tsx).
  const entryPoints = {
    cli: join(root, 'core', 'cli', 'pinpoint.ts'),
    cpuWorker: join(root, 'core', 'engine', 'node', 'cpu', 'cpuWorker.ts'),
    onnxWorker: join(root, 'core', 'rag', 'embed', 'node', 'onnxWorker.ts'),
    parserWorker: join(root, 'core', 'rag', 'ingest', 'node', 'parserWorker.ts'),
    indexWorker: join(root, 'core', 'rag', 'index', 'node', 'indexWorker.ts'),
    serviceMain: join(root, 'core', 'service', 'node', 'serviceMain.ts'),
  };
  for (const [name, path] of Object.entries(entryPoints)) if (!existsSync(path)) delete entryPoints[name];
  await build({
    entryPoints,
    outdir: dist,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // npm packages stay in node_modules: native addons (LanceDB, onnxruntime) and packages that
    // load their own wasm and data files (pdf.js, tree-sitter) cannot be bundled.
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __pinpointRequire } from 'node:module'; const require = __pinpointRequire(import.meta.url);" },
  });
}

buildWasm();
await buildBundles();
