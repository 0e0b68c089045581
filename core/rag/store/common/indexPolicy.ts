// When and how the store builds its indexes. The numbers come from measurements on this
// machine (README.md beside this folder has them). The analyzer settings were chosen on the tune
// halves of SciFact's training queries and of CoSQA's dev queries: Porter stemming helps both
// (+0.03 nDCG@10), stop words kept help code queries ("is", "not", "in" are keywords there) and
// do not change SciFact; ASCII folding changes nothing measurable and is kept for accents.

/** The analyzer options of LanceDB's native full-text index that Pinpoint sets (its FtsOptions). */
export interface FullTextOptions {
  readonly baseTokenizer: 'simple' | 'whitespace';
  readonly language: string;
  readonly lowercase: boolean;
  readonly stem: boolean;
  readonly removeStopWords: boolean;
  readonly asciiFolding: boolean;
  readonly withPosition: boolean;
  readonly maxTokenLength: number;
}

/** The analyzer options chosen by evaluation. */
export const FULL_TEXT_OPTIONS: FullTextOptions = {
  baseTokenizer: 'simple',
  language: 'English',
  lowercase: true,
  stem: true,
  removeStopWords: false,
  asciiFolding: true,
  withPosition: false,
  maxTokenLength: 40,
};

/**
 * Rows from which the vector column gets an ANN index (IVF-HNSW-SQ). Below it LanceDB's exact
 * flat scan is used: at 100-d it costs about 0.65 ms per 1,000 rows here, so 20,000 rows stay
 * under ~15 ms, while the ANN index costs ~13 s to build per 100,000 rows.
 */
export const VECTOR_INDEX_MIN_ROWS = 20_000;

/** Versions younger than this are kept by cleanup, so readers of an older version keep working. */
export const KEEP_VERSIONS_MS = 10 * 60 * 1000;

/**
 * After this many rows written (or commits) since the last maintenance, a write runs
 * maintenance itself (compaction, incremental index update, cleanup). Unindexed rows are found
 * by a flat scan meanwhile, so this bounds query cost, not correctness.
 */
export const MAINTAIN_AFTER_ROWS = 5_000;
export const MAINTAIN_AFTER_COMMITS = 100;

/**
 * Rows outside the full-text index above which maintainIfDue runs LanceDB's optimize. Below it
 * the flat scan of unindexed rows costs a few milliseconds per query.
 */
export const UNINDEXED_ROWS_LIMIT = 2_000;
