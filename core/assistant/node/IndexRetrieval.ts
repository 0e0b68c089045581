// The pipeline's view of an index on disk: the corpus's current table, the embedder its vectors
// came from (so queries are embedded the same way), hybrid search through the Retriever (reranked
// when a reranker is given), and the chunks of whole files read back from the same table.

import { ArgumentError, throwIfAborted } from '../../base/common/errors.js';
import type { Embedder } from '../../rag/common/embedder.js';
import { createEmbedder } from '../../rag/embed/node/createEmbedder.js';
import { findCorpus } from '../../rag/index/node/corpusRegistry.js';
import type { Reranker } from '../../rag/search/common/reranker.js';
import type { SearchMode, SearchResult } from '../../rag/search/common/types.js';
import { Retriever } from '../../rag/search/node/Retriever.js';
import type { ChunkStore } from '../../rag/store/node/ChunkStore.js';
import { openCurrentStore } from '../../rag/store/node/corpus.js';
import type { AnswerRetrieval } from '../common/Assistant.js';
import type { PassageChunk } from '../common/joinChunks.js';

/** Options of {@link IndexRetrieval.open}. */
export interface IndexRetrievalOptions {
  /** Database folder. */
  readonly dbDir: string;
  /** Corpus name. */
  readonly corpus: string;
  /** Retriever; default "hybrid". */
  readonly mode?: SearchMode;
  /** An embedder already made for this corpus (not disposed here); default: one made from the corpus's spec. */
  readonly embedder?: Embedder;
  /** Reranks the first results (not disposed here); default none. */
  readonly reranker?: Reranker;
}

/** Search and chunk reads over one corpus of an index. */
export class IndexRetrieval implements AnswerRetrieval {
  private constructor(
    readonly store: ChunkStore,
    private readonly retriever: Retriever,
    private readonly mode: SearchMode,
    /** The corpus's root folders. */
    readonly roots: readonly string[],
    private readonly ownEmbedder: Embedder | undefined,
  ) {}

  /**
   * Opens the corpus `corpus` of `dbDir`.
   * @throws ExpectedError for a folder without that corpus; ArgumentError when the corpus's embedder no longer gives its table's vectors.
   */
  static async open(options: IndexRetrievalOptions): Promise<IndexRetrieval> {
    const mode = options.mode ?? 'hybrid';
    const record = await findCorpus(options.dbDir, options.corpus);
    const store = await openCurrentStore(options.dbDir, options.corpus);
    let own: Embedder | undefined;
    try {
      own = mode === 'bm25' || options.embedder ? undefined : await createEmbedder(record.embedder);
      const embedder = options.embedder ?? own;
      if (embedder && embedder.id !== store.embedder.id) {
        throw new ArgumentError(`The index of corpus "${options.corpus}" was built with ${store.embedder.id}, but ${record.embedder} now gives ${embedder.id} (its files changed); index again`);
      }
      return new IndexRetrieval(store, new Retriever(store, { embedder, reranker: options.reranker }), mode, record.roots, own);
    } catch (error) {
      await own?.dispose();
      await store.close();
      throw error;
    }
  }

  search(query: string, options: { readonly k: number; readonly signal?: AbortSignal }): Promise<SearchResult[]> {
    return this.retriever.search(query, { k: options.k, mode: this.mode, signal: options.signal });
  }

  async readChunks(files: readonly { readonly root: string; readonly path: string }[], signal?: AbortSignal): Promise<PassageChunk[]> {
    throwIfAborted(signal, 'reading the files of the sources');
    return files.length === 0 ? [] : this.store.readChunks(files);
  }

  /** Closes the table and the embedder this opened. */
  async dispose(): Promise<void> {
    await this.ownEmbedder?.dispose();
    await this.store.close();
  }
}
