// Benchmark output: a table printed to the terminal and the same rows written as JSON.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One suite's result: named columns, rows of cells, notes printed under the table. */
export interface BenchTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  readonly notes?: readonly string[];
  /** Anything else worth keeping in the JSON (settings, raw measurements). */
  readonly details?: unknown;
}

function cell(value: string | number): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** The table as aligned text (Markdown pipe layout, so it can be pasted into a note). */
export function formatTable(table: BenchTable): string {
  const cells = [table.columns, ...table.rows.map((r) => r.map(cell))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: readonly (string | number)[]) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  const out = [`## ${table.title}`, '', line(table.columns), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`];
  for (const r of cells.slice(1)) out.push(line(r));
  for (const note of table.notes ?? []) out.push('', note);
  return out.join('\n');
}

/** Writes the table and its details to bench-results/<suite>.json; returns the path. */
export function writeResult(root: string, suite: string, table: BenchTable): string {
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${suite}.json`);
  writeFileSync(path, JSON.stringify({ suite, date: new Date().toISOString(), ...table }, null, 2) + '\n');
  return path;
}
