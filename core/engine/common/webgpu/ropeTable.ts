// The RoPE rotation table of a batch, computed on the host once per forward pass exactly as the
// CPU backend computes it (assembly/rope.ts, ggml's rope_cache_init): theta starts at the
// position and is multiplied by base^(-2/ropeDim) in f32 pair after pair, divided by the
// optional per-pair frequency factors (Llama 3 rope_freqs) and scaled by 1 / factor (linear
// scaling). The GPU kernel only rotates with it, so every scaling variant is a different table.
// WGSL's sin and cos are only accurate near zero; the host's are accurate at any position.

import type { ModelConfig } from '../modelConfig.js';

/** Writes (cos, sin) of pair i of token t at out[(t * ropeDim / 2 + i) * 2 ..]. */
export function fillRopeTable(positions: Int32Array, config: ModelConfig, freqFactors: Float32Array | undefined, out: Float32Array): void {
  const f = Math.fround;
  const pairs = config.ropeDim >> 1;
  const thetaScale = f(Math.pow(config.ropeTheta, -2 / config.ropeDim));
  const freqScale = config.ropeScaling.kind === 'linear' ? f(1 / config.ropeScaling.factor) : 1;
  for (let t = 0; t < positions.length; t++) {
    let theta = f(positions[t]);
    for (let i = 0; i < pairs; i++) {
      const factor = freqFactors ? freqFactors[i] : 1;
      const angle = f(freqScale * f(theta / factor));
      out[(t * pairs + i) * 2] = Math.cos(angle);
      out[(t * pairs + i) * 2 + 1] = Math.sin(angle);
      theta = f(theta * thetaScale);
    }
  }
}
