// Opens the ChatModel a `--model` value names (common/modelSpec.ts): a local model file, folder or
// installed catalog id (resolveModel) loaded on the engine with its own chat template or the plain
// fallback format; or `openai:<baseUrl>#<model>` on an OpenAI-compatible server, with the API key
// from PINPOINT_OPENAI_API_KEY (else OPENAI_API_KEY).

import { loadLanguageModel, type LanguageModelOptions } from '../../engine/node/loadLanguageModel.js';
import { ArgumentError } from '../../base/common/errors.js';
import { listModels, resolveModel, type ModelStoreOptions } from '../../models/node/modelStore.js';
import { OpenAiChatModel } from '../../models/openai/common/OpenAiChatModel.js';
import { apiKeyFromEnv, type OpenAiSettings } from '../../models/openai/common/settings.js';
import type { ChatModel } from '../common/chatModel.js';
import { LocalChatModel } from '../common/LocalChatModel.js';
import { parseModelSpec } from '../common/modelSpec.js';
import { RemoteChatModel } from '../common/RemoteChatModel.js';
import { loadAnswerPrompts } from './promptFiles.js';

/** How to open a chat model; every field optional. */
export interface OpenChatModelOptions extends Pick<LanguageModelOptions, 'backend' | 'threads' | 'kvType' | 'signal'> {
  /**
   * Tokens of context. Local: the KV cache length (default min(model, 4096)). Remote: what the
   * server's model holds (default 8192; the API cannot tell).
   */
  readonly contextLength?: number;
  /** Remote: the API key. Default: PINPOINT_OPENAI_API_KEY, else OPENAI_API_KEY, else none. */
  readonly apiKey?: string;
  /** Remote: further connection settings (timeouts, headers, fetch). */
  readonly remote?: Omit<OpenAiSettings, 'baseUrl' | 'apiKey' | 'chatModel'>;
  /** Where installed models are found (catalog ids). */
  readonly store?: ModelStoreOptions;
  /** Folder of the prompt files, for the plain fallback format. Default: loadAnswerPrompts()'s. */
  readonly promptsFolder?: string;
  /** Environment for the API key. Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The chat model `spec` names, ready to answer; `dispose()` it when done.
 * @throws ArgumentError for a malformed spec, an unknown id or bad settings; ModelFileError for a file that is not a model.
 */
export async function openChatModel(spec: string, options: OpenChatModelOptions = {}): Promise<ChatModel> {
  const parsed = parseModelSpec(spec);
  if (parsed.kind === 'remote') {
    const apiKey = options.apiKey ?? apiKeyFromEnv(options.env ?? process.env);
    const chat = new OpenAiChatModel({ ...options.remote, baseUrl: parsed.baseUrl, apiKey, chatModel: parsed.model });
    return new RemoteChatModel(chat, { contextLength: options.contextLength });
  }
  const path = await resolveModel(parsed.idOrPath, options.store);
  const prompts = await loadAnswerPrompts(options.promptsFolder);
  const loaded = await loadLanguageModel(path, {
    backend: options.backend, threads: options.threads, contextLength: options.contextLength, kvType: options.kvType, signal: options.signal,
  });
  try {
    const { files } = loaded;
    return new LocalChatModel(loaded.model, {
      id: path,
      modelTemplate: files.chatTemplate ? { source: files.chatTemplate, file: path } : undefined,
      fallbackTemplate: prompts.plainChat,
      generation: files.generation,
      dispose: () => loaded.dispose(),
    });
  } catch (error) {
    await loaded.dispose();
    throw error;
  }
}

/**
 * The model to use when `--model` is not given: PINPOINT_MODEL, else the first installed chat
 * model of the cache.
 * @throws ArgumentError when there is neither, saying how to get one.
 */
export async function defaultModelSpec(options: { readonly env?: Readonly<Record<string, string | undefined>>; readonly store?: ModelStoreOptions } = {}): Promise<string> {
  const fromEnv = (options.env ?? process.env).PINPOINT_MODEL;
  if (fromEnv) return fromEnv;
  const installed = (await listModels(options.store)).find((m) => m.status === 'installed' && m.kind === 'chat');
  if (installed) return installed.id;
  throw new ArgumentError('No chat model: pass --model PATH|ID|openai:<baseUrl>#<model>, set PINPOINT_MODEL, or install one with "pinpoint models pull <id>" ("pinpoint models list" shows the catalog).');
}
