// Kernel cases of the WebGPU backend, written once and run in Node (Dawn, webgpuKernels.test.ts)
// and in headless Chromium (navigator.gpu, test/browser/): plain TypeScript, no Node and no DOM.
// Each case runs one op on random inputs of awkward sizes (rows not a multiple of the 32-row
// tile, token counts across the GEMV/tiled boundary, row lengths with tails) and compares it with
// the plain-TypeScript reference (core/engine/common/quant for the dot products, f64 code here
// for the rest). Tolerances are stated per case, relative to the magnitude of what is summed.

import { MemoryByteSource } from '../../../../core/base/common/byteSource.js';
import type { Backend, DeviceTensor } from '../../../../core/engine/common/backend.js';
import { fullKvLayout } from '../../../../core/engine/common/kvCache.js';
import type { TensorRef } from '../../../../core/engine/common/modelConfig.js';
import { f16ToF32, f32ToF16 } from '../../../../core/engine/common/quant/halfFloat.js';
import { activationBytes, dequantizeRow, quantizeActivation, rowBytes, vecDot } from '../../../../core/engine/common/quant/quantRows.js';
import { TENSOR_TYPES, TensorType, WEIGHT_TYPES } from '../../../../core/engine/common/tensorTypes.js';
import type { WebGpuBackend } from '../../../../core/engine/common/webgpu/WebGpuBackend.js';
import { seededRandom } from '../../../support/seededRandom.js';
import { referenceAttention, relError, ropeConfig, weightRef } from '../support/kernelReference.js';

export { relError, weightRef };

/** One kernel case: throws on a mismatch. `make` gives a fresh backend with optional options. */
export interface KernelCase {
  readonly name: string;
  run(backend: WebGpuBackend): Promise<void>;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

function vectorRef(name: string, values: Float32Array): TensorRef {
  return { name, type: TensorType.F32, dims: [values.length], source: new MemoryByteSource(name, new Uint8Array(values.buffer.slice(0))), offset: 0, byteLength: values.length * 4 };
}

function filled(backend: Backend, rows: number, cols: number, data: Float32Array): DeviceTensor {
  const t = backend.createActivation(rows, cols);
  backend.write(t, 0, data);
  return t;
}

/** Row lengths per type (whole blocks for quantized types; tails and odd lengths for floats). */
const LENGTHS: Record<string, number[]> = { f32: [37, 100], f16: [37, 96], bf16: [37, 96], q8_0: [96, 160], q4_0: [96, 160], q4_K: [256, 512], q6_K: [256, 512] };

/** matmul of every type against vecDot, 1..70 tokens (GEMV up to 4, tiled above), 19 and 37 rows. */
function matmulCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const type of WEIGHT_TYPES) {
    const name = TENSOR_TYPES[type].name;
    for (const n of LENGTHS[name]) {
      cases.push({
        name: `matmul ${name}, rows of ${n}, 19 and 37 rows, 1..70 tokens, within 1e-5 of sum |w x|`,
        async run(backend) {
          const random = seededRandom(n * 31 + type);
          for (const rows of [19, 37]) {
            const { ref, bytes } = weightRef(`${name}-${n}-${rows}`, type, n, rows, random.normals(n * rows, 1 / Math.sqrt(n)));
            const weight = await backend.uploadWeight(ref);
            for (const tokens of [1, 3, 5, 70]) {
              const x = random.normals(tokens * n);
              const out = backend.createActivation(tokens, rows);
              backend.matmul([{ weight, out }], filled(backend, tokens, n, x), tokens);
              const got = await backend.read(out, 0, tokens);
              const { want, scale } = referenceMatmul(type, bytes, x, n, rows, tokens);
              const err = relError(got, want, scale);
              check(err < 1e-5, `${name} n=${n} rows=${rows} tokens=${tokens}: error ${err.toExponential(2)} of the sum of |w x|`);
            }
          }
        },
      });
    }
  }
  return cases;
}

/** vecDot of every row with every token's activation in the type's format (as llama.cpp's CPU). */
export function referenceMatmul(type: TensorType, bytes: Uint8Array, x: Float32Array, n: number, rows: number, tokens: number): { want: number[]; scale: number } {
  const stride = rowBytes(type, n), act = new Uint8Array(activationBytes(type, n));
  const want: number[] = [];
  let scale = 0;
  for (let t = 0; t < tokens; t++) {
    quantizeActivation(type, x.subarray(t * n, (t + 1) * n), act);
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(x[t * n + i]) / Math.sqrt(n);
    scale = Math.max(scale, s);
    for (let r = 0; r < rows; r++) want.push(vecDot(type, bytes.subarray(r * stride, (r + 1) * stride), act, n));
  }
  return { want, scale };
}

const otherCases: KernelCase[] = [
  {
    name: 'matmul with three targets sharing one input (q, k, v) equals three separate matmuls',
    async run(backend) {
      const random = seededRandom(7);
      const n = 64, tokens = 6;
      const weights = await Promise.all([48, 16, 16].map((rows, i) => backend.uploadWeight(weightRef(`qkv${i}`, TensorType.Q8_0, n, rows, random.normals(n * rows)).ref)));
      const input = filled(backend, tokens, n, random.normals(tokens * n));
      const joint = weights.map((w) => backend.createActivation(tokens, w.dims[1]));
      backend.matmul(weights.map((weight, i) => ({ weight, out: joint[i] })), input, tokens);
      for (let i = 0; i < 3; i++) {
        const alone = backend.createActivation(tokens, weights[i].dims[1]);
        backend.matmul([{ weight: weights[i], out: alone }], input, tokens);
        check(relError(await backend.read(joint[i], 0, tokens), await backend.read(alone, 0, tokens)) === 0, `target ${i} differs`);
      }
    },
  },
  {
    name: 'embed dequantizes rows of every type as the reference (within 1e-6)',
    async run(backend) {
      const random = seededRandom(11);
      for (const type of WEIGHT_TYPES) {
        const n = type === TensorType.Q4_K || type === TensorType.Q6_K ? 256 : type === TensorType.Q8_0 || type === TensorType.Q4_0 ? 64 : 37, vocab = 21;
        const { ref, bytes } = weightRef(`embd-${type}`, type, n, vocab, random.normals(n * vocab));
        const table = await backend.uploadWeight(ref);
        const out = backend.createActivation(3, n);
        const ids = Int32Array.from([20, 0, 7]);
        backend.embed(out, table, ids);
        const got = await backend.read(out, 0, 3);
        const stride = rowBytes(type, n), want = new Float32Array(3 * n);
        ids.forEach((id, t) => dequantizeRow(type, bytes.subarray(id * stride, (id + 1) * stride), want.subarray(t * n, (t + 1) * n)));
        check(relError(got, want) < 1e-6, `${TENSOR_TYPES[type].name}: dequantized rows differ by ${relError(got, want)}`);
      }
      let threw = false;
      try { backend.embed(backend.createActivation(1, 37), await backend.uploadWeight(weightRef('e', TensorType.F32, 37, 2, new Float32Array(74)).ref), Int32Array.from([2])); } catch { threw = true; }
      check(threw, 'a token id outside the vocabulary must throw');
    },
  },
  {
    name: 'rmsNorm, alone and fused with the residual add, within 1e-6',
    async run(backend) {
      const random = seededRandom(3);
      const n = 300, rows = 5;
      const w = random.normals(n);
      const weight = await backend.uploadWeight(vectorRef('norm', w));
      const x = random.normals(n * rows, 3), y = random.normals(n * rows);
      const reference = (v: Float32Array) => {
        const out: number[] = [];
        for (let r = 0; r < rows; r++) {
          let ss = 0;
          for (let i = 0; i < n; i++) ss += v[r * n + i] ** 2;
          const scale = 1 / Math.sqrt(ss / n + 1e-5);
          for (let i = 0; i < n; i++) out.push(v[r * n + i] * scale * w[i]);
        }
        return out;
      };
      const input = filled(backend, rows, n, x), out = backend.createActivation(rows, n);
      backend.rmsNorm(out, input, weight, rows, 1e-5);
      check(relError(await backend.read(out, 0, rows), reference(x)) < 1e-6, 'rmsNorm');
      const addend = filled(backend, rows, n, y);
      backend.add(input, addend, rows); // held back, then fused into the norm
      backend.rmsNorm(out, input, weight, rows, 1e-5);
      const sum = x.map((v, i) => v + y[i]);
      check(relError(await backend.read(out, 0, rows), reference(sum)) < 1e-6, 'fused add + rmsNorm: norm');
      check(relError(await backend.read(input, 0, rows), sum) < 1e-7, 'fused add + rmsNorm: residual');
    },
  },
  {
    name: 'siluMul, add and addBias within 1e-6',
    async run(backend) {
      const random = seededRandom(9);
      const g = random.normals(3 * 13, 4), u = random.normals(3 * 13), y = random.normals(3 * 13), b = random.normals(13);
      const [gate, up, x] = [g, u, y].map((data) => filled(backend, 3, 13, data));
      backend.siluMul(gate, up, 3);
      check(relError(await backend.read(gate, 0, 3), Array.from(g, (v, i) => (v / (1 + Math.exp(-v))) * u[i])) < 1e-6, 'siluMul');
      backend.add(x, up, 3);
      check(relError(await backend.read(x, 0, 3), Array.from(y, (v, i) => v + u[i])) < 1e-7, 'add');
      backend.addBias(x, await backend.uploadWeight(vectorRef('bias', b)), 3);
      check(relError(await backend.read(x, 0, 3), Array.from(y, (v, i) => v + u[i] + b[i % 13])) < 1e-7, 'addBias');
    },
  },
];

const ropeCases: KernelCase[] = (['interleaved', 'neox'] as const).map((style) => ({
  name: `rope (${style}, partial rotation, linear scaling, frequency factors) within 5e-4`,
  async run(backend) {
    const headDim = 12, ropeDim = 8, heads = 2, tokens = 3;
    const config = ropeConfig(style, headDim, ropeDim);
    const factors = Float32Array.from([1, 1.5, 2, 8]);
    const x = seededRandom(5).normals(tokens * heads * headDim);
    const t = filled(backend, tokens, heads * headDim, x);
    const positions = Int32Array.from([0, 17, 1000]);
    backend.ropePrepare(positions, config, await backend.uploadWeight(vectorRef('rope_freqs', factors)));
    backend.rope(t, tokens, heads, config);
    const want = Array.from(x);
    for (let tk = 0; tk < tokens; tk++) {
      for (let h = 0; h < heads; h++) {
        const base = (tk * heads + h) * headDim;
        for (let i = 0; i < ropeDim / 2; i++) {
          const angle = (positions[tk] * Math.pow(10000, (-2 * i) / ropeDim)) / factors[i] / 2;
          const [a, b] = style === 'neox' ? [base + i, base + i + ropeDim / 2] : [base + 2 * i, base + 2 * i + 1];
          want[a] = x[a] * Math.cos(angle) - x[b] * Math.sin(angle);
          want[b] = x[a] * Math.sin(angle) + x[b] * Math.cos(angle);
        }
      }
    }
    // theta accumulates in f32 as in ggml, so at position 1000 the angle carries ~1e-4 rad of error.
    const err = relError(await backend.read(t, 0, tokens), want);
    check(err < 5e-4, `error ${err}`);
  },
}));

/** Attention after storeKv (plain copy into the cache): flash attention for prefill chunks, split-KV for decode. */
const attentionCases: KernelCase[] = ([['f32', 10, 23], ['f16', 10, 23], ['f16', 64, 300]] as const).map(([kvType, d, total]) => ({
  name: `attention over a ${kvType} KV cache, GQA 6/2 heads, head dim ${d}, ${total} positions: prefill chunks (flash) then decode (split-KV), within 1e-5`,
  async run(backend) {
    const random = seededRandom(kvType === 'f16' ? d : 2);
    const nHeads = 6, nKv = 2;
    const cache = backend.createKvCache(fullKvLayout(1, nKv, d, total + 9, kvType, nHeads / nKv));
    let keys = random.normals(total * nKv * d), values = random.normals(total * nKv * d);
    if (kvType === 'f16') [keys, values] = [keys, values].map((a) => a.map((v) => f16ToF32(f32ToF16(v))));
    const q = random.normals(total * nHeads * d);
    const run = async (start: number, count: number): Promise<void> => {
      const k = filled(backend, count, nKv * d, keys.subarray(start * nKv * d, (start + count) * nKv * d));
      const v = filled(backend, count, nKv * d, values.subarray(start * nKv * d, (start + count) * nKv * d));
      const qt = filled(backend, count, nHeads * d, q.subarray(start * nHeads * d, (start + count) * nHeads * d));
      const out = backend.createActivation(count, nHeads * d);
      backend.storeKv(cache, 0, k, v, start, count);
      backend.attention(cache, 0, qt, out, start, count);
      const want = referenceAttention(q.subarray(start * nHeads * d), keys, values, count, start, nHeads, nKv, d);
      const err = relError(await backend.read(out, 0, count), want);
      check(err < 1e-5, `tokens ${start}..${start + count}: error ${err.toExponential(2)}`);
    };
    const prefill = total - 4;
    await run(0, 11); // flash: blocks of queries with a partial last block
    await run(11, prefill - 11); // a second chunk starting at position 11
    await run(prefill, 3); // three queries through split-KV
    await run(prefill + 3, 1); // decode
  },
}));

const topKCase: KernelCase = {
  name: 'top-k of logit rows on the GPU equals a CPU sort (ties to the lower id); argmax is k = 1',
  async run(backend) {
    const random = seededRandom(13);
    const vocab = 1037, rows = 3;
    const logits = random.normals(rows * vocab);
    logits[vocab + 500] = logits[vocab + 20] = 9; // a tie for the top of row 1
    const t = filled(backend, rows, vocab, logits);
    for (const k of [1, 5, 40]) {
      const got = await backend.readTopK(t, 0, rows, k);
      for (let r = 0; r < rows; r++) {
        const row = Array.from(logits.subarray(r * vocab, (r + 1) * vocab), (v, i) => [v, i] as const);
        row.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
        check(JSON.stringify(Array.from(got[r].ids)) === JSON.stringify(row.slice(0, k).map((e) => e[1])), `row ${r} k=${k}: ids ${got[r].ids} vs ${row.slice(0, k).map((e) => e[1])}`);
        check(relError(got[r].logits, row.slice(0, k).map((e) => e[0])) === 0, `row ${r} k=${k}: values`);
      }
    }
  },
};

/** Every kernel case. */
export const KERNEL_CASES: readonly KernelCase[] = [...matmulCases(), ...otherCases, ...ropeCases, ...attentionCases, topKCase];
