// ask: a question over the index of a real 5,000+ file tree (this repository's node_modules) with
// stories260K as the model, timed by stage — retrieval, context building, prefill, first token,
// decode — and the pipeline's own overhead (everything but prefill and decode; target < 100 ms).

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SuiteOptions } from '../run.js';
import type { BenchTable } from '../table.js';

interface AskRun {
  question: string; retrievalMs: number; contextMs: number; prefillMs?: number; firstTokenMs?: number; decodeMs: number;
  totalMs: number; overheadMs: number; sources: number; contextTokens: number; budget: number; generated: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const root = join(options.root, 'node_modules');
  const model = join(options.root, '..', 'shared', 'data', 'llm', 'stories260K.gguf');
  const db = mkdtempSync(join(tmpdir(), 'pinpoint-bench-ask-'));
  try {
    console.error(`indexing ${root}, then asking with ${model}...`);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/bench/ours/measureAsk.ts', root, db, model], { cwd: options.root, maxBuffer: 1 << 22 });
    const measured = JSON.parse(stdout) as { files: number; chunks: number; runs: AskRun[] };
    const rows = measured.runs.map((r) => [
      r.question.slice(0, 48), r.retrievalMs, r.contextMs, r.prefillMs ?? NaN, r.firstTokenMs ?? NaN, r.decodeMs, r.overheadMs, r.totalMs, `${r.contextTokens}/${r.budget}`, r.sources,
    ]);
    const column = (pick: (r: AskRun) => number) => median(measured.runs.map(pick));
    rows.push(['median', column((r) => r.retrievalMs), column((r) => r.contextMs), column((r) => r.prefillMs ?? NaN), column((r) => r.firstTokenMs ?? NaN), column((r) => r.decodeMs), column((r) => r.overheadMs), column((r) => r.totalMs), '', '']);
    return {
      title: `ask over ${measured.files} files (${measured.chunks} chunks) with stories260K, ms by stage`,
      columns: ['question', 'retrieval', 'context', 'prefill', 'first token', 'decode', 'overhead', 'total', 'tokens/budget', 'sources'],
      rows,
      notes: [
        'Overhead = everything but prefill and decode (retrieval + context building + prompt rendering); target < 100 ms.',
        'Model stories260K (context 2048, 32 answer tokens, greedy), static GloVe embedder, hybrid retrieval, k = 10; after one warm-up question.',
      ],
      details: measured,
    };
  } finally {
    rmSync(db, { recursive: true, force: true });
  }
}
