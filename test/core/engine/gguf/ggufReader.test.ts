// The GGUF reader on bad input: every damaged or hostile file fails with a ModelFileError whose
// message is "<file>: <problem>", and the problem says what is wrong. Files are written with the
// GGUF writer and then damaged at known fields.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelFileError } from '../../../../core/base/common/errors.js';
import { MemoryByteSource } from '../../../../core/base/common/byteSource.js';
import { readGguf } from '../../../../core/engine/common/gguf/ggufReader.js';
import { GgufValueType as T } from '../../../../core/engine/common/gguf/ggufValues.js';
import { writeGguf, type GgufWriteArray, type GgufWriteEntry, type GgufWriteTensor } from '../../../../core/engine/common/gguf/ggufWriter.js';
import { TensorType } from '../../../../core/engine/common/tensorTypes.js';
import { find, patternTensor, tensorFields, valueOffset } from './ggufSamples.js';

const FILE = 'models/bad.gguf';

const METADATA: GgufWriteEntry[] = [
  { key: 'general.architecture', type: T.String, value: 'llama' },
  { key: 'meta.count', type: T.U32, value: 7 },
  { key: 'meta.flag', type: T.Bool, value: true },
  { key: 'meta.list', type: T.Array, value: { itemType: T.String, values: ['a', 'bc'] } },
  { key: 'meta.nested', type: T.Array, value: { itemType: T.Array, values: [{ itemType: T.U8, values: [1] }] } },
  { key: 'dup.a', type: T.U8, value: 1 },
  { key: 'dup.b', type: T.U8, value: 2 },
];
const TENSORS: GgufWriteTensor[] = [
  patternTensor('t.first', TensorType.F32, [4, 2]),
  patternTensor('t.q8_0', TensorType.Q8_0, [64, 2]),
  patternTensor('dup.x', TensorType.F16, [8]),
  patternTensor('dup.y', TensorType.F16, [8]),
];
const GOOD = writeGguf({ metadata: METADATA, tensors: TENSORS });

/** A copy of GOOD changed by `edit` through a little-endian DataView. */
function damaged(edit: (view: DataView, bytes: Uint8Array) => void, base: Uint8Array = GOOD): Uint8Array {
  const bytes = base.slice();
  edit(new DataView(bytes.buffer), bytes);
  return bytes;
}

async function rejects(bytes: Uint8Array, problem: RegExp): Promise<void> {
  await assert.rejects(readGguf(new MemoryByteSource(FILE, bytes)), (error: unknown) => {
    assert.ok(error instanceof ModelFileError, `expected a ModelFileError, got ${String(error)}`);
    assert.equal(error.file, FILE);
    assert.ok(error.message.startsWith(`${FILE}: `), error.message);
    assert.match(error.problem, problem);
    return true;
  });
}

test('the undamaged file reads', async () => {
  const gguf = await readGguf(new MemoryByteSource(FILE, GOOD));
  assert.equal(gguf.tensors.size, TENSORS.length);
  assert.equal(gguf.metadata.number('meta.count'), 7);
});

test('truncated files: too short, inside the header, inside the tensor data', async () => {
  await rejects(new Uint8Array(0), /not a GGUF file: only 0 bytes/);
  await rejects(GOOD.subarray(0, 7), /not a GGUF file: only 7 bytes/);
  await rejects(GOOD.subarray(0, 20), /truncated or corrupt header: .* needs 8 bytes but the file has 20/);
  await rejects(GOOD.subarray(0, valueOffset(GOOD, 'meta.list') + 6), /truncated or corrupt header/);
  const dataOffset = GOOD.length - TENSORS.reduce((sum, t) => sum + Math.ceil(t.data.length / 32) * 32, 0);
  await rejects(GOOD.subarray(0, dataOffset + 40), /tensor "t.q8_0" \(136 bytes at \d+\) runs past the end of the file \(\d+ bytes\); the file is truncated or corrupt/);
});

test('wrong magic, big-endian files, unsupported versions', async () => {
  await rejects(damaged((v) => v.setUint32(0, 0x4c4d4747, true)), /not a GGUF file: bad magic 0x4c4d4747/);
  await rejects(damaged((_, b) => b.set([0x46, 0x55, 0x47, 0x47], 0)), /big-endian GGUF files are not supported/);
  // gguf-py's big-endian files keep the bytes "GGUF" and store every number big-endian, so the
  // version reads as 0x03000000.
  const bigEndian = damaged((v) => {
    v.setUint32(4, 3, false);
    v.setBigUint64(8, BigInt(TENSORS.length), false);
    v.setBigUint64(16, BigInt(METADATA.length), false);
  });
  await rejects(bigEndian, /big-endian GGUF files are not supported/);
  for (const version of [0, 1, 4, 0xffffffff]) {
    await rejects(damaged((v) => v.setUint32(4, version, true)), new RegExp(`GGUF version ${version} is not supported; versions 2 and 3 are`));
  }
});

test('unknown or unsupported tensor types name the type and the supported ones', async () => {
  const type = tensorFields(GOOD, 't.first').type;
  await rejects(damaged((v) => v.setUint32(type, 3, true)), /tensor "t.first" has type q4_1, which is not supported; supported types: f32, f16, bf16, q8_0, q4_0, q4_K, q6_K/);
  await rejects(damaged((v) => v.setUint32(type, 15, true)), /has type q8_K, which is not supported/);
  await rejects(damaged((v) => v.setUint32(type, 99, true)), /has type unknown type 99, which is not supported/);
});

test('tensor offsets past the end, misaligned or absurd', async () => {
  const { offset } = tensorFields(GOOD, 'dup.y');
  await rejects(damaged((v) => v.setBigUint64(offset, 1n << 40n, true)), /tensor "dup.y" \(16 bytes at \d+\) runs past the end of the file/);
  await rejects(damaged((v) => v.setBigUint64(offset, v.getBigUint64(offset, true) + 1n, true)), /tensor "dup.y" offset \d+ is not aligned to 32/);
  await rejects(damaged((v) => v.setBigUint64(offset, (1n << 64n) - 32n, true)), /offset of tensor "dup.y" at byte \d+ is 18446744073709551584, which is absurd/);
});

test('absurd counts and shapes', async () => {
  await rejects(damaged((v) => v.setBigUint64(8, 1n << 40n, true)), /header claims 1099511627776 tensors, which is absurd/);
  await rejects(damaged((v) => v.setBigUint64(16, 1n << 50n, true)), /truncated or corrupt header: 1125899906842624 metadata entries/);
  await rejects(damaged((v) => v.setBigUint64(16, (1n << 64n) - 1n, true)), /metadata count at byte 16 is 18446744073709551615, which is absurd/);
  const list = valueOffset(GOOD, 'meta.list');
  await rejects(damaged((v) => v.setBigUint64(list + 4, 1n << 52n, true)), /truncated or corrupt header: 4503599627370496 items of metadata "meta.list"/);
  await rejects(damaged((v) => v.setBigUint64(list + 12, 1n << 33n, true)), /truncated or corrupt header: metadata "meta.list"\[0\] at byte \d+ needs 8589934592 bytes/);
  const first = tensorFields(GOOD, 't.first');
  await rejects(damaged((v) => { v.setBigUint64(first.dims, 1n << 40n, true); v.setBigUint64(first.dims + 8, 1n << 40n, true); }), /tensor "t.first" has an absurd shape \[1099511627776, 1099511627776\]/);
  await rejects(damaged((v) => v.setBigUint64(first.dims + 8, 0n, true)), /tensor "t.first" has dimension 1 of size 0/);
  await rejects(damaged((v) => v.setUint32(first.nDims, 5, true)), /tensor "t.first" has 5 dimensions; 1 to 4 are allowed/);
  await rejects(damaged((v) => v.setUint32(first.nDims, 0, true)), /tensor "t.first" has 0 dimensions/);
});

test('rows that are not a whole number of blocks', async () => {
  const { dims } = tensorFields(GOOD, 't.q8_0');
  await rejects(damaged((v) => v.setBigUint64(dims, 48n, true)), /tensor "t.q8_0" has rows of 48 elements, not a multiple of the q8_0 block size 32/);
});

test('duplicate metadata keys and tensor names', async () => {
  await rejects(damaged((_, b) => { b[find(b, 'dup.b')  + 4] = 0x61; }), /metadata key "dup.a" appears twice/);
  await rejects(damaged((_, b) => { b[find(b, 'dup.y') + 4] = 0x78; }), /tensor "dup.x" appears twice/);
});

test('bad values: invalid UTF-8, a bool of 2, unknown value types, nesting, alignment', async () => {
  await rejects(damaged((_, b) => { b[find(b, 'meta.count')] = 0xff; }), /metadata key 1 at byte \d+ is not valid UTF-8/);
  await rejects(damaged((v) => v.setUint8(valueOffset(GOOD, 'meta.flag'), 2)), /metadata "meta.flag" is a bool with value 2/);
  await rejects(damaged((v) => v.setUint32(valueOffset(GOOD, 'meta.count') - 4, 13, true)), /metadata "meta.count" has unknown value type 13/);
  await rejects(damaged((v) => v.setUint32(valueOffset(GOOD, 'meta.list'), 42, true)), /metadata "meta.list" has unknown item type 42/);
  let nested: GgufWriteArray = { itemType: T.U8, values: [1] };
  for (let depth = 0; depth < 6; depth++) nested = { itemType: T.Array, values: [nested] };
  await rejects(writeGguf({ metadata: [{ key: 'deep', type: T.Array, value: nested }], tensors: [] }), /metadata "deep"\[0\]\[0\]\[0\]\[0\]\[0\] nests arrays more than 4 deep/);
  const aligned = writeGguf({ metadata: METADATA, tensors: TENSORS, alignment: 64 });
  await rejects(damaged((v) => v.setUint32(valueOffset(aligned, 'general.alignment'), 48, true), aligned), /general.alignment 48 is not a power of two/);
  const stringAlignment = writeGguf({ metadata: [{ key: 'general.alignmenX', type: T.String, value: '32' }], tensors: [] });
  await rejects(damaged((_, b) => { b[find(b, 'general.alignmenX') + 16] = 0x74; }, stringAlignment), /metadata key "general.alignment" should be a number; found string/);
});
