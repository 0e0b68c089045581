// The GGUF writer: every value type and tensor type round-trips through readGguf, alignment and
// version are honoured, streaming gives the same bytes as building in memory, and bad specs are
// refused with the problem named. (That llama.cpp loads its files is checked by the synthetic
// model fixtures, which node-llama-cpp loads.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '../../../../core/base/common/errors.js';
import { MemoryByteSource } from '../../../../core/base/common/byteSource.js';
import { readGguf, type GgufFile } from '../../../../core/engine/common/gguf/ggufReader.js';
import { GgufValueType, type GgufArray } from '../../../../core/engine/common/gguf/ggufValues.js';
import { layoutGguf, writeGguf, writeGgufTo, type GgufWriteEntry, type GgufWriteSpec } from '../../../../core/engine/common/gguf/ggufWriter.js';
import { writeGgufFile } from '../../../../core/engine/node/gguf/ggufFileWriter.js';
import { TensorType } from '../../../../core/engine/common/tensorTypes.js';
import { EVERY_TENSOR, EVERY_VALUE } from './ggufSamples.js';

const T = GgufValueType;

async function read(bytes: Uint8Array, name = 'test.gguf'): Promise<GgufFile> {
  return readGguf(new MemoryByteSource(name, bytes));
}

/** The value as the reader returns it, for comparing with what was written. */
function normalise(value: unknown): unknown {
  if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>, normalise);
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object' && value !== null && 'itemType' in value) {
    const array = value as GgufArray;
    return { itemType: array.itemType, values: normalise(array.values) };
  }
  return value;
}

test('every value type and every tensor type round-trips through readGguf', async () => {
  const bytes = writeGguf({ metadata: EVERY_VALUE, tensors: EVERY_TENSOR });
  const gguf = await read(bytes);
  assert.equal(gguf.version, 3);
  assert.equal(gguf.metadata.entries.size, EVERY_VALUE.length);
  for (const entry of EVERY_VALUE) {
    let expected = normalise(entry.value);
    if (entry.type === T.F32) expected = Math.fround(entry.value as number);
    if (entry.key === 'a.f32') expected = { itemType: T.F32, values: [1.5, -0, Infinity] };
    assert.deepEqual(normalise(gguf.metadata.entries.get(entry.key)), expected, entry.key);
  }
  assert.equal(gguf.metadata.string('v.string.bom'), '\ufeffx');
  assert.equal(gguf.tensors.size, EVERY_TENSOR.length);
  for (const tensor of EVERY_TENSOR) {
    const info = gguf.tensors.get(tensor.name)!;
    assert.deepEqual([info.type, info.dims, info.byteLength], [tensor.type, tensor.dims, tensor.data.length], tensor.name);
    assert.equal(info.offset % 32, 0);
    assert.deepEqual(bytes.subarray(info.offset, info.offset + info.byteLength), tensor.data, `${tensor.name} data`);
  }
  assert.equal(bytes.length % 32, 0, 'the last tensor is padded too, as gguf.cpp writes it');
});

test('alignment and version are honoured; general.alignment is added when not 32', async () => {
  for (const alignment of [1, 8, 64, 4096]) {
    const bytes = writeGguf({ metadata: [{ key: 'x', type: T.U8, value: 1 }], tensors: EVERY_TENSOR, alignment, version: 2 });
    const gguf = await read(bytes);
    assert.equal(gguf.version, 2);
    assert.equal(gguf.alignment, alignment);
    assert.equal(gguf.metadata.has('general.alignment'), alignment !== 32);
    for (const tensor of EVERY_TENSOR) {
      const info = gguf.tensors.get(tensor.name)!;
      assert.equal(info.offset % alignment, 0);
      assert.deepEqual(bytes.subarray(info.offset, info.offset + info.byteLength), tensor.data);
    }
  }
});

test('streaming writes the same bytes, producing each tensor only when it is written', async () => {
  const spec: GgufWriteSpec = { metadata: EVERY_VALUE, tensors: EVERY_TENSOR, alignment: 64 };
  const expected = writeGguf(spec);
  const produced: string[] = [];
  const chunks: Uint8Array[] = [];
  const size = await writeGgufTo({ write: (b) => void chunks.push(b.slice()) }, {
    ...spec,
    tensors: EVERY_TENSOR.map((t) => ({ ...t, data: async () => (produced.push(t.name), t.data) })),
  });
  assert.equal(size, expected.length);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(expected));
  assert.deepEqual(produced, EVERY_TENSOR.map((t) => t.name));

  const dir = await mkdtemp(join(tmpdir(), 'pinpoint-gguf-'));
  try {
    const path = join(dir, 'model.gguf');
    assert.equal(await writeGgufFile(path, { ...spec, tensors: EVERY_TENSOR.map((t) => ({ ...t, data: () => t.data })) }), expected.length);
    assert.deepEqual(await readFile(path), Buffer.from(expected));
    const failing = { ...spec, tensors: EVERY_TENSOR.map((t, i) => ({ ...t, data: () => (i === 3 ? new Uint8Array(1) : t.data) })) };
    await assert.rejects(writeGgufFile(join(dir, 'broken.gguf'), failing), /tensor "t.q8_0" should have 136 bytes of data; got 1 bytes/);
    assert.deepEqual(await readdir(dir), ['model.gguf'], 'a failed write leaves no file behind');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('layoutGguf places tensors back to back, each padded to the alignment', () => {
  const layout = layoutGguf({ metadata: [], tensors: EVERY_TENSOR, alignment: 32 });
  let expected = layout.dataOffset;
  for (const [i, placement] of layout.tensors.entries()) {
    assert.equal(placement.offset, expected);
    assert.equal(placement.byteLength, EVERY_TENSOR[i].data.length);
    expected += Math.ceil(placement.byteLength / 32) * 32;
  }
  assert.equal(layout.fileSize, expected);
  assert.equal(layout.header.length, layout.dataOffset);
});

test('bad specs are refused with the problem named', () => {
  const refuse = (spec: Partial<GgufWriteSpec>, message: RegExp) =>
    assert.throws(() => writeGguf({ metadata: [], tensors: [], ...spec }), (e: unknown) => e instanceof ArgumentError && message.test(e.message));
  const u8 = (key: string, value: number): GgufWriteEntry => ({ key, type: T.U8, value });
  refuse({ metadata: [u8('a', 1), u8('a', 2)] }, /metadata key "a" appears twice/);
  refuse({ metadata: [u8('a', 256)] }, /metadata "a": 256 is not a valid u8; it should be an integer from 0 to 255/);
  refuse({ metadata: [{ key: 'a', type: T.U32, value: 'x' as unknown as number }] }, /"a": x is not a valid u32/);
  refuse({ metadata: [{ key: 'a', type: T.I64, value: 1n << 63n }] }, /not a valid i64/);
  refuse({ metadata: [{ key: 'a', type: T.Array, value: { itemType: T.U16, values: [1, -1] } }] }, /metadata "a"\[1\]: -1 is not a valid u16/);
  refuse({ metadata: [{ key: 'a', type: 99 as GgufValueType.U8, value: 1 }] }, /unknown GGUF value type 99/);
  refuse({ metadata: [{ key: '', type: T.U8, value: 1 }] }, /metadata key "" should be a non-empty string/);
  refuse({ tensors: [EVERY_TENSOR[0], EVERY_TENSOR[0]] }, /tensor "t.f32" appears twice/);
  refuse({ tensors: [{ ...EVERY_TENSOR[3], dims: [48, 2] }] }, /rows of 48 elements, not a multiple of the q8_0 block size 32/);
  refuse({ tensors: [{ ...EVERY_TENSOR[0], dims: [3, 0] }] }, /shape \[3, 0\]; it should have 1 to 4 positive integer dimensions/);
  refuse({ tensors: [{ ...EVERY_TENSOR[0], dims: [1, 1, 1, 1, 3] }] }, /1 to 4 positive integer dimensions/);
  refuse({ tensors: [{ ...EVERY_TENSOR[0], name: 'x'.repeat(64) }] }, /is 64 bytes; GGUF allows 1 to 63/);
  refuse({ tensors: [{ ...EVERY_TENSOR[0], type: TensorType.Q8_K, dims: [256] }] }, /type q8_K; it should be one of f32, f16, bf16, q8_0, q4_0, q4_K, q6_K/);
  refuse({ tensors: [{ ...EVERY_TENSOR[0], data: new Uint8Array(11) }] }, /tensor "t.f32" should have 12 bytes of data; got 11 bytes/);
  refuse({ alignment: 48 }, /alignment 48 should be a power of two/);
  refuse({ version: 1 as 2 }, /GGUF version 1 cannot be written; use 2 or 3/);
  refuse({ metadata: [{ key: 'general.alignment', type: T.U32, value: 64 }] }, /general.alignment should be the u32 32/);
});
