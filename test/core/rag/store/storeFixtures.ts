// Shared helpers of the store tests: chunks and vectors of made-up files, and temporary folders.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Chunk } from '../../../../core/rag/common/chunk.js';
import type { Embedder } from '../../../../core/rag/common/embedder.js';
import type { FileChunks } from '../../../../core/rag/store/common/schema.js';

/** A temporary folder removed by the returned function. */
export function tempDir(prefix = 'pinpoint-store-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A vector of `dimension` numbers derived from `seed` (unit length). */
export function vectorOf(seed: number, dimension: number): Float32Array {
  const v = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) v[i] = Math.sin(seed * 12.9898 + i * 78.233);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** A file of `count` chunks of ten lines each; every text names the file, the tag and the ordinal. */
export function fileOf(path: string, count: number, tag: string, dimension = 4, options: { root?: string; language?: string; text?: (i: number) => string } = {}): FileChunks {
  const root = options.root ?? '/project';
  const chunks: Chunk[] = Array.from({ length: count }, (_, i) => ({
    root,
    path,
    language: options.language ?? 'typescript',
    startLine: i * 10 + 1,
    endLine: i * 10 + 10,
    text: options.text ? options.text(i) : `// ${tag} chunk ${i} of ${path}`,
    context: '',
    ordinal: i,
  }));
  return { root, path, contentHash: tag, mtimeMs: 1000, chunks, vectors: chunks.map((_, i) => vectorOf(i + tag.length, dimension)) };
}

/**
 * A test double of the Embedder interface: hashed bag of words (each lowercased word adds 1 to
 * the coordinate its FNV hash picks), L2-normalized. Counts calls so tests can see re-embedding.
 */
export function hashEmbedder(id: string, dimension: number): Embedder & { documents: number; aborts?: AbortController } {
  const embed = (text: string) => {
    const v = new Float32Array(dimension);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      let h = 0x811c9dc5;
      for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
      v[(h >>> 0) % dimension] += 1;
    }
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  };
  const embedder = {
    id,
    dimension,
    maxTokens: 512,
    normalized: true,
    documents: 0,
    countTokens: (text: string) => (text.match(/\S+/g) ?? []).length,
    async embedDocuments(texts: readonly string[]) {
      embedder.documents += texts.length;
      return texts.map(embed);
    },
    embedQuery: async (text: string) => embed(text),
    dispose: async () => {},
  };
  return embedder;
}
