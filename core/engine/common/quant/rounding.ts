// The rounding rules ggml's quantizers use, on values that are already f32. The reference code
// rounds every intermediate to f32 (Math.fround) so that it follows C float arithmetic.

/** Rounds to f32: every intermediate of the reference quantizers goes through this. */
export const f32 = Math.fround;

/** ggml's nearest_int: round to nearest, ties to even (exact for |x| < 2^22). */
export function nearestInt(x: number): number {
  const r = Math.round(x); // ties go up
  return r - x === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

/** C's roundf: round to nearest, ties away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** Clamps an integer to [lo, hi]. */
export function clampInt(value: number, lo: number, hi: number): number {
  return value < lo ? lo : value > hi ? hi : value;
}
