// Test helpers for the indexer: a realistic little source tree, and the contents of a corpus
// table in a comparable form (every chunk's place, lines, text and file hash, sorted).

import { ChunkStore } from '../../../../core/rag/store/node/ChunkStore.js';
import type { Embedder } from '../../../../core/rag/common/embedder.js';

/** A few files per language, with functions and headings to chunk by. */
export function sourceTree(files = 12): Record<string, string> {
  const tree: Record<string, string> = {};
  for (let i = 0; i < files; i++) {
    tree[`src/module${i}.ts`] = `// Module ${i}: parses records and sums their totals.\n\nexport interface Record${i} {\n  readonly id: number;\n  readonly total: number;\n}\n\n/** Sums the totals of records of kind ${i}. */\nexport function sumTotals${i}(records: readonly Record${i}[]): number {\n  let sum = 0;\n  for (const r of records) sum += r.total * ${i + 1};\n  return sum;\n}\n\nexport class Parser${i} {\n  parseLine(line: string): Record${i} {\n    const [id, total] = line.split(',').map(Number);\n    return { id, total };\n  }\n}\n`;
    tree[`py/tool${i}.py`] = `"""Tool ${i}: cleans and normalizes names."""\n\n\ndef normalize_name_${i}(name):\n    """Lowercases and strips a name."""\n    return name.strip().lower()\n\n\nclass Cleaner${i}:\n    def clean(self, rows):\n        return [normalize_name_${i}(r) for r in rows]\n`;
  }
  tree['docs/guide.md'] = '# Guide\n\nHow to install.\n\n## Linux\n\nRun the installer with sudo.\n\n## macOS\n\nDrag the app to Applications.\n';
  tree['notes.txt'] = 'Plain notes about the release schedule.\n\nSecond paragraph about the budget.\n';
  return tree;
}

/** Eight small files on eight topics with few shared words, one chunk each (bag-of-words search tells them apart). */
export function topicTree(): Record<string, string> {
  return {
    'docs/astronomy.md': '# Astronomy\n\nThe telescope follows the orbit of the planets around the sun at night.\n',
    'docs/cooking.md': '# Cooking\n\nBoil the pasta, then add tomato sauce, garlic and fresh basil.\n',
    'docs/gardening.md': '# Gardening\n\nWater the roses in the morning and prune the hedge in spring.\n',
    'notes/finance.txt': 'The quarterly budget shows revenue, expenses and the tax owed.\n',
    'notes/travel.txt': 'Book the train to the mountains and pack boots for the hike.\n',
    'src/config.ts': '/** Parses the config file into settings. */\nexport function parseConfig(text: string): Record<string, string> {\n  return Object.fromEntries(text.split("\\n").map((line) => line.split("=")));\n}\n',
    'src/music.py': '"""Plays the guitar chords of a song."""\n\n\ndef play_chords(song):\n    return [chord for chord in song.chords]\n',
    'src/weather.ts': '/** The forecast: rain, wind and temperature for tomorrow. */\nexport const forecast = { rain: true, wind: 12, temperature: 18 };\n',
  };
}

/** A comparable snapshot of a corpus table. */
export async function tableSnapshot(dbDir: string, corpus: string, embedder: Embedder): Promise<string[]> {
  const store = await ChunkStore.open({ dir: dbDir, corpus, embedder: { id: embedder.id, dimension: embedder.dimension }, claimAlias: false });
  try {
    const chunks = await store.readChunks();
    return chunks.map((c) => JSON.stringify([c.root, c.path, c.ordinal, c.startLine, c.endLine, c.page ?? 0, c.language, c.context, c.text, c.contentHash])).sort();
  } finally {
    await store.close();
  }
}
