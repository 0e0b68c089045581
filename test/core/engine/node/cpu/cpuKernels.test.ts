// The CPU backend's WebAssembly kernels against the plain-TypeScript reference (core/engine/common/
// quant for the dot products, straightforward f64 code here for the rest), on random inputs of
// awkward sizes: rows not a multiple of the 16-row tile, token counts around the 4-token kernels,
// row lengths that leave scalar tails. Tolerances are stated per op, relative to the magnitude
// of what is summed, so they bound rounding, not luck.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MemoryByteSource } from '../../../../../core/base/common/byteSource.js';
import type { DeviceKvCache, DeviceTensor } from '../../../../../core/engine/common/backend.js';
import type { TensorRef } from '../../../../../core/engine/common/modelConfig.js';
import { fullKvLayout } from '../../../../../core/engine/common/kvCache.js';
import { f16ToF32, f32ToF16 } from '../../../../../core/engine/common/quant/halfFloat.js';
import { activationBytes, dequantizeRow, rowBytes, vecDot } from '../../../../../core/engine/common/quant/quantRows.js';
import { TENSOR_TYPES, TensorType, WEIGHT_TYPES } from '../../../../../core/engine/common/tensorTypes.js';
import { CpuBackend } from '../../../../../core/engine/node/cpu/cpuBackend.js';
import { relaxedSimdValidates } from '../../../../../core/engine/node/cpu/relaxedSimd.js';
import { relaxedKernelsAvailable, type CpuKernelVariant } from '../../../../../core/engine/node/cpu/wasmKernels.js';
import { seededRandom } from '../../../../support/seededRandom.js';
import { quantizeActivationX86, referenceAttention, relError, ropeConfig, weightRef } from '../../support/kernelReference.js';

// The matmul cases run with both builds of the kernels (plain and, where it runs, relaxed SIMD);
// the rest with the default one.
const VARIANTS: CpuKernelVariant[] = relaxedKernelsAvailable() ? ['plain', 'relaxed'] : ['plain'];
const backends = new Map<CpuKernelVariant, CpuBackend>();
let backend: CpuBackend;
before(async () => {
  backend = await CpuBackend.create({ threads: 2 });
  for (const variant of VARIANTS) backends.set(variant, await CpuBackend.create({ threads: 2, kernels: variant }));
});
after(async () => {
  await backend.dispose();
  for (const b of backends.values()) await b.dispose();
});

// Sizes per type: row lengths must be whole blocks for quantized types.
const LENGTHS: Record<string, number[]> = { f32: [37, 100], f16: [37, 100], bf16: [37, 100], q8_0: [96, 160], q4_0: [96, 160], q4_K: [256, 512], q6_K: [256, 512] };

/** The reference vecDot (activations rounded as the kernels round them) of every token of `x` with every row, and the largest sum of |w x| (|w| ~ 1 / sqrt(n)). */
function referenceMatmul(type: TensorType, bytes: Uint8Array, x: Float32Array, n: number, rows: number, tokens: number): { values: number[]; scale: number } {
  const stride = rowBytes(type, n), act = new Uint8Array(activationBytes(type, n));
  const values: number[] = [];
  let scale = 0;
  for (let t = 0; t < tokens; t++) {
    quantizeActivationX86(type, x.subarray(t * n, (t + 1) * n), act);
    for (let r = 0; r < rows; r++) values.push(vecDot(type, bytes.subarray(r * stride, (r + 1) * stride), act, n));
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(x[t * n + i]) / Math.sqrt(n);
    scale = Math.max(scale, s);
  }
  return { values, scale };
}

describe('matmul: every weight type against the reference vecDot', () => {
  for (const [variant, type] of VARIANTS.flatMap((v) => WEIGHT_TYPES.map((t) => [v, t] as const))) {
    const name = TENSOR_TYPES[type].name;
    for (const n of LENGTHS[name]) {
      test(`${variant} kernels: ${name}, rows of ${n}, 19 and 37 rows, 1..9 tokens`, async () => {
        const backend = backends.get(variant)!;
        const random = seededRandom(n * 31 + type);
        for (const rows of [19, 37]) {
          const { ref, bytes } = weightRef(`${name}-${n}-${rows}`, type, n, rows, random.normals(n * rows, 1 / Math.sqrt(n)));
          const weight = await backend.uploadWeight(ref);
          for (const tokens of [1, 3, 4, 5, 9]) {
            const x = random.normals(tokens * n);
            const input = backend.createActivation(tokens, n);
            const out = backend.createActivation(tokens, rows);
            backend.write(input, 0, x);
            backend.matmul([{ weight, out }], input, tokens);
            const got = await backend.read(out, 0, tokens);
            const want = referenceMatmul(type, bytes, x, n, rows, tokens);
            // Same integer sums and scales as the reference; only the f32 summation order differs.
            const err = relError(got, want.values, want.scale);
            assert.ok(err < 2e-6, `${name} n=${n} rows=${rows} tokens=${tokens}: error ${err.toExponential(2)} of the sum of |w x|`);
          }
        }
      });
    }
  }
});

test('where the engine has relaxed SIMD (Node 20 with its flag, or newer), the relaxed build passes its self-check', () => {
  assert.ok(!relaxedSimdValidates() || relaxedKernelsAvailable());
});

/** `tokens` rows of x times the weight `ref` ([rows][n]), with each build of the kernels (VARIANTS order). */
async function matmulEveryBuild(ref: TensorRef, x: Float32Array, rows: number, tokens: number): Promise<Float32Array[]> {
  const outs: Float32Array[] = [];
  for (const variant of VARIANTS) {
    const b = backends.get(variant)!;
    const input = b.createActivation(tokens, ref.dims[0]), out = b.createActivation(tokens, rows);
    b.write(input, 0, x);
    b.matmul([{ weight: await b.uploadWeight(ref), out }], input, tokens);
    outs.push(await b.read(out, 0, tokens));
  }
  return outs;
}

test('the relaxed-SIMD kernels give bit-identical matmuls to the plain ones, every weight type', { skip: VARIANTS.length < 2 && 'relaxed SIMD unavailable' }, async () => {
  const random = seededRandom(5);
  for (const type of WEIGHT_TYPES) {
    const n = type === TensorType.Q4_K || type === TensorType.Q6_K ? 512 : 160, rows = 37, tokens = 11;
    const { ref } = weightRef(`same-${type}`, type, n, rows, random.normals(n * rows, 1 / Math.sqrt(n)));
    const x = random.normals(tokens * n);
    const outs = await matmulEveryBuild(ref, x, rows, tokens);
    assert.deepEqual(new Uint32Array(outs[1].buffer), new Uint32Array(outs[0].buffer), TENSOR_TYPES[type].name);
  }
});

// Rows of 512 (16 blocks: the four-block steps and no tail), 37 rows split between two threads
// (each its own scratch), 70 and 131 tokens (second and third token blocks of 64, and leftovers).
for (const type of [TensorType.Q8_0, TensorType.Q4_0]) {
  const name = TENSOR_TYPES[type].name;
  test(`${name}, rows of 512, 37 rows on two threads, 70 and 131 tokens: the builds agree bit for bit and match the reference`, async () => {
    const random = seededRandom(13 + type);
    const n = 512, rows = 37;
    const { ref, bytes } = weightRef(`blocks-${type}`, type, n, rows, random.normals(n * rows, 1 / Math.sqrt(n)));
    for (const tokens of [70, 131]) {
      const x = random.normals(tokens * n);
      const outs = await matmulEveryBuild(ref, x, rows, tokens);
      if (outs.length > 1) assert.deepEqual(new Uint32Array(outs[1].buffer), new Uint32Array(outs[0].buffer), `${name}, ${tokens} tokens`);
      const want = referenceMatmul(type, bytes, x, n, rows, tokens);
      const err = relError(outs[0], want.values, want.scale);
      assert.ok(err < 2e-6, `${name}, ${tokens} tokens: error ${err.toExponential(2)} of the sum of |w x|`);
    }
  });
}

test('matmul with three targets sharing one input (q, k, v) equals three separate matmuls', async () => {
  const random = seededRandom(7);
  const n = 64, tokens = 6;
  const weights = await Promise.all([48, 16, 16].map((rows, i) => backend.uploadWeight(weightRef(`qkv${i}`, TensorType.Q8_0, n, rows, random.normals(n * rows)).ref)));
  const input = backend.createActivation(tokens, n);
  backend.write(input, 0, random.normals(tokens * n));
  const joint = weights.map((w) => backend.createActivation(tokens, w.dims[1]));
  backend.matmul(weights.map((weight, i) => ({ weight, out: joint[i] })), input, tokens);
  for (let i = 0; i < 3; i++) {
    const alone = backend.createActivation(tokens, weights[i].dims[1]);
    backend.matmul([{ weight: weights[i], out: alone }], input, tokens);
    assert.deepEqual(await backend.read(joint[i], 0, tokens), await backend.read(alone, 0, tokens));
  }
});

test('embed dequantizes the rows of every type exactly as the reference', async () => {
  const random = seededRandom(11);
  for (const type of WEIGHT_TYPES) {
    const n = type === TensorType.Q4_K || type === TensorType.Q6_K ? 256 : 64, vocab = 21;
    const { ref, bytes } = weightRef(`embd-${type}`, type, n, vocab, random.normals(n * vocab));
    const table = await backend.uploadWeight(ref);
    const out = backend.createActivation(3, n);
    const ids = Int32Array.from([20, 0, 7]);
    backend.embed(out, table, ids);
    const got = await backend.read(out, 0, 3);
    const stride = rowBytes(type, n), want = new Float32Array(3 * n);
    ids.forEach((id, t) => dequantizeRow(type, bytes.subarray(id * stride, (id + 1) * stride), want.subarray(t * n, (t + 1) * n)));
    assert.equal(relError(got, want), 0, `${TENSOR_TYPES[type].name}: dequantized rows differ`);
  }
  assert.throws(() => backend.embed(backend.createActivation(1, 64), backend['uploadWeight'] as never, Int32Array.from([0])));
});

test('rmsNorm: x / sqrt(mean(x^2) + eps) * w within 1e-6', async () => {
  const random = seededRandom(3);
  const n = 37, rows = 5;
  const w = random.normals(n);
  const weight = await backend.uploadWeight({ name: 'norm', type: TensorType.F32, dims: [n], source: new MemoryByteSource('norm', new Uint8Array(w.buffer)), offset: 0, byteLength: n * 4 });
  const x = random.normals(n * rows, 3);
  const input = backend.createActivation(rows, n), out = backend.createActivation(rows, n);
  backend.write(input, 0, x);
  backend.rmsNorm(out, input, weight, rows, 1e-5);
  const want: number[] = [];
  for (let r = 0; r < rows; r++) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += x[r * n + i] ** 2;
    const scale = 1 / Math.sqrt(ss / n + 1e-5);
    for (let i = 0; i < n; i++) want.push(x[r * n + i] * scale * w[i]);
  }
  assert.ok(relError(await backend.read(out, 0, rows), want) < 1e-6);
});

for (const style of ['interleaved', 'neox'] as const) {
  test(`rope (${style}, partial rotation, linear scaling) rotates pairs by pos * base^(-2i/d) / factor within 2e-5`, async () => {
    const headDim = 12, ropeDim = 8, heads = 2, tokens = 3;
    const config = ropeConfig(style, headDim, ropeDim);
    const x = seededRandom(5).normals(tokens * heads * headDim);
    const t = backend.createActivation(tokens, heads * headDim);
    backend.write(t, 0, x);
    const positions = Int32Array.from([0, 17, 1000]);
    backend.ropePrepare(positions, config, undefined);
    backend.rope(t, tokens, heads, config);
    const want = Array.from(x);
    for (let tk = 0; tk < tokens; tk++) {
      for (let h = 0; h < heads; h++) {
        const base = (tk * heads + h) * headDim;
        for (let i = 0; i < ropeDim / 2; i++) {
          const angle = (positions[tk] * Math.pow(10000, (-2 * i) / ropeDim)) / 2;
          const [a, b] = style === 'neox' ? [base + i, base + i + ropeDim / 2] : [base + 2 * i, base + 2 * i + 1];
          want[a] = x[a] * Math.cos(angle) - x[b] * Math.sin(angle);
          want[b] = x[a] * Math.sin(angle) + x[b] * Math.cos(angle);
        }
      }
    }
    // theta accumulates in f32 as in ggml, so at position 1000 the angle carries ~1e-4 rad of error.
    assert.ok(relError(await backend.read(t, 0, tokens), want) < 5e-4);
  });
}

for (const [kvType, d] of [['f32', 10], ['f32', 64], ['f16', 10], ['f16', 64]] as const) {
  test(`attention over a ${kvType} KV cache, GQA 6/2 heads, head dim ${d}, prefill in two chunks then decode`, async () => {
    const random = seededRandom(kvType === 'f16' ? d : 2);
    const nHeads = 6, nKv = 2, total = 23;
    const layout = fullKvLayout(1, nKv, d, 32, kvType, nHeads / nKv);
    const cache: DeviceKvCache = backend.createKvCache(layout);
    let keys = random.normals(total * nKv * d), values = random.normals(total * nKv * d);
    if (kvType === 'f16') [keys, values] = [keys, values].map((a) => a.map((v) => f16ToF32(f32ToF16(v))));
    const q = random.normals(total * nHeads * d);
    const run = async (start: number, count: number): Promise<void> => {
      const [k, v, qt, out]: DeviceTensor[] = [nKv * d, nKv * d, nHeads * d, nHeads * d].map((cols) => backend.createActivation(count, cols));
      backend.write(k, 0, keys.subarray(start * nKv * d, (start + count) * nKv * d));
      backend.write(v, 0, values.subarray(start * nKv * d, (start + count) * nKv * d));
      backend.write(qt, 0, q.subarray(start * nHeads * d, (start + count) * nHeads * d));
      backend.storeKv(cache, 0, k, v, start, count);
      backend.attention(cache, 0, qt, out, start, count);
      const want = referenceAttention(q.subarray(start * nHeads * d), keys, values, count, start, nHeads, nKv, d);
      assert.ok(relError(await backend.read(out, 0, count), want) < 1e-5, `tokens ${start}..${start + count}`);
    };
    await run(0, 11); // prefill: a block of eight queries (met four at a time) and a partial one
    await run(11, 8); // a second chunk starting at position 11
    for (let p = 19; p < total; p++) await run(p, 1); // decode
  });
}

test('siluMul and add', async () => {
  const random = seededRandom(9);
  const g = random.normals(3 * 13, 4), u = random.normals(3 * 13), y = random.normals(3 * 13);
  g.set([-100, 100, -90, 95], 20); // e^-g beyond f32 range and silu(g) = g
  const [gate, up, x] = [g, u, y].map((data) => {
    const t = backend.createActivation(3, 13);
    backend.write(t, 0, data);
    return t;
  });
  backend.siluMul(gate, up, 3);
  assert.ok(relError(await backend.read(gate, 0, 3), Array.from(g, (v, i) => (v / (1 + Math.exp(-v))) * u[i])) < 1e-6);
  backend.add(x, up, 3);
  assert.ok(relError(await backend.read(x, 0, 3), Array.from(y, (v, i) => v + u[i])) < 1e-7);
});
