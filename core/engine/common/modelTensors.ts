// The tensors the engine expects of a model, by GGUF name with ggml dims (dims[0] = row length),
// and the check that a loaded model has exactly those. GGUF names are the engine's names for every
// format: ggufModel.ts and hfModel.ts both check their tensors here.

import { ModelFileError } from '../../base/common/errors.js';
import type { ModelConfig, TensorRef } from './modelConfig.js';
import { TensorType, tensorTypeName } from './tensorTypes.js';

/** Name of the optional per-frequency RoPE divisor table (llama.cpp's rope factors), f32 [ropeDim / 2]. */
export const ROPE_FREQS_TENSOR = 'rope_freqs.weight';

/** The tensors a config needs, with their ggml dims; `optional` ones may be absent. */
export function modelTensorShapes(config: ModelConfig): Map<string, { dims: number[]; optional?: boolean }> {
  const { dim, nLayers, nHeads, nKvHeads, headDim, ffnDim, vocabSize } = config;
  const qDim = nHeads * headDim;
  const kvDim = nKvHeads * headDim;
  const shapes = new Map<string, { dims: number[]; optional?: boolean }>([
    ['token_embd.weight', { dims: [dim, vocabSize] }], // (vocab, dim)
    ['output_norm.weight', { dims: [dim] }],
    [ROPE_FREQS_TENSOR, { dims: [config.ropeDim / 2], optional: true }],
  ]);
  if (!config.tiedOutput) shapes.set('output.weight', { dims: [dim, vocabSize] }); // (vocab, dim)
  for (let layer = 0; layer < nLayers; layer++) {
    const block = (name: string, dims: number[]): void => void shapes.set(`blk.${layer}.${name}`, { dims });
    block('attn_norm.weight', [dim]);
    block('attn_q.weight', [dim, qDim]); // (qDim, dim)
    block('attn_k.weight', [dim, kvDim]); // (kvDim, dim)
    block('attn_v.weight', [dim, kvDim]); // (kvDim, dim)
    block('attn_output.weight', [qDim, dim]); // (dim, qDim)
    block('ffn_norm.weight', [dim]);
    block('ffn_gate.weight', [dim, ffnDim]); // (ffnDim, dim)
    block('ffn_up.weight', [dim, ffnDim]); // (ffnDim, dim)
    block('ffn_down.weight', [ffnDim, dim]); // (dim, ffnDim)
    if (config.qkvBias) {
      block('attn_q.bias', [qDim]);
      block('attn_k.bias', [kvDim]);
      block('attn_v.bias', [kvDim]);
    }
  }
  return shapes;
}

const VECTOR_TYPES: readonly TensorType[] = [TensorType.F32, TensorType.F16, TensorType.BF16];

/**
 * Checks that `tensors` are exactly what `config` needs: none missing, none unexpected, every shape
 * right, vectors (norms, biases) in a float type and the RoPE table in f32. `file` names the model.
 */
export function checkModelTensors(config: ModelConfig, tensors: ReadonlyMap<string, TensorRef>, file: string): void {
  const shapes = modelTensorShapes(config);
  for (const [name, { dims, optional }] of shapes) {
    const tensor = tensors.get(name);
    if (!tensor) {
      if (optional) continue;
      throw new ModelFileError(file, `tensor "${name}" is missing; expected shape [${dims.join(', ')}]`);
    }
    if (tensor.dims.length !== dims.length || tensor.dims.some((d, i) => d !== dims[i])) {
      throw new ModelFileError(tensor.source.name, `tensor "${name}" has shape [${tensor.dims.join(', ')}]; expected [${dims.join(', ')}] (ggml order, row length first)`);
    }
    const allowed = name === ROPE_FREQS_TENSOR ? [TensorType.F32] : dims.length === 1 ? VECTOR_TYPES : undefined;
    if (allowed && !allowed.includes(tensor.type)) {
      throw new ModelFileError(tensor.source.name, `tensor "${name}" has type ${tensorTypeName(tensor.type)}; it should be ${allowed.map(tensorTypeName).join(' or ')}`);
    }
  }
  for (const tensor of tensors.values()) {
    if (!shapes.has(tensor.name)) {
      const why = tensor.name === 'output.weight' ? 'the config ties the output to token_embd' : `a ${config.architecture} model as configured has no such tensor`;
      throw new ModelFileError(tensor.source.name, `unexpected tensor "${tensor.name}": ${why}`);
    }
  }
}
