// One encodeX() per kernel: picks the variant (defines), fills its Params in the order of the
// .wgsl struct, binds its buffers (uniform, read-only, read-write) and records the dispatch.
// Shapes are checked by the backend before these are called.

import type { ModelConfig } from '../modelConfig.js';
import { TENSOR_TYPES, TensorType } from '../tensorTypes.js';
import type { CommandRecorder } from './CommandRecorder.js';
import type { GpuBuffer } from './GpuBuffers.js';
import type { GpuCapabilities } from './gpuDevice.js';
import { MAX_GROUPS_PER_DIMENSION } from './gpuConstants.js';
import type { PipelineCache } from './PipelineCache.js';
import type { ShaderDefines } from './shaderPreprocessor.js';
import type { GpuKvCache, GpuTensor, GpuWeight, GpuWeightChunk } from './gpuTypes.js';

/** Activation formats of the dot products (quantize_act.wgsl variants); F32 means none. */
export type InputFormat = 'F32' | 'ROUND_F16' | 'ROUND_BF16' | 'Q8_0' | 'Q8_K';

export function inputFormat(type: TensorType): InputFormat {
  switch (type) {
    case TensorType.F32: return 'F32';
    case TensorType.F16: return 'ROUND_F16';
    case TensorType.BF16: return 'ROUND_BF16';
    case TensorType.Q8_0: case TensorType.Q4_0: return 'Q8_0';
    default: return 'Q8_K';
  }
}

/** Defines selecting a weight type in dequant.wgsl (and HALF_WEIGHTS for f16 and bf16 in gemv_units.wgsl). */
export function typeDefines(type: TensorType): Record<string, true> {
  const name = `TYPE_${TENSOR_TYPES[type].name.toUpperCase()}`;
  if (TENSOR_TYPES[type].blockSize > 1) return { [name]: true, QUANTIZED: true };
  return type === TensorType.F16 || type === TensorType.BF16 ? { [name]: true, HALF_WEIGHTS: true } : { [name]: true };
}

/** GEMV units (weights per thread step) by type; rows must be a multiple. */
const GEMV_UNIT: Partial<Record<TensorType, number>> = {
  [TensorType.F32]: 4, [TensorType.F16]: 8, [TensorType.BF16]: 8, [TensorType.Q8_0]: 32,
  [TensorType.Q4_0]: 32, [TensorType.Q4_K]: 64, [TensorType.Q6_K]: 32,
};

/** Tokens up to which a matmul is a GEMV per token (decode) rather than tiled. */
export const GEMV_MAX_TOKENS = 4;

/** Keys per split of decode attention. */
export const ATTENTION_SPLIT = 256;

/** Query and key block sizes of flash attention by head size (workgroup memory <= 32 KiB). */
export function flashBlocks(headDim: number): { bq: number; bk: number } {
  if (headDim <= 64) return { bq: 16, bk: 32 };
  if (headDim <= 128) return { bq: 16, bk: 16 };
  return { bq: 8, bk: 8 };
}

/** A grid of `groups` workgroups as (x, y) with x <= 65535. */
function grid(groups: number): [number, number] {
  const x = Math.min(Math.max(groups, 1), MAX_GROUPS_PER_DIMENSION);
  return [x, Math.ceil(groups / x)];
}

export class KernelEncoder {
  constructor(
    private readonly recorder: CommandRecorder,
    private readonly pipelines: PipelineCache,
    private readonly capabilities: GpuCapabilities,
  ) {}

  embed(out: GpuTensor, table: GpuWeight, idsOffset: number, tokens: number): void {
    const n = table.dims[0];
    for (const c of table.chunks) {
      const kernel = this.pipelines.get('embed', typeDefines(table.type));
      this.recorder.dispatch(kernel, [c.buffer, this.recorder.hostData, out.buffer], [Math.ceil(n / 256), tokens], (p) => {
        p.u32.set([n, tokens, idsOffset, out.offset, c.rowStart, c.rows, c.blocks]);
      });
    }
  }

  quantize(format: Exclude<InputFormat, 'F32'>, x: GpuTensor, rows: number, out: GpuBuffer): void {
    const n = x.cols;
    const count = n * rows;
    const groups = format === 'Q8_K' ? count / 256 : format === 'Q8_0' ? Math.ceil(count / 32 / 64) : Math.ceil(count / 256);
    const defines: ShaderDefines = format.startsWith('ROUND') ? { ROUND: true, [format]: true } : { [format]: true };
    this.recorder.dispatch(this.pipelines.get('quantizeAct', defines), [x.buffer, out], grid(groups), (p) => {
      p.u32.set([n, rows, x.offset, 0]);
    });
  }

  rmsNorm(out: GpuTensor, x: GpuTensor, weight: GpuWeight, rows: number, eps: number, residual?: GpuTensor): void {
    const w = weight.chunks[0].buffer;
    const bindings = residual ? [residual.buffer, w, x.buffer, out.buffer] : [x.buffer, w, out.buffer];
    this.recorder.dispatch(this.pipelines.get('rmsNorm', residual ? { ADD: true } : {}), bindings, [rows], (p) => {
      p.u32.set([x.cols, rows, x.offset, residual?.offset ?? 0, out.offset]);
      p.f32[5] = eps;
    });
  }

  /** Rotates x in place; with `store`, also writes x (as k) and v to the cache of `store.layer`. */
  rope(x: GpuTensor, rows: number, heads: number, config: ModelConfig, ropeDim: number, tableOffset: number,
    store?: { cache: GpuKvCache; layer: number; v: GpuTensor; pos0: number }): void {
    const defines: ShaderDefines = store ? { STORE_KV: true, ...(store.cache.layout.type === 'f16' ? { KV_F16: true } : {}) } : {};
    const host = this.recorder.hostData;
    const bindings = store ? [host, store.v.buffer, x.buffer, store.cache.keys[store.layer], store.cache.values[store.layer]] : [host, x.buffer];
    this.recorder.dispatch(this.pipelines.get('rope', defines), bindings, [heads, rows], (p) => {
      p.u32.set([rows, heads, config.headDim, ropeDim, config.ropeStyle === 'neox' ? 1 : 0, x.offset, tableOffset,
        store?.pos0 ?? 0, store?.cache.layout.capacity ?? 0, store?.v.offset ?? 0]);
    });
  }

  elementwise(op: 'ADD' | 'ADD_BIAS' | 'SILU_MUL', x: GpuTensor, y: GpuBuffer, yOffset: number, rows: number): void {
    this.recorder.dispatch(this.pipelines.get('elementwise', { [op]: true }), [y, x.buffer], grid(Math.ceil((x.cols * rows) / 256)), (p) => {
      p.u32.set([x.cols, rows, x.offset, yOffset]);
    });
  }

  /** out[t][chunk rows] = W x[t]; x is a buffer of rows of n values from element xOffset. */
  matmul(weight: GpuWeight, x: GpuBuffer, xOffset: number, out: GpuTensor, rows: number): void {
    const n = weight.dims[0];
    const unit = GEMV_UNIT[weight.type] ?? 0;
    const gemv = rows <= GEMV_MAX_TOKENS && unit > 0 && n % unit === 0 && xOffset % 4 === 0;
    for (const c of weight.chunks) {
      const fill = (p: { u32: Uint32Array }) => p.u32.set([n, c.rows, rows, xOffset, out.offset, out.cols, c.rowStart, c.blocks]);
      if (gemv) this.gemv(weight.type, c, x, out, rows, fill);
      else this.recorder.dispatch(this.pipelines.get('matmul', typeDefines(weight.type)), [c.buffer, x, out.buffer], [Math.ceil(c.rows / 64), Math.ceil(rows / 64)], fill);
    }
  }

  private gemv(type: TensorType, c: GpuWeightChunk, x: GpuBuffer, out: GpuTensor, rows: number, fill: (p: { u32: Uint32Array }) => void): void {
    const defines = { ...typeDefines(type), ...(this.capabilities.subgroups ? { SUBGROUPS: true as const } : {}) };
    const [gx, gy] = grid(Math.ceil(c.rows / 4)); // gemv.wgsl ROWS
    this.recorder.dispatch(this.pipelines.get('gemv', defines), [c.buffer, c.buffer, x, out.buffer], [gx, gy, rows], fill);
  }

  /** Causal attention of `rows` queries from pos0; split-KV decode for a few rows, flash attention otherwise. */
  attention(cache: GpuKvCache, layer: number, q: GpuTensor, out: GpuTensor, pos0: number, rows: number, spansOffset: number): void {
    const { headDim, capacity, queryGroup, type } = cache.layout;
    const heads = q.cols / headDim;
    const kv: ShaderDefines = type === 'f16' ? { KV_F16: true } : {};
    const scale = 1 / Math.sqrt(headDim);
    const bindings = [q.buffer, cache.keys[layer], cache.values[layer]];
    if (rows <= GEMV_MAX_TOKENS) {
      const splits = Math.ceil((pos0 + rows) / ATTENTION_SPLIT);
      const split = this.pipelines.get('attentionSplit', { HEAD_DIM: headDim, SPLIT: ATTENTION_SPLIT, ...kv });
      this.recorder.dispatch(split, [...bindings, cache.partials], [splits, heads, rows], (p) => {
        p.u32.set([rows, pos0, heads, queryGroup, capacity, q.offset, splits]);
        p.f32[7] = scale;
      });
      const reduce = this.pipelines.get('attentionReduce', { HEAD_DIM: headDim });
      this.recorder.dispatch(reduce, [cache.partials, out.buffer], [heads, rows], (p) => p.u32.set([rows, heads, splits, out.offset]));
      return;
    }
    const { bq, bk } = flashBlocks(headDim);
    const flash = this.pipelines.get('flashAttention', { HEAD_DIM: headDim, BQ: bq, BK: bk, ...kv });
    this.recorder.dispatch(flash, [...bindings, this.recorder.hostData, out.buffer], [Math.ceil(rows / bq), heads], (p) => {
      p.u32.set([rows, pos0, heads, queryGroup, capacity, q.offset, out.offset, spansOffset]);
      p.f32[8] = scale;
    });
  }

  topK(logits: GpuTensor, rows: number, k: number, out: GpuBuffer): void {
    this.recorder.dispatch(this.pipelines.get('topK', {}), [logits.buffer, out], [rows], (p) => p.u32.set([logits.cols, k, logits.offset, 0]));
  }
}
