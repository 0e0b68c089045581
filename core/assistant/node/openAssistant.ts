// One call that opens everything an answer needs: the corpus's index (IndexRetrieval), the chat
// model a spec names (openChatModel) and the prompt texts; `dispose()` closes what it opened.

import { Assistant } from '../common/Assistant.js';
import type { ChatModel } from '../common/chatModel.js';
import { IndexRetrieval, type IndexRetrievalOptions } from './IndexRetrieval.js';
import { openChatModel, type OpenChatModelOptions } from './openChatModel.js';
import { loadAnswerPrompts } from './promptFiles.js';

/** What to open. */
export interface OpenAssistantOptions extends IndexRetrievalOptions, OpenChatModelOptions {
  /** A `--model` spec (opened here and disposed with the rest), or a chat model the caller owns. */
  readonly model: string | ChatModel;
}

/** An assistant and what it holds open. */
export interface OpenedAssistant {
  readonly assistant: Assistant;
  readonly model: ChatModel;
  readonly retrieval: IndexRetrieval;
  /** Closes the index and, when it was opened here, the model. */
  dispose(): Promise<void>;
}

/** Opens the index, the model and the prompts, in that order (a bad corpus fails before a model loads). */
export async function openAssistant(options: OpenAssistantOptions): Promise<OpenedAssistant> {
  const prompts = await loadAnswerPrompts(options.promptsFolder);
  const retrieval = await IndexRetrieval.open(options);
  let model: ChatModel;
  try {
    model = typeof options.model === 'string' ? await openChatModel(options.model, options) : options.model;
  } catch (error) {
    await retrieval.dispose();
    throw error;
  }
  const owned = typeof options.model === 'string';
  return {
    assistant: new Assistant(model, retrieval, prompts),
    model,
    retrieval,
    async dispose() {
      await retrieval.dispose();
      if (owned) await model.dispose();
    },
  };
}
