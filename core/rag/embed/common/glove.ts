// GloVe word vectors as a static embedder: the vectors of a text's known words, averaged (plain,
// or weighted by SIF, a / (a + p(word)) with p from the table's frequency order by Zipf's law),
// then L2-normalized. The files are vectors.f16.bin (rows x dimension little-endian halves, most
// frequent word first) and vocab.txt (one word per line, same order).

import { ModelFileError } from '../../../base/common/errors.js';
import { decodeFloat16 } from './float16.js';
import { StaticEmbedder, type StaticTable } from './StaticEmbedder.js';
import { createWordTokenizer } from './wordTokenizer.js';

/** How word vectors are averaged. */
export type GloveWeighting = 'mean' | 'sif';

/** Words used per text. */
export const GLOVE_MAX_TOKENS = 2048;

/** SIF's smoothing constant `a`: 1e-4 was best of 1e-2..3e-6 on SciFact training queries (see README). */
export const DEFAULT_SIF_A = 1e-4;

/** Options of a GloVe embedder. */
export interface GloveOptions {
  /** The embedder id to report. */
  readonly id: string;
  /** Default 'sif' (measured better than the plain mean on SciFact training queries; see README). */
  readonly weighting?: GloveWeighting;
  /** SIF's `a`. Default DEFAULT_SIF_A. */
  readonly sifA?: number;
  /** Words per text. Default GLOVE_MAX_TOKENS. */
  readonly maxTokens?: number;
}

/** The GloVe files' contents; names are for errors. */
export interface GloveFiles {
  readonly vectors: Uint8Array;
  readonly vectorsFile: string;
  readonly vocabulary: string;
  readonly vocabularyFile: string;
}

/** Builds a GloVe embedder from the contents of its two files. */
export function createGloveEmbedder(files: GloveFiles, options: GloveOptions): StaticEmbedder {
  const words = files.vocabulary.split('\n').map((w) => w.replace(/\r$/, ''));
  while (words.length && words[words.length - 1] === '') words.pop();
  const rows = words.length;
  if (rows === 0) throw new ModelFileError(files.vocabularyFile, 'has no words');
  if (files.vectors.length % (2 * rows) !== 0) {
    throw new ModelFileError(files.vectorsFile, `${files.vectors.length} bytes is not ${rows} rows (${files.vocabularyFile}) of f16 vectors`);
  }
  const vocabulary = new Map<string, number>();
  words.forEach((word, row) => {
    if (!vocabulary.has(word)) vocabulary.set(word, row);
  });
  const weighting = options.weighting ?? 'sif';
  const table: StaticTable = {
    vectors: decodeFloat16(files.vectors),
    rows,
    dimension: files.vectors.length / (2 * rows),
    weights: weighting === 'sif' ? sifWeights(rows, options.sifA ?? DEFAULT_SIF_A) : undefined,
  };
  const maxTokens = options.maxTokens ?? GLOVE_MAX_TOKENS;
  return new StaticEmbedder({ id: options.id, table, tokenizer: createWordTokenizer(vocabulary, maxTokens), maxTokens, normalize: true });
}

/** SIF weights a / (a + p(rank)) with Zipf's p(rank) = 1 / ((rank + 1) H(rows)). */
export function sifWeights(rows: number, a: number): Float32Array {
  let harmonic = 0;
  for (let k = 1; k <= rows; k++) harmonic += 1 / k;
  const weights = new Float32Array(rows);
  for (let rank = 0; rank < rows; rank++) weights[rank] = a / (a + 1 / ((rank + 1) * harmonic));
  return weights;
}
