// `pinpoint index PATH...`: indexes folders into a corpus (incremental: unchanged files cost a
// stat), in a worker thread, with a progress bar on a TTY; --watch keeps the index current until
// Ctrl-C; --json prints the run's report.

import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ArgumentError } from '../../base/common/errors.js';
import { DEFAULT_EMBEDDER_SPEC } from '../../rag/embed/common/embedderSpec.js';
import type { IndexRequest } from '../../rag/index/common/indexProtocol.js';
import type { IndexProgress } from '../../rag/index/common/progress.js';
import { recordCorpus } from '../../rag/index/node/corpusRegistry.js';
import { IndexerHost } from '../../rag/index/node/IndexerHost.js';
import type { IndexReport } from '../../rag/index/node/indexRoots.js';
import { watchRoots } from '../../rag/index/node/watchRoots.js';
import { defineCommand } from '../args.js';
import { EXIT_CANCELLED, EXIT_OK } from '../exitCodes.js';
import { DEFAULT_CORPUS, indexDirectory } from '../indexLocation.js';
import { ProgressBar } from '../progressBar.js';
import { command, type CommandIo } from './command.js';

const spec = defineCommand({
  name: 'index',
  summary: 'Index folders for search (incremental; code by syntax, documents by sections).',
  flags: {
    db: { type: 'string', valueName: 'DIR', description: 'Index folder (default: $PINPOINT_INDEX_DIR or <cache>/index).' },
    corpus: { type: 'string', default: DEFAULT_CORPUS, valueName: 'NAME', description: 'Corpus to index into.' },
    embedder: { type: 'string', default: DEFAULT_EMBEDDER_SPEC, valueName: 'ID', description: 'Embedder spec (static:glove100d, static:model2vec:DIR, onnx:DIR, hub:ID, openai:MODEL?baseUrl=URL for an OpenAI-compatible server, key from $PINPOINT_OPENAI_API_KEY or $OPENAI_API_KEY).' },
    watch: { type: 'boolean', description: 'Keep watching the folders and re-index changes until Ctrl-C.' },
    json: { type: 'boolean', description: 'Print the report as JSON (one object per run).' },
  },
  positionals: [{ name: 'PATH...', description: 'Folders to index.', required: true }],
});

async function checkRoots(paths: readonly string[]): Promise<string[]> {
  const roots: string[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isDirectory()) throw new ArgumentError(`Cannot index "${path}": ${info ? 'not a folder' : 'no such folder'}.`);
    roots.push(absolute);
  }
  return roots;
}

function summary(report: IndexReport): string {
  const seconds = (report.durationMs / 1000).toFixed(1);
  return `${report.filesTotal} files: ${report.filesIndexed} indexed (${report.chunks} chunks), ${report.filesUnchanged} unchanged, ` +
    `${report.filesSkipped} skipped, ${report.filesRemoved} removed in ${seconds} s${report.cancelled ? ' (cancelled)' : ''}`;
}

/** One run with progress on the terminal; Ctrl-C cancels it. */
async function runOnce(io: CommandIo, indexer: IndexerHost, request: IndexRequest, json: boolean): Promise<IndexReport> {
  const bar = new ProgressBar(io.stderr, 'indexing');
  const started = Date.now();
  const onProgress = (p: IndexProgress): void => {
    const elapsed = (Date.now() - started) / 1000;
    bar.update({ bytes: p.bytesDone, total: p.bytesTotal || undefined, rate: elapsed > 0 ? p.bytesDone / elapsed : 0, etaSeconds: p.etaSeconds, label: `${p.phase} ${p.filesDone}/${p.filesTotal} files` });
  };
  const job = indexer.run(request, onProgress);
  const cancel = (): void => job.cancel();
  io.signal.addEventListener('abort', cancel, { once: true });
  try {
    const report = await job.done;
    bar.clear();
    if (json) io.stdout.write(JSON.stringify(report) + '\n');
    else {
      io.stdout.write(summary(report) + '\n');
      for (const skip of report.skipped.slice(0, 20)) io.stderr.write(`  skipped ${skip.path}: ${skip.reason}\n`);
      if (report.skipped.length > 20) io.stderr.write(`  ... and ${report.skipped.length - 20} more skipped\n`);
    }
    return report;
  } finally {
    io.signal.removeEventListener('abort', cancel);
  }
}

export const indexCommand = command(spec, async (flags, positionals, io) => {
  const roots = await checkRoots(positionals);
  const dbDir = indexDirectory(flags.db);
  const request = { roots, dbDir, corpus: flags.corpus, embedder: flags.embedder };
  // One worker for every run: a watcher's re-index finds the embedder and parsers warm.
  const indexer = new IndexerHost();
  try {
    const report = await runOnce(io, indexer, request, flags.json);
    if (report.cancelled) return EXIT_CANCELLED;
    await recordCorpus(dbDir, flags.corpus, roots, flags.embedder);
    if (!flags.watch) return EXIT_OK;
    io.stderr.write(`watching ${roots.join(', ')} (Ctrl-C to stop)\n`);
    await watchRoots(roots, async () => {
      const again = await runOnce(io, indexer, request, flags.json);
      if (!again.cancelled) await recordCorpus(dbDir, flags.corpus, roots, flags.embedder);
    }, { signal: io.signal });
    return EXIT_OK;
  } finally {
    await indexer.dispose();
  }
});
