// RMSNorm and the elementwise ops of a Llama block: y = x / rms(x) * w, x += y, silu(g) * u.
// Sums of squares in f64 and the order of roundings as ggml's rms_norm followed by mul.

import { expF32x4 } from './expf';

/** out[t] = x[t] * (1 / sqrt(mean(x[t]^2) + eps)) * w, for `rows` rows of length n. */
export function rmsNorm(x: usize, w: usize, out: usize, n: i32, rows: i32, eps: f32): void {
  for (let t = 0; t < rows; t++) {
    const xr = x + (<usize>(t * n) << 2), yr = out + (<usize>(t * n) << 2);
    let sum: f64 = 0;
    for (let i = 0; i < n; i++) {
      const v = load<f32>(xr + (<usize>i << 2));
      sum += <f64>(v * v); // squared in f32, summed in f64, as ggml
    }
    const mean = <f32>(sum / <f64>n);
    const scale: f32 = 1 / Mathf.sqrt(mean + eps);
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(yr + o, (load<f32>(xr + o) * scale) * load<f32>(w + o));
    }
  }
}

/** x += y over `count` floats. */
export function addInPlace(x: usize, y: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.add(v128.load(x + o), v128.load(y + o)));
  }
  for (; i < count; i++) store<f32>(x + (<usize>i << 2), load<f32>(x + (<usize>i << 2)) + load<f32>(y + (<usize>i << 2)));
}

/** silu(g) * u = g / (1 + e^-g) * u, lane-wise; e^-g with its argument capped at 88 (finite). */
// @ts-ignore: decorator
@inline function siluMul4(g: v128, u: v128): v128 {
  const e = expF32x4(f32x4.min(f32x4.neg(g), f32x4.splat(88)));
  return f32x4.mul(f32x4.div(g, f32x4.add(f32x4.splat(1), e)), u);
}

/** gate = silu(gate) * up over `count` floats (ggml swiglu: x / (1 + exp(-x)) * u), exp as expf.ts. */
export function siluMul(gate: usize, up: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    v128.store(gate + o, siluMul4(v128.load(gate + o), v128.load(up + o)));
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    store<f32>(gate + o, f32x4.extract_lane(siluMul4(f32x4.splat(load<f32>(gate + o)), f32x4.splat(load<f32>(up + o))), 0));
  }
}

/** x[t] += b for `rows` rows of length n (projection biases). */
export function addBias(x: usize, b: usize, n: i32, rows: i32): void {
  for (let t = 0; t < rows; t++) addInPlace(x + (<usize>(t * n) << 2), b, n);
}
