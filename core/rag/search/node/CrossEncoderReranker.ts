// A cross-encoder reranker through transformers.js: a sequence-classification ONNX model (an
// MS MARCO MiniLM cross-encoder, bge-reranker, ...) reads each (query, passage) pair and its
// relevance logit is the score. Local model folders only: Pinpoint never downloads at search time.
//
// UNTESTED: no cross-encoder model is installed on the machines this was written on, and a fake
// model would prove nothing about the real one. The code path is kept so that a user who has a
// model folder can turn reranking on; the Retriever's reranker hook itself is tested with a
// plain scoring function.

import { AutoModelForSequenceClassification, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import { throwIfAborted } from '../../../base/common/errors.js';
import type { Reranker } from '../common/reranker.js';

/** Options of {@link CrossEncoderReranker.create}. */
export interface CrossEncoderOptions {
  /** ONNX weights variant; default "fp32". */
  readonly dtype?: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';
  /** Tokens per (query, passage) pair; default 512. */
  readonly maxLength?: number;
  /** Pairs per forward pass; default 16. */
  readonly batchSize?: number;
}

/** Reranks with a local cross-encoder model folder (config.json, tokenizer.json, onnx/model*.onnx). */
export class CrossEncoderReranker implements Reranker {
  private constructor(
    readonly id: string,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly options: CrossEncoderOptions,
  ) {}

  /** Loads the model in `folder` (no network). */
  static async create(folder: string, options: CrossEncoderOptions = {}): Promise<CrossEncoderReranker> {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained(folder, { local_files_only: true });
    const model = await AutoModelForSequenceClassification.from_pretrained(folder, { local_files_only: true, dtype: options.dtype ?? 'fp32' });
    return new CrossEncoderReranker(`cross-encoder:${folder}?dtype=${options.dtype ?? 'fp32'}`, tokenizer, model, options);
  }

  async score(query: string, passages: readonly string[], signal?: AbortSignal): Promise<number[]> {
    const scores: number[] = [];
    const batch = this.options.batchSize ?? 16;
    for (let start = 0; start < passages.length; start += batch) {
      throwIfAborted(signal, 'reranking');
      const slice = passages.slice(start, start + batch);
      const inputs = this.tokenizer(new Array<string>(slice.length).fill(query), {
        text_pair: [...slice],
        padding: true,
        truncation: true,
        max_length: this.options.maxLength ?? 512,
      });
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
