// Hugging Face tokenizers for the embedders, built by transformers.js from a tokenizer.json
// already read into memory (never fetched): WordPiece, BPE and Unigram models with their
// normalizers, pre-tokenizers and post-processors, exactly as the model was trained with.

import { PreTrainedTokenizer } from '@huggingface/transformers';
import { ModelFileError } from '../../../base/common/errors.js';

/** The parsed tokenizer.json fields read here. */
interface TokenizerJson {
  model?: { type?: string; unk_token?: unknown; unk_id?: unknown };
}

/**
 * A transformers.js tokenizer from the contents of tokenizer.json (and tokenizer_config.json,
 * or `{}` when the model has none). `file` names the file in errors.
 */
export function tokenizerFromJson(json: unknown, config: Record<string, unknown>, file: string): PreTrainedTokenizer {
  if (typeof json !== 'object' || json === null || !('model' in json)) throw new ModelFileError(file, 'not a tokenizer.json (no "model" object)');
  try {
    return new PreTrainedTokenizer(json, config);
  } catch (error) {
    throw new ModelFileError(file, `transformers.js cannot build this tokenizer: ${(error as Error).message}`);
  }
}

/** Id of the unknown token named by tokenizer.json's model (`unk_token` or Unigram's `unk_id`). */
export function unknownTokenId(json: unknown, tokenizer: PreTrainedTokenizer): number | undefined {
  const model = (json as TokenizerJson).model ?? {};
  if (typeof model.unk_token === 'string') return tokenizer.get_vocab().get(model.unk_token);
  if (Number.isInteger(model.unk_id)) return model.unk_id as number;
  return undefined;
}

/** Number of token ids (largest id + 1) and model2vec's median token length in characters. */
export function vocabularyStats(tokenizer: PreTrainedTokenizer): { size: number; medianTokenLength: number } {
  const vocabulary = tokenizer.get_vocab();
  let size = 0;
  const lengths: number[] = [];
  for (const [token, id] of vocabulary) {
    size = Math.max(size, id + 1);
    lengths.push([...token].length);
  }
  lengths.sort((a, b) => a - b);
  const middle = lengths.length >> 1;
  // numpy's median (mean of the two middle values for an even count), truncated as int() does.
  const median = lengths.length === 0 ? 1 : lengths.length % 2 ? lengths[middle] : (lengths[middle - 1] + lengths[middle]) / 2;
  return { size, medianTokenLength: Math.max(1, Math.trunc(median)) };
}
