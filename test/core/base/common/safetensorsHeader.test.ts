// Tests of the safetensors header reader: a valid file parses to the right byte ranges, and each
// kind of bad input fails with a ModelFileError that names the file and the problem.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryByteSource, readBytes } from '../../../../core/base/common/byteSource.js';
import { ModelFileError } from '../../../../core/base/common/errors.js';
import { readSafetensors, type SafetensorsFile } from '../../../../core/base/common/safetensorsHeader.js';
import { encodeSafetensors } from '../../../fixtures/hf/safetensorsWriter.js';

const FILE = 'test.safetensors';

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

const TENSORS = [
  { name: 'a', dtype: 'F32', shape: [2, 3], data: bytes(24, 1) },
  { name: 'b', dtype: 'F16', shape: [4], data: bytes(8, 2) },
  { name: 'c', dtype: 'BF16', shape: [2, 2], data: bytes(8, 3) },
];

function read(file: Uint8Array): Promise<SafetensorsFile> {
  return readSafetensors(new MemoryByteSource(FILE, file));
}

/** A file whose JSON header is `header` (an object or raw text), followed by `dataLength` bytes. */
function withHeader(header: unknown, dataLength: number, lengthField?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataLength);
  new DataView(out.buffer).setBigUint64(0, lengthField ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

async function rejects(file: Uint8Array, problem: RegExp): Promise<void> {
  await assert.rejects(read(file), (error: unknown) => {
    assert.ok(error instanceof ModelFileError, `expected a ModelFileError, got ${String(error)}`);
    assert.equal(error.file, FILE);
    assert.ok(error.message.startsWith(`${FILE}: `), error.message);
    assert.match(error.problem, problem);
    return true;
  });
}

test('a valid file gives each tensor its dtype, shape and absolute byte range', async () => {
  const file = encodeSafetensors(TENSORS, { format: 'pt' });
  const source = new MemoryByteSource(FILE, file);
  const parsed = await readSafetensors(source);
  assert.deepEqual([...parsed.metadata], [['format', 'pt']]);
  assert.equal(parsed.tensors.size, 3);
  const headerLength = Number(new DataView(file.buffer).getBigUint64(0, true));
  assert.equal(parsed.dataOffset, 8 + headerLength);
  assert.equal(headerLength % 8, 0, 'the writer pads the header with spaces');
  for (const t of TENSORS) {
    const got = parsed.tensors.get(t.name)!;
    assert.equal(got.dtype, t.dtype);
    assert.deepEqual(got.shape, t.shape);
    assert.equal(got.byteLength, t.data.length);
    assert.deepEqual(await readBytes(source, got.offset, got.byteLength), t.data);
  }
});

test('no __metadata__ gives an empty map; zero-element tensors are allowed', async () => {
  const file = encodeSafetensors([{ name: 'empty', dtype: 'F32', shape: [0, 4], data: new Uint8Array(0) }, TENSORS[1]]);
  const parsed = await read(file);
  assert.equal(parsed.metadata.size, 0);
  assert.equal(parsed.tensors.get('empty')!.byteLength, 0);
  assert.equal(parsed.tensors.get('b')!.offset, parsed.dataOffset);
});

test('a file shorter than the length prefix', async () => {
  await rejects(new Uint8Array(5), /only 5 bytes/);
});

test('a truncated file: tensors run past its end', async () => {
  const file = encodeSafetensors(TENSORS);
  await rejects(file.subarray(0, file.length - 3), /past the end of the data/);
});

test('a header length past the end of the file', async () => {
  const file = encodeSafetensors(TENSORS);
  new DataView(file.buffer).setBigUint64(0, BigInt(file.length), true);
  await rejects(file, /header length \d+ runs past the end of the file/);
});

test('an absurd header length', async () => {
  const file = encodeSafetensors(TENSORS);
  new DataView(file.buffer).setBigUint64(0, 1n << 62n, true);
  await rejects(file, /header length \d+ is absurd/);
});

test('a header that is not JSON, not an object, or not UTF-8', async () => {
  await rejects(withHeader('{"a": {"dtype": "F32",', 0), /not valid JSON/);
  await rejects(withHeader('[1, 2, 3]', 0), /not a JSON object/);
  await rejects(withHeader('{}', 0).map((b, i) => (i === 9 ? 0xff : b)), /not valid UTF-8/);
});

test('data_offsets past the end of the data', async () => {
  await rejects(withHeader({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8), /tensor "a" has data_offsets \[0, 16\] past the end/);
});

test('a header that lies: byte length disagrees with shape x dtype', async () => {
  await rejects(withHeader({ a: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, 20), /claims 20 bytes .* takes 24 bytes; the header lies/);
});

test('an unknown dtype', async () => {
  await rejects(withHeader({ a: { dtype: 'F12', shape: [2], data_offsets: [0, 4] } }, 4), /unknown dtype "F12"/);
});

test('overlapping ranges, a range out of order, a hole and bytes left over', async () => {
  const two = (a: number[], b: number[], length: number): Uint8Array =>
    withHeader({ a: { dtype: 'U8', shape: [a[1] - a[0]], data_offsets: a }, b: { dtype: 'U8', shape: [b[1] - b[0]], data_offsets: b } }, length);
  await rejects(two([0, 8], [4, 12], 12), /overlaps tensor "a"/);
  await rejects(withHeader({ a: { dtype: 'U8', shape: [0], data_offsets: [8, 4] } }, 8), /out of order/);
  await rejects(two([0, 4], [6, 10], 10), /belong to no tensor \(a hole before "b"\)/);
  await rejects(two([0, 4], [4, 8], 12), /cover 8 bytes of data but the file holds 12/);
});

test('bad entries: shape, data_offsets, dtype, __metadata__', async () => {
  await rejects(withHeader({ a: { dtype: 'U8', shape: [-1], data_offsets: [0, 0] } }, 0), /bad shape/);
  await rejects(withHeader({ a: { dtype: 'U8', shape: [1.5], data_offsets: [0, 0] } }, 0), /bad shape/);
  await rejects(withHeader({ a: { dtype: 'U8', shape: [2], data_offsets: [0] } }, 2), /bad data_offsets/);
  await rejects(withHeader({ a: { dtype: 5, shape: [2], data_offsets: [0, 2] } }, 2), /no dtype/);
  await rejects(withHeader({ a: [1, 2] }, 0), /should be an object/);
  await rejects(withHeader({ __metadata__: { format: 1 } }, 0), /"__metadata__"."format" should be a string/);
  await rejects(withHeader({ a: { dtype: 'F32', shape: [2 ** 30, 2 ** 30, 2 ** 30], data_offsets: [0, 4] } }, 4), /absurd shape/);
});
