// index: indexing a real tree of 5,000+ source files (this repository's node_modules) with the
// static embedder and with a transformers.js ONNX model: cold files/s and MB/s, time to re-index
// after one file is edited, peak RSS. Each embedder runs in a process of its own.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeGloveOnnxModel } from '../../fixtures/embed/gloveOnnxModel.js';
import type { SuiteOptions } from '../run.js';
import type { BenchTable } from '../table.js';

interface IndexMeasure {
  embedderId: string; files: number; filesIndexed: number; skipped: number; chunks: number; bytes: number;
  coldSeconds: number; reindexSeconds: number; reindexIndexed: number; touched?: string; peakRssBytes: number;
}

async function measure(root: string, spec: string, cwd: string): Promise<IndexMeasure> {
  const db = mkdtempSync(join(tmpdir(), 'pinpoint-bench-index-'));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/bench/ours/measureIndex.ts', root, db, spec], { cwd, maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as IndexMeasure;
  } finally {
    rmSync(db, { recursive: true, force: true });
  }
}

export async function run(options: SuiteOptions): Promise<BenchTable> {
  const root = join(options.root, 'node_modules');
  const onnxDir = mkdtempSync(join(tmpdir(), 'pinpoint-bench-onnx-'));
  try {
    await writeGloveOnnxModel(onnxDir);
    const rows = [];
    const details: Record<string, IndexMeasure> = {};
    for (const [name, spec] of [['static (GloVe 100d)', 'static:glove100d'], ['transformers.js ONNX', `onnx:${onnxDir}`]] as const) {
      console.error(`indexing ${root} with ${spec}...`);
      const m = await measure(root, spec, options.root);
      details[name] = m;
      rows.push([name, m.files, m.chunks, m.skipped, m.files / m.coldSeconds, m.bytes / 2 ** 20 / m.coldSeconds, m.coldSeconds, m.reindexSeconds, m.peakRssBytes / 2 ** 20]);
    }
    return {
      title: `Indexing ${root}`,
      columns: ['embedder', 'files', 'chunks', 'skipped', 'cold files/s', 'cold MiB/s', 'cold s', 're-index after 1 edit s', 'peak RSS MiB'],
      rows,
      notes: [
        'Cold: empty database; walk, parse (worker pool), chunk (tree-sitter), embed, write LanceDB, build indexes. Re-index: the same process, one file edited (target < 1 s).',
        'The ONNX model is the test embedding network built from GloVe (test/fixtures/embed/gloveOnnxModel.ts): a real ONNX graph run by transformers.js/onnxruntime, but much smaller than bge-small (no model hub here).',
      ],
      details,
    };
  } finally {
    rmSync(onnxDir, { recursive: true, force: true });
  }
}
