// One file's way into the index: unchanged by time -> nothing read; else read and hash ->
// unchanged by content -> nothing parsed; else parsed in the isolated pool; then chunked and
// embedded into the rows the store writes.

import type { Chunker } from '../../chunk/node/chunker.js';
import type { ParsedDocument } from '../../common/document.js';
import type { Embedder } from '../../common/embedder.js';
import type { SkippedFile } from '../../ingest/common/skips.js';
import type { ResolvedWalkOptions, WalkEntry } from '../../ingest/common/walkOptions.js';
import { parseEntry, readEntry } from '../../ingest/node/ingestRoots.js';
import type { ParserPool } from '../../ingest/node/ParserPool.js';
import { textToEmbed, type FileChunks, type IndexedFile } from '../../store/common/schema.js';
import { contentHash } from './contentHash.js';

/** What one file came to after reading and parsing. */
export type Prepared =
  | { readonly kind: 'unchanged'; readonly entry: WalkEntry }
  | { readonly kind: 'skipped'; readonly entry: WalkEntry; readonly skip: SkippedFile }
  | { readonly kind: 'document'; readonly entry: WalkEntry; readonly hash: string; readonly document: ParsedDocument };

/** Reads, hashes and (if changed) parses one file. */
export async function prepare(entry: WalkEntry, known: IndexedFile | undefined, pool: ParserPool, limits: ResolvedWalkOptions, signal?: AbortSignal): Promise<Prepared> {
  if (known && known.mtimeMs === entry.mtimeMs) return { kind: 'unchanged', entry };
  const bytes = await readEntry(entry, limits);
  if (!(bytes instanceof Uint8Array)) return { kind: 'skipped', entry, skip: bytes };
  const hash = contentHash(bytes);
  if (known && known.contentHash === hash) return { kind: 'unchanged', entry };
  const parsed = await parseEntry(entry, bytes, pool, signal);
  return parsed.type === 'document' ? { kind: 'document', entry, hash, document: parsed.document } : { kind: 'skipped', entry, skip: parsed };
}

/** Chunks and embeds one parsed file into the rows the store writes. */
export async function toRows(file: Extract<Prepared, { kind: 'document' }>, chunker: Chunker, embedder: Embedder, signal?: AbortSignal): Promise<FileChunks> {
  const chunks = await chunker.chunk(file.document, file.entry.root);
  const vectors = chunks.length > 0 ? await embedder.embedDocuments(chunks.map(textToEmbed), signal) : [];
  return { root: file.entry.root, path: file.entry.path, contentHash: file.hash, mtimeMs: file.entry.mtimeMs, chunks, vectors };
}

