// `pinpoint search` through main() in-process, on the assistant's fixture index: --reranker with
// a real ONNX cross-encoder folder (the GloVe one of test/fixtures/embed/crossEncoderOnnxModel.ts)
// reorders the results by the model's scores, which --json carries as scores.rerank; a folder that
// is not a cross-encoder exits with the code of its error, naming the flag and the folder.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EXIT_BAD_ARGUMENT, EXIT_BAD_FILE, EXIT_OK } from '../../../core/cli/exitCodes.js';
import { createEmbedder } from '../../../core/rag/embed/node/createEmbedder.js';
import { mergeAdjacent } from '../../../core/rag/search/common/mergeResults.js';
import { RERANK_CANDIDATES } from '../../../core/rag/search/common/reranker.js';
import type { SearchResult } from '../../../core/rag/search/common/types.js';
import { Retriever } from '../../../core/rag/search/node/Retriever.js';
import { openCurrentStore } from '../../../core/rag/store/node/corpus.js';
import { writeGloveOnnxModel } from '../../fixtures/embed/gloveOnnxModel.js';
import { CORPUS } from '../assistant/support/assistantFixture.js';
import { createRerankerFixture, rerankedPassage, type RerankerFixture } from '../rag/search/support/rerankerFixture.js';
import { runMain } from './support/runMain.js';

let fixture: RerankerFixture;

before(async () => {
  fixture = await createRerankerFixture();
});
after(() => fixture?.remove());

interface Row {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly score: number;
  readonly scores: Record<string, number>;
}

const QUERY = 'median of samples';
const place = (r: Pick<Row, 'path' | 'startLine' | 'endLine'>) => `${r.path}:${r.startLine}-${r.endLine}`;

async function search(...extra: string[]): Promise<Row[]> {
  const { code, stdout, stderr } = await runMain(['search', QUERY, '--db', fixture.index.dbDir, '--corpus', CORPUS, '--k', '5', '--json', ...extra]);
  assert.equal(code, EXIT_OK, stderr);
  return (JSON.parse(stdout) as { results: Row[] }).results;
}

/** The merged candidates the reranker reads for QUERY at k 5 (the Retriever's steps before reranking), with their texts. */
async function rerankPool(): Promise<SearchResult[]> {
  const store = await openCurrentStore(fixture.index.dbDir, CORPUS);
  const embedder = await createEmbedder('static:glove100d');
  try {
    const retriever = new Retriever(store, { embedder });
    const ranked = retriever.rank(await retriever.candidates(QUERY, 'hybrid', 100), 'hybrid');
    return mergeAdjacent(await retriever.hydrate(ranked.slice(0, RERANK_CANDIDATES))).slice(0, RERANK_CANDIDATES);
  } finally {
    await embedder.dispose();
    await store.close();
  }
}

test('search --reranker: the best candidates by the model\'s scores, best first, with scores.rerank beside the fused score', async () => {
  const plain = await search();
  const reranked = await search('--reranker', fixture.folder);
  assert.ok(plain.every((r) => r.scores.rerank === undefined), 'no rerank score without --reranker');
  assert.notDeepEqual(reranked.map(place), plain.map(place), 'the model changed the order');

  const expected = new Map((await rerankPool()).map((r) => [place(r), fixture.reference(QUERY, rerankedPassage(r))]));
  for (const r of reranked) {
    assert.equal(r.score, r.scores.rerank, `${place(r)}: the score is the rerank score`);
    assert.equal(typeof r.scores.fused, 'number', `${place(r)}: the fused score is kept`);
    const want = expected.get(place(r));
    assert.ok(want !== undefined && Math.abs(r.scores.rerank - want) <= 1e-4, `${place(r)}: ${r.scores.rerank} vs the model's ${want}`);
  }
  for (let i = 1; i < reranked.length; i++) assert.ok(reranked[i - 1].score >= reranked[i].score, 'sorted by rerank score');
  const shown = new Set(reranked.map(place));
  const bestLeftOut = Math.max(...[...expected].filter(([key]) => !shown.has(key)).map(([, score]) => score));
  assert.ok(reranked.at(-1)!.score >= bestLeftOut - 1e-4, `a candidate left out scores ${bestLeftOut}, above the last shown ${reranked.at(-1)!.score}`);
});

test('search --reranker with a folder that is not a cross-encoder: exit 2 or 3, the flag and the folder named', async () => {
  const missing = join(fixture.index.dbDir, '..', 'no-such-model');
  const embedding = join(fixture.index.dbDir, '..', 'embedding-model');
  await writeGloveOnnxModel(embedding, { words: 2000 });
  const cases: [string, number, RegExp][] = [
    [missing, EXIT_BAD_ARGUMENT, /--reranker: ONNX model folder not found: .*no-such-model/],
    [fixture.index.root, EXIT_BAD_ARGUMENT, /--reranker: no ONNX model in .*project/],
    [embedding, EXIT_BAD_FILE, /--reranker: .*embedding-model\/config\.json: architectures is BertModel: not a sequence-classification \(cross-encoder\) model/],
  ];
  for (const [folder, exit, message] of cases) {
    const { code, stdout, stderr } = await runMain(['search', QUERY, '--db', fixture.index.dbDir, '--corpus', CORPUS, '--reranker', folder, '--json']);
    assert.equal(code, exit, `${folder}: ${stderr}`);
    assert.match(stderr, message);
    assert.equal(stdout, '');
  }
});

test('search --help documents --reranker', async () => {
  const { code, stdout } = await runMain(['search', '--help']);
  assert.equal(code, EXIT_OK);
  assert.match(stdout, /--reranker DIR +Rerank the first 30 results with a local cross-encoder model folder/);
});
