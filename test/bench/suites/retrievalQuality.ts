// retrieval-quality: the figures of core/rag/eval/README.md. For SciFact (training qrels, the only
// ones shipped) and CoSQA dev, on the tune half, the held-out report half and all judged queries:
// LanceDB's default full-text index (title + text in one column, plain query) as the baseline,
// and Pinpoint's bm25 / dense / hybrid with each static embedder. Also re-runs the fusion tuning
// on the tune halves, whose result fusionSettings.ts records.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { Index } from '@lancedb/lancedb';
import { createEmbedder } from '../../../core/rag/embed/node/createEmbedder.js';
import { splitQrels, type QuerySplit, type RetrievalDataset } from '../../../core/rag/eval/common/dataset.js';
import { meanMetrics, type Qrels } from '../../../core/rag/eval/common/metrics.js';
import { tuneFusion, type TuningSet } from '../../../core/rag/eval/common/tuneFusion.js';
import { collectCandidates } from '../../../core/rag/eval/node/evaluateRetrieval.js';
import { indexDataset } from '../../../core/rag/eval/node/indexDataset.js';
import { loadDataset } from '../../../core/rag/eval/node/loadDataset.js';
import type { FusionParams } from '../../../core/rag/search/common/fusion.js';
import { DEFAULT_FUSION } from '../../../core/rag/search/common/fusionSettings.js';
import { Retriever, type CandidateLists } from '../../../core/rag/search/node/Retriever.js';
import type { SuiteOptions } from '../run.js';
import type { BenchTable } from '../table.js';

const SPLITS: readonly QuerySplit[] = ['tune', 'report', 'all'];
/** Unweighted RRF without trust: what the tuned fusion is compared with. */
const PLAIN_RRF: FusionParams = { k: 60, bm25Weight: 1, denseWeight: 1, agreementDepth: 10, trustFloor: 0, trustFull: 0 };
/** The embedders that work here without a download: GloVe averaged two ways, and the realistic model2vec fixture. */
const embedderSpecs = (shared: string) => [
  'static:glove100d?weighting=mean',
  'static:glove100d?weighting=sif',
  `static:model2vec:${join(shared, 'embed', 'model2vec-rs-fixtures', 'test-model-vocab-quantized')}`,
];

/** nDCG@10 / Recall@100 / MRR@10 on each split, as cells. */
function cells(qrels: Qrels, run: (split: Qrels) => Map<string, string[]>): string[] {
  return SPLITS.map((split) => {
    const m = meanMetrics(run(splitQrels(qrels, split)), splitQrels(qrels, split));
    return `${m['ndcg@10'].toFixed(4)} / ${m['recall@100'].toFixed(3)} / ${m['mrr@10'].toFixed(4)}`;
  });
}

/** LanceDB's default FTS index over title + text, queried with the plain query string. */
async function lancedbDefault(dataset: RetrievalDataset, dir: string): Promise<Map<string, string[]>> {
  const db = await lancedb.connect(dir);
  const rows = dataset.corpus.map((d) => ({ id: d.id, text: d.title ? `${d.title}\n${d.text}` : d.text }));
  const table = await db.createTable('baseline', rows, { mode: 'overwrite' });
  await table.createIndex('text', { config: Index.fts() });
  const runs = new Map<string, string[]>();
  for (const id of dataset.qrels.keys()) {
    const hits = (await table.search(dataset.queries.get(id)!.text, 'fts', 'text').select(['id', '_score']).limit(100).toArray()) as { id: string }[];
    runs.set(id, hits.map((h) => h.id));
  }
  table.close();
  db.close();
  return runs;
}

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const shared = resolve(options.root, '..', 'shared', 'data');
  const data = join(shared, 'retrieval');
  const EMBEDDERS = embedderSpecs(shared);
  const dir = mkdtempSync(join(tmpdir(), 'pinpoint-bench-quality-'));
  const rows: (string | number)[][] = [];
  const tuningSets = new Map<string, TuningSet[]>();
  try {
    for (const name of ['scifact', 'cosqa']) {
      const dataset = loadDataset(join(data, name));
      const baseline = await lancedbDefault(dataset, join(dir, `${name}-baseline`));
      rows.push([name, 'LanceDB default FTS', '-', ...cells(dataset.qrels, (q) => new Map([...baseline].filter(([id]) => q.has(id))))]);
      for (const spec of EMBEDDERS) {
        const embedder = await createEmbedder(spec);
        const store = await indexDataset(dataset, { dir: join(dir, name), embedder });
        const retriever = new Retriever(store, { embedder });
        const lists = await collectCandidates(retriever, dataset, dataset.qrels, 'hybrid');
        const ranked = (mode: 'bm25' | 'dense' | 'hybrid', fusion?: FusionParams) => (q: Qrels) =>
          new Map([...lists].filter(([id]) => q.has(id)).map(([id, l]) => [id, retriever.rank(l, mode, fusion).map((h) => h.path)]));
        const label = spec.replace('static:', '').replace(/^model2vec:.*\//, 'model2vec:');
        if (spec === EMBEDDERS[0]) rows.push([name, 'Pinpoint bm25', '-', ...cells(dataset.qrels, ranked('bm25'))]);
        rows.push([name, 'Pinpoint dense', label, ...cells(dataset.qrels, ranked('dense'))]);
        rows.push([name, 'Pinpoint hybrid', label, ...cells(dataset.qrels, ranked('hybrid'))]);
        rows.push([name, '  for reference: plain RRF k=60 1:1', label, ...cells(dataset.qrels, ranked('hybrid', PLAIN_RRF))]);
        rows.push([name, '  for reference: default (untuned) fusion', label, ...cells(dataset.qrels, ranked('hybrid', DEFAULT_FUSION))]);
        const tune = splitQrels(dataset.qrels, 'tune');
        const keyed = (l: CandidateLists) => ({ bm25: l.bm25.map((c) => ({ key: c.path, score: c.score })), dense: l.dense.map((c) => ({ key: c.path, score: c.score })) });
        const set: TuningSet = { name, qrels: tune, lists: new Map([...lists].filter(([id]) => tune.has(id)).map(([id, l]) => [id, keyed(l)])) };
        tuningSets.set(spec, [...(tuningSets.get(spec) ?? []), set]);
        await store.close();
        await embedder.dispose();
      }
    }
    const tuning = Object.fromEntries([...tuningSets].map(([spec, sets]) => [spec, tuneFusion(sets)]));
    const notes = [
      'Cells: nDCG@10 / Recall@100 / MRR@10. SciFact ships training qrels only (809 judged queries): "tune" is the half used to choose settings, "report" the held-out half; CoSQA dev (500 queries) is split the same way (core/rag/eval/common/dataset.ts).',
      ...Object.entries(tuning).map(([spec, t]) => `Fusion tuning for ${spec}: ${t.fellBack ? 'no setting passed the guard -> BM25 only' : JSON.stringify(t.params)} (${t.tried} settings; gains ${JSON.stringify(t.gains)})`),
    ];
    return { title: 'Retrieval quality: SciFact (train qrels) and CoSQA dev', columns: ['set', 'retriever', 'embedder', 'tune', 'report (held out)', 'all'], rows, notes, details: { tuning } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
