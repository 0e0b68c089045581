// A cross-encoder reranker through transformers.js: a sequence-classification ONNX model (an
// MS MARCO MiniLM cross-encoder, bge-reranker, ...) reads each (query, passage) pair and its
// relevance logit is the score. Local model folders only: Pinpoint never downloads at search time.
// It runs in the caller's thread, not in a worker as the ONNX embedder does.
//
// A pair longer than maxLength is cut the way Hugging Face's "longest_first" truncation cuts it
// (the longer text loses tokens first, the closing separator stays), not by transformers.js,
// which only drops the tail of the encoded pair: a long query would push the whole passage out
// and every candidate would score the same.
//
// Tested (test/core/rag/search/CrossEncoderReranker.test.ts) on a real ONNX sequence-
// classification folder generated from GloVe (test/fixtures/embed/crossEncoderOnnxModel.ts), not
// a fake transformers.js: scores equal a TypeScript reference in padded batches and across
// batches, truncation, the one- and two-label heads, cancellation, bad folders, and reranking
// through the Retriever. NOT measured: the ranking quality of a real pretrained cross-encoder
// (none can be downloaded on the machines this was written on), its dtype variants, and speed.

import { AutoModelForSequenceClassification, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import { join } from 'node:path';
import { ArgumentError, ModelFileError, throwIfAborted } from '../../../base/common/errors.js';
import { inspectOnnxFolder, type OnnxModelSource } from '../../embed/node/onnxModelSource.js';
import type { Reranker } from '../common/reranker.js';

/** Options of {@link CrossEncoderReranker.create}. */
export interface CrossEncoderOptions {
  /** ONNX weights variant; default "fp32" when the folder has it. */
  readonly dtype?: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';
  /** Tokens per (query, passage) pair, special tokens included; default 512 (at most the model's). */
  readonly maxLength?: number;
  /** Pairs per forward pass; default 16. */
  readonly batchSize?: number;
}

/**
 * Token counts of a pair cut to `budget` (Hugging Face's "longest_first"): unchanged when they
 * fit; else the longer keeps max(budget - shorter, half the budget) and the shorter the rest.
 */
export function fitPair(first: number, second: number, budget: number): [number, number] {
  if (first + second <= budget) return [first, second];
  const longer = Math.max(budget - Math.min(first, second), Math.ceil(budget / 2));
  return first > second ? [longer, budget - longer] : [budget - longer, longer];
}

/**
 * Checks, without loading the model, that `folder` holds an ONNX sequence-classification model
 * (what {@link CrossEncoderReranker.create} checks first); returns what inspectOnnxFolder found.
 * @throws ArgumentError for a missing folder or ONNX file; ModelFileError for a missing tokenizer or config, or another architecture.
 */
export async function inspectCrossEncoderFolder(folder: string, dtype?: string): Promise<OnnxModelSource> {
  const source = await inspectOnnxFolder(folder, dtype);
  const architectures = source.config.architectures;
  if (Array.isArray(architectures) && !architectures.some((a) => /ForSequenceClassification$/.test(String(a)))) {
    throw new ModelFileError(join(folder, 'config.json'), `architectures is ${architectures.join(', ')}: not a sequence-classification (cross-encoder) model`);
  }
  return source;
}

/** Reranks with a local cross-encoder model folder (config.json, tokenizer.json, onnx/model*.onnx). */
export class CrossEncoderReranker implements Reranker {
  private constructor(
    readonly id: string,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    /** Tokens per pair, special tokens included. */
    private readonly maxLength: number,
    /** Tokens per pair left for the two texts. */
    private readonly budget: number,
    private readonly batchSize: number,
  ) {}

  /** Loads the model in `folder` (no network); a folder that is not a cross-encoder fails here. */
  static async create(folder: string, options: CrossEncoderOptions = {}): Promise<CrossEncoderReranker> {
    const source = await inspectCrossEncoderFolder(folder, options.dtype);
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained(folder, { local_files_only: true });
    const maxLength = Math.min(options.maxLength ?? 512, tokenizer.model_max_length ?? Infinity);
    // ('' would not do: an empty text_pair counts as no pair.)
    const specials = tokenizer.encode('a', { text_pair: 'a' }).length - 2 * tokenizer.encode('a', { add_special_tokens: false }).length;
    if (!(maxLength > specials)) throw new ArgumentError(`maxLength should leave room for text after the ${specials} special tokens of a pair, not ${maxLength}`);
    const model = await AutoModelForSequenceClassification.from_pretrained(folder, { local_files_only: true, dtype: source.dtype as 'fp32', subfolder: source.subfolder });
    const id = `cross-encoder:${source.name}@${source.version}?dtype=${source.dtype}&maxLength=${maxLength}`;
    return new CrossEncoderReranker(id, tokenizer, model, maxLength, maxLength - specials, options.batchSize ?? 16);
  }

  /** The pair's texts, cut by {@link fitPair} when their tokens do not fit. */
  private fit(query: string, queryIds: number[], passage: string): [string, string] {
    const passageIds = this.tokenizer.encode(passage, { add_special_tokens: false });
    const [q, p] = fitPair(queryIds.length, passageIds.length, this.budget);
    const cut = (text: string, ids: number[], keep: number) => (keep < ids.length ? this.tokenizer.decode(ids.slice(0, keep)) : text);
    return [cut(query, queryIds, q), cut(passage, passageIds, p)];
  }

  async score(query: string, passages: readonly string[], signal?: AbortSignal): Promise<number[]> {
    const scores: number[] = [];
    const queryIds = this.tokenizer.encode(query, { add_special_tokens: false });
    for (let start = 0; start < passages.length; start += this.batchSize) {
      throwIfAborted(signal, 'reranking');
      const pairs = passages.slice(start, start + this.batchSize).map((p) => this.fit(query, queryIds, p));
      // Truncation stays on in case a cut text encodes to a token more than it decoded from.
      const inputs = this.tokenizer(pairs.map(([q]) => q), { text_pair: pairs.map(([, p]) => p), padding: true, truncation: true, max_length: this.maxLength });
      const { logits } = (await this.model(inputs)) as { logits: Tensor };
      const [rows, labels] = logits.dims;
      const data = logits.data as Float32Array;
      // One label: the relevance logit. Two: the "relevant" logit minus the other.
      for (let i = 0; i < rows; i++) scores.push(labels === 1 ? data[i] : data[i * labels + labels - 1] - data[i * labels]);
    }
    return scores;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
