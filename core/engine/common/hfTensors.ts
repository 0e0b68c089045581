// Hugging Face safetensors tensors in the engine's terms: Llama-family tensor names renamed to
// their GGUF names, PyTorch shapes [out, in] turned into ggml dims [in, out], and F32/F16/BF16
// dtypes to TensorTypes. The weights stay in their files as byte ranges.

import { ModelFileError } from '../../base/common/errors.js';
import type { ModelConfig, TensorRef } from './modelConfig.js';
import { TensorType } from './tensorTypes.js';
import { HF_MODEL_TYPES } from './hfConfig.js';
import type { SafetensorsModelTensor } from './safetensors/safetensorsShards.js';

const HF_GLOBAL_TENSORS: Readonly<Record<string, string>> = {
  'model.embed_tokens.weight': 'token_embd.weight',
  'model.norm.weight': 'output_norm.weight',
  'lm_head.weight': 'output.weight',
};

const HF_LAYER_TENSORS: Readonly<Record<string, string>> = {
  'input_layernorm.weight': 'attn_norm.weight',
  'self_attn.q_proj.weight': 'attn_q.weight',
  'self_attn.k_proj.weight': 'attn_k.weight',
  'self_attn.v_proj.weight': 'attn_v.weight',
  'self_attn.q_proj.bias': 'attn_q.bias',
  'self_attn.k_proj.bias': 'attn_k.bias',
  'self_attn.v_proj.bias': 'attn_v.bias',
  'self_attn.o_proj.weight': 'attn_output.weight',
  'self_attn.o_proj.bias': 'attn_output.bias',
  'post_attention_layernorm.weight': 'ffn_norm.weight',
  'mlp.gate_proj.weight': 'ffn_gate.weight',
  'mlp.up_proj.weight': 'ffn_up.weight',
  'mlp.down_proj.weight': 'ffn_down.weight',
};

/** The GGUF name of a Hugging Face Llama-family tensor name, or undefined if it has none. */
export function hfTensorName(name: string): string | undefined {
  if (Object.hasOwn(HF_GLOBAL_TENSORS, name)) return HF_GLOBAL_TENSORS[name];
  const match = /^model\.layers\.(0|[1-9]\d{0,5})\.(.+)$/.exec(name);
  if (!match || !Object.hasOwn(HF_LAYER_TENSORS, match[2])) return undefined;
  return `blk.${match[1]}.${HF_LAYER_TENSORS[match[2]]}`;
}

const HF_DTYPES: Readonly<Record<string, TensorType>> = { F32: TensorType.F32, F16: TensorType.F16, BF16: TensorType.BF16 };

/** The safetensors tensors of a model as TensorRefs with GGUF names and ggml dims. */
export function hfTensorRefs(tensors: ReadonlyMap<string, SafetensorsModelTensor>, config: ModelConfig): Map<string, TensorRef> {
  const refs = new Map<string, TensorRef>();
  for (const tensor of tensors.values()) {
    // Buffers some checkpoints save, and the head that tie_word_embeddings replaces.
    if (tensor.name.endsWith('.rotary_emb.inv_freq') || (config.tiedOutput && tensor.name === 'lm_head.weight')) continue;
    const name = hfTensorName(tensor.name);
    if (!name) throw new ModelFileError(tensor.source.name, `tensor "${tensor.name}" is not part of a Llama-family model (${HF_MODEL_TYPES.join(', ')})`);
    const type = Object.hasOwn(HF_DTYPES, tensor.dtype) ? HF_DTYPES[tensor.dtype] : undefined;
    if (type === undefined) {
      throw new ModelFileError(tensor.source.name, `tensor "${tensor.name}" has dtype ${tensor.dtype}, which is not supported. Should be one of: ${Object.keys(HF_DTYPES).join(', ')}`);
    }
    const dims = [...tensor.shape].reverse(); // PyTorch [out, in] -> ggml [in, out]
    refs.set(name, { name, type, dims, source: tensor.source, offset: tensor.offset, byteLength: tensor.byteLength });
  }
  return refs;
}
