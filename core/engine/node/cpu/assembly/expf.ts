// exp(x) for four f32 lanes: range reduction x = k ln2 + r, |r| <= ln2/2, then a degree-6
// polynomial for e^r (relative error below 2e-7 over the whole range: r stays within ln2/2) and
// 2^k built in the exponent bits. Inputs below -87.3 give 0. Softmax feeds x <= 0; siluMul feeds
// e^-g with -g clamped to at most 88 (e^88 ~ 1.7e38 is still a finite f32).

/** e^x for x in [-87.3, 88], lane-wise; below the range the result is 0. */
// @ts-ignore: decorator
@inline export function expF32x4(x: v128): v128 {
  const clamped = f32x4.max(x, f32x4.splat(-87.3));
  const k = f32x4.nearest(f32x4.mul(clamped, f32x4.splat(1.44269504088896341)));
  // r = x - k ln2 with ln2 split in two for precision (Cody-Waite)
  let r = f32x4.sub(clamped, f32x4.mul(k, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(k, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  const e = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23);
  const result = f32x4.mul(e, pow2);
  return v128.and(result, f32x4.gt(x, f32x4.splat(-87.3)));
}
