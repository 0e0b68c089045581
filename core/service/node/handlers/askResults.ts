// The assistant's results in the protocol's shape (messages/ask.ts): the same fields, minus the
// texts the model saw (a shell reads a source's lines with files/read).

import type { AnswerResult, AnswerSource, ContextReport } from '../../../assistant/common/answerTypes.js';
import type { Citation } from '../../../assistant/common/citations.js';
import type { AskCitation, AskContextReport, AskPlace, AskQuestionResult, AskSource } from '../../common/messages/ask.js';

function placeOf(p: { readonly root: string; readonly path: string; readonly startLine: number; readonly endLine: number; readonly page?: number }): AskPlace {
  return { root: p.root, path: p.path, startLine: p.startLine, endLine: p.endLine, ...(p.page !== undefined ? { page: p.page } : {}) };
}

/** A source without its text. */
export function sourceOf(s: AnswerSource): AskSource {
  return { n: s.n, ...placeOf(s), language: s.language, score: s.score, wholeFile: s.wholeFile, tokens: s.tokens };
}

function citationOf(c: Citation): AskCitation {
  return { n: c.n, valid: c.valid, ...(c.place ? { place: placeOf(c.place) } : {}), mentions: c.mentions };
}

/** The context report, field by field. */
export function contextOf(r: ContextReport): AskContextReport {
  return {
    tokens: r.tokens, budget: r.budget, contextLength: r.contextLength, reservedForAnswer: r.reservedForAnswer, sourceTokens: r.sourceTokens,
    historyTokens: r.historyTokens, tokensEstimated: r.tokensEstimated,
    included: r.included.map((i) => ({ n: i.n, ...placeOf(i), tokens: i.tokens, reason: i.reason })),
    omitted: r.omitted.map((o) => ({ ...placeOf(o), tokens: o.tokens, score: o.score, reason: o.reason })),
    turnsKept: r.turnsKept, turnsOmitted: r.turnsOmitted,
  };
}

/** The result of ask/question. */
export function answerOf(result: AnswerResult, conversationId: string): AskQuestionResult {
  const { retrievalMs, contextMs, prefillMs, firstTokenMs, decodeMs, totalMs, overheadMs } = result.timings;
  return {
    answer: result.answer,
    sources: result.sources.map(sourceOf),
    citations: result.citations.map(citationOf),
    context: contextOf(result.context),
    stopReason: result.stopReason,
    timings: { retrievalMs, contextMs, ...(prefillMs !== undefined ? { prefillMs } : {}), ...(firstTokenMs !== undefined ? { firstTokenMs } : {}), decodeMs, totalMs, overheadMs },
    conversationId,
    model: result.model,
  };
}
