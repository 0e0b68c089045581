// The kernel table: every WGSL kernel of shaders/ the WebGPU backend dispatches, with its file and
// the shape of its bindings (binding 0 a uniform with a dynamic offset, then read-only storage
// buffers, then read-write ones, in that order, as every .wgsl file declares them). Exhaustive by
// construction: `satisfies Record<KernelName, KernelSpec>`.

import type { ShaderDefines } from './shaderPreprocessor.js';

export type KernelName =
  | 'embed' | 'quantizeAct' | 'rmsNorm' | 'rope' | 'elementwise' | 'matmul' | 'gemv'
  | 'flashAttention' | 'attentionSplit' | 'attentionReduce' | 'topK';

export interface KernelSpec {
  /** File in shaders/. */
  readonly file: string;
  /** Read-only and read-write storage bindings after the uniform, for a variant's defines. */
  bindings(defines: ShaderDefines): { readonly readOnly: number; readonly readWrite: number };
}

const fixed = (readOnly: number, readWrite: number) => () => ({ readOnly, readWrite });

/** Every kernel by name. */
export const KERNELS = {
  embed: { file: 'embed.wgsl', bindings: fixed(2, 1) },
  quantizeAct: { file: 'quantize_act.wgsl', bindings: fixed(1, 1) },
  rmsNorm: { file: 'rms_norm.wgsl', bindings: (d) => ('ADD' in d ? { readOnly: 2, readWrite: 2 } : { readOnly: 2, readWrite: 1 }) },
  rope: { file: 'rope.wgsl', bindings: (d) => ('STORE_KV' in d ? { readOnly: 2, readWrite: 3 } : { readOnly: 1, readWrite: 1 }) },
  elementwise: { file: 'elementwise.wgsl', bindings: fixed(1, 1) },
  matmul: { file: 'matmul.wgsl', bindings: fixed(2, 1) },
  gemv: { file: 'gemv.wgsl', bindings: fixed(3, 1) },
  flashAttention: { file: 'flash_attn.wgsl', bindings: fixed(4, 1) },
  attentionSplit: { file: 'attn_split.wgsl', bindings: fixed(3, 1) },
  attentionReduce: { file: 'attn_reduce.wgsl', bindings: fixed(1, 1) },
  topK: { file: 'top_k.wgsl', bindings: fixed(1, 1) },
} as const satisfies Record<KernelName, KernelSpec>;

/** Every .wgsl file the kernels use, includes too (what a shader library must provide). */
export const SHADER_FILES: readonly string[] = [
  'common.wgsl', 'dequant.wgsl', 'gemv_units.wgsl', 'kv_cache.wgsl', ...new Set(Object.values(KERNELS).map((k) => k.file)),
];
