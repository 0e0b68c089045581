// `pinpoint search QUERY`: searches a corpus (BM25, dense or hybrid), optionally reranked by a
// local cross-encoder (--reranker), and prints the results with path, line or page range, score
// and text; --json prints them as one object.

import { ExpectedError, ErrorReason } from '../../base/common/errors.js';
import type { Embedder } from '../../rag/common/embedder.js';
import { createEmbedder } from '../../rag/embed/node/createEmbedder.js';
import { findCorpus } from '../../rag/index/node/corpusRegistry.js';
import type { Reranker } from '../../rag/search/common/reranker.js';
import { SEARCH_MODES, type SearchResult } from '../../rag/search/common/types.js';
import { Retriever } from '../../rag/search/node/Retriever.js';
import { openCurrentStore } from '../../rag/store/node/corpus.js';
import { defineCommand } from '../args.js';
import { EXIT_OK } from '../exitCodes.js';
import { DEFAULT_CORPUS, indexDirectory } from '../indexLocation.js';
import { openReranker, RERANKER_FLAG } from '../rerankerFlag.js';
import { command } from './command.js';

const spec = defineCommand({
  name: 'search',
  summary: 'Search an index: BM25, dense or hybrid; results with file and line (or page).',
  flags: {
    db: { type: 'string', valueName: 'DIR', description: 'Index folder (default: $PINPOINT_INDEX_DIR or <cache>/index).' },
    corpus: { type: 'string', default: DEFAULT_CORPUS, valueName: 'NAME', description: 'Corpus to search.' },
    k: { type: 'int', default: 10, min: 1, max: 1000, description: 'Results to return.' },
    mode: { type: 'enum', values: SEARCH_MODES, default: 'hybrid', description: 'Retriever.' },
    path: { type: 'string', valueName: 'GLOB', description: 'Only files matching this glob (relative to their root), e.g. "src/**/*.ts".' },
    language: { type: 'string', valueName: 'LANG', description: 'Only this language (typescript, python, markdown, pdf...).' },
    reranker: RERANKER_FLAG,
    json: { type: 'boolean', description: 'Print {"results": [{path, startLine, endLine, page?, score, scores, text}]}; scores holds the parts (bm25, dense, fused; rerank with --reranker).' },
  },
  positionals: [{ name: 'QUERY', description: 'What to look for.', required: true }],
});

function place(r: SearchResult): string {
  return r.page ? `${r.path} p.${r.page}` : `${r.path}:${r.startLine}-${r.endLine}`;
}

export const searchCommand = command(spec, async (flags, positionals, io) => {
  const dbDir = indexDirectory(flags.db);
  const record = await findCorpus(dbDir, flags.corpus);
  const store = await openCurrentStore(dbDir, flags.corpus);
  let embedder: Embedder | undefined;
  let reranker: Reranker | undefined;
  try {
    embedder = flags.mode === 'bm25' ? undefined : await createEmbedder(record.embedder);
    if (embedder && embedder.id !== store.embedder.id) {
      throw new ExpectedError(ErrorReason.BadArgument, `The index of corpus "${flags.corpus}" was built with ${store.embedder.id}, but ${record.embedder} now gives ${embedder.id} (its files changed); index again`);
    }
    reranker = await openReranker(flags.reranker);
    const retriever = new Retriever(store, { embedder, reranker });
    const filter = { paths: flags.path ? [flags.path] : undefined, languages: flags.language ? [flags.language] : undefined };
    const results = await retriever.search(positionals.join(' '), { k: flags.k, mode: flags.mode, filter, signal: io.signal });
    if (flags.json) {
      const rows = results.map((r) => ({ root: r.root, path: r.path, startLine: r.startLine, endLine: r.endLine, ...(r.page ? { page: r.page } : {}), score: r.score, scores: r.scores, text: r.text }));
      io.stdout.write(JSON.stringify({ results: rows }) + '\n');
    } else {
      for (const [i, r] of results.entries()) {
        io.stdout.write(`${i + 1}. ${place(r)}  (${r.score.toFixed(3)})${r.context ? `  ${r.context.split('\n')[0]}` : ''}\n`);
        io.stdout.write(r.text.split('\n').slice(0, 6).map((line) => `     ${line}`).join('\n') + '\n');
      }
      if (results.length === 0) io.stdout.write('no results\n');
    }
    return EXIT_OK;
  } finally {
    await reranker?.dispose();
    await embedder?.dispose();
    await store.close();
  }
});
