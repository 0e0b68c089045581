// Handler of `ask/question`: the answer pipeline of core/assistant behind the protocol. Questions
// run one at a time (one model generates at a time; a question waits its turn), the last model
// stays loaded for the next question, and conversations keep their turns in memory for
// follow-ups. Retrieval is wrapped by the root guard, so the model never sees a passage whose
// file is outside the corpus's roots. Events stream as ask/phase, ask/sources, ask/delta, ask/done.

import { randomUUID } from 'node:crypto';
import { CancelledError, throwIfAborted } from '../../../base/common/errors.js';
import { Assistant, type AnswerRetrieval } from '../../../assistant/common/Assistant.js';
import type { ChatModel } from '../../../assistant/common/chatModel.js';
import type { ConversationTurn } from '../../../assistant/common/conversation.js';
import { IndexRetrieval } from '../../../assistant/node/IndexRetrieval.js';
import { openChatModel } from '../../../assistant/node/openChatModel.js';
import { loadAnswerPrompts } from '../../../assistant/node/promptFiles.js';
import type { AskQuestionRequest, AskQuestionResult } from '../../common/messages/ask.js';
import type { EventOf, ToService } from '../../common/protocol.js';
import type { GuardedRoot } from '../rootGuard.js';
import { answerOf, contextOf, sourceOf } from './askResults.js';
import type { OnRequest, ServiceContext } from './context.js';
import { keepInsideRoots } from './searchHandlers.js';

/** Conversations kept (the least recently used goes first), and turns kept per conversation. */
const MAX_CONVERSATIONS = 64;
const MAX_TURNS = 100;

type Emit = (event: EventOf<ToService, 'ask/question'>) => void;

/** A retrieval that only returns what lies inside the corpus's roots (after realpath). */
function guarded(retrieval: AnswerRetrieval, roots: readonly GuardedRoot[]): AnswerRetrieval {
  return {
    search: async (query, options) => keepInsideRoots(await retrieval.search(query, options), roots),
    readChunks: async (files, signal) => retrieval.readChunks(await keepInsideRoots(files, roots), signal),
  };
}

class Asking {
  private queue: Promise<unknown> = Promise.resolve();
  private loaded: { readonly spec: string; readonly model: ChatModel } | undefined;
  private readonly conversations = new Map<string, ConversationTurn[]>();

  constructor(private readonly context: ServiceContext) {
    context.onDispose(async () => {
      const loaded = this.loaded;
      this.loaded = undefined;
      await loaded?.model.dispose();
    });
  }

  /** Runs the question after the ones before it. */
  ask(request: AskQuestionRequest, signal: AbortSignal, emit: Emit): Promise<AskQuestionResult> {
    const turn = this.queue.then(() => this.answer(request, signal, emit));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** The model of `spec`: the loaded one, or the previous one disposed and this one opened. */
  private async model(spec: string, signal: AbortSignal, emit: Emit, started: number): Promise<ChatModel> {
    if (this.loaded?.spec === spec) return this.loaded.model;
    emit({ type: 'ask/phase', data: { phase: 'loading-model', elapsedMs: performance.now() - started } });
    const previous = this.loaded;
    this.loaded = undefined;
    await previous?.model.dispose();
    const model = await openChatModel(spec, { store: this.context.models, signal });
    this.loaded = { spec, model };
    return model;
  }

  private remember(id: string, turn: ConversationTurn): void {
    const turns = this.conversations.get(id) ?? [];
    this.conversations.delete(id);
    this.conversations.set(id, [...turns, turn].slice(-MAX_TURNS));
    if (this.conversations.size > MAX_CONVERSATIONS) this.conversations.delete(this.conversations.keys().next().value!);
  }

  private async answer(request: AskQuestionRequest, signal: AbortSignal, emit: Emit): Promise<AskQuestionResult> {
    throwIfAborted(signal, 'ask/question');
    const started = performance.now();
    const corpus = await this.context.corpus(request.corpus);
    const prompts = await loadAnswerPrompts();
    const model = await this.model(request.model, signal, emit, started);
    const embedder = await this.context.embedders.get(corpus.record.embedder);
    const reranker = await this.context.reranker();
    const retrieval = await IndexRetrieval.open({ dbDir: this.context.config.dbDir, corpus: corpus.name, embedder, reranker });
    try {
      const conversationId = request.conversationId ?? randomUUID();
      const history = this.conversations.get(conversationId) ?? [];
      const assistant = new Assistant(model, guarded(retrieval, corpus.roots), prompts);
      const offset = performance.now() - started;
      const answer = assistant.ask(request.question, { k: request.k, maxTokens: request.maxTokens, temperature: request.temperature, history, signal });
      for await (const event of answer) {
        if (event.type === 'phase') emit({ type: 'ask/phase', data: { phase: event.phase, elapsedMs: event.elapsedMs + offset } });
        else if (event.type === 'context') emit({ type: 'ask/sources', data: { sources: event.sources.map(sourceOf) } });
        else emit({ type: 'ask/delta', data: { text: event.text } });
      }
      const result = await answer.result();
      if (result.cancelled) throw new CancelledError('ask/question');
      this.remember(conversationId, { question: request.question, answer: result.answer });
      const done = answerOf(result, conversationId);
      emit({ type: 'ask/done', data: { citations: done.citations, context: contextOf(result.context), stopReason: done.stopReason } });
      return done;
    } finally {
      await retrieval.dispose();
    }
  }
}

/** Registers ask/question. */
export function registerAskHandlers(on: OnRequest, context: ServiceContext): void {
  const asking = new Asking(context);
  on('ask/question', (request, { signal, emit }) => asking.ask(request, signal, emit));
}
