// The tensor element types Pinpoint reads, with ggml's numeric ids and block layouts.
// A quantized type stores `blockSize` weights in `bytesPerBlock` bytes (ggml-common.h).

/** ggml type ids as stored in GGUF tensor infos. */
export enum TensorType {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q8_0 = 8,
  Q4_K = 12,
  Q6_K = 14,
  /** Activation format for k-quant dot products; never stored in model files. */
  Q8_K = 15,
  BF16 = 30,
}

/** Layout of one type: how many weights a block holds and how many bytes it takes. */
export interface TensorTypeInfo {
  readonly name: string;
  readonly blockSize: number;
  readonly bytesPerBlock: number;
}

export const TENSOR_TYPES: Readonly<Record<TensorType, TensorTypeInfo>> = {
  [TensorType.F32]: { name: 'f32', blockSize: 1, bytesPerBlock: 4 },
  [TensorType.F16]: { name: 'f16', blockSize: 1, bytesPerBlock: 2 },
  [TensorType.BF16]: { name: 'bf16', blockSize: 1, bytesPerBlock: 2 },
  // d: f16 scale, qs: 32 x int8
  [TensorType.Q8_0]: { name: 'q8_0', blockSize: 32, bytesPerBlock: 34 },
  // d: f16 scale, qs: 16 bytes of nibbles (low nibbles = weights 0..15, high = 16..31)
  [TensorType.Q4_0]: { name: 'q4_0', blockSize: 32, bytesPerBlock: 18 },
  // d, dmin: f16; scales: 12 bytes of 6-bit scales and mins for 8 sub-blocks; qs: 128 bytes
  [TensorType.Q4_K]: { name: 'q4_K', blockSize: 256, bytesPerBlock: 144 },
  // ql: 128 bytes low 4 bits, qh: 64 bytes high 2 bits, scales: 16 x int8, d: f16
  [TensorType.Q6_K]: { name: 'q6_K', blockSize: 256, bytesPerBlock: 210 },
  // d: f32, qs: 256 x int8, bsums: 16 x int16 (sums of 16 consecutive qs)
  [TensorType.Q8_K]: { name: 'q8_K', blockSize: 256, bytesPerBlock: 292 },
};

/** Names of ggml types that exist but are not supported, for error messages. */
const OTHER_GGML_TYPES: Readonly<Record<number, string>> = {
  3: 'q4_1', 6: 'q5_0', 7: 'q5_1', 9: 'q8_1', 10: 'q2_K', 11: 'q3_K', 13: 'q5_K', 16: 'iq2_xxs',
  17: 'iq2_xs', 18: 'iq3_xxs', 19: 'iq1_s', 20: 'iq4_nl', 21: 'iq3_s', 22: 'iq2_s', 23: 'iq4_xs',
  24: 'i8', 25: 'i16', 26: 'i32', 27: 'i64', 28: 'f64', 29: 'iq1_m', 34: 'tq1_0', 35: 'tq2_0', 39: 'mxfp4',
};

/** Types a model file may store weights in. */
export const WEIGHT_TYPES: readonly TensorType[] = [
  TensorType.F32, TensorType.F16, TensorType.BF16, TensorType.Q8_0, TensorType.Q4_0, TensorType.Q4_K, TensorType.Q6_K,
];

/** True if `id` is a type a model file may store weights in. */
export function isWeightType(id: number): id is TensorType {
  return (WEIGHT_TYPES as readonly number[]).includes(id);
}

/** Human name of a ggml type id, known or not (for error messages). */
export function tensorTypeName(id: number): string {
  if (isWeightType(id) || id === TensorType.Q8_K) return TENSOR_TYPES[id as TensorType].name;
  return OTHER_GGML_TYPES[id] ?? `unknown type ${id}`;
}

/** The list of supported type names, for "should be one of" messages. */
export function supportedTypeNames(): string {
  return WEIGHT_TYPES.map((t) => TENSOR_TYPES[t].name).join(', ');
}

/** Bytes taken by `count` elements of `type`; `count` must be a multiple of the block size. */
export function tensorBytes(type: TensorType, count: number): number {
  const info = TENSOR_TYPES[type];
  return (count / info.blockSize) * info.bytesPerBlock;
}
