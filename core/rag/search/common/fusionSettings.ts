// Fusion and full-text settings tuned on training queries only (SciFact's tune half and CoSQA's
// tune half; see core/rag/eval/README.md for the runs). Settings are looked up by the embedder's
// model (its id up to "@"), because how far dense vectors can be trusted is a property of the
// model; an embedder never measured gets the cautious default.

import type { FusionParams } from './fusion.js';

/** Full-text query settings. */
export interface FullTextParams {
  /** Boost of the summary field (context, signatures, docstrings, comments); 0 searches the body only. */
  readonly summaryBoost: number;
}

/** Everything a hybrid search needs to be tuned. */
export interface RetrievalSettings {
  readonly fullText: FullTextParams;
  readonly fusion: FusionParams;
}

/**
 * BM25 settings chosen on both tune halves: the summary field's BM25 is added to the body's with
 * weight 0.25 (0.1-0.5 are within 0.005 on both; 1 and above hurt SciFact, whose summary is
 * the title, by 0.03).
 */
export const FULL_TEXT_SETTINGS: FullTextParams = { summaryBoost: 0.25 };

/** Hybrid equal to BM25: what the tuning guard falls back to. */
export const BM25_ONLY_FUSION: FusionParams = { k: 60, bm25Weight: 1, denseWeight: 0, agreementDepth: 10, trustFloor: 0, trustFull: 0 };

/**
 * For an embedder never evaluated here: the dense side counts only when at least half of its
 * top 10 is in BM25's top 10, fully from 9 in 10. Applied to the weak embedders available here
 * (GloVe mean and SIF, the model2vec fixture) it stays within 0.004 nDCG@10 of BM25 on every half
 * of SciFact and CoSQA, above or below; run the tuning (core/rag/eval/README.md) to give a new
 * embedder its own entry.
 */
export const DEFAULT_FUSION: FusionParams = { k: 60, bm25Weight: 1, denseWeight: 1, agreementDepth: 10, trustFloor: 0.5, trustFull: 0.9 };

/**
 * Tuned fusion by embedder model (the id before "@"), from tuneFusion on the tune halves of
 * SciFact and CoSQA (`npm run bench -- retrieval-quality` repeats it). GloVe averaged by mean and
 * by SIF, and the model2vec fixture, all failed the guard — no setting's gain had a 95%
 * bootstrap lower bound above 0 on both sets (dense alone: 0.13-0.20 nDCG@10 on SciFact, 0.04-0.08
 * on CoSQA) — so hybrid is BM25 alone with them.
 */
export const TUNED_FUSION: Readonly<Record<string, FusionParams>> = {
  'static:glove:glove100d-top20k': BM25_ONLY_FUSION,
  'static:model2vec:test-model-vocab-quantized': BM25_ONLY_FUSION,
};

/** The model part of an embedder id: "static:glove:glove100d-top20k@3f9c?..." -> "static:glove:glove100d-top20k". */
export function embedderModel(embedderId: string): string {
  const at = embedderId.indexOf('@');
  return at < 0 ? embedderId.split('?')[0] : embedderId.slice(0, at);
}

/** The settings for an embedder: its tuned fusion if it has one, else {@link DEFAULT_FUSION}. */
export function retrievalSettingsFor(embedderId: string | undefined): RetrievalSettings {
  const tuned = embedderId === undefined ? undefined : TUNED_FUSION[embedderModel(embedderId)];
  return { fullText: FULL_TEXT_SETTINGS, fusion: tuned ?? DEFAULT_FUSION };
}
