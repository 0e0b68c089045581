// Follow-up questions: which earlier turns go back into the prompt (newest first, while they fit
// their share of the budget; the older ones are dropped and counted), and what retrieval searches
// for (the question with the previous question, so "and where is it called?" finds the same code).

import type { ChatMessage } from './chatModel.js';

/** One finished exchange of a conversation. */
export interface ConversationTurn {
  readonly question: string;
  readonly answer: string;
}

/** Tokens a message costs beyond its content (role header and end of turn), as an allowance. */
const MESSAGE_OVERHEAD = 8;

/** The earlier turns that fit a budget. */
export interface KeptHistory {
  /** user/assistant messages, oldest first. */
  readonly messages: readonly ChatMessage[];
  /** Turns kept (the most recent ones). */
  readonly kept: number;
  /** Older turns left out for the budget. */
  readonly omitted: number;
  /** Tokens of the kept turns, counted as content plus an allowance per message. */
  readonly tokens: number;
}

/** Keeps the most recent whole turns whose tokens fit `budget`; stops at the first that does not. */
export function keepHistory(turns: readonly ConversationTurn[], budget: number, countTokens: (text: string, limit?: number) => number): KeptHistory {
  let tokens = 0;
  let kept = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const left = budget - tokens;
    const cost = countTokens(turns[i].question, left) + countTokens(turns[i].answer, left) + 2 * MESSAGE_OVERHEAD;
    if (cost > left) break;
    tokens += cost;
    kept++;
  }
  const messages = turns.slice(turns.length - kept).flatMap((t): ChatMessage[] => [
    { role: 'user', content: t.question },
    { role: 'assistant', content: t.answer },
  ]);
  return { messages, kept, omitted: turns.length - kept, tokens };
}

/** What retrieval searches for: the question, then the previous question when there is one. */
export function retrievalQuery(question: string, turns: readonly ConversationTurn[]): string {
  const previous = turns[turns.length - 1];
  return previous ? `${question}\n${previous.question}` : question;
}
