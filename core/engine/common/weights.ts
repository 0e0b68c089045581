// The weights of a Llama-family model on a backend, by role (llama2.c's TransformerWeights),
// uploaded once from the model files' tensors. Shapes in ggml order [inputs, outputs].

import { ModelFileError, throwIfAborted } from '../../base/common/errors.js';
import type { Backend, DeviceWeight } from './backend.js';
import type { ModelConfig, TensorRef } from './modelConfig.js';

export interface LayerWeights {
  readonly attnNorm: DeviceWeight; // (dim)
  readonly wq: DeviceWeight; // (dim, nHeads * headDim)
  readonly wk: DeviceWeight; // (dim, nKvHeads * headDim)
  readonly wv: DeviceWeight; // (dim, nKvHeads * headDim)
  readonly bq?: DeviceWeight; // (nHeads * headDim), Qwen2
  readonly bk?: DeviceWeight; // (nKvHeads * headDim)
  readonly bv?: DeviceWeight; // (nKvHeads * headDim)
  readonly wo: DeviceWeight; // (nHeads * headDim, dim)
  readonly ffnNorm: DeviceWeight; // (dim)
  readonly ffnGate: DeviceWeight; // (dim, ffnDim)
  readonly ffnUp: DeviceWeight; // (dim, ffnDim)
  readonly ffnDown: DeviceWeight; // (ffnDim, dim)
}

export interface ModelWeights {
  readonly tokenEmbedding: DeviceWeight; // (dim, vocab)
  readonly layers: readonly LayerWeights[];
  readonly outputNorm: DeviceWeight; // (dim)
  readonly output: DeviceWeight; // (dim, vocab); the embedding table when tied
  readonly ropeFreqs?: DeviceWeight; // (ropeDim / 2), Llama 3 frequency factors
}

/** Uploads every tensor the forward pass uses, checking each exists. */
export async function uploadWeights(
  backend: Backend, config: ModelConfig, tensors: ReadonlyMap<string, TensorRef>, file: string, signal?: AbortSignal,
): Promise<ModelWeights> {
  const get = async (name: string): Promise<DeviceWeight> => {
    const ref = tensors.get(name);
    if (!ref) throw new ModelFileError(file, `tensor "${name}" is missing`);
    throwIfAborted(signal, 'model loading');
    return backend.uploadWeight(ref, signal);
  };
  const optional = async (name: string): Promise<DeviceWeight | undefined> => (tensors.has(name) ? get(name) : undefined);
  const tokenEmbedding = await get('token_embd.weight');
  const layers: LayerWeights[] = [];
  for (let l = 0; l < config.nLayers; l++) {
    const p = `blk.${l}.`;
    layers.push({
      attnNorm: await get(`${p}attn_norm.weight`),
      wq: await get(`${p}attn_q.weight`),
      wk: await get(`${p}attn_k.weight`),
      wv: await get(`${p}attn_v.weight`),
      bq: await optional(`${p}attn_q.bias`),
      bk: await optional(`${p}attn_k.bias`),
      bv: await optional(`${p}attn_v.bias`),
      wo: await get(`${p}attn_output.weight`),
      ffnNorm: await get(`${p}ffn_norm.weight`),
      ffnGate: await get(`${p}ffn_gate.weight`),
      ffnUp: await get(`${p}ffn_up.weight`),
      ffnDown: await get(`${p}ffn_down.weight`),
    });
  }
  const outputNorm = await get('output_norm.weight');
  const output = config.tiedOutput ? tokenEmbedding : await get('output.weight');
  const ropeFreqs = await optional('rope_freqs.weight');
  return { tokenEmbedding, layers, outputNorm, output, ropeFreqs };
}
