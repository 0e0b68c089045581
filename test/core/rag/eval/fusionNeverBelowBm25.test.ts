// Hybrid never below BM25 on a fixed subset of SciFact and CoSQA with the weak embedder that
// ships (averaged GloVe): with its tuned settings hybrid returns exactly BM25's ranking, and the
// tuning guard, run on the subset's tune half, refuses to give GloVe any weight. Skipped when
// the shared data folder is not beside the repository.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Embedder } from '../../../../core/rag/common/embedder.js';
import { loadGloveEmbedder } from '../../../../core/rag/embed/node/loadStaticEmbedder.js';
import { splitQrels, type RetrievalDataset } from '../../../../core/rag/eval/common/dataset.js';
import { meanMetrics } from '../../../../core/rag/eval/common/metrics.js';
import { tuneFusion } from '../../../../core/rag/eval/common/tuneFusion.js';
import { collectCandidates } from '../../../../core/rag/eval/node/evaluateRetrieval.js';
import { indexDataset } from '../../../../core/rag/eval/node/indexDataset.js';
import { loadDataset } from '../../../../core/rag/eval/node/loadDataset.js';
import { Retriever } from '../../../../core/rag/search/node/Retriever.js';
import { tempDir } from '../store/storeFixtures.js';

const data = resolve(fileURLToPath(new URL('../../../../../shared/data', import.meta.url)));
const present = existsSync(join(data, 'retrieval', 'scifact')) && existsSync(join(data, 'embed', 'glove100d-top20k'));
const temp = tempDir('pinpoint-never-below-');
after(temp.remove);

/** The first `queries` judged queries (by the split's order) and a corpus of their documents plus distractors. */
function subset(ds: RetrievalDataset, queries: number, distractors: number): RetrievalDataset {
  const ids = [...ds.qrels.keys()].slice(0, queries);
  const qrels = new Map(ids.map((id) => [id, ds.qrels.get(id)!]));
  const wanted = new Set(ids.flatMap((id) => [...ds.qrels.get(id)!.keys()]));
  const corpus = ds.corpus.filter((d, i) => wanted.has(d.id) || i < distractors);
  return { ...ds, corpus, qrels };
}

for (const name of ['scifact', 'cosqa']) {
  test(`${name}: hybrid with GloVe is never below BM25 (subset)`, { skip: !present && 'shared data not found', timeout: 120_000 }, async () => {
    const ds = subset(loadDataset(join(data, 'retrieval', name)), 80, 1200);
    for (const weighting of ['mean', 'sif'] as const) {
      const embedder: Embedder = await loadGloveEmbedder(join(data, 'embed', 'glove100d-top20k'), { weighting });
      const store = await indexDataset(ds, { dir: join(temp.dir, `${name}-${weighting}`), embedder });
      const retriever = new Retriever(store, { embedder });
      const lists = await collectCandidates(retriever, ds, ds.qrels, 'hybrid');
      const run = (mode: 'bm25' | 'hybrid', split: 'tune' | 'report') => {
        const qrels = splitQrels(ds.qrels, split);
        const runs = new Map([...lists].filter(([id]) => qrels.has(id)).map(([id, l]) => [id, retriever.rank(l, mode).map((r) => r.path)]));
        return meanMetrics(runs, qrels);
      };
      for (const split of ['tune', 'report'] as const) {
        const bm25 = run('bm25', split);
        const hybrid = run('hybrid', split);
        assert.ok(hybrid['ndcg@10'] >= bm25['ndcg@10'], `${weighting} ${split}: hybrid ${hybrid['ndcg@10']} < bm25 ${bm25['ndcg@10']}`);
        assert.ok(hybrid['recall@100'] >= bm25['recall@100'] && hybrid['mrr@10'] >= bm25['mrr@10']);
      }
      const tuneQrels = splitQrels(ds.qrels, 'tune');
      const tuning = tuneFusion(
        [{ name, qrels: tuneQrels, lists: new Map([...lists].filter(([id]) => tuneQrels.has(id)).map(([id, l]) => [id, { bm25: l.bm25.map((c) => ({ key: c.path, score: c.score })), dense: l.dense.map((c) => ({ key: c.path, score: c.score })) }])) }],
        undefined,
        { resamples: 200 },
      );
      assert.equal(tuning.params.denseWeight, 0, `${weighting}: the guard gives GloVe no weight (${JSON.stringify(tuning.gains)})`);
      await store.close();
      await embedder.dispose();
    }
  });
}
