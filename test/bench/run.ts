// `npm run bench -- <suite> [--threads N]`: runs one benchmark suite, prints its table and writes
// bench-results/<suite>.json. Suites compare against their peer in the same run, as ratios.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { formatTable, writeResult, type BenchTable } from './table.js';

export interface SuiteOptions {
  /** Threads for both sides; default: all cores. */
  readonly threads: number;
  readonly root: string;
}

const SUITES: Record<string, { summary: string; load: () => Promise<{ run(o: SuiteOptions): Promise<BenchTable> }> }> = {
  ask: { summary: 'a question over a 5,000+ file index with stories260K, timed by stage', load: () => import('./suites/ask.js') },
  'engine-cpu': { summary: 'prefill/decode tokens/s and peak RSS, ours vs llama.cpp', load: () => import('./suites/engineCpu.js') },
  'engine-gpu': { summary: 'WebGPU: copy bandwidth, GEMV GB/s and matmul GFLOP/s per type, model prefill/decode tokens/s, GPU memory', load: () => import('./suites/engineGpu.js') },
  index: { summary: 'indexing a 5,000+ file tree: files/s, MB/s, re-index after one edit, peak RSS', load: () => import('./suites/index.js') },
  'kernels-cpu': { summary: 'matmul throughput per weight type: WebAssembly SIMD vs plain TypeScript, relaxed vs plain SIMD', load: () => import('./suites/kernelsCpu.js') },
  'retrieval-quality': { summary: 'nDCG@10 / Recall@100 / MRR@10 on SciFact and CoSQA, LanceDB default FTS alongside', load: () => import('./suites/retrievalQuality.js') },
  'retrieval-latency': { summary: 'hybrid search latency on 100,000 chunks with the static embedder', load: () => import('./suites/retrievalLatency.js') },
};

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const { positionals, values } = parseArgs({ allowPositionals: true, options: { threads: { type: 'string' } } });
const name = positionals[0];
if (!name || !SUITES[name]) {
  console.error(`usage: npm run bench -- <suite> [--threads N]\nsuites:\n${Object.entries(SUITES).map(([k, v]) => `  ${k.padEnd(12)} ${v.summary}`).join('\n')}`);
  process.exit(name ? 2 : 0);
}
const threads = values.threads ? Number(values.threads) : availableParallelism();
if (!Number.isInteger(threads) || threads < 1) {
  console.error(`--threads should be a positive integer, not ${values.threads}`);
  process.exit(2);
}
const suite = await SUITES[name].load();
const table = await suite.run({ threads, root });
console.log(formatTable(table));
console.log(`\nwritten: ${writeResult(root, name, table)}`);
