// A temporary copy of the peer's install in which ggml finds only one of its CPU builds. The
// prebuilt binary carries one libggml-cpu-<variant>.so per CPU generation and loads the best one
// the CPU supports; with the others removed, the same llama.cpp release runs the kernels it would
// run on an older CPU ("haswell" = AVX2, "x64" = no SIMD extensions beyond x86-64's SSE2).

import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PEER_NODE_MODULES } from './nodeLlamaCpp.js';

const BINARY_DIRECTORY = join('@node-llama-cpp', 'linux-x64', 'bins', 'linux-x64');
const CPU_LIBRARY = /^libggml-cpu-(.+)\.so$/;

/** The CPU variants the installed binary carries, e.g. ["alderlake", "haswell", ..., "x64", "zen4"]. */
export function installedCpuVariants(nodeModules = PEER_NODE_MODULES): string[] {
  return readdirSync(join(nodeModules, BINARY_DIRECTORY)).flatMap((name) => CPU_LIBRARY.exec(name)?.[1] ?? []);
}

/** A copy of test/peer/node_modules that can load only `variant`; `dispose` deletes it. */
export interface CpuVariantCopy {
  nodeModules: string;
  dispose(): void;
}

/** Copies the peer's install (about 85 MB) and removes every CPU build but `variant`. */
export function copyPeerWithCpuVariant(variant: string): CpuVariantCopy {
  const variants = installedCpuVariants();
  if (!variants.includes(variant)) throw new Error(`the llama.cpp binary has no CPU variant "${variant}"; it has ${variants.join(', ')}`);
  const root = mkdtempSync(join(tmpdir(), `pinpoint-peer-${variant}-`));
  const nodeModules = join(root, 'node_modules');
  try {
    cpSync(PEER_NODE_MODULES, nodeModules, { recursive: true, verbatimSymlinks: true });
    for (const other of variants.filter((v) => v !== variant)) rmSync(join(nodeModules, BINARY_DIRECTORY, `libggml-cpu-${other}.so`));
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return { nodeModules, dispose: () => existsSync(root) && rmSync(root, { recursive: true, force: true }) };
}
