// Where the tree-sitter WebAssembly files are: web-tree-sitter's runtime (web-tree-sitter.wasm)
// and the grammars of tree-sitter-wasms (out/tree-sitter-<name>.wasm). The only module that knows.
// It must work from sources (tsx), from an esbuild bundle (where web-tree-sitter's own
// import.meta.url lookup points at the bundle's folder) and from a packaged app, so it tries, in
// order: an explicit folder, $PINPOINT_TREE_SITTER_DIR, a "tree-sitter" folder beside this module
// or bundle (a packager copies the files there), then Node's package resolution from this module
// and from the working directory.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExpectedError, ErrorReason } from '../../../base/common/errors.js';

/** The runtime and the grammar folder. */
export interface TreeSitterPaths {
  /** Path of web-tree-sitter.wasm. */
  readonly runtime: string;
  /** Folder holding tree-sitter-<grammar>.wasm files. */
  readonly grammarDir: string;
}

/** Environment variable naming a folder with web-tree-sitter.wasm and the grammar files. */
export const TREE_SITTER_DIR_VARIABLE = 'PINPOINT_TREE_SITTER_DIR';

const RUNTIME_FILE = 'web-tree-sitter.wasm';

/** A folder that holds both the runtime and the grammars (copied there by a packager). */
function flatFolder(dir: string | undefined): TreeSitterPaths | undefined {
  if (!dir || !existsSync(join(dir, RUNTIME_FILE))) return undefined;
  return { runtime: join(dir, RUNTIME_FILE), grammarDir: dir };
}

/** The installed packages, resolved as Node resolves them from `base` (a file path). */
function fromPackages(base: string): TreeSitterPaths | undefined {
  try {
    const require = createRequire(base);
    const runtime = require.resolve('web-tree-sitter/web-tree-sitter.wasm');
    const grammarDir = join(dirname(require.resolve('tree-sitter-wasms/package.json')), 'out');
    return existsSync(grammarDir) ? { runtime, grammarDir } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the tree-sitter files (see the header for the order); throws an ExpectedError naming
 * every place tried when none has them.
 */
export function resolveTreeSitterPaths(dir?: string): TreeSitterPaths {
  const here = fileURLToPath(import.meta.url);
  const tried = [
    dir,
    process.env[TREE_SITTER_DIR_VARIABLE],
    join(dirname(here), 'tree-sitter'),
  ];
  for (const candidate of tried) {
    const found = flatFolder(candidate);
    if (found) return found;
  }
  const found = fromPackages(here) ?? fromPackages(join(process.cwd(), 'package.json'));
  if (found) return found;
  const places = [...tried.filter(Boolean), `node_modules from ${here}`, `node_modules from ${process.cwd()}`];
  throw new ExpectedError(
    ErrorReason.BadArgument,
    `tree-sitter files not found (web-tree-sitter.wasm and tree-sitter-wasms/out). Tried: ${places.join(', ')}.`,
  );
}
