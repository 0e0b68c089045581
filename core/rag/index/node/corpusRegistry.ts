// What a database folder holds: its corpora, each with the roots indexed into it and the spec of
// the embedder its vectors come from (so a search can embed its query the same way). Kept in
// <db>/corpora.json, written by rename so that a crash never leaves half a file.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExpectedError, ErrorReason } from '../../../base/common/errors.js';

export interface CorpusRecord {
  /** Absolute root folders indexed into the corpus. */
  readonly roots: readonly string[];
  /** Embedder spec of its current table. */
  readonly embedder: string;
}

const FILE = 'corpora.json';

/** The corpora of `dbDir` (empty when it has none yet). */
export async function readCorpora(dbDir: string): Promise<Record<string, CorpusRecord>> {
  let text: string;
  try {
    text = await readFile(join(dbDir, FILE), 'utf8');
  } catch {
    return {};
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    for (const [name, record] of Object.entries(value)) {
      const r = record as Partial<CorpusRecord>;
      if (!Array.isArray(r.roots) || typeof r.embedder !== 'string') throw new Error(`corpus "${name}" is malformed`);
    }
    return value as Record<string, CorpusRecord>;
  } catch (error) {
    throw new ExpectedError(ErrorReason.BadArgument, `${join(dbDir, FILE)}: ${(error as Error).message}; remove the file and index again`);
  }
}

/** Records (or updates) a corpus: its roots are merged, its embedder replaced. */
export async function recordCorpus(dbDir: string, name: string, roots: readonly string[], embedder: string): Promise<CorpusRecord> {
  const corpora = await readCorpora(dbDir);
  const previous = corpora[name];
  const record: CorpusRecord = { roots: [...new Set([...(previous?.roots ?? []), ...roots])].sort(), embedder };
  corpora[name] = record;
  await mkdir(dbDir, { recursive: true });
  const temporary = join(dbDir, `${FILE}.${process.pid}.tmp`);
  await writeFile(temporary, JSON.stringify(corpora, null, 2) + '\n');
  await rename(temporary, join(dbDir, FILE));
  return record;
}

/** The corpus `name` of `dbDir`, or a clear error naming the corpora there. */
export async function findCorpus(dbDir: string, name: string): Promise<CorpusRecord> {
  const corpora = await readCorpora(dbDir);
  const record = corpora[name];
  if (!record) {
    const known = Object.keys(corpora);
    throw new ExpectedError(ErrorReason.BadArgument, known.length === 0
      ? `${dbDir} has no index yet; run "pinpoint index PATH --db ${dbDir}" first`
      : `No corpus "${name}" in ${dbDir}. Should be one of: ${known.join(', ')}.`);
  }
  return record;
}
