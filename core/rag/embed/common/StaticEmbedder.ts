// The static embedder: a text's vector is the (weighted) mean of its tokens' rows in a table,
// then L2-normalized. model2vec models and GloVe vectors are both this, with their own
// tokenization and weights; no network, no model runtime, microseconds per text.

import { throwIfAborted } from '../../../base/common/errors.js';
import type { Embedder } from '../../common/embedder.js';
import { l2Normalize } from './vectors.js';

/** Texts embedded between two yields to the event loop, so a large batch never blocks for long. */
const TEXTS_PER_YIELD = 256;

/** A table of token vectors, with model2vec's optional per-token weights and row mapping. */
export interface StaticTable {
  /** (rows, dimension) row-major. */
  readonly vectors: Float32Array;
  readonly rows: number;
  readonly dimension: number;
  /** (vocabulary): scale of each token id's row in the mean; absent means 1. */
  readonly weights?: Float32Array;
  /** (vocabulary): row of each token id (vocabulary quantization); absent means row = id. */
  readonly mapping?: Int32Array;
}

/** Turns text into the token ids a StaticTable is indexed by. */
export interface StaticTokenizer {
  /** Ids of the tokens of `text` that have a vector, at most `maxTokens` of them. */
  encode(text: string): ArrayLike<number>;
  /** Number of tokens of `text` as the model sees them (before truncation). */
  count(text: string): number;
}

/** Everything a StaticEmbedder is made of. */
export interface StaticEmbedderParts {
  /** The embedder id (see embedderId.ts). */
  readonly id: string;
  readonly table: StaticTable;
  readonly tokenizer: StaticTokenizer;
  /** Tokens used per text; the tokenizer truncates to it. */
  readonly maxTokens: number;
  /** Whether vectors are L2-normalized (model2vec's config `normalize`; true for GloVe). */
  readonly normalize: boolean;
}

/** An Embedder over a StaticTable. Token ids are checked against the table when it is built. */
export class StaticEmbedder implements Embedder {
  readonly id: string;
  readonly dimension: number;
  readonly maxTokens: number;
  readonly normalized: boolean;
  private readonly sum: Float64Array;

  constructor(private readonly parts: StaticEmbedderParts) {
    this.id = parts.id;
    this.dimension = parts.table.dimension;
    this.maxTokens = parts.maxTokens;
    this.normalized = parts.normalize;
    this.sum = new Float64Array(this.dimension);
  }

  countTokens(text: string): number {
    return this.parts.tokenizer.count(text);
  }

  async embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i++) {
      if (i % TEXTS_PER_YIELD === 0) {
        throwIfAborted(signal, 'embedding');
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 0));
        throwIfAborted(signal, 'embedding');
      }
      out.push(this.embed(texts[i]));
    }
    return out;
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array> {
    throwIfAborted(signal, 'embedding');
    return this.embed(text);
  }

  /** The vector of one text, synchronously (tests and benchmarks). */
  embed(text: string): Float32Array {
    const { vectors, dimension, weights, mapping } = this.parts.table;
    const ids = this.parts.tokenizer.encode(text);
    const sum = this.sum.fill(0);
    for (let t = 0; t < ids.length; t++) {
      const id = ids[t];
      const base = (mapping ? mapping[id] : id) * dimension;
      const scale = weights ? weights[id] : 1;
      for (let j = 0; j < dimension; j++) sum[j] += vectors[base + j] * scale;
    }
    const out = new Float32Array(dimension);
    const count = Math.max(ids.length, 1);
    for (let j = 0; j < dimension; j++) out[j] = sum[j] / count;
    return this.normalized ? l2Normalize(out) : out;
  }

  async dispose(): Promise<void> {}
}

/**
 * Checks that every token id below `vocabularySize` reaches a row of `table` (through its
 * mapping), and that weights cover the vocabulary; returns the problem, or undefined.
 */
export function checkStaticTable(table: StaticTable, vocabularySize: number): string | undefined {
  const { rows, mapping, weights } = table;
  if (table.vectors.length !== rows * table.dimension) return `vectors hold ${table.vectors.length} values, not ${rows} x ${table.dimension}`;
  if (mapping) {
    if (mapping.length < vocabularySize) return `mapping has ${mapping.length} entries for a vocabulary of ${vocabularySize}`;
    for (let i = 0; i < mapping.length; i++) {
      if (mapping[i] < 0 || mapping[i] >= rows) return `mapping[${i}] = ${mapping[i]} is not a row (0..${rows - 1})`;
    }
  } else if (rows < vocabularySize) {
    return `${rows} vectors for a vocabulary of ${vocabularySize} tokens`;
  }
  if (weights && weights.length < vocabularySize) return `weights has ${weights.length} entries for a vocabulary of ${vocabularySize}`;
  return undefined;
}
