// Fuzzing the GGUF reader: 5000 seeded mutations of a valid file holding every value type and
// every tensor type (byte flips, truncations, huge values written over length and count fields,
// copied, inserted and deleted ranges, and mixtures). Every outcome must be a parsed header whose
// tensors lie inside the file, or a ModelFileError naming the file; never another exception and
// never a slow case (each is timed). FUZZ_SEED and FUZZ_CASES change the seed and the count.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelFileError } from '../../../../core/base/common/errors.js';
import { MemoryByteSource } from '../../../../core/base/common/byteSource.js';
import { readGguf } from '../../../../core/engine/common/gguf/ggufReader.js';
import { GgufValueType } from '../../../../core/engine/common/gguf/ggufValues.js';
import { writeGguf } from '../../../../core/engine/common/gguf/ggufWriter.js';
import { seededRandom, type TestRandom } from '../../../support/seededRandom.js';
import { EVERY_TENSOR, EVERY_VALUE, find, tensorFields, valueOffset } from './ggufSamples.js';

const CASES = Number(process.env.FUZZ_CASES ?? 5000);
const CASE_LIMIT_MS = 2_000; // a hang guard, generous so that a loaded machine does not fail it
const FILE = 'fuzz.gguf';
const GOOD = writeGguf({ metadata: EVERY_VALUE, tensors: EVERY_TENSOR });
const HEADER_END = find(GOOD, EVERY_TENSOR.at(-1)!.name) + 64;

/** Offsets of the u64 length and count fields of GOOD: header counts, key and array lengths, dims, offsets. */
const LENGTH_FIELDS: number[] = [8, 16];
for (const entry of EVERY_VALUE) {
  LENGTH_FIELDS.push(find(GOOD, entry.key) - 8);
  if (entry.type === GgufValueType.Array) LENGTH_FIELDS.push(valueOffset(GOOD, entry.key) + 4);
  if (entry.type === GgufValueType.String) LENGTH_FIELDS.push(valueOffset(GOOD, entry.key));
}
for (const tensor of EVERY_TENSOR) {
  const fields = tensorFields(GOOD, tensor.name);
  LENGTH_FIELDS.push(find(GOOD, tensor.name) - 8, fields.dims, fields.offset);
}

const HUGE = [2n ** 64n - 1n, 2n ** 63n, 2n ** 53n, 2n ** 53n - 1n, 2n ** 32n, 2n ** 32n - 1n, 2n ** 31n, BigInt(GOOD.length), BigInt(GOOD.length + 1), 0n, 1n];

type Mutation = (bytes: Uint8Array, r: TestRandom) => [Uint8Array, string];

/** A random offset in the header part of `bytes` (which earlier mutations may have shortened). */
function headerOffset(bytes: Uint8Array, r: TestRandom, room = 0): number {
  return r.int(Math.max(1, Math.min(HEADER_END, bytes.length - room)));
}

const MUTATIONS: Mutation[] = [
  (bytes, r) => {
    const out = bytes.slice();
    const flips = 1 + r.int(8);
    const at = Array.from({ length: flips }, () => (r.next() < 0.8 ? headerOffset(out, r) : r.int(out.length)));
    for (const i of at) out[i] = r.int(256);
    return [out, `flip bytes ${at.join(',')}`];
  },
  (bytes, r) => {
    const length = r.int(bytes.length);
    return [bytes.subarray(0, length), `truncate to ${length}`];
  },
  (bytes, r) => {
    if (bytes.length < 8) return [bytes, 'nothing to overwrite'];
    const out = bytes.slice();
    const field = LENGTH_FIELDS[r.int(LENGTH_FIELDS.length)];
    const at = r.next() < 0.7 && field + 8 <= out.length ? field : headerOffset(out, r, 8);
    const value = HUGE[r.int(HUGE.length)] + BigInt(r.int(3)) - 1n;
    const view = new DataView(out.buffer);
    if (r.next() < 0.75) view.setBigUint64(at, BigInt.asUintN(64, value), true);
    else view.setUint32(at, Number(BigInt.asUintN(32, value)), true);
    return [out, `write ${value} at ${at}`];
  },
  (bytes, r) => {
    const out = bytes.slice();
    const from = headerOffset(out, r);
    const to = headerOffset(out, r);
    const length = 1 + r.int(64);
    out.copyWithin(to, from, from + length);
    return [out, `copy ${length} bytes from ${from} to ${to}`];
  },
  (bytes, r) => {
    const at = headerOffset(bytes, r);
    const from = r.int(Math.max(1, bytes.length));
    const length = 1 + r.int(48);
    const out = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(from, from + length), ...bytes.subarray(at)]);
    return [out, `insert ${length} bytes from ${from} at ${at}`];
  },
  (bytes, r) => {
    const at = headerOffset(bytes, r);
    const length = 1 + r.int(48);
    return [new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + length)]), `delete ${length} bytes at ${at}`];
  },
];

/** One mutation, or two or three in a row. */
function mutate(r: TestRandom): [Uint8Array, string] {
  let bytes = GOOD;
  const steps: string[] = [];
  const count = r.next() < 0.7 ? 1 : 2 + r.int(2);
  for (let i = 0; i < count; i++) {
    const [next, what] = MUTATIONS[r.int(MUTATIONS.length)](bytes, r);
    bytes = next;
    steps.push(what);
  }
  return [bytes, steps.join('; ')];
}

test(`fuzz: ${CASES} mutated files give a valid header or a ModelFileError, each quickly`, { timeout: 60_000 }, async () => {
  const r = seededRandom(Number(process.env.FUZZ_SEED ?? 0x6775));
  const outcomes = { parsed: 0, rejected: 0 };
  let slowest = 0;
  const started = performance.now();
  for (let i = 0; i < CASES; i++) {
    const [bytes, what] = mutate(r);
    const caseStarted = performance.now();
    try {
      const gguf = await readGguf(new MemoryByteSource(FILE, bytes));
      for (const info of gguf.tensors.values()) {
        assert.ok(info.offset >= gguf.dataOffset && info.offset + info.byteLength <= bytes.length, `case ${i} (${what}): tensor "${info.name}" outside the file`);
      }
      outcomes.parsed++;
    } catch (error) {
      if (!(error instanceof ModelFileError) || error.file !== FILE) {
        assert.fail(`case ${i} (${what}) threw ${error instanceof Error ? error.stack : String(error)}`);
      }
      outcomes.rejected++;
    }
    const elapsed = performance.now() - caseStarted;
    slowest = Math.max(slowest, elapsed);
    assert.ok(elapsed < CASE_LIMIT_MS, `case ${i} (${what}) took ${elapsed.toFixed(0)} ms`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${CASES} cases in ${seconds.toFixed(2)} s (slowest ${slowest.toFixed(1)} ms): ${outcomes.parsed} parsed, ${outcomes.rejected} rejected`);
  assert.ok(outcomes.parsed > CASES / 100 && outcomes.rejected > CASES / 2, 'the mutations reach both outcomes');
  assert.ok(seconds < 20);
});
