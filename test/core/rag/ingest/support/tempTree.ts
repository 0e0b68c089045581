// Test helper: builds a folder tree in a fresh temp directory from a flat description, and
// collects what the walker yields from it.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { WalkEntry } from '../../../../../core/rag/ingest/common/walkOptions.js';
import type { SkippedFile } from '../../../../../core/rag/ingest/common/skips.js';

/** A file's content, a symbolic link (`{ link: target }`), or a folder (`{}`). */
export type TreeNode = string | Uint8Array | { readonly link: string } | Record<string, never>;

/** Makes a temp folder; returns its path and a cleanup function. */
export function tempFolder(prefix = 'pinpoint-ingest-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes `tree` (relative path -> node) under `root`. */
export function writeTree(root: string, tree: Readonly<Record<string, TreeNode>>): void {
  for (const [path, node] of Object.entries(tree)) {
    const absolute = join(root, path);
    mkdirSync(dirname(absolute), { recursive: true });
    if (typeof node === 'string' || node instanceof Uint8Array) writeFileSync(absolute, node);
    else if ('link' in node) symlinkSync(node.link, absolute);
    else mkdirSync(absolute, { recursive: true });
  }
}

/** Files and skips of a walk, as paths and "path: reason" strings. */
export async function collect(items: AsyncIterable<WalkEntry | SkippedFile>): Promise<{ files: string[]; skips: string[]; entries: WalkEntry[]; skipped: SkippedFile[] }> {
  const entries: WalkEntry[] = [];
  const skipped: SkippedFile[] = [];
  for await (const item of items) {
    if (item.type === 'file') entries.push(item);
    else skipped.push(item);
  }
  return { files: entries.map((e) => e.path), skips: skipped.map((s) => `${s.path}: ${s.reason}`), entries, skipped };
}
