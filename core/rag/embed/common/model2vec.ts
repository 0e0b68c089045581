// model2vec static models (MinishLab): a safetensors table of token vectors plus a Hugging Face
// tokenizer. The rules follow the reference implementations (model2vec, model2vec-rs):
// - the table is tensor "embeddings" ("0" in old files, "embedding.weight" in the
//   sentence-transformers layout), f32, f16, bf16 or i8; an optional "scales" tensor (one per
//   row, or one for all) multiplies i8 rows back to their range;
// - vocabulary quantization: optional "mapping" (token id -> row) and "weights" (token id ->
//   scale of its row in the mean);
// - text is cut to maxTokens x the median token length in characters, tokenized without
//   special tokens, unknown tokens dropped, truncated to maxTokens (512) tokens;
// - the vector is the mean of the (weighted) rows, L2-normalized when config `normalize` is true.

import type { ByteSource } from '../../../base/common/byteSource.js';
import { ModelFileError } from '../../../base/common/errors.js';
import { tokenizerFromJson, unknownTokenId, vocabularyStats } from './hfTokenizer.js';
import { readSafetensorsHeader, readTensorAsFloat32, readTensorAsInt32, type SafetensorsHeader } from './safetensors.js';
import { StaticEmbedder, checkStaticTable, type StaticTable, type StaticTokenizer } from './StaticEmbedder.js';

/** model2vec's default `max_length`: tokens used per text. */
export const MODEL2VEC_MAX_TOKENS = 512;

/** Names the embedding matrix may have, in the order the reference loaders try them. */
const TABLE_NAMES = ['embeddings', '0', 'embedding.weight'];

/** The files of a model2vec model, already opened or parsed. */
export interface Model2VecFiles {
  /** model.safetensors. */
  readonly model: ByteSource;
  /** Parsed tokenizer.json, and its path for errors. */
  readonly tokenizerJson: unknown;
  readonly tokenizerFile: string;
  /** Parsed config.json (or config_sentence_transformers.json); `normalize` is read from it. */
  readonly config: Record<string, unknown>;
}

/** Options of a model2vec embedder. */
export interface Model2VecOptions {
  /** The embedder id to report. */
  readonly id: string;
  /** Tokens per text. Default MODEL2VEC_MAX_TOKENS. */
  readonly maxTokens?: number;
  /** Overrides config `normalize` (model2vec's own default when absent: false). */
  readonly normalize?: boolean;
}

/** Builds a model2vec embedder from its files. */
export async function createModel2VecEmbedder(files: Model2VecFiles, options: Model2VecOptions): Promise<StaticEmbedder> {
  const maxTokens = options.maxTokens ?? MODEL2VEC_MAX_TOKENS;
  const tokenizer = tokenizerFromJson(files.tokenizerJson, {}, files.tokenizerFile);
  const { size, medianTokenLength } = vocabularyStats(tokenizer);
  const table = await readModel2VecTable(files.model);
  const problem = checkStaticTable(table, size);
  if (problem) throw new ModelFileError(files.model.name, `does not fit ${files.tokenizerFile}: ${problem}`);
  const unknownId = unknownTokenId(files.tokenizerJson, tokenizer);
  const maxCharacters = maxTokens * medianTokenLength;
  const staticTokenizer: StaticTokenizer = {
    encode(text) {
      const ids = tokenizer.encode(cutCharacters(text, maxCharacters), { add_special_tokens: false });
      const known = unknownId === undefined ? ids : ids.filter((id) => id !== unknownId);
      return known.length > maxTokens ? known.slice(0, maxTokens) : known;
    },
    count: (text) => tokenizer.encode(text, { add_special_tokens: false }).length,
  };
  const normalize = options.normalize ?? files.config.normalize === true;
  return new StaticEmbedder({ id: options.id, table, tokenizer: staticTokenizer, maxTokens, normalize });
}

/** Reads the token-vector table (with its optional scales, mapping and weights). */
export async function readModel2VecTable(source: ByteSource): Promise<StaticTable> {
  const header = await readSafetensorsHeader(source);
  const name = TABLE_NAMES.find((n) => header.tensors.has(n));
  if (!name) throw new ModelFileError(source.name, `no embedding tensor (looked for ${TABLE_NAMES.join(', ')}; found ${[...header.tensors.keys()].join(', ') || 'none'})`);
  const entry = header.tensors.get(name)!;
  if (entry.shape.length !== 2 || entry.shape[1] === 0) throw new ModelFileError(source.name, `tensor "${name}" must be 2-D (rows, dimension), not [${entry.shape.join(', ')}]`);
  const [rows, dimension] = entry.shape;
  const vectors = await readTensorAsFloat32(source, entry);
  await applyScales(source, header, vectors, rows, dimension);
  const mappingEntry = header.tensors.get('mapping');
  const weightsEntry = header.tensors.get('weights');
  const mapping = mappingEntry ? await readTensorAsInt32(source, mappingEntry) : undefined;
  const weights = weightsEntry ? await readTensorAsFloat32(source, weightsEntry) : undefined;
  return { vectors, rows, dimension, mapping, weights };
}

async function applyScales(source: ByteSource, header: SafetensorsHeader, vectors: Float32Array, rows: number, dimension: number): Promise<void> {
  const entry = header.tensors.get('scales');
  if (!entry) return;
  const scales = await readTensorAsFloat32(source, entry);
  if (scales.length !== 1 && scales.length !== rows) throw new ModelFileError(source.name, `"scales" has ${scales.length} values; needs 1 or one per row (${rows})`);
  for (let row = 0; row < rows; row++) {
    const scale = scales.length === 1 ? scales[0] : scales[row];
    for (let j = 0; j < dimension; j++) vectors[row * dimension + j] *= scale;
  }
}

/** The first `max` characters (code points) of `text`, as Python's `text[:max]`. */
function cutCharacters(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  // Count code points, not UTF-16 units, only when the text has surrogate pairs.
  if (/[\uD800-\uDBFF]/.test(text.slice(0, max))) end = [...text].slice(0, max).join('').length;
  return text.slice(0, end);
}
