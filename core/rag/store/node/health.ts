// Detecting a damaged chunk table and bringing it back. A table is damaged when it cannot be
// opened or scanned (a data file or manifest missing or corrupt), or when its schema or its
// embedder identity is not what its name promises. Repair first tries the newest older version
// that scans cleanly (LanceDB keeps versions until cleanup) and restores it; if none does, the
// table is removed and created empty, and the indexer's next incremental pass fills it again.

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection, Table } from '@lancedb/lancedb';
import type { Schema } from 'apache-arrow';
import { COLUMNS, METADATA, type EmbedderIdentity } from '../common/schema.js';

/** What a check found. */
export interface TableCheck {
  readonly state: 'ok' | 'missing' | 'damaged';
  /** Why the table is damaged. */
  readonly reason?: string;
}

/** What opening a store did about the table's health. */
export interface RepairReport {
  readonly action: 'none' | 'created' | 'restored' | 'rebuilt';
  /** The problem found, when something was done about it. */
  readonly reason?: string;
  /** The version restored (action "restored"). */
  readonly version?: number;
}

/** Versions tried, newest first, before giving up and rebuilding. */
const MAX_VERSIONS_TRIED = 10;

/** Differences between a table's schema and the expected one, or undefined if none. */
export function schemaProblem(actual: Schema, expected: Schema): string | undefined {
  for (const key of [METADATA.embedderId, METADATA.dimension, METADATA.corpus, METADATA.layout]) {
    const have = actual.metadata.get(key);
    const want = expected.metadata.get(key);
    if (have !== want) return `schema metadata ${key} is ${JSON.stringify(have)}, expected ${JSON.stringify(want)}`;
  }
  for (const field of expected.fields) {
    const found = actual.fields.find((f) => f.name === field.name);
    if (!found) return `column ${field.name} is missing`;
    if (String(found.type) !== String(field.type)) return `column ${field.name} is ${String(found.type)}, expected ${String(field.type)}`;
  }
  return undefined;
}

/** Reads every fragment's key columns, so a missing or truncated data file fails here. */
async function scan(table: Table): Promise<void> {
  const rows = await table.countRows();
  const read = (await table.query().select([COLUMNS.path, COLUMNS.ordinal, COLUMNS.contentHash]).toArrow()).numRows;
  if (read !== rows) throw new Error(`counted ${rows} rows but read ${read}`);
}

/** Checks an open table against the expected schema and by a scan. */
export async function checkOpenTable(table: Table, expected: Schema): Promise<TableCheck> {
  try {
    const problem = schemaProblem(await table.schema(), expected);
    if (problem) return { state: 'damaged', reason: problem };
    await scan(table);
    return { state: 'ok' };
  } catch (error) {
    return { state: 'damaged', reason: `scan failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Opens and checks the table `name`. */
export async function checkTable(db: Connection, name: string, expected: Schema): Promise<TableCheck & { table?: Table }> {
  if (!(await db.tableNames()).includes(name)) return { state: 'missing' };
  let table: Table;
  try {
    table = await db.openTable(name);
  } catch (error) {
    return { state: 'damaged', reason: `open failed: ${(error as Error).message.split('\n')[0]}` };
  }
  const check = await checkOpenTable(table, expected);
  if (check.state !== 'ok') table.close();
  return { ...check, table: check.state === 'ok' ? table : undefined };
}

/** Restores the newest older version that checks clean; its number, or undefined. */
async function restoreOlderVersion(db: Connection, name: string, expected: Schema): Promise<number | undefined> {
  let table: Table;
  try {
    table = await db.openTable(name);
  } catch {
    return undefined;
  }
  try {
    const versions = (await table.listVersions()).map((v) => v.version).sort((a, b) => b - a);
    for (const version of versions.slice(1, 1 + MAX_VERSIONS_TRIED)) {
      try {
        await table.checkout(version);
        if ((await checkOpenTable(table, expected)).state !== 'ok') continue;
        await table.restore();
        return version;
      } catch {
        continue;
      }
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    table.close();
  }
}

/**
 * Repairs a damaged table: restores an older clean version, else removes the table's folder
 * and creates the table empty. Schema or identity mismatches are never restored (an older
 * version has the same schema): they are rebuilt.
 */
export async function repairTable(db: Connection, dir: string, name: string, expected: Schema, reason: string): Promise<RepairReport> {
  const identity = reason.startsWith('schema') || reason.startsWith('column');
  const version = identity ? undefined : await restoreOlderVersion(db, name, expected);
  if (version !== undefined) return { action: 'restored', reason, version };
  await rm(join(dir, `${name}.lance`), { recursive: true, force: true });
  await db.createEmptyTable(name, expected, { mode: 'overwrite' });
  return { action: 'rebuilt', reason };
}

/** The identity recorded in a table's schema, if it has one. */
export function recordedIdentity(schema: Schema): EmbedderIdentity | undefined {
  const id = schema.metadata.get(METADATA.embedderId);
  const dimension = Number(schema.metadata.get(METADATA.dimension));
  return id !== undefined && Number.isInteger(dimension) ? { id, dimension } : undefined;
}
