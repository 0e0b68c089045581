// Plain-TypeScript references shared by the kernel tests of every backend (the CPU kernels in
// test/core/engine/node/cpu, the WebGPU cases in test/core/engine/webgpu, run in Node and in
// Chromium): error measure, reference-quantized weights, a RoPE test config and f64 attention.
// No Node and no DOM APIs, so the browser bundle can take it.

import { MemoryByteSource } from '../../../../core/base/common/byteSource.js';
import type { ModelConfig, TensorRef } from '../../../../core/engine/common/modelConfig.js';
import { writeF16 } from '../../../../core/engine/common/quant/halfFloat.js';
import { QK8_0, Q8_0_BLOCK_BYTES } from '../../../../core/engine/common/quant/q8_0.js';
import { quantizeActivation, quantizeRow, rowBytes, vecDotType } from '../../../../core/engine/common/quant/quantRows.js';
import { f32, nearestInt } from '../../../../core/engine/common/quant/rounding.js';
import { TensorType } from '../../../../core/engine/common/tensorTypes.js';

/**
 * quantizeActivation, but q8_0 activations as ggml's x86 quantize_row_q8_0 (and the CPU kernels)
 * round them: q = nearest(x * (127 / amax)), ties to even, where the reference quantize_row_q8_0_ref
 * rounds x * (1 / d) half away from zero; on a rare tie the two differ by one.
 */
export function quantizeActivationX86(weightType: TensorType, src: Float32Array, out: Uint8Array): void {
  if (vecDotType(weightType) !== TensorType.Q8_0) return quantizeActivation(weightType, src, out);
  const qs = new Int8Array(out.buffer, out.byteOffset, out.byteLength);
  for (let block = 0; block * QK8_0 < src.length; block++) {
    const x = block * QK8_0, o = block * Q8_0_BLOCK_BYTES;
    let amax = 0;
    for (let j = 0; j < QK8_0; j++) amax = Math.max(amax, Math.abs(src[x + j]));
    const id = amax ? f32(127 / amax) : 0;
    writeF16(out, o, f32(amax / 127));
    for (let j = 0; j < QK8_0; j++) qs[o + 2 + j] = nearestInt(f32(src[x + j] * id));
  }
}

/** Max |a - b| over `scale`, or over max |b|. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>, scale?: number): number {
  let err = 0, mag = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    mag = Math.max(mag, Math.abs(b[i]));
  }
  if (a.length !== b.length || Number.isNaN(err)) return Infinity;
  return err / (scale ?? (mag || 1));
}

/** A weight tensor of `rows` rows of `n` values of `type`, quantized by the reference, as a TensorRef. */
export function weightRef(name: string, type: TensorType, n: number, rows: number, values: Float32Array): { ref: TensorRef; bytes: Uint8Array } {
  const stride = rowBytes(type, n);
  const bytes = new Uint8Array(stride * rows);
  for (let r = 0; r < rows; r++) quantizeRow(type, values.subarray(r * n, (r + 1) * n), bytes.subarray(r * stride, (r + 1) * stride));
  return { ref: { name, type, dims: [n, rows], source: new MemoryByteSource(name, bytes), offset: 0, byteLength: bytes.length }, bytes };
}

/** A one-layer config for RoPE tests: `ropeDim` of `headDim` rotated, linear scaling by 2. */
export function ropeConfig(style: 'interleaved' | 'neox', headDim: number, ropeDim: number): ModelConfig {
  return {
    architecture: 'llama', name: 'test', dim: 2 * headDim, nLayers: 1, nHeads: 2, nKvHeads: 1, headDim, ffnDim: 8, vocabSize: 8,
    contextLength: 4096, normEps: 1e-5, ropeTheta: 10000, ropeDim, ropeStyle: style, ropeScaling: { kind: 'linear', factor: 2 },
    tiedOutput: true, qkvBias: false,
  };
}

/** softmax(q k^T / sqrt(d)) v over positions 0..pos for each query, in f64 (GQA: head h uses kv head h / group). */
export function referenceAttention(q: Float32Array, keys: Float32Array, values: Float32Array, tokens: number, pos0: number, nHeads: number, nKv: number, d: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < tokens; t++) {
    for (let h = 0; h < nHeads; h++) {
      const kv = Math.floor(h / (nHeads / nKv));
      const scores: number[] = [];
      for (let p = 0; p <= pos0 + t; p++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += q[(t * nHeads + h) * d + i] * keys[(p * nKv + kv) * d + i];
        scores.push(s / Math.sqrt(d));
      }
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let i = 0; i < d; i++) out.push(e.reduce((acc, w, p) => acc + (w / sum) * values[(p * nKv + kv) * d + i], 0));
    }
  }
  return out;
}

