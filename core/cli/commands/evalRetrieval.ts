// `pinpoint eval retrieval`: indexes a test collection (BEIR layout, or CoSQA's files) in a
// temporary store, runs its judged queries in one mode and prints nDCG@10, Recall@100 and
// MRR@10. With --json it prints exactly {"ndcg@10", "recall@100", "mrr@10", "queries"}.

import { ArgumentError } from '../../base/common/errors.js';
import { createEmbedder } from '../../rag/embed/node/createEmbedder.js';
import { evaluateRetrieval } from '../../rag/eval/node/evaluateRetrieval.js';
import { SEARCH_MODES } from '../../rag/search/common/types.js';
import { defineCommand } from '../args.js';
import { EXIT_OK } from '../exitCodes.js';
import { command } from './command.js';

const spec = defineCommand({
  name: 'eval',
  summary: 'Evaluate retrieval on a BEIR-layout collection (nDCG@10, Recall@100, MRR@10).',
  flags: {
    beir: { type: 'string', required: true, valueName: 'DIR', description: 'Collection folder: corpus.jsonl[.gz], queries.jsonl, qrels/*.tsv (or CoSQA files).' },
    qrels: { type: 'string', valueName: 'FILE', description: 'Qrels file to use (default: qrels/test.tsv, dev.tsv or train.tsv, the first present).' },
    mode: { type: 'enum', values: SEARCH_MODES, description: 'Retriever (default: hybrid with --embedder, else bm25).' },
    embedder: { type: 'string', valueName: 'ID', description: 'Embedder spec for dense and hybrid (e.g. static:glove100d). Default: static:glove100d.' },
    split: { type: 'enum', values: ['all', 'tune', 'report'], default: 'all', description: 'Judged queries: all, or the tune / report half.' },
    db: { type: 'string', valueName: 'DIR', description: 'Keep the index in DIR between runs (default: a temporary folder).' },
    json: { type: 'boolean', description: 'Print one JSON object {"ndcg@10", "recall@100", "mrr@10", "queries"}.' },
  },
  positionals: [{ name: 'WHAT', description: 'What to evaluate: retrieval.', required: true }],
});

export const evalRetrievalCommand = command(spec, async (flags, positionals, io) => {
  if (positionals[0] !== 'retrieval') throw new ArgumentError(`Unknown evaluation "${positionals[0]}". Should be one of: retrieval.`);
  const mode = flags.mode ?? (flags.embedder ? 'hybrid' : 'bm25');
  const embedder = mode === 'bm25' ? undefined : await createEmbedder(flags.embedder);
  try {
    const progress = io.stderr.isTTY && !flags.json ? (message: string) => io.stderr.write(`\r\u001b[K${message}`) : undefined;
    const report = await evaluateRetrieval({
      beir: flags.beir, qrels: flags.qrels, mode, embedder, split: flags.split, dbDir: flags.db, signal: io.signal, onProgress: progress,
    });
    if (progress) io.stderr.write('\r\u001b[K');
    const figures = { 'ndcg@10': report['ndcg@10'], 'recall@100': report['recall@100'], 'mrr@10': report['mrr@10'], queries: report.queries };
    if (flags.json) io.stdout.write(JSON.stringify(figures) + '\n');
    else {
      io.stdout.write(`${report.dataset} (${report.qrelsSource}, ${report.split} queries), ${report.mode}${report.embedderId ? ` with ${report.embedderId}` : ''}\n`);
      for (const [name, value] of Object.entries(figures)) io.stdout.write(`  ${name.padEnd(11)} ${name === 'queries' ? value : value.toFixed(4)}\n`);
    }
    return EXIT_OK;
  } finally {
    await embedder?.dispose();
  }
});
