// gemv_units.wgsl: the per-type inner step of gemv.wgsl (included there, after dequant.wgsl):
// UNIT weights of one row against the same activations, loaded as wide as the GPU layout of
// weightLayout.ts allows: f32 one vec4<u32> per 4 weights, f16/bf16 one per 8, q8_0 two per block
// of 32, q4_0 one per block, q4_K two per 64 weights (sub-blocks 2j and 2j + 1 share 32 bytes of
// nibbles; the mins enter through sums of x), q6_K through weight4. Scales multiply the block's
// sum once. Expects the bindings `weights`, `weights4`, `x` and `params` of gemv.wgsl.

// unit_dot(r, u, xb): the dot of unit u of row r with x from vec4 index xb (the token's row).
#ifdef TYPE_F32
const UNIT = 4u;
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  return dot(bitcast<vec4<f32>>(weights4[(r * params.n) / 4u + u]), x[xb + u]);
}
#endif
#ifdef TYPE_F16
fn half2(w: u32) -> vec2<f32> { return f16x2_to_f32(w); }
#endif
#ifdef TYPE_BF16
fn half2(w: u32) -> vec2<f32> { return vec2<f32>(bitcast<f32>(w << 16u), bitcast<f32>(w & 0xffff0000u)); }
#endif
#ifdef HALF_WEIGHTS
const UNIT = 8u; // f16 or bf16: two weights per u32, widened by half2
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  let w = weights4[(r * params.n) / 8u + u];
  return dot(vec4<f32>(half2(w.x), half2(w.y)), x[xb + 2u * u]) + dot(vec4<f32>(half2(w.z), half2(w.w)), x[xb + 2u * u + 1u]);
}
#endif
#ifdef TYPE_Q8_0
const UNIT = 32u;
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  let b = r * (params.n / 32u) + u;
  let q0 = weights4[2u * b];
  let q1 = weights4[2u * b + 1u];
  let xs = xb + 8u * u;
  let s = dot(i8x4(q0.x), x[xs]) + dot(i8x4(q0.y), x[xs + 1u]) + dot(i8x4(q0.z), x[xs + 2u]) + dot(i8x4(q0.w), x[xs + 3u])
        + dot(i8x4(q1.x), x[xs + 4u]) + dot(i8x4(q1.y), x[xs + 5u]) + dot(i8x4(q1.z), x[xs + 6u]) + dot(i8x4(q1.w), x[xs + 7u]);
  return block_scale(params.nb * 8u, b) * s;
}
#endif
#ifdef TYPE_Q4_0
const UNIT = 32u;
fn nib(w: u32, shift: u32) -> vec4<f32> { return u8x4((w >> shift) & 0x0f0f0f0fu) - vec4<f32>(8.0); }
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  let b = r * (params.n / 32u) + u;
  let q = weights4[b];
  let xs = xb + 8u * u;
  let s = dot(nib(q.x, 0u), x[xs]) + dot(nib(q.y, 0u), x[xs + 1u]) + dot(nib(q.z, 0u), x[xs + 2u]) + dot(nib(q.w, 0u), x[xs + 3u])
        + dot(nib(q.x, 4u), x[xs + 4u]) + dot(nib(q.y, 4u), x[xs + 5u]) + dot(nib(q.z, 4u), x[xs + 6u]) + dot(nib(q.w, 4u), x[xs + 7u]);
  return block_scale(params.nb * 4u, b) * s;
}
#endif
#ifdef TYPE_Q4_K
const UNIT = 64u; // sub-blocks 2j (low nibbles) and 2j + 1 (high nibbles) of the same 32 bytes
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  let b = r * (params.n / 256u) + u / 4u;
  let j = u % 4u;
  let q0 = weights4[b * 9u + 1u + 2u * j];
  let q1 = weights4[b * 9u + 2u + 2u * j];
  let xs = xb + 16u * u;
  var lo = 0.0;
  var hi = 0.0;
  for (var k = 0u; k < 4u; k++) {
    lo += dot(u8x4(q0[k] & 0x0f0f0f0fu), x[xs + k]) + dot(u8x4(q1[k] & 0x0f0f0f0fu), x[xs + 4u + k]);
    hi += dot(u8x4((q0[k] >> 4u) & 0x0f0f0f0fu), x[xs + 8u + k]) + dot(u8x4((q1[k] >> 4u) & 0x0f0f0f0fu), x[xs + 12u + k]);
  }
  var xsum = vec4<f32>(0.0); // sums of x over each sub-block, for the mins
  for (var k = 0u; k < 8u; k++) { xsum += x[xs + k]; }
  var xsum_hi = vec4<f32>(0.0);
  for (var k = 8u; k < 16u; k++) { xsum_hi += x[xs + k]; }
  let base = b * 36u;
  let dm = f16x2_to_f32(weights[base]);
  let a = q4k_scale_min(base, 2u * j);
  let c = q4k_scale_min(base, 2u * j + 1u);
  let ones = vec4<f32>(1.0);
  return (dm.x * a.x) * lo - (dm.y * a.y) * dot(xsum, ones) + (dm.x * c.x) * hi - (dm.y * c.y) * dot(xsum_hi, ones);
}
#endif
#ifdef TYPE_Q6_K
const UNIT = 32u;
fn unit_dot(r: u32, u: u32, xb: u32) -> f32 {
  let e = r * params.n + u * 32u;
  var s = 0.0;
  for (var k = 0u; k < 8u; k++) { s += dot(weight4(e + 4u * k, params.nb), x[xb + 8u * u + k]); }
  return s;
}
#endif
