// What every area's handlers share: the service's configuration, the corpus lookup (with the
// guarded roots the service may read), embedders kept warm by spec, the host's reranker (loaded on
// first use, then kept), and the cleanups run when the service stops. One ServiceContext per
// running service.

import type { Embedder } from '../../../rag/common/embedder.js';
import { createEmbedder } from '../../../rag/embed/node/createEmbedder.js';
import { readCorpora, type CorpusRecord } from '../../../rag/index/node/corpusRegistry.js';
import type { Reranker } from '../../../rag/search/common/reranker.js';
import { CrossEncoderReranker } from '../../../rag/search/node/CrossEncoderReranker.js';
import type { ModelStoreOptions } from '../../../models/node/modelStore.js';
import { ServiceError } from '../../common/errors.js';
import type { RequestHandler } from '../../common/messenger/IMessenger.js';
import type { RequestType, ToService } from '../../common/protocol.js';
import { guardRoots, type GuardedRoot } from '../rootGuard.js';

/** The corpus a request names when it names none. */
export const DEFAULT_CORPUS = 'default';

/** Where the service keeps its data, and how it is hosted. Plain values: it crosses to a worker. */
export interface ServiceConfig {
  /** The index database folder (corpora.json and the tables). Requests cannot choose another. */
  readonly dbDir: string;
  /** Model cache folder; default the OS convention (or PINPOINT_CACHE_DIR). */
  readonly cacheDir?: string;
  /**
   * Absolute cross-encoder model folder that reranks every search (search/query and ask/question);
   * default none. Set by the host at start: no request can name a reranker.
   */
  readonly reranker?: string;
  /** Where the service runs, for `system/info`. */
  readonly hostedIn: 'worker' | 'child-process' | 'in-process';
}

/** Registers the handler of one request type. */
export type OnRequest = <K extends RequestType>(type: K, handler: RequestHandler<ToService, K>) => void;

/** A corpus as handlers use it: its record and the roots they may read. */
export interface OpenCorpus {
  readonly name: string;
  readonly record: CorpusRecord;
  readonly roots: readonly GuardedRoot[];
}

/** Embedders by spec, made once and shared by requests (loading one can take seconds). */
export class EmbedderCache {
  private readonly embedders = new Map<string, Promise<Embedder>>();

  /** The embedder of `spec`; a failed load is forgotten so that the next request tries again. */
  get(spec: string): Promise<Embedder> {
    let embedder = this.embedders.get(spec);
    if (!embedder) {
      embedder = createEmbedder(spec);
      this.embedders.set(spec, embedder);
      embedder.catch(() => this.embedders.delete(spec));
    }
    return embedder;
  }

  async dispose(): Promise<void> {
    const all = [...this.embedders.values()];
    this.embedders.clear();
    await Promise.all(all.map((p) => p.then((e) => e.dispose(), () => undefined)));
  }
}

/** Shared state of the handlers. */
export class ServiceContext {
  readonly embedders = new EmbedderCache();
  /** The request types with a registered handler. */
  readonly answered = new Set<RequestType>();
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private loadedReranker: Promise<Reranker> | undefined;

  constructor(readonly config: ServiceConfig) {}

  /** Options for the model manager (core/models). */
  get models(): ModelStoreOptions {
    return this.config.cacheDir ? { cacheDir: this.config.cacheDir } : {};
  }

  /**
   * The corpus `name` (default "default") with its guarded roots.
   * @throws ServiceError not-found naming the corpora there are.
   */
  async corpus(name = DEFAULT_CORPUS): Promise<OpenCorpus> {
    const corpora = await readCorpora(this.config.dbDir);
    const record = Object.hasOwn(corpora, name) ? corpora[name] : undefined;
    if (!record) {
      const known = Object.keys(corpora);
      throw new ServiceError('not-found', known.length === 0 ? 'No corpus is indexed yet: send index/start first.' : `No corpus "${name}". Should be one of: ${known.join(', ')}.`);
    }
    return { name, record, roots: await guardRoots(record.roots) };
  }

  /**
   * The configured reranker, loaded by the first search that needs it and shared by the later
   * ones; undefined when none is configured. A failed load is forgotten, so the next search tries
   * again (and fails again, naming the folder, until it is fixed).
   */
  async reranker(): Promise<Reranker | undefined> {
    const folder = this.config.reranker;
    if (folder === undefined) return undefined;
    if (!this.loadedReranker) {
      const loading = CrossEncoderReranker.create(folder);
      this.loadedReranker = loading;
      loading.catch(() => {
        if (this.loadedReranker === loading) this.loadedReranker = undefined;
      });
    }
    return this.loadedReranker;
  }

  /** Runs `cleanup` when the service stops. */
  onDispose(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  async dispose(): Promise<void> {
    const cleanups = this.cleanups.splice(0).reverse();
    for (const cleanup of cleanups) await cleanup();
    await this.embedders.dispose();
    const reranker = this.loadedReranker;
    this.loadedReranker = undefined;
    await reranker?.then((r) => r.dispose(), () => undefined);
  }
}
