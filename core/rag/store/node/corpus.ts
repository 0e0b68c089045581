// A corpus across embedders: which table is current (the alias), switching to another embedder
// by building its table beside the current one and moving the alias when it is complete, and
// removing tables no alias points to. Searches keep using the old table until the swap; a switch
// that dies half-way resumes where it stopped (files already copied with the same content hash
// are skipped) because the alias moves last.

import * as lancedb from '@lancedb/lancedb';
import { ArgumentError, throwIfAborted } from '../../../base/common/errors.js';
import type { Embedder } from '../../common/embedder.js';
import { METADATA, textToEmbed, type FileChunks, type IndexedFile } from '../common/schema.js';
import { slug } from '../common/tableName.js';
import { readAlias, type CorpusAlias } from './alias.js';
import { ChunkStore, type OpenStoreOptions } from './ChunkStore.js';

/**
 * Opens the corpus's current table (the one its alias points to).
 * @throws ArgumentError when the corpus has no table yet.
 */
export async function openCurrentStore(dir: string, corpus: string, options: Partial<OpenStoreOptions> = {}): Promise<ChunkStore> {
  const alias = await readAlias(dir, corpus);
  if (!alias) throw new ArgumentError(`No index for "${corpus}" in ${dir}: index a folder first`);
  return ChunkStore.open({ ...options, dir, corpus, embedder: { id: alias.embedderId, dimension: alias.dimension }, claimAlias: false });
}

/** Options of {@link switchEmbedder}. */
export interface SwitchEmbedderOptions {
  readonly dir: string;
  readonly corpus: string;
  /** The new embedder: every chunk is embedded again with it. */
  readonly embedder: Embedder;
  /** Chunks embedded per batch (and files per commit at most); default 256. */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  /** Called after each batch with chunks done and total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What a switch did. */
export interface SwitchReport {
  readonly from?: CorpusAlias;
  readonly to: CorpusAlias;
  /** Files copied (embedded again) and files already present from an earlier, interrupted run. */
  readonly filesCopied: number;
  readonly filesReused: number;
  readonly chunks: number;
}

const fileKey = (f: { root: string; path: string }) => `${f.root}\u0000${f.path}`;

/** Copies the files of `source` that `target` lacks (or has with another hash); counts copied and already present files. */
async function copyMissing(
  source: ChunkStore,
  target: ChunkStore,
  options: SwitchEmbedderOptions,
  progress: { done: number; total: number },
): Promise<{ copied: number; present: number }> {
  const have = new Map((await target.listFiles()).map((f) => [fileKey(f), f.contentHash]));
  const files = await source.listFiles();
  const todo = files.filter((f) => have.get(fileKey(f)) !== f.contentHash);
  const present = new Set(files.map(fileKey));
  const gone = [...have.keys()].filter((k) => !present.has(k)).map((k) => ({ root: k.split('\u0000')[0], path: k.split('\u0000')[1] }));
  if (gone.length > 0) await target.deleteFiles(gone);
  progress.total += todo.reduce((n, f) => n + f.chunks, 0);
  const batch = options.batchSize ?? 256;
  for (let i = 0; i < todo.length; ) {
    throwIfAborted(options.signal, 'embedder switch');
    const group: IndexedFile[] = [];
    let chunks = 0;
    while (i < todo.length && (group.length === 0 || chunks + todo[i].chunks <= batch)) {
      chunks += todo[i].chunks;
      group.push(todo[i++]);
    }
    const stored = await source.readChunks(group);
    const vectors = stored.length > 0 ? await options.embedder.embedDocuments(stored.map(textToEmbed), options.signal) : [];
    const out: FileChunks[] = group.map((f) => {
      const picks = stored.map((c, j) => [c, j] as const).filter(([c]) => c.root === f.root && c.path === f.path);
      const own = picks.map(([c]) => ({ root: c.root, path: c.path, language: c.language, startLine: c.startLine, endLine: c.endLine, ...(c.page ? { page: c.page } : {}), text: c.text, context: c.context, ordinal: c.ordinal }));
      return { root: f.root, path: f.path, contentHash: f.contentHash, mtimeMs: f.mtimeMs, chunks: own, vectors: picks.map(([, j]) => vectors[j]) };
    });
    await target.replaceFiles(out);
    progress.done += chunks;
    options.onProgress?.(progress.done, progress.total);
  }
  return { copied: todo.length, present: files.length - todo.length };
}

/**
 * Builds the corpus's table for `embedder` from the current table's chunks and then points the
 * alias at it. Files written to the old table meanwhile are copied in further passes (at most
 * 3) before the swap. Resolves at once when the corpus already uses this embedder.
 * @throws ArgumentError when the corpus has no table yet.
 */
export async function switchEmbedder(options: SwitchEmbedderOptions): Promise<SwitchReport> {
  const { dir, corpus, embedder } = options;
  const from = await readAlias(dir, corpus);
  if (!from) throw new ArgumentError(`No index for "${corpus}" in ${dir}: index a folder first`);
  const identity = { id: embedder.id, dimension: embedder.dimension };
  if (from.embedderId === embedder.id) return { from, to: from, filesCopied: 0, filesReused: 0, chunks: 0 };
  const source = await openCurrentStore(dir, corpus, { autoMaintain: false });
  const target = await ChunkStore.open({ dir, corpus, embedder: identity, claimAlias: false, autoMaintain: false });
  try {
    const progress = { done: 0, total: 0 };
    const first = await copyMissing(source, target, options, progress);
    let copied = first.copied;
    for (let pass = 1, n = first.copied; pass < 3 && n > 0; pass++) {
      n = (await copyMissing(source, target, options, progress)).copied;
      copied += n;
    }
    await target.maintain();
    await target.makeCurrent();
    const to = (await readAlias(dir, corpus))!;
    return { from, to, filesCopied: copied, filesReused: first.present, chunks: await target.count() };
  } finally {
    await source.close();
    await target.close();
  }
}

/**
 * Drops the corpus's tables that its alias does not point to (old embedders' tables after a
 * switch), recognized by the corpus recorded in their schema. Call it when no reader still uses
 * them, e.g. at the next start. Returns their names.
 */
export async function removeUnusedTables(dir: string, corpus: string): Promise<string[]> {
  const alias = await readAlias(dir, corpus);
  const db = await lancedb.connect(dir);
  const prefix = `chunks__${slug(corpus)}__`;
  const unused: string[] = [];
  try {
    for (const name of await db.tableNames()) {
      if (!name.startsWith(prefix) || name === alias?.table) continue;
      let owner: string | undefined;
      try {
        const table = await db.openTable(name);
        owner = (await table.schema()).metadata.get(METADATA.corpus);
        table.close();
      } catch {
        continue;
      }
      if (owner !== corpus) continue;
      await db.dropTable(name);
      unused.push(name);
    }
    return unused;
  } finally {
    db.close();
  }
}
