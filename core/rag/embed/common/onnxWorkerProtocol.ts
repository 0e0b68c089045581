// The messages between an OnnxEmbedder and its worker thread, typed and checked on arrival:
// a message of the wrong shape is a bug on one side, reported as a BugIndicatingError rather
// than acted on. One request embeds a list of texts; the worker answers with one f32 buffer
// holding the vectors back to back (transferred, not copied), or that it stopped (cancelled).

import { BugIndicatingError } from '../../../base/common/errors.js';
import type { Pooling } from './knownModels.js';

/** What the worker is started with (its workerData). */
export interface OnnxWorkerInit {
  /** Absolute model folder, or hub id when `local` is false. */
  readonly model: string;
  readonly local: boolean;
  /** Hub revision (branch, tag or commit). */
  readonly revision?: string;
  /** transformers.js dtype (fp32, fp16, q8, ...): which onnx/model*.onnx file is loaded. */
  readonly dtype: string;
  /** Folder of the .onnx files inside the model ('onnx', or '' for the model's root). */
  readonly subfolder: string;
  readonly pooling: Pooling;
  readonly normalize: boolean;
  /** Longest sequence given to the model, special tokens included; longer input is truncated. */
  readonly maxLength: number;
  /** Texts per forward pass. */
  readonly batchSize: number;
  /** onnxruntime intra-op threads; undefined lets onnxruntime choose. */
  readonly threads?: number;
  /** transformers.js cache folder for hub downloads. */
  readonly cacheDir?: string;
  /** Hub host (transformers.js env.remoteHost), e.g. a mirror. */
  readonly remoteHost?: string;
}

/** Main thread -> worker. */
export type ToWorker =
  | { readonly type: 'embed'; readonly requestId: number; readonly texts: readonly string[] }
  | { readonly type: 'cancel'; readonly requestId: number };

/** Worker -> main thread. */
export type FromWorker =
  | { readonly type: 'ready'; readonly dimension: number }
  | { readonly type: 'result'; readonly requestId: number; readonly dimension: number; readonly vectors: Float32Array }
  | { readonly type: 'cancelled'; readonly requestId: number }
  | { readonly type: 'error'; readonly requestId: number | null; readonly message: string };

type Fields = Record<string, unknown>;

function fail(what: string, value: unknown): never {
  throw new BugIndicatingError(`malformed ${what}: ${JSON.stringify(value)?.slice(0, 200)}`);
}

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Checks a message received by the worker. */
export function parseToWorker(value: unknown): ToWorker {
  const m = value as Fields;
  if (m?.type === 'embed' && isId(m.requestId) && Array.isArray(m.texts) && m.texts.every((t) => typeof t === 'string')) return m as ToWorker;
  if (m?.type === 'cancel' && isId(m.requestId)) return m as ToWorker;
  return fail('message to the embedding worker', value);
}

/** Checks a message received from the worker. */
export function parseFromWorker(value: unknown): FromWorker {
  const m = value as Fields;
  switch (m?.type) {
    case 'ready':
      if (isId(m.dimension) && m.dimension > 0) return m as FromWorker;
      break;
    case 'result':
      if (isId(m.requestId) && isId(m.dimension) && m.vectors instanceof Float32Array && m.vectors.length % Math.max(m.dimension, 1) === 0) return m as FromWorker;
      break;
    case 'cancelled':
      if (isId(m.requestId)) return m as FromWorker;
      break;
    case 'error':
      if ((m.requestId === null || isId(m.requestId)) && typeof m.message === 'string') return m as FromWorker;
      break;
  }
  return fail('message from the embedding worker', value instanceof Object ? { ...m, vectors: undefined } : value);
}

/** Checks the worker's start data. */
export function parseWorkerInit(value: unknown): OnnxWorkerInit {
  const m = value as Fields;
  const ok =
    typeof m?.model === 'string' && typeof m.local === 'boolean' && typeof m.dtype === 'string' && typeof m.subfolder === 'string' &&
    (m.pooling === 'mean' || m.pooling === 'cls' || m.pooling === 'last') && typeof m.normalize === 'boolean' &&
    isId(m.maxLength) && isId(m.batchSize) && (m.batchSize as number) > 0 && (m.threads === undefined || isId(m.threads));
  return ok ? (m as unknown as OnnxWorkerInit) : fail('embedding worker start data', value);
}
