// Test fixture of the answer pipeline: a small folder of code and Markdown files indexed with the
// real indexer and the static GloVe embedder, recorded as corpus "docs" of a temp database, and
// stories260K as the local model (its answers are nonsense; the pipeline is what tests check).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmbedder } from '../../../../core/rag/embed/node/createEmbedder.js';
import { recordCorpus } from '../../../../core/rag/index/node/corpusRegistry.js';
import { indexRoots } from '../../../../core/rag/index/node/indexRoots.js';

/** The stories260K model (no chat template: the plain format is used). */
export const STORIES_MODEL = fileURLToPath(new URL('../../../../../shared/data/llm/stories260K.gguf', import.meta.url));

/** The corpus name of the fixture index. */
export const CORPUS = 'docs';

const CHANGELOG = Array.from({ length: 24 }, (_, i) => `## Release 1.${i}\n\nRelease 1.${i} fixed ${i + 2} bugs in the report exporter and raised the upload limit to ${i + 10} megabytes.\nThe exporter now writes CSV files with a header row for release ${i}.\n`).join('\n');

/** The files of the fixture folder. */
export const FIXTURE_FILES: Readonly<Record<string, string>> = {
  'src/cache.ts': [
    '// LRU cache used by the HTTP layer.',
    '',
    "import { EventEmitter } from 'node:events';",
    '',
    '/** Keeps the most recently used entries up to a capacity; evicts the oldest entry when full. */',
    'export class LruCache<K, V> extends EventEmitter {',
    '  private readonly entries = new Map<K, V>();',
    '',
    '  constructor(private readonly capacity: number) {',
    '    super();',
    '  }',
    '',
    '  set(key: K, value: V): void {',
    '    this.entries.delete(key);',
    '    this.entries.set(key, value);',
    '    if (this.entries.size > this.capacity) {',
    '      const oldest = this.entries.keys().next().value as K;',
    '      this.entries.delete(oldest);',
    "      this.emit('evict', oldest);",
    '    }',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/stats.ts': [
    '// Descriptive statistics of samples.',
    '',
    '/** The median of the samples (the mean of the two middle values for an even count). */',
    'export function median(samples: readonly number[]): number {',
    '  const sorted = [...samples].sort((a, b) => a - b);',
    '  const middle = Math.floor(sorted.length / 2);',
    '  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;',
    '}',
    '',
  ].join('\n'),
  'docs/deploy.md': '# Deploying\n\nThe service runs on Kubernetes behind nginx.\n\n## Rollback\n\nRun `helm rollback` to return to the previous release of the chart.\n',
  'docs/changelog.md': `# Changelog\n\n${CHANGELOG}`,
};

/** A fixture index: its folder, its database and a cleanup. */
export interface FixtureIndex {
  readonly root: string;
  readonly dbDir: string;
  remove(): void;
}

/** Writes the fixture folder and indexes it into a fresh database (corpus CORPUS). */
export async function createFixtureIndex(files: Readonly<Record<string, string>> = FIXTURE_FILES): Promise<FixtureIndex> {
  const base = mkdtempSync(join(tmpdir(), 'pinpoint-assistant-'));
  const root = join(base, 'project');
  const dbDir = join(base, 'db');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const spec = 'static:glove100d';
  const embedder = await createEmbedder(spec);
  try {
    // Small chunks, so that a file that does not fit whole comes as several results with neighbours.
    await indexRoots({ roots: [root], dbDir, corpus: CORPUS, embedder, chunk: { budget: 64 } });
  } finally {
    await embedder.dispose();
  }
  await recordCorpus(dbDir, CORPUS, [root], spec);
  return { root, dbDir, remove: () => rmSync(base, { recursive: true, force: true }) };
}
