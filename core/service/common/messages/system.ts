// Protocol types of the `corpora/*` and `system/*` areas: the corpora of the service's database
// and what the service is (versions, folders, the messages it answers). Types only.

/** `corpora/list`: takes no fields. */
export type CorporaListRequest = Readonly<Record<string, never>>;

/** One corpus of the database. */
export interface CorpusInfo {
  readonly name: string;
  /** Absolute root folders indexed into it: the only folders the service reads for it. */
  readonly roots: readonly string[];
  /** Embedder spec of its current table. */
  readonly embedder: string;
}

/** The result of `corpora/list`. */
export interface CorporaListResult {
  readonly corpora: readonly CorpusInfo[];
}

/** `system/info`: takes no fields. */
export type SystemInfoRequest = Readonly<Record<string, never>>;

/** The result of `system/info`. */
export interface SystemInfoResult {
  /** Version of the protocol; a shell refuses a service of another major version. */
  readonly protocolVersion: string;
  readonly node: string;
  readonly platform: string;
  /** Where the index lives, and the model cache. */
  readonly dbDir: string;
  readonly modelsFolder: string;
  /** Whether the service runs in a "worker" thread, a "child-process" or "in-process". */
  readonly hostedIn: 'worker' | 'child-process' | 'in-process';
  /** The cross-encoder folder that reranks searches (set by the host at start); absent when none. */
  readonly reranker?: string;
  /** Every request type the service answers. */
  readonly requests: readonly string[];
}
