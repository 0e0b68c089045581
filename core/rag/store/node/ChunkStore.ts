// The chunk store of one corpus and one embedder: a LanceDB table on disk. A file's rows are
// replaced by one merge-insert — one LanceDB commit — so after a crash the file has its old rows
// or its new rows, never both and never none. Opening checks the table and repairs it; writes
// keep the indexes current (indexes.ts); the corpus's alias points searches at the table.

import { mkdir } from 'node:fs/promises';
import * as lancedb from '@lancedb/lancedb';
import type { Connection, Table } from '@lancedb/lancedb';
import type { Schema } from 'apache-arrow';
import { ArgumentError } from '../../../base/common/errors.js';
import { MAINTAIN_AFTER_COMMITS, MAINTAIN_AFTER_ROWS, UNINDEXED_ROWS_LIMIT, VECTOR_INDEX_MIN_ROWS } from '../common/indexPolicy.js';
import {
  CHUNKS_ONLY,
  COLUMNS,
  filesCondition,
  sqlString,
  type EmbedderIdentity,
  type FileChunks,
  type FileKey,
  type IndexedFile,
  type StoredChunk,
} from '../common/schema.js';
import { chunkTableName } from '../common/tableName.js';
import { readAlias, writeAlias } from './alias.js';
import { chunkSchema, filesToArrow } from './arrowRows.js';
import { checkTable, repairTable, type RepairReport } from './health.js';
import { maintainIndexes, type MaintainOptions, type MaintenanceReport } from './indexes.js';

/** Options of {@link ChunkStore.open}. */
export interface OpenStoreOptions {
  /** Database folder (created if missing). */
  readonly dir: string;
  /** Name of the corpus (a root folder or a set of them). */
  readonly corpus: string;
  /** The embedder whose vectors the table holds. */
  readonly embedder: EmbedderIdentity;
  /** Run maintenance after enough writes (see indexPolicy.ts); default true. */
  readonly autoMaintain?: boolean;
  /** Point the corpus alias at this table when the corpus has none yet; default true. */
  readonly claimAlias?: boolean;
  /** Index settings for maintenance (tests and tuning). */
  readonly maintain?: MaintainOptions;
}

/** Columns read back for a stored chunk. */
export const CHUNK_COLUMNS = [
  COLUMNS.root,
  COLUMNS.path,
  COLUMNS.language,
  COLUMNS.startLine,
  COLUMNS.endLine,
  COLUMNS.page,
  COLUMNS.ordinal,
  COLUMNS.text,
  COLUMNS.context,
  COLUMNS.contentHash,
  COLUMNS.mtimeMs,
];

/** A row read from LanceDB as a plain object. */
type Row = Record<string, unknown>;

/** A stored chunk from a row of {@link CHUNK_COLUMNS}. */
export function rowToChunk(row: Row): StoredChunk {
  const page = Number(row[COLUMNS.page]);
  return {
    root: String(row[COLUMNS.root]),
    path: String(row[COLUMNS.path]),
    language: String(row[COLUMNS.language]),
    startLine: Number(row[COLUMNS.startLine]),
    endLine: Number(row[COLUMNS.endLine]),
    ...(page > 0 ? { page } : {}),
    ordinal: Number(row[COLUMNS.ordinal]),
    text: String(row[COLUMNS.text]),
    context: String(row[COLUMNS.context]),
    contentHash: String(row[COLUMNS.contentHash]),
    mtimeMs: Number(row[COLUMNS.mtimeMs]),
  };
}

/** The chunk table of one corpus and embedder. Writes are serialized within the process. */
export class ChunkStore {
  private queue: Promise<unknown> = Promise.resolve();
  private rowsSinceMaintenance = 0;
  private commitsSinceMaintenance = 0;

  private constructor(
    private readonly db: Connection,
    /** The LanceDB table (searches read it directly). */
    readonly table: Table,
    readonly dir: string,
    readonly corpus: string,
    readonly embedder: EmbedderIdentity,
    readonly tableName: string,
    /** What opening found and did about the table's health. */
    readonly repair: RepairReport,
    private readonly options: OpenStoreOptions,
  ) {}

  /**
   * Opens (or creates) the table of `corpus` for `embedder` in `dir`, checking it first: a
   * table that cannot be opened or scanned, or whose schema or embedder identity differs, is
   * repaired (see health.ts) and the report says so.
   */
  static async open(options: OpenStoreOptions): Promise<ChunkStore> {
    const { dir, corpus, embedder } = options;
    if (!Number.isInteger(embedder.dimension) || embedder.dimension < 1) {
      throw new ArgumentError(`Embedder ${embedder.id}: dimension ${embedder.dimension} should be a positive integer`);
    }
    await mkdir(dir, { recursive: true });
    const db = await lancedb.connect(dir);
    const name = chunkTableName(corpus, embedder.id);
    const schema = chunkSchema(corpus, embedder);
    const check = await checkTable(db, name, schema);
    let repair: RepairReport = { action: 'none' };
    if (check.state === 'missing') {
      await db.createEmptyTable(name, schema, { mode: 'create', existOk: true });
      repair = { action: 'created' };
    } else if (check.state === 'damaged') {
      repair = await repairTable(db, dir, name, schema, check.reason ?? 'damaged');
    }
    const table = check.table ?? (await db.openTable(name));
    if ((options.claimAlias ?? true) && (await readAlias(dir, corpus)) === undefined) {
      await writeAlias(dir, corpus, { table: name, embedderId: embedder.id, dimension: embedder.dimension });
    }
    return new ChunkStore(db, table, dir, corpus, embedder, name, repair, options);
  }

  /** The table's Arrow schema as created (with the embedder identity in its metadata). */
  expectedSchema(): Schema {
    return chunkSchema(this.corpus, this.embedder);
  }

  /** Runs `work` after every earlier write of this store. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Replaces all rows of each given file by its new chunks, in one commit for the whole batch:
   * a file's old rows and new rows are never both visible, nor both missing. A file with no
   * chunks keeps one marker row, so listFiles still reports it.
   * @throws ArgumentError (before writing anything) for a vector of the wrong length, a chunk
   * of another file, ordinals out of order, or a file given twice.
   */
  async replaceFiles(files: readonly FileChunks[]): Promise<void> {
    const keys = new Set(files.map((f) => `${f.root}\u0000${f.path}`));
    if (keys.size !== files.length) throw new ArgumentError('replaceFiles: a file is given twice in one batch');
    if (files.length === 0) return;
    const data = filesToArrow(this.expectedSchema(), files, this.embedder.dimension);
    return this.serialized(async () => {
      await this.table
        .mergeInsert([COLUMNS.root, COLUMNS.path, COLUMNS.ordinal])
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .whenNotMatchedBySourceDelete({ where: filesCondition(files) })
        .execute(data);
      await this.afterWrite(data.numRows);
    });
  }

  /**
   * Appends the rows of files that have no rows in the table yet (the indexer knows: they were
   * not in listFiles when its run began), in one commit: much cheaper than a merge-insert, which
   * matches against the whole table. Same checks as replaceFiles.
   */
  async addNewFiles(files: readonly FileChunks[]): Promise<void> {
    const keys = new Set(files.map((f) => `${f.root}\u0000${f.path}`));
    if (keys.size !== files.length) throw new ArgumentError('addNewFiles: a file is given twice in one batch');
    if (files.length === 0) return;
    const data = filesToArrow(this.expectedSchema(), files, this.embedder.dimension);
    return this.serialized(async () => {
      await this.table.add(data);
      await this.afterWrite(data.numRows);
    });
  }

  /** Removes every row of the given files in one commit; resolves to the rows removed. */
  deleteFiles(files: readonly FileKey[]): Promise<number> {
    if (files.length === 0) return Promise.resolve(0);
    return this.serialized(async () => {
      const result = await this.table.delete(filesCondition(files));
      await this.afterWrite(0);
      return result.numDeletedRows ?? 0;
    });
  }

  private async afterWrite(rows: number): Promise<void> {
    this.rowsSinceMaintenance += rows;
    this.commitsSinceMaintenance++;
    const due = this.rowsSinceMaintenance >= MAINTAIN_AFTER_ROWS || this.commitsSinceMaintenance >= MAINTAIN_AFTER_COMMITS;
    if (due && (this.options.autoMaintain ?? true)) await this.maintainNow();
  }

  private async maintainNow(): Promise<MaintenanceReport> {
    this.rowsSinceMaintenance = 0;
    this.commitsSinceMaintenance = 0;
    return maintainIndexes(this.table, this.options.maintain);
  }

  /** Builds missing indexes, indexes new rows, compacts, removes old versions (indexes.ts). */
  maintain(): Promise<MaintenanceReport> {
    return this.serialized(() => this.maintainNow());
  }

  /**
   * Maintains when it is worth it: an index is missing (a new table, or the table crossed the
   * ANN threshold), or more than UNINDEXED_ROWS_LIMIT rows are not in the full-text index yet.
   * Unindexed rows are still found by a flat scan, so a small incremental write need not pay for
   * LanceDB's optimize (about a second here).
   */
  maintainIfDue(): Promise<MaintenanceReport | undefined> {
    return this.serialized(async () => {
      const indexes = await this.table.listIndices();
      const fullText = indexes.filter((i) => i.indexType === 'FTS');
      let due = fullText.length < 2;
      if (!due) {
        const stats = await this.table.indexStats(fullText[0].name);
        due = (stats?.numUnindexedRows ?? 0) >= UNINDEXED_ROWS_LIMIT;
      }
      if (!due && !indexes.some((i) => i.columns.includes(COLUMNS.vector))) {
        due = (await this.table.countRows()) >= VECTOR_INDEX_MIN_ROWS;
      }
      return due ? this.maintainNow() : undefined;
    });
  }

  /**
   * Every stored file with its content hash, mtime and chunk count (optionally of one root).
   * Reads the five columns as Arrow vectors (row objects cost 5x more: 0.5 s at 100,000 rows).
   */
  async listFiles(root?: string): Promise<IndexedFile[]> {
    let query = this.table.query().select([COLUMNS.root, COLUMNS.path, COLUMNS.contentHash, COLUMNS.mtimeMs, COLUMNS.ordinal]);
    if (root !== undefined) query = query.where(`${COLUMNS.root} = ${sqlString(root)}`);
    const files = new Map<string, { root: string; path: string; contentHash: string; mtimeMs: number; chunks: number }>();
    for (const batch of (await query.toArrow()).batches) {
      const column = (name: string) => batch.getChild(name)!;
      const [roots, paths, hashes, mtimes, ordinals] = [COLUMNS.root, COLUMNS.path, COLUMNS.contentHash, COLUMNS.mtimeMs, COLUMNS.ordinal].map(column);
      for (let i = 0; i < batch.numRows; i++) {
        const key = `${String(roots.get(i))}\u0000${String(paths.get(i))}`;
        let file = files.get(key);
        if (!file) {
          file = { root: String(roots.get(i)), path: String(paths.get(i)), contentHash: String(hashes.get(i)), mtimeMs: Number(mtimes.get(i)), chunks: 0 };
          files.set(key, file);
        }
        if (Number(ordinals.get(i)) >= 0) file.chunks++;
      }
    }
    return [...files.values()].sort((a, b) => (a.root + a.path < b.root + b.path ? -1 : 1));
  }

  /** Number of chunks (marker rows excluded). */
  count(): Promise<number> {
    return this.table.countRows(CHUNKS_ONLY);
  }

  /** The stored chunks of the given files (or all), ordered by file and ordinal. */
  async readChunks(files?: readonly FileKey[]): Promise<StoredChunk[]> {
    const where = files ? `(${filesCondition(files)}) AND ${CHUNKS_ONLY}` : CHUNKS_ONLY;
    const rows = (await this.table.query().where(where).select(CHUNK_COLUMNS).toArray()) as Row[];
    return rows.map(rowToChunk).sort((a, b) => (a.root + a.path < b.root + b.path ? -1 : a.root + a.path > b.root + b.path ? 1 : a.ordinal - b.ordinal));
  }

  /** Points the corpus's alias at this table (searches switch to it). */
  async makeCurrent(): Promise<void> {
    await writeAlias(this.dir, this.corpus, { table: this.tableName, embedderId: this.embedder.id, dimension: this.embedder.dimension });
  }

  /** Waits for pending writes and closes the table. */
  async close(): Promise<void> {
    await this.queue;
    this.table.close();
    this.db.close();
  }
}
