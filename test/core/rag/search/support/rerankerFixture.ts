// What the tests of the reranker's wiring (CLI search and ask, the service) share: the assistant's
// fixture index (a few code and Markdown files, static GloVe embedder, corpus "docs"), the GloVe
// cross-encoder folder beside it (test/fixtures/embed/crossEncoderOnnxModel.ts), and that model's
// score in TypeScript, to check the scores results carry.

import { join } from 'node:path';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import { createFixtureIndex, type FixtureIndex } from '../../../assistant/support/assistantFixture.js';
import { crossEncoderReference, writeCrossEncoderOnnxModel } from '../../../../fixtures/embed/crossEncoderOnnxModel.js';
import { gloveTokenizerJson } from '../../../../fixtures/embed/gloveOnnxModel.js';

/** A fixture index with a cross-encoder folder. */
export interface RerankerFixture {
  readonly index: FixtureIndex;
  /** The cross-encoder model folder (absolute). */
  readonly folder: string;
  /** The model's score of (query, passage), computed in TypeScript. */
  reference(query: string, passage: string): number;
  remove(): void;
}

/** Indexes the fixture folder and writes the cross-encoder beside its database. */
export async function createRerankerFixture(): Promise<RerankerFixture> {
  const index = await createFixtureIndex();
  const folder = join(index.dbDir, '..', 'cross-encoder');
  const glove = await writeCrossEncoderOnnxModel(folder);
  const tokenizer = new PreTrainedTokenizer(gloveTokenizerJson(glove.vocabulary), {});
  const ids = (text: string) => tokenizer.encode(text, { add_special_tokens: false });
  return {
    index,
    folder,
    reference: (query, passage) => crossEncoderReference(glove, ids(query), ids(passage)),
    remove: () => index.remove(),
  };
}

/** The passage a reranker reads for a result: its context line, then its text. */
export function rerankedPassage(result: { readonly context?: string; readonly text: string }): string {
  return result.context ? `${result.context}\n${result.text}` : result.text;
}
