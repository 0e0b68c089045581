// Rotary position embedding. `ropeCache` computes cos/sin for every token of a batch once per
// forward pass (the same for all layers), as ggml's rope_cache_init: theta starts at the position
// and is multiplied by thetaScale = base^(-2/ropeDim) pair after pair, divided by the optional
// per-pair frequency factors (Llama 3 rope_freqs) and multiplied by freqScale (linear scaling).
// `ropeApply` rotates pairs (2i, 2i+1) (interleaved, GGUF llama) or (i, i + ropeDim/2) (NeoX).

/** cache[t][i] = (cos, sin) of the rotation of pair i for token t; positions are i32. */
export function ropeCache(
  positions: usize, nTok: i32, ropeDim: i32, thetaScale: f32, freqScale: f32, freqFactors: usize, cache: usize,
): void {
  const pairs = ropeDim >> 1;
  for (let t = 0; t < nTok; t++) {
    let theta = <f32>load<i32>(positions + (<usize>t << 2));
    const row = cache + (<usize>(t * pairs) << 3);
    for (let i = 0; i < pairs; i++) {
      const factor: f32 = freqFactors != 0 ? load<f32>(freqFactors + (<usize>i << 2)) : 1;
      const angle = freqScale * (theta / factor);
      store<f32>(row + (<usize>i << 3), Mathf.cos(angle));
      store<f32>(row + (<usize>i << 3), Mathf.sin(angle), 4);
      theta *= thetaScale;
    }
  }
}

/** Rotates the first ropeDim dims of each of nHeads heads of each token of x in place. */
export function ropeApply(x: usize, nTok: i32, nHeads: i32, headDim: i32, ropeDim: i32, cache: usize, neox: bool): void {
  const pairs = ropeDim >> 1;
  const stride: usize = neox ? <usize>pairs << 2 : 4;
  for (let t = 0; t < nTok; t++) {
    const row = cache + (<usize>(t * pairs) << 3);
    for (let h = 0; h < nHeads; h++) {
      const head = x + (<usize>((t * nHeads + h) * headDim) << 2);
      for (let i = 0; i < pairs; i++) {
        const a = neox ? head + (<usize>i << 2) : head + (<usize>i << 3);
        const c = load<f32>(row + (<usize>i << 3)), s = load<f32>(row + (<usize>i << 3), 4);
        const x0 = load<f32>(a), x1 = load<f32>(a + stride);
        store<f32>(a, x0 * c - x1 * s);
        store<f32>(a + stride, x0 * s + x1 * c);
      }
    }
  }
}
