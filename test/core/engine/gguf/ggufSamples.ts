// Sample GGUF contents shared by the writer, reader and fuzz tests: one metadata entry of every
// value type (edge values included), arrays of every item type, and tensors of every weight type;
// and helpers that find the fields of a written file, to damage them.

import assert from 'node:assert/strict';
import { GgufValueType } from '../../../../core/engine/common/gguf/ggufValues.js';
import type { GgufWriteEntry, GgufWriteTensor } from '../../../../core/engine/common/gguf/ggufWriter.js';
import { rowBytes } from '../../../../core/engine/common/quant/quantRows.js';
import { TensorType } from '../../../../core/engine/common/tensorTypes.js';

const T = GgufValueType;

/** One entry of every scalar type, edge values included, and arrays of every item type. */
export const EVERY_VALUE: readonly GgufWriteEntry[] = [
  { key: 'v.u8', type: T.U8, value: 255 },
  { key: 'v.i8', type: T.I8, value: -128 },
  { key: 'v.u16', type: T.U16, value: 65535 },
  { key: 'v.i16', type: T.I16, value: -32768 },
  { key: 'v.u32', type: T.U32, value: 4294967295 },
  { key: 'v.i32', type: T.I32, value: -2147483648 },
  { key: 'v.f32', type: T.F32, value: 0.1 },
  { key: 'v.f64', type: T.F64, value: 0.1 },
  { key: 'v.bool.true', type: T.Bool, value: true },
  { key: 'v.bool.false', type: T.Bool, value: false },
  { key: 'v.string', type: T.String, value: 'héllo ▁wörld 🦙' },
  { key: 'v.string.empty', type: T.String, value: '' },
  { key: 'v.string.bom', type: T.String, value: '\ufeffx' },
  { key: 'v.u64', type: T.U64, value: 2 ** 53 - 1 },
  { key: 'v.u64.big', type: T.U64, value: (1n << 64n) - 1n },
  { key: 'v.i64', type: T.I64, value: -(2 ** 40) },
  { key: 'v.i64.big', type: T.I64, value: -(1n << 63n) },
  { key: 'a.u8', type: T.Array, value: { itemType: T.U8, values: new Uint8Array([0, 1, 255]) } },
  { key: 'a.i8', type: T.Array, value: { itemType: T.I8, values: [-128, 0, 127] } },
  { key: 'a.u16', type: T.Array, value: { itemType: T.U16, values: [0, 65535] } },
  { key: 'a.i16', type: T.Array, value: { itemType: T.I16, values: new Int16Array([-32768, 32767]) } },
  { key: 'a.u32', type: T.Array, value: { itemType: T.U32, values: [0, 4294967295] } },
  { key: 'a.i32', type: T.Array, value: { itemType: T.I32, values: new Int32Array([-1, 2, -3]) } },
  { key: 'a.f32', type: T.Array, value: { itemType: T.F32, values: new Float32Array([1.5, -0, Infinity]) } },
  { key: 'a.f64', type: T.Array, value: { itemType: T.F64, values: [Math.PI, -1e300] } },
  { key: 'a.u64', type: T.Array, value: { itemType: T.U64, values: [0n, (1n << 64n) - 1n] } },
  { key: 'a.i64', type: T.Array, value: { itemType: T.I64, values: new BigInt64Array([-5n, 1n << 62n]) } },
  { key: 'a.bool', type: T.Array, value: { itemType: T.Bool, values: [true, false, true] } },
  { key: 'a.string', type: T.Array, value: { itemType: T.String, values: ['<unk>', '', '▁the', '\ufeff'] } },
  { key: 'a.empty', type: T.Array, value: { itemType: T.F32, values: [] } },
  { key: 'a.nested', type: T.Array, value: { itemType: T.Array, values: [{ itemType: T.U8, values: [1, 2] }, { itemType: T.String, values: ['x'] }] } },
];

/** A tensor of `type` with the given dims and a recognisable byte pattern. */
export function patternTensor(name: string, type: TensorType, dims: number[], salt = 0): GgufWriteTensor {
  const data = new Uint8Array(rowBytes(type, dims.reduce((a, b) => a * b, 1)));
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + salt * 7 + 3) & 0xff;
  return { name, type, dims, data };
}

/** Tensors of every weight type, 1 to 4 dims. */
export const EVERY_TENSOR: readonly GgufWriteTensor[] = [
  patternTensor('t.f32', TensorType.F32, [3]),
  patternTensor('t.f16', TensorType.F16, [5, 3], 1),
  patternTensor('t.bf16', TensorType.BF16, [2, 2, 2], 2),
  patternTensor('t.q8_0', TensorType.Q8_0, [64, 2], 3),
  patternTensor('t.q4_0', TensorType.Q4_0, [32, 1, 3], 4),
  patternTensor('t.q4_K', TensorType.Q4_K, [256, 2], 5),
  patternTensor('t.q6_K', TensorType.Q6_K, [256, 1, 1, 2], 6),
];

// ---- Fields of a written file

/** Offset of the first occurrence of `text` (UTF-8) in `bytes`. */
export function find(bytes: Uint8Array, text: string): number {
  const at = Buffer.from(bytes).indexOf(Buffer.from(text, 'utf8'));
  assert.ok(at >= 0, `"${text}" not found`);
  return at;
}

/** Offset of the value of metadata `key` (after its u64 length, bytes and u32 type). */
export function valueOffset(bytes: Uint8Array, key: string): number {
  return find(bytes, key) + Buffer.byteLength(key) + 4;
}

/** Offsets of the fields of tensor `name`'s info. */
export function tensorFields(bytes: Uint8Array, name: string): { dims: number; nDims: number; type: number; offset: number } {
  const nDims = find(bytes, name) + Buffer.byteLength(name);
  const count = new DataView(bytes.buffer, bytes.byteOffset).getUint32(nDims, true);
  const type = nDims + 4 + 8 * count;
  return { nDims, dims: nDims + 4, type, offset: type + 4 };
}
