// The OpenAI-compatible remote backend: chat (streamed or whole), embeddings and the model list
// of any server that speaks the OpenAI API (Ollama, LM Studio, vLLM, llama.cpp's llama-server).
// See ../README.md for the settings, the errors, the decisions and what is left out.

export { OpenAiChatGeneration, OpenAiChatModel } from './OpenAiChatModel.js';
export type {
  RemoteChatDelta, RemoteChatGeneration, RemoteChatMessage, RemoteChatModel, RemoteChatOptions, RemoteChatResult,
  RemoteChatTimings, RemoteChatUsage, RemoteFinishReason,
} from './chatTypes.js';
export { OpenAiEmbeddingClient, type EmbeddingClientOptions, type RemoteEmbeddingClient } from './OpenAiEmbeddingClient.js';
export { listModels, type RemoteModelInfo } from './listModels.js';
export { RemoteError, type RemoteErrorDetails, type RemoteFailure } from './RemoteError.js';
export {
  API_KEY_VARIABLES, apiKeyFromEnv, OPENAI_DEFAULTS, resolveOpenAiSettings, type EmbeddingEncoding, type OpenAiSettings, type ResolvedOpenAiSettings,
} from './settings.js';
export { estimateTokens, utf8Bytes } from './tokenEstimate.js';
