// A conversation with the assistant: each question is asked with the turns before it, and each
// answer that finished (not cancelled) becomes a turn. The chat CLI and the shells hold one per
// conversation.

import type { Answer, AskOptions, Assistant } from './Assistant.js';
import type { ConversationTurn } from './conversation.js';

/** Questions and answers so far, asked through one assistant. */
export class ChatSession {
  private readonly history: ConversationTurn[] = [];

  /** @param defaults options of every question (a question's own options win). */
  constructor(
    readonly assistant: Assistant,
    private readonly defaults: Omit<AskOptions, 'history' | 'onResult' | 'signal'> = {},
  ) {}

  /** The finished turns, oldest first. */
  get turns(): readonly ConversationTurn[] {
    return this.history;
  }

  /** Asks `question` as a follow-up of the turns so far. */
  ask(question: string, options: Omit<AskOptions, 'history'> = {}): Answer {
    return this.assistant.ask(question, {
      ...this.defaults,
      ...options,
      history: [...this.history],
      onResult: (result) => {
        if (!result.cancelled) this.history.push({ question, answer: result.answer });
        options.onResult?.(result);
      },
    });
  }

  /** Forgets the conversation. */
  clear(): void {
    this.history.length = 0;
  }
}
