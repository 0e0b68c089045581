// The chunker of ingestion: ParsedDocument -> Chunk[]. Code goes through tree-sitter (grammars
// loaded once per process) and the syntax-tree chunker, or by lines when its language has no
// grammar, the grammar fails to load, the parse times out, or the file is over MAX_SYNTAX_CHARS;
// documents go to the section chunker.

import type { Chunk } from '../../common/chunk.js';
import type { ParsedDocument } from '../../common/document.js';
import { chunkCode, sourceOfSections } from '../common/codeChunker.js';
import { chunkDocument } from '../common/documentChunker.js';
import { resolveCodeLanguage } from '../common/languages.js';
import { type ChunkOptions, resolveChunkOptions } from '../common/options.js';
import { sharedTreeSitterParsers, type TreeSitterParsers } from './TreeSitterParsers.js';

/**
 * Source longer than this is chunked by lines, not by syntax tree: files this large are bundles or
 * generated code, and tree-sitter's tree of a 9 MB bundle costs about a gigabyte of memory.
 */
export const MAX_SYNTAX_CHARS = 1 << 20;

/** Turns parsed files into chunks. */
export interface Chunker {
  /** Chunks of `doc`, a file under the indexed folder `root`, in order (ordinal 0, 1, ...). */
  chunk(doc: ParsedDocument, root: string): Promise<Chunk[]>;
}

/**
 * A chunker with fixed sizes. `parsers` defaults to the process-wide tree-sitter parsers.
 * Throws ArgumentError for bad sizes.
 */
export function createChunker(options: ChunkOptions, parsers: TreeSitterParsers = sharedTreeSitterParsers()): Chunker {
  const resolved = resolveChunkOptions(options);
  return {
    async chunk(doc, root) {
      if (doc.kind !== 'code') return chunkDocument(doc, root, resolved);
      const language = resolveCodeLanguage(doc.language, doc.path);
      const source = sourceOfSections(doc.sections);
      const target = { root, path: doc.path, language: doc.language ?? language?.id ?? 'text' };
      const tree = language && source.text.length <= MAX_SYNTAX_CHARS ? await parsers.parse(source.text, language.grammar) : undefined;
      if (!tree || !language) return chunkCode(source, target, resolved);
      try {
        return chunkCode(source, target, resolved, { root: tree.rootNode, language });
      } finally {
        tree.delete();
      }
    },
  };
}
