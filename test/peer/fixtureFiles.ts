// File helpers of the fixture generator: paths relative to the repo root, sha256 of model files,
// the provenance block every fixture starts with, and compact JSON (number arrays on one line).

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FixtureModelFile, LlamaCppProvenance } from '../fixtures/llamacpp/readFixtures.js';
import { PEER_SETTINGS, type Peer } from './nodeLlamaCpp.js';

/** The repo root (test/peer/../..). */
export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Path, sha256 and size of a model file, the path relative to the repo root. */
export function describeModelFile(path: string): FixtureModelFile {
  const bytes = readFileSync(path);
  return { path: relative(repoRoot, path), sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** How every fixture's tokens were chosen. */
export const GREEDY_SAMPLER =
  'llama_sampler_init_greedy (argmax, lowest id on ties) via node-llama-cpp temperature 0; no repetition penalty, no top-k/top-p';

/** The provenance block of a fixture generated under PEER_SETTINGS. */
export function provenance(peer: Peer, command: string, threads: number, contextSize: number, tokenization: string): LlamaCppProvenance {
  return {
    command,
    nodeLlamaCppVersion: peer.nodeLlamaCppVersion,
    llamaCppVersion: peer.llamaCppVersion,
    systemInfo: peer.llama.systemInfo.trim(),
    settings: {
      threads,
      kvCacheType: PEER_SETTINGS.kvCacheType,
      flashAttention: PEER_SETTINGS.flashAttention,
      batchSize: PEER_SETTINGS.batchSize,
      contextSize,
      sampler: GREEDY_SAMPLER,
      tokenization,
    },
  };
}

/** Rounds to 4 decimals, for stored margins. */
export function round4(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1e4) / 1e4 : value;
}

/** JSON with 2-space indents, except that arrays of numbers stay on one line. */
export function writeCompactJson(path: string, value: unknown): number {
  const text = JSON.stringify(value, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, items: string) => `[${items.replace(/\s+/g, '')}]`);
  writeFileSync(path, `${text}\n`);
  return Buffer.byteLength(text) + 1;
}
