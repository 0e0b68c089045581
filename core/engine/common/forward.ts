// The forward pass of a Llama-family transformer over a batch of tokens at consecutive positions,
// written once over the Backend's operations (llama2.c's `forward`): embed; per layer
// norm -> qkv -> rope -> attention -> residual -> norm -> SwiGLU FFN -> residual; norm -> logits.

import { assert } from '../../base/common/errors.js';
import { TOP_LOGITS_MAX, type Backend, type DeviceKvCache, type DeviceTensor, type TopLogits } from './backend.js';
import type { ModelConfig } from './modelConfig.js';
import type { ModelWeights } from './weights.js';

/** Scratch activations for batches of up to `maxBatch` tokens, allocated once. */
export interface RunState {
  readonly maxBatch: number;
  readonly x: DeviceTensor; // (maxBatch, dim) residual stream
  readonly xb: DeviceTensor; // (maxBatch, dim) normed input of a block
  readonly xb2: DeviceTensor; // (maxBatch, dim) output of a projection
  readonly q: DeviceTensor; // (maxBatch, nHeads * headDim)
  readonly k: DeviceTensor; // (maxBatch, nKvHeads * headDim)
  readonly v: DeviceTensor; // (maxBatch, nKvHeads * headDim)
  readonly att: DeviceTensor; // (maxBatch, nHeads * headDim) attention output
  readonly hb: DeviceTensor; // (maxBatch, ffnDim) gate, then silu(gate) * up
  readonly hb2: DeviceTensor; // (maxBatch, ffnDim) up
  readonly logits: DeviceTensor; // (min(maxBatch, LOGIT_ROWS), vocab)
}

/**
 * Rows of logits computed at once: logits of a whole batch go through in chunks of these, since
 * a buffer for 512 rows of a 128K vocabulary would take 256 MiB for a rarely used mode.
 */
const LOGIT_ROWS = 8;

/** Bytes of the scratch of createRunState: `perToken` for each token of the batch, plus `fixed`. */
export function runStateBytes(config: ModelConfig): { readonly perToken: number; readonly fixed: number } {
  const qDim = config.nHeads * config.headDim, kvDim = config.nKvHeads * config.headDim;
  return { perToken: 4 * (3 * config.dim + 2 * qDim + 2 * kvDim + 2 * config.ffnDim), fixed: 4 * LOGIT_ROWS * config.vocabSize };
}

export function createRunState(backend: Backend, config: ModelConfig, maxBatch: number): RunState {
  const a = (cols: number) => backend.createActivation(maxBatch, cols);
  const qDim = config.nHeads * config.headDim, kvDim = config.nKvHeads * config.headDim;
  return {
    maxBatch,
    x: a(config.dim), xb: a(config.dim), xb2: a(config.dim),
    q: a(qDim), k: a(kvDim), v: a(kvDim), att: a(qDim),
    hb: a(config.ffnDim), hb2: a(config.ffnDim),
    logits: backend.createActivation(Math.min(maxBatch, LOGIT_ROWS), config.vocabSize),
  };
}

/** Which rows of logits a forward pass returns. */
export type LogitsWanted = 'last' | 'all' | 'none';

/** The logits a forward pass returns: which rows and, for the last row, only its k best. */
export interface LogitsRequest {
  readonly wanted: LogitsWanted;
  readonly topK?: number;
}

/**
 * Logits of the last token where only its k best are real and the rest -Infinity: what a sampler
 * that keeps at most k candidates sees the same as the whole row.
 */
function topLogitsRow(top: TopLogits, vocabSize: number): Float32Array {
  const row = new Float32Array(vocabSize).fill(-Infinity);
  for (let i = 0; i < top.ids.length; i++) row[top.ids[i]] = top.logits[i];
  return row;
}

/**
 * Runs tokens at positions pos0.. through the model, appending their keys and values to the
 * cache. Returns logits of the last token ([vocab]), of every token ([n * vocab]) or nothing.
 * With `topK` (1..TOP_LOGITS_MAX) and `wanted` 'last', a backend that computes top-k sends back
 * only the k best logits of the last token (the rest of the row is -Infinity).
 */
export async function forward(
  backend: Backend, config: ModelConfig, w: ModelWeights, s: RunState, cache: DeviceKvCache,
  tokens: Int32Array, pos0: number, { wanted, topK }: LogitsRequest,
): Promise<Float32Array | undefined> {
  const n = tokens.length;
  assert(n >= 1 && n <= s.maxBatch, `forward: batch of ${n} tokens (max ${s.maxBatch})`);
  const positions = Int32Array.from({ length: n }, (_, i) => pos0 + i);
  backend.embed(s.x, w.tokenEmbedding, tokens);
  backend.ropePrepare(positions, config, w.ropeFreqs);

  for (let l = 0; l < config.nLayers; l++) {
    const lw = w.layers[l];
    // attention
    backend.rmsNorm(s.xb, s.x, lw.attnNorm, n, config.normEps);
    backend.matmul([{ weight: lw.wq, out: s.q }, { weight: lw.wk, out: s.k }, { weight: lw.wv, out: s.v }], s.xb, n);
    if (lw.bq) backend.addBias(s.q, lw.bq, n);
    if (lw.bk) backend.addBias(s.k, lw.bk, n);
    if (lw.bv) backend.addBias(s.v, lw.bv, n);
    backend.rope(s.q, n, config.nHeads, config);
    backend.rope(s.k, n, config.nKvHeads, config);
    backend.storeKv(cache, l, s.k, s.v, pos0, n);
    backend.attention(cache, l, s.q, s.att, pos0, n);
    backend.matmul([{ weight: lw.wo, out: s.xb2 }], s.att, n);
    backend.add(s.x, s.xb2, n);
    // feed-forward
    backend.rmsNorm(s.xb, s.x, lw.ffnNorm, n, config.normEps);
    backend.matmul([{ weight: lw.ffnGate, out: s.hb }, { weight: lw.ffnUp, out: s.hb2 }], s.xb, n);
    backend.siluMul(s.hb, s.hb2, n);
    backend.matmul([{ weight: lw.ffnDown, out: s.xb2 }], s.hb, n);
    backend.add(s.x, s.xb2, n);
  }

  if (wanted === 'none') return undefined;
  const first = wanted === 'last' ? n - 1 : 0;
  const rows = n - first;
  const x = backend.rowView(s.x, first, rows), xb = backend.rowView(s.xb, 0, rows);
  backend.rmsNorm(xb, x, w.outputNorm, rows, config.normEps);
  const vocab = config.vocabSize;
  if (wanted === 'last' && topK !== undefined && backend.readTopK && topK >= 1 && topK <= Math.min(TOP_LOGITS_MAX, vocab)) {
    backend.matmul([{ weight: w.output, out: s.logits }], xb, 1);
    return topLogitsRow((await backend.readTopK(s.logits, 0, 1, topK))[0], vocab);
  }
  const out = new Float32Array(rows * vocab);
  for (let r = 0; r < rows; r += LOGIT_ROWS) {
    const m = Math.min(LOGIT_ROWS, rows - r);
    backend.matmul([{ weight: w.output, out: s.logits }], backend.rowView(xb, r, m), m);
    out.set(await backend.read(s.logits, 0, m), r * vocab);
  }
  return out;
}
