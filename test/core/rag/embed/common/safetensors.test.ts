// The safetensors reader of the static embedders: decoding of every dtype it supports, and
// damaged headers refused with a ModelFileError that names the file and the problem.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryByteSource } from '../../../../../core/base/common/byteSource.js';
import { ModelFileError } from '../../../../../core/base/common/errors.js';
import { decodeBFloat16, decodeFloat16, halfToFloat } from '../../../../../core/rag/embed/common/float16.js';
import { readSafetensorsHeader, readTensorAsFloat32, readTensorAsInt32 } from '../../../../../core/rag/embed/common/safetensors.js';
import { encodeSafetensors, toF16Bytes } from '../../../../fixtures/hf/safetensorsWriter.js';

const bytesOf = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** A safetensors file whose header JSON is `header` followed by `dataBytes` zero bytes. */
function rawFile(header: unknown, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

async function rejects(bytes: Uint8Array, pattern: RegExp): Promise<void> {
  await assert.rejects(readSafetensorsHeader(new MemoryByteSource('bad.safetensors', bytes)), (error: Error) => {
    assert.ok(error instanceof ModelFileError, `${error.name}: ${error.message}`);
    assert.match(error.message, /^bad\.safetensors: /);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('float16', () => {
  it('decodes halves, including subnormals, infinities and NaN', () => {
    assert.equal(halfToFloat(0x3c00), 1);
    assert.equal(halfToFloat(0xc000), -2);
    assert.equal(halfToFloat(0x0001), 2 ** -24);
    assert.equal(halfToFloat(0x7bff), 65504);
    assert.equal(halfToFloat(0x7c00), Infinity);
    assert.ok(Number.isNaN(halfToFloat(0x7e00)));
    const values = Float32Array.of(0, 0.5, -3.25, 1e-3, 1234);
    assert.deepEqual(Array.from(decodeFloat16(toF16Bytes(values))), [0, 0.5, -3.25, halfToFloat(toF16Bytes(Float32Array.of(1e-3))[0] | (toF16Bytes(Float32Array.of(1e-3))[1] << 8)), 1234]);
  });

  it('decodes bfloat16 as the top half of an f32', () => {
    const f32 = Float32Array.of(1.5, -0.15625, 3e38);
    const words = new Uint32Array(f32.buffer);
    const bf16 = Uint16Array.from(words, (w) => w >>> 16);
    assert.deepEqual(Array.from(decodeBFloat16(bytesOf(bf16))), [1.5, -0.15625, new Float32Array(new Uint32Array([words[2] & 0xffff0000]).buffer)[0]]);
  });
});

describe('safetensors reader', () => {
  it('reads tensors of every supported dtype as f32, and integers as int32', async () => {
    const file = encodeSafetensors([
      { name: 'f32', dtype: 'F32', shape: [2, 2], data: bytesOf(Float32Array.of(1, -2, 3.5, 4)) },
      { name: 'f64', dtype: 'F64', shape: [2], data: bytesOf(Float64Array.of(0.25, -1e-3)) },
      { name: 'f16', dtype: 'F16', shape: [2], data: toF16Bytes(Float32Array.of(0.5, -8)) },
      { name: 'i8', dtype: 'I8', shape: [3], data: bytesOf(Int8Array.of(-128, 0, 127)) },
      { name: 'i32', dtype: 'I32', shape: [2], data: bytesOf(Int32Array.of(7, -9)) },
      { name: 'i64', dtype: 'I64', shape: [2], data: bytesOf(BigInt64Array.of(5n, 1n << 40n)) },
    ], { format: 'pt' });
    const source = new MemoryByteSource('ok.safetensors', file);
    const header = await readSafetensorsHeader(source);
    assert.deepEqual([...header.tensors.keys()], ['f32', 'f64', 'f16', 'i8', 'i32', 'i64']);
    const read = async (name: string) => Array.from(await readTensorAsFloat32(source, header.tensors.get(name)!));
    assert.deepEqual(await read('f32'), [1, -2, 3.5, 4]);
    assert.deepEqual(await read('f64'), [0.25, Math.fround(-1e-3)]);
    assert.deepEqual(await read('f16'), [0.5, -8]);
    assert.deepEqual(await read('i8'), [-128, 0, 127]);
    assert.deepEqual(Array.from(await readTensorAsInt32(source, header.tensors.get('i32')!)), [7, -9]);
    await assert.rejects(readTensorAsInt32(source, header.tensors.get('i64')!), /value 1099511627776 at 1 does not fit an int32/);
    await assert.rejects(readTensorAsInt32(source, header.tensors.get('f32')!), /must hold integers, not F32/);
  });

  it('refuses damaged files with a ModelFileError naming the file (header checks: core/base)', async () => {
    const damaged: Uint8Array[] = [
      new Uint8Array(4),
      rawFile({}, 0).subarray(0, 9),
      rawFile([1, 2], 0),
      rawFile({ t: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4),
      rawFile({ t: { dtype: 'F32', shape: [1], data_offsets: [0] } }, 4),
      rawFile({ t: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, 4),
      rawFile({ t: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8),
      rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8),
    ];
    const notJson = rawFile({}, 0);
    notJson[8] = 0x7b; notJson[9] = 0x7b;
    damaged.push(notJson);
    for (const bytes of damaged) await rejects(bytes, /^bad\.safetensors: /);
    // A valid safetensors dtype that this decoder cannot turn into vectors.
    await rejects(rawFile({ t: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, 1), /unsupported dtype "F8_E4M3"/);
  });
});
