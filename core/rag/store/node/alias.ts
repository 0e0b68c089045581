// The pointer from a corpus to the table in use: a small JSON file replaced by rename, so a
// reader sees the old pointer or the new one, never a torn write. Switching embedders builds the
// new table first and moves this pointer last.

import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ArgumentError } from '../../../base/common/errors.js';
import { aliasFileName } from '../common/tableName.js';

/** Where a corpus's searches go. */
export interface CorpusAlias {
  readonly table: string;
  readonly embedderId: string;
  readonly dimension: number;
  /** ISO time of the switch. */
  readonly updatedAt: string;
}

/** Path of the alias file of `corpus` in the database folder `dir`. */
export function aliasPath(dir: string, corpus: string): string {
  return join(dir, aliasFileName(corpus));
}

/** The corpus's alias, or undefined when it has none yet. */
export async function readAlias(dir: string, corpus: string): Promise<CorpusAlias | undefined> {
  const path = aliasPath(dir, corpus);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const alias = JSON.parse(text) as Partial<CorpusAlias>;
  if (typeof alias.table !== 'string' || typeof alias.embedderId !== 'string' || typeof alias.dimension !== 'number') {
    throw new ArgumentError(`${path}: not a Pinpoint alias file (expected {table, embedderId, dimension})`);
  }
  return alias as CorpusAlias;
}

/** Points the corpus at `alias.table`: writes a temporary file, flushes it, renames it over the alias. */
export async function writeAlias(dir: string, corpus: string, alias: Omit<CorpusAlias, 'updatedAt'>): Promise<CorpusAlias> {
  const path = aliasPath(dir, corpus);
  const full: CorpusAlias = { ...alias, updatedAt: new Date().toISOString() };
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(JSON.stringify(full, null, 2) + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
  return full;
}
