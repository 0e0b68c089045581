// The prompt of one answer within the model's context: the budget (context length minus the room
// reserved for the answer), the earlier turns that fit their share, the sources that fit the rest
// (contextBuilder.ts), and a check of the rendered prompt's real token count: if joining the
// blocks cost more than their separate counts, the sources are chosen again for a smaller budget,
// so the prompt never exceeds its budget. The report says what went in and what was left out.

import { ArgumentError, ErrorReason, ExpectedError } from '../../base/common/errors.js';
import type { SearchResult } from '../../rag/search/common/types.js';
import { answerMessages, SOURCE_SEPARATOR, sourceBlock, type AnswerPrompts } from './answerPrompt.js';
import type { AnswerSource, ContextReport } from './answerTypes.js';
import type { ChatMessage, ChatModel } from './chatModel.js';
import { buildContext, type BuiltContext } from './contextBuilder.js';
import { keepHistory, type ConversationTurn } from './conversation.js';
import type { PassageChunk } from './joinChunks.js';

/** How the context is split between prompt and answer. */
export interface PromptBudget {
  /** Tokens of context used (the model's, or less when asked). */
  readonly contextLength: number;
  /** Tokens kept free for the answer; also its max tokens. */
  readonly reservedForAnswer: number;
  /** Tokens the prompt may take. */
  readonly budget: number;
}

/** Share of the context reserved for the answer when no max tokens is given. */
export const DEFAULT_ANSWER_SHARE = 0.25;
/** Share of the prompt budget earlier turns may take. */
export const DEFAULT_HISTORY_SHARE = 0.25;
/** Times the sources are chosen again when the rendered prompt came out over budget. */
const FIT_ATTEMPTS = 4;

/**
 * The budget for `model`: `contextLength` caps the model's; the answer gets `maxTokens`, or
 * `answerShare` of the context.
 * @throws ArgumentError when the answer would leave no room for a prompt.
 */
export function promptBudget(model: ChatModel, options: { contextLength?: number; maxTokens?: number; answerShare?: number } = {}): PromptBudget {
  const contextLength = Math.min(model.contextLength, options.contextLength ?? Infinity);
  const share = options.answerShare ?? DEFAULT_ANSWER_SHARE;
  if (!(share > 0 && share < 1)) throw new ArgumentError(`Invalid answer share: ${share}. Should be a fraction between 0 and 1.`);
  const reservedForAnswer = options.maxTokens ?? Math.max(1, Math.floor(contextLength * share));
  if (!Number.isInteger(reservedForAnswer) || reservedForAnswer < 1 || reservedForAnswer >= contextLength) {
    throw new ArgumentError(`Invalid max tokens for the answer: ${reservedForAnswer}. Should be an integer from 1 to ${contextLength - 1}: the context of ${model.id} holds ${contextLength} tokens, prompt and answer together.`);
  }
  return { contextLength, reservedForAnswer, budget: contextLength - reservedForAnswer };
}

/** The report of an answer that stopped before its context was built. */
export function emptyReport(model: ChatModel, budget: PromptBudget): ContextReport {
  return {
    tokens: 0, ...budget, sourceTokens: 0, historyTokens: 0, tokensEstimated: model.tokensEstimated,
    included: [], omitted: [], turnsKept: 0, turnsOmitted: 0,
  };
}

/** What a prompt is made of. */
export interface PromptInput {
  readonly model: ChatModel;
  readonly prompts: AnswerPrompts;
  readonly question: string;
  readonly history: readonly ConversationTurn[];
  /** Ranked retrieval results, and every chunk of their files. */
  readonly results: readonly SearchResult[];
  readonly chunks: readonly PassageChunk[];
  readonly budget: PromptBudget;
  /** Default DEFAULT_HISTORY_SHARE. */
  readonly historyShare?: number;
  readonly neighbours?: number;
  readonly wholeFiles?: boolean;
  readonly signal?: AbortSignal;
}

/** A prompt ready to generate from. */
export interface PreparedPrompt {
  readonly messages: readonly ChatMessage[];
  readonly sources: readonly AnswerSource[];
  readonly report: ContextReport;
}

function numbered(built: BuiltContext): AnswerSource[] {
  return built.pieces.map((p, i) => ({
    n: i + 1, root: p.root, path: p.path, startLine: p.startLine, endLine: p.endLine, ...(p.page !== undefined ? { page: p.page } : {}),
    language: p.language, score: p.score, wholeFile: p.wholeFile, tokens: p.tokens, text: p.text,
  }));
}

/**
 * Builds the messages of an answer within the budget.
 * @throws ExpectedError (limit) when the instructions and the question alone exceed the budget.
 */
export function preparePrompt(input: PromptInput): PreparedPrompt {
  const { model, prompts, question, budget } = input;
  const bare = model.countPromptTokens(answerMessages(prompts, [], '', question));
  if (bare > budget.budget) {
    throw new ExpectedError(ErrorReason.Limit, `The question and the instructions take ${bare} tokens, more than the ${budget.budget} the prompt may use (a context of ${budget.contextLength} minus ${budget.reservedForAnswer} for the answer); shorten the question or lower the answer's max tokens.`);
  }
  const historyBudget = Math.min(Math.floor(budget.budget * (input.historyShare ?? DEFAULT_HISTORY_SHARE)), budget.budget - bare);
  const history = keepHistory(input.history, historyBudget, (text, limit) => model.countTokens(text, limit));
  const overhead = model.countPromptTokens(answerMessages(prompts, history.messages, '', question));
  let sourceBudget = Math.max(0, budget.budget - overhead);
  for (let attempt = 1; attempt <= FIT_ATTEMPTS; attempt++) {
    const built = buildContext(input.results, input.chunks, {
      budget: sourceBudget, countTokens: (text, limit) => model.countTokens(text, limit), neighbours: input.neighbours, wholeFiles: input.wholeFiles, signal: input.signal,
    });
    const sources = numbered(built);
    const messages = answerMessages(prompts, history.messages, sources.map((s) => sourceBlock(s.n, s)).join(SOURCE_SEPARATOR), question);
    const tokens = model.countPromptTokens(messages);
    if (tokens <= budget.budget) return { messages, sources, report: report(input, built, sources, tokens, history) };
    // Choose again for a budget smaller by the excess and 1% more; the last attempt has no sources.
    sourceBudget = attempt === FIT_ATTEMPTS - 1 ? 0 : Math.max(0, sourceBudget - (tokens - budget.budget) - Math.ceil(sourceBudget / 100));
  }
  throw new ExpectedError(ErrorReason.Limit, `The prompt does not fit its budget of ${budget.budget} tokens even without sources (${overhead} tokens of instructions, question and ${history.kept} earlier turns); start a new conversation or lower the answer's max tokens.`);
}

function report(input: PromptInput, built: BuiltContext, sources: readonly AnswerSource[], tokens: number, history: ReturnType<typeof keepHistory>): ContextReport {
  return {
    tokens, ...input.budget, sourceTokens: built.tokens, historyTokens: history.tokens, tokensEstimated: input.model.tokensEstimated,
    included: sources.map((s, i) => {
      const piece = built.pieces[i];
      const place = { n: s.n, root: s.root, path: s.path, startLine: s.startLine, endLine: s.endLine, ...(s.page !== undefined ? { page: s.page } : {}), tokens: s.tokens };
      return { ...place, reason: s.wholeFile ? 'whole-file' : 'chunks', ...(piece.wholeFileMinTokens !== undefined ? { wholeFileMinTokens: piece.wholeFileMinTokens } : {}) };
    }),
    omitted: built.omitted.map((o) => ({ ...o })),
    turnsKept: history.kept, turnsOmitted: history.omitted,
  };
}
