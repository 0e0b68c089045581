// Row-level entry points over every tensor type, by ggml type id: dequantize a row, quantize a
// row (ggml's reference quantizers, which llama.cpp's quantize uses without an imatrix), quantize
// activations the way llama.cpp's CPU matmul does (the weight type's vec_dot_type), and the dot
// product of a weight row with such an activation row. This is the CPU reference the WebAssembly
// and WGSL kernels are tested against: clear over fast, but no allocation per element.

import { assert } from '../../../base/common/errors.js';
import { TENSOR_TYPES, TensorType, tensorBytes } from '../tensorTypes.js';
import {
  dequantizeRowBf16, dequantizeRowF16, dequantizeRowF32, quantizeRowBf16, quantizeRowF16, quantizeRowF32,
  vecDotBf16, vecDotF16, vecDotF32,
} from './floatRows.js';
import { dequantizeRowQ4_0, quantizeRowQ4_0, vecDotQ4_0 } from './q4_0.js';
import { dequantizeRowQ4_K, quantizeRowQ4_K, vecDotQ4_K } from './q4_K.js';
import { dequantizeRowQ6_K, quantizeRowQ6_K, vecDotQ6_K } from './q6_K.js';
import { dequantizeRowQ8_0, quantizeRowQ8_0, vecDotQ8_0 } from './q8_0.js';
import { dequantizeRowQ8_K, quantizeRowQ8_K } from './q8_K.js';

/** How one type is converted and multiplied. */
interface RowCodec {
  readonly quantize: (src: Float32Array, out: Uint8Array) => void;
  readonly dequantize: (src: Uint8Array, out: Float32Array) => void;
  /** ggml's vec_dot_type: the format activations take for a dot product with this type. */
  readonly dotType: TensorType;
  /** Weight row x activation row (in dotType) over n elements; absent for activation-only types. */
  readonly dot?: (weights: Uint8Array, activation: Uint8Array, n: number) => number;
}

const CODECS = {
  [TensorType.F32]: { quantize: quantizeRowF32, dequantize: dequantizeRowF32, dotType: TensorType.F32, dot: vecDotF32 },
  [TensorType.F16]: { quantize: quantizeRowF16, dequantize: dequantizeRowF16, dotType: TensorType.F16, dot: vecDotF16 },
  [TensorType.BF16]: { quantize: quantizeRowBf16, dequantize: dequantizeRowBf16, dotType: TensorType.BF16, dot: vecDotBf16 },
  [TensorType.Q8_0]: { quantize: quantizeRowQ8_0, dequantize: dequantizeRowQ8_0, dotType: TensorType.Q8_0, dot: vecDotQ8_0 },
  [TensorType.Q4_0]: { quantize: quantizeRowQ4_0, dequantize: dequantizeRowQ4_0, dotType: TensorType.Q8_0, dot: vecDotQ4_0 },
  [TensorType.Q4_K]: { quantize: quantizeRowQ4_K, dequantize: dequantizeRowQ4_K, dotType: TensorType.Q8_K, dot: vecDotQ4_K },
  [TensorType.Q6_K]: { quantize: quantizeRowQ6_K, dequantize: dequantizeRowQ6_K, dotType: TensorType.Q8_K, dot: vecDotQ6_K },
  [TensorType.Q8_K]: { quantize: quantizeRowQ8_K, dequantize: dequantizeRowQ8_K, dotType: TensorType.Q8_K },
} satisfies Record<TensorType, RowCodec>;

/** Bytes of a row of `n` elements of `type`; `n` must be a whole number of blocks. */
export function rowBytes(type: TensorType, n: number): number {
  const info = TENSOR_TYPES[type];
  assert(Number.isInteger(n) && n >= 0 && n % info.blockSize === 0, `a ${info.name} row of ${n} elements is not a whole number of ${info.blockSize}-element blocks`);
  return tensorBytes(type, n);
}

/** Decodes `out.length` elements of `type` from `src` into f32. */
export function dequantizeRow(type: TensorType, src: Uint8Array, out: Float32Array): void {
  assert(src.length >= rowBytes(type, out.length), `dequantizeRow: ${src.length} bytes cannot hold ${out.length} ${TENSOR_TYPES[type].name} elements`);
  CODECS[type].dequantize(src, out);
}

/** Encodes the f32 row `src` as `type` into `out`, as ggml's reference quantizer does. */
export function quantizeRow(type: TensorType, src: Float32Array, out: Uint8Array): void {
  assert(out.length >= rowBytes(type, src.length), `quantizeRow: ${out.length} bytes cannot hold ${src.length} ${TENSOR_TYPES[type].name} elements`);
  CODECS[type].quantize(src, out);
}

/**
 * The type llama.cpp's CPU backend converts activations to before a dot product with weights of
 * `weightType` (ggml's vec_dot_type): q8_0 for q8_0 and q4_0, q8_K for q4_K and q6_K, and the
 * weight type itself for f32, f16 and bf16.
 */
export function vecDotType(weightType: TensorType): TensorType {
  return CODECS[weightType].dotType;
}

/** Bytes of an activation row of `n` values quantized for weights of `weightType`. */
export function activationBytes(weightType: TensorType, n: number): number {
  return rowBytes(vecDotType(weightType), n);
}

/** Quantizes the f32 activation row `src` into `out` as vecDotType(weightType) (reference quantizer). */
export function quantizeActivation(weightType: TensorType, src: Float32Array, out: Uint8Array): void {
  quantizeRow(vecDotType(weightType), src, out);
}

/**
 * Dot product of one weight row of `type` with an activation row already quantized by
 * quantizeActivation(type, ...), over `n` elements, with ggml's semantics: integer dot products
 * within blocks, block scale products rounded to f32, the sum over blocks (or elements) in f64.
 */
export function vecDot(type: TensorType, weightRow: Uint8Array, activation: Uint8Array, n: number): number {
  const codec: RowCodec = CODECS[type];
  assert(codec.dot !== undefined, `${TENSOR_TYPES[type].name} is an activation format, not a weight type`);
  assert(weightRow.length >= rowBytes(type, n), `vecDot: weight row of ${weightRow.length} bytes is shorter than ${n} ${TENSOR_TYPES[type].name} elements`);
  assert(activation.length >= activationBytes(type, n), `vecDot: activation of ${activation.length} bytes is shorter than ${n} elements`);
  return codec.dot(weightRow, activation, n);
}
