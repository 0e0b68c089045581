// Fuzz test of the safetensors header reader: thousands of seeded mutations of a valid file
// (bytes flipped, truncated, extended, header fields rewritten, length prefix changed). Every
// outcome must be a parse whose ranges are consistent, or a ModelFileError naming the file.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryByteSource } from '../../../../core/base/common/byteSource.js';
import { ModelFileError } from '../../../../core/base/common/errors.js';
import { readSafetensors, safetensorsByteLength } from '../../../../core/base/common/safetensorsHeader.js';
import { encodeSafetensors } from '../../../fixtures/hf/safetensorsWriter.js';

const FILE = 'fuzz.safetensors';
const CASES = 5000;

/** mulberry32: a small seeded PRNG giving floats in [0, 1). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = encodeSafetensors(
  [
    { name: 'model.embed_tokens.weight', dtype: 'F32', shape: [4, 8], data: new Uint8Array(128).fill(1) },
    { name: 'model.norm.weight', dtype: 'BF16', shape: [8], data: new Uint8Array(16).fill(2) },
    { name: 'lm_head.weight', dtype: 'F16', shape: [4, 8], data: new Uint8Array(64).fill(3) },
    { name: 'empty', dtype: 'I64', shape: [0], data: new Uint8Array(0) },
  ],
  { format: 'pt' },
);
const BASE_HEADER_LENGTH = Number(new DataView(BASE.buffer).getBigUint64(0, true));
const BASE_JSON = JSON.parse(new TextDecoder().decode(BASE.subarray(8, 8 + BASE_HEADER_LENGTH))) as Record<string, Record<string, unknown>>;
const BASE_DATA = BASE.subarray(8 + BASE_HEADER_LENGTH);

const WEIRD_VALUES: unknown[] = [
  null, true, -1, 0, 1, 1.5, 2 ** 53, 2 ** 64, -0, 1e308, '', 'F32', 'BF16', 'F12', [], [0], [0, 0], [1, 0], [0, 2 ** 60],
  [[1]], {}, { a: 1 }, '__metadata__', [-5, 3], ['0', '4'],
];

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Rewrites one field of one entry of the JSON header, then re-encodes the file. */
function mutateHeader(random: Random): Uint8Array {
  const header = structuredClone(BASE_JSON) as Record<string, unknown>;
  const names = Object.keys(header);
  const name = pick(random, names);
  const action = random();
  if (action < 0.15) delete header[name];
  else if (action < 0.3) header[name] = pick(random, WEIRD_VALUES);
  else if (action < 0.4) header[`extra${Math.floor(random() * 5)}`] = structuredClone(header[pick(random, names)]);
  else {
    const entry = (typeof header[name] === 'object' && header[name] !== null ? header[name] : {}) as Record<string, unknown>;
    const field = pick(random, ['dtype', 'shape', 'data_offsets', 'format']);
    const offsets = entry.data_offsets;
    if (field === 'data_offsets' && Array.isArray(offsets) && random() < 0.6) {
      const i = random() < 0.5 ? 0 : 1;
      offsets[i] = Number(offsets[i]) + Math.floor((random() - 0.5) * 300);
    } else entry[field] = pick(random, WEIRD_VALUES);
    header[name] = entry;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + BASE_DATA.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(BASE_DATA, 8 + json.length);
  return out;
}

/** Flips, truncates, extends or rewrites the length prefix of the raw bytes. */
function mutateBytes(random: Random): Uint8Array {
  let file: Uint8Array = BASE.slice();
  const action = random();
  if (action < 0.4) {
    const flips = 1 + Math.floor(random() * 6);
    const headerEnd = 8 + BASE_HEADER_LENGTH;
    for (let f = 0; f < flips; f++) file[Math.floor(random() * (random() < 0.8 ? headerEnd : file.length))] = Math.floor(random() * 256);
  } else if (action < 0.6) {
    file = file.subarray(0, Math.floor(random() * file.length));
  } else if (action < 0.7) {
    const grown = new Uint8Array(file.length + 1 + Math.floor(random() * 64));
    grown.set(file);
    file = grown;
  } else {
    const lengths = [0n, 1n, 2n, 7n, BigInt(BASE_HEADER_LENGTH - 1), BigInt(BASE_HEADER_LENGTH + 1), BigInt(file.length), 1n << 63n, (1n << 64n) - 1n, BigInt(Math.floor(random() * 1e9))];
    new DataView(file.buffer, file.byteOffset).setBigUint64(0, pick(random, lengths), true);
  }
  return file;
}

/** A successful parse must describe a consistent file. */
function checkConsistent(parsed: Awaited<ReturnType<typeof readSafetensors>>, size: number): void {
  const ranges = [...parsed.tensors.values()].map((t) => {
    assert.ok(t.offset >= parsed.dataOffset && t.offset + t.byteLength <= size, `tensor ${t.name} is inside the file`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    assert.equal(t.byteLength, safetensorsByteLength(t.dtype, count));
    return [t.offset, t.offset + t.byteLength] as const;
  });
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i][0] >= ranges[i - 1][1], 'ranges do not overlap');
}

test(`fuzz: ${CASES} mutated files each parse consistently or fail with a ModelFileError`, async (t) => {
  const random = prng(0x5afe7e45);
  const started = performance.now();
  const outcomes = { parsed: 0, rejected: 0 };
  for (let i = 0; i < CASES; i++) {
    const file = random() < 0.5 ? mutateHeader(random) : mutateBytes(random);
    try {
      checkConsistent(await readSafetensors(new MemoryByteSource(FILE, file)), file.length);
      outcomes.parsed++;
    } catch (error) {
      if (!(error instanceof ModelFileError) || !error.message.startsWith(`${FILE}: `)) {
        assert.fail(`case ${i}: expected a ModelFileError, got ${error instanceof Error ? error.stack : String(error)}`);
      }
      outcomes.rejected++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(`${JSON.stringify(outcomes)} in ${seconds.toFixed(2)} s`);
  assert.ok(seconds < 20, `took ${seconds.toFixed(1)} s`);
  // Both outcomes must occur, or the mutations are not exercising the parser.
  assert.ok(outcomes.parsed > 50 && outcomes.rejected > CASES / 2, JSON.stringify(outcomes));
});
