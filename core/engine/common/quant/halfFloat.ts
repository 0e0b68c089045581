// Conversions between f32 and the two 16-bit float formats ggml stores: IEEE binary16 (f16) and
// bfloat16 (bf16). Both directions follow ggml's portable code: f32 -> f16 rounds to nearest with
// ties to even, overflows to inf and turns NaN into the quiet NaN 0x7e00 (sign kept); f32 -> bf16
// is ggml_compute_fp32_to_bf16 (ties to even, NaN quieted by setting bit 6, payload kept).

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/** The IEEE bits of `x` rounded to f32. */
export function f32ToBits(x: number): number {
  scratchFloat[0] = x;
  return scratchBits[0];
}

/** The f32 value with IEEE bits `bits`. */
export function bitsToF32(bits: number): number {
  scratchBits[0] = bits >>> 0;
  return scratchFloat[0];
}

/** Value of the f16 with bits `h` (exact; NaN for any NaN pattern). */
export function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero and subnormals
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

/** Rounds `bits >> shift` to nearest, ties to even, looking at the `shift` bits dropped. */
function shiftRoundEven(bits: number, shift: number): number {
  const kept = Math.floor(bits / 2 ** shift);
  const dropped = bits - kept * 2 ** shift;
  const half = 2 ** (shift - 1);
  return dropped > half || (dropped === half && (kept & 1) === 1) ? kept + 1 : kept;
}

/** Bits of the f16 nearest to `x` (first rounded to f32), ties to even. */
export function f32ToF16(x: number): number {
  const bits = f32ToBits(x);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | (mantissa ? 0x7e00 : 0x7c00);
  const halfExponent = exponent - 112; // rebias 127 -> 15
  if (halfExponent >= 31) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal f16 (or zero): count units of 2^-24. Below half a unit everything rounds to 0.
    if (halfExponent < -10) return sign;
    return sign | shiftRoundEven(mantissa | 0x800000, 14 - halfExponent);
  }
  // A carry out of the mantissa moves to the next exponent, and from 30 to inf, as it should.
  return sign | shiftRoundEven((halfExponent << 23) | mantissa, 13);
}

/** Value of the bf16 with bits `b` (exact). */
export function bf16ToF32(b: number): number {
  return bitsToF32((b & 0xffff) << 16);
}

/** Bits of the bf16 nearest to `x` (first rounded to f32), as ggml_compute_fp32_to_bf16. */
export function f32ToBf16(x: number): number {
  const bits = f32ToBits(x);
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) | 64) & 0xffff; // NaN: force quiet
  return Math.floor((bits + 0x7fff + ((bits >>> 16) & 1)) / 65536) & 0xffff;
}

/** Reads the little-endian f16 at `offset` of `bytes` as an f32 value. */
export function readF16(bytes: Uint8Array, offset: number): number {
  return f16ToF32(bytes[offset] | (bytes[offset + 1] << 8));
}

/** Writes `x` as a little-endian f16 at `offset` of `bytes` and returns the stored value. */
export function writeF16(bytes: Uint8Array, offset: number, x: number): number {
  const h = f32ToF16(x);
  bytes[offset] = h & 0xff;
  bytes[offset + 1] = h >>> 8;
  return f16ToF32(h);
}
