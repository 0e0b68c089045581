// The transformers.js cross-encoder reranker on a real ONNX sequence-classification model
// generated from GloVe (test/fixtures/embed/crossEncoderOnnxModel.ts: the cosine of the query's
// and the passage's GloVe vectors, read from one [CLS] q [SEP] p [SEP] input with token types),
// loaded from a local folder with no network: scores equal the TypeScript reference in padded
// batches and across batches; long pairs are cut longest-first; the two-label head; cancellation;
// bad folders fail at load time; and the Retriever reorders its candidates by these scores.
// What this cannot show: the quality of a real pretrained cross-encoder (none is installed).

import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import { ArgumentError, CancelledError, ModelFileError } from '../../../../core/base/common/errors.js';
import type { Chunk } from '../../../../core/rag/common/chunk.js';
import { CrossEncoderReranker, fitPair } from '../../../../core/rag/search/node/CrossEncoderReranker.js';
import { Retriever } from '../../../../core/rag/search/node/Retriever.js';
import { textToEmbed, type FileChunks } from '../../../../core/rag/store/common/schema.js';
import { ChunkStore } from '../../../../core/rag/store/node/ChunkStore.js';
import { crossEncoderReference, writeCrossEncoderOnnxModel } from '../../../fixtures/embed/crossEncoderOnnxModel.js';
import { gloveTokenizerJson, writeGloveOnnxModel, type GloveVocabulary } from '../../../fixtures/embed/gloveOnnxModel.js';
import { hashEmbedder, tempDir } from '../store/storeFixtures.js';

const QUERY = 'the king and the queen';
const PASSAGES = [
  'A prince and a princess lived in the royal palace.',
  'The recipe needs flour, sugar and two eggs.',
  'king',
  '',
  'zzqxj qqvbw',
  'Interest rates rose sharply this quarter, and the stock market fell while the central bank kept its policy unchanged for another year.',
  'The queen spoke to the king.',
];

const temp = tempDir('pinpoint-cross-encoder-');
let glove: GloveVocabulary;
let tokenizer: PreTrainedTokenizer;
let reranker: CrossEncoderReranker;

const ids = (text: string) => tokenizer.encode(text, { add_special_tokens: false });
const reference = (query: string, passage: string) => crossEncoderReference(glove, ids(query), ids(passage));

function assertScores(actual: readonly number[], expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: count`);
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i])));
  assert.ok(worst <= 1e-4, `${what}: max abs difference ${worst.toExponential(2)} > 1e-4 (${actual.join(', ')} vs ${expected.join(', ')})`);
}

before(async () => {
  glove = await writeCrossEncoderOnnxModel(join(temp.dir, 'glove-cross-encoder'));
  tokenizer = new PreTrainedTokenizer(gloveTokenizerJson(glove.vocabulary), {});
  reranker = await CrossEncoderReranker.create(join(temp.dir, 'glove-cross-encoder'));
});
after(async () => {
  await reranker?.dispose();
  temp.remove();
});

describe('cross-encoder reranker: scores', () => {
  it('loads the local folder offline; its id names the folder, content hash, dtype and length', () => {
    assert.match(reranker.id, /^cross-encoder:glove-cross-encoder@[0-9a-f]{16}\?dtype=fp32&maxLength=512$/);
  });

  it('pairs of varied lengths in one padded batch equal the TypeScript reference', async () => {
    const scores = await reranker.score(QUERY, PASSAGES);
    assertScores(scores, PASSAGES.map((p) => reference(QUERY, p)), 'one batch');
    assert.equal(scores[3], 0, 'an empty passage scores 0');
    assert.equal(scores[4], 0, 'unknown words have no vector');
  });

  it('across batches (batchSize 3 of 20 passages) the scores are the same, in order', async () => {
    const passages = Array.from({ length: 20 }, (_, i) => `${PASSAGES[i % PASSAGES.length]} ${'river '.repeat(i % 5)}${i}`);
    const small = await CrossEncoderReranker.create(join(temp.dir, 'glove-cross-encoder'), { batchSize: 3 });
    try {
      const scores = await small.score(QUERY, passages);
      assertScores(scores, passages.map((p) => reference(QUERY, p)), 'batches of 3');
      assertScores(scores, await reranker.score(QUERY, passages), 'batches of 3 vs one batch');
    } finally {
      await small.dispose();
    }
    assert.deepEqual(await reranker.score(QUERY, []), []);
  });

  it('the scores mean something: a related passage outscores an unrelated one', async () => {
    const [related, unrelated] = await reranker.score('the king and his queen', ['a prince and a princess in the royal palace', 'the recipe needs flour and sugar']);
    assert.ok(related > unrelated + 0.1, `${related} vs ${unrelated}`);
  });
});

describe('cross-encoder reranker: long pairs', () => {
  it('fitPair cuts the longer text first, never below half the budget', () => {
    assert.deepEqual(fitPair(3, 5, 13), [3, 5]);
    assert.deepEqual(fitPair(3, 40, 13), [3, 10]);
    assert.deepEqual(fitPair(40, 3, 13), [10, 3]);
    assert.deepEqual(fitPair(30, 40, 13), [6, 7]);
    assert.deepEqual(fitPair(10, 12, 13), [6, 7]);
  });

  it('a pair longer than maxLength scores as its cut texts (16 tokens: 3 special, 13 of text)', async () => {
    const short = await CrossEncoderReranker.create(join(temp.dir, 'glove-cross-encoder'), { maxLength: 16, batchSize: 2 });
    try {
      const long = 'the royal family and the palace guards and the people of the city and the ships and the army of the north';
      const longQuery = 'the recipe needs flour sugar eggs butter milk and salt and the oven must be hot before the king arrives';
      const cases: [string, string, number, number][] = [
        [QUERY, long, 5, 8], // the passage is cut
        [longQuery, 'a prince and a princess', 8, 5], // the query is cut, the passage stays whole
        [longQuery, long, 6, 7], // both are cut
        [QUERY, 'a prince and a princess', 5, 5], // fits
      ];
      for (const [query, passage, q, p] of cases) assert.deepEqual(fitPair(ids(query).length, ids(passage).length, 13), [q, p]);
      const scores = [];
      for (const [query, passage] of cases) scores.push(...(await short.score(query, [passage])));
      assertScores(scores, cases.map(([query, passage, q, p]) => crossEncoderReference(glove, ids(query).slice(0, q), ids(passage).slice(0, p))), 'cut pairs');
      // transformers.js alone would keep the first 16 tokens of the pair: a long query leaves no
      // passage, and every candidate would score 0.
      const [a, b] = await short.score(longQuery, ['a prince and a princess', 'interest rates rose sharply']);
      assert.ok(a !== 0 && b !== 0 && a !== b, `${a} vs ${b}`);
      const [whole] = await short.score(QUERY, [long]);
      assert.ok(Math.abs(whole - reference(QUERY, long)) > 1e-3, 'the cut changes the score: the test sees the cut');
    } finally {
      await short.dispose();
    }
  });
});

describe('cross-encoder reranker: two labels, cancellation, bad folders', () => {
  it('two labels: the score is the "relevant" logit minus the other (here 2 cos)', async () => {
    const folder = join(temp.dir, 'two-labels');
    await writeCrossEncoderOnnxModel(folder, { labels: 2 });
    const two = await CrossEncoderReranker.create(folder, { batchSize: 4 });
    try {
      assertScores(await two.score(QUERY, PASSAGES), PASSAGES.map((p) => 2 * reference(QUERY, p)), 'two labels');
    } finally {
      await two.dispose();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('an AbortSignal stops it between batches; an aborted one before the first', async () => {
    const one = await CrossEncoderReranker.create(join(temp.dir, 'glove-cross-encoder'), { batchSize: 1 });
    try {
      const controller = new AbortController();
      // score() runs synchronously up to its first batch's forward pass: the abort lands during
      // that pass and the next batch does not start.
      const running = one.score(QUERY, PASSAGES, controller.signal);
      controller.abort();
      await assert.rejects(running, (e: Error) => e instanceof CancelledError && /reranking was cancelled/.test(e.message));
      await assert.rejects(one.score(QUERY, PASSAGES, controller.signal), CancelledError);
      assertScores(await one.score(QUERY, PASSAGES.slice(0, 2)), PASSAGES.slice(0, 2).map((p) => reference(QUERY, p)), 'after a cancel');
    } finally {
      await one.dispose();
    }
  });

  it('a missing folder, a folder with no model, an embedding model, a missing tokenizer, no room for text', async () => {
    await assert.rejects(CrossEncoderReranker.create(join(temp.dir, 'nope')), (e: Error) => e instanceof ArgumentError && /ONNX model folder not found: .*nope/.test(e.message));
    await assert.rejects(CrossEncoderReranker.create(temp.dir), (e: Error) => e instanceof ArgumentError && /no ONNX model in /.test(e.message));
    const embedding = join(temp.dir, 'embedding');
    await writeGloveOnnxModel(embedding, { words: 2000 });
    await assert.rejects(CrossEncoderReranker.create(embedding), (e: Error) =>
      e instanceof ModelFileError && /embedding\/config\.json: architectures is BertModel: not a sequence-classification \(cross-encoder\) model/.test(e.message));
    await rm(join(embedding, 'tokenizer.json'));
    await assert.rejects(CrossEncoderReranker.create(embedding), (e: Error) => e instanceof ModelFileError && /embedding\/tokenizer\.json: is missing/.test(e.message));
    await rm(embedding, { recursive: true, force: true });
    await assert.rejects(CrossEncoderReranker.create(join(temp.dir, 'glove-cross-encoder'), { maxLength: 3 }), (e: Error) =>
      e instanceof ArgumentError && /maxLength should leave room for text after the 3 special tokens of a pair, not 3/.test(e.message));
    await assert.rejects(CrossEncoderReranker.create(join(temp.dir, 'glove-cross-encoder'), { dtype: 'q8' }), /no q8 ONNX file in .*glove-cross-encoder; found: fp32/);
  });
});

describe('cross-encoder reranker: through the Retriever', () => {
  const embedder = hashEmbedder('hash:32', 32);
  let store: ChunkStore;
  const CHUNKS: [string, string][] = [
    ['Taxes', 'The king must file the tax form before the deadline; the form lists income and deductions.'],
    ['Royal family', 'The queen and the prince live in the palace with the royal family.'],
    ['Kitchen', 'The king of recipes: flour, sugar, butter and eggs baked in the oven.'],
    ['History', 'The monarch and his wife ruled the kingdom and its princes for forty years.'],
    ['Code', 'function kingOfHill(scores) { return Math.max(...scores); }'],
  ];

  before(async () => {
    store = await ChunkStore.open({ dir: join(temp.dir, 'store'), corpus: 'docs', embedder });
    const files: FileChunks[] = [];
    for (const [i, [context, text]] of CHUNKS.entries()) {
      const path = `docs/${i}.md`;
      const chunks: Chunk[] = [{ root: '/repo', path, language: 'markdown', startLine: 1, endLine: 5, text, context, ordinal: 0 }];
      files.push({ root: '/repo', path, contentHash: path, mtimeMs: 1, chunks, vectors: await embedder.embedDocuments(chunks.map(textToEmbed)) });
    }
    await store.replaceFiles(files);
    await store.maintain();
  });
  after(async () => {
    await store?.close();
  });

  it('reorders the candidates by the model scores and keeps them as scores.rerank', async () => {
    const query = 'the king and the queen';
    const plain = await new Retriever(store, { embedder }).search(query, { mode: 'hybrid', k: 5, rerank: false });
    const reranked = await new Retriever(store, { embedder, reranker }).search(query, { mode: 'hybrid', k: 5 });
    assert.equal(reranked.length, plain.length);
    assert.deepEqual(new Set(reranked.map((r) => r.path)), new Set(plain.map((r) => r.path)), 'the same candidates');
    const expected = reranked.map((r) => reference(query, `${r.context}\n${r.text}`));
    assertScores(reranked.map((r) => r.score), expected, 'rerank scores');
    assert.ok(reranked.every((r) => r.scores.rerank === r.score && r.scores.fused !== undefined), 'rerank kept beside the fused score');
    for (let i = 1; i < reranked.length; i++) assert.ok(reranked[i - 1].score >= reranked[i].score, 'sorted by rerank score');
    assert.notDeepEqual(reranked.map((r) => r.path), plain.map((r) => r.path), 'the model changed the order');
    assert.equal(reranked[0].context, 'Royal family');
  });
});
