// Settings of a connection to an OpenAI-compatible server (Ollama, LM Studio, vLLM, llama.cpp's
// llama-server, OpenAI itself): one object documented field by field, with its defaults, and the
// check that turns it into the resolved form every request uses. The base URL is normalized here
// once: `http://host:port`, `http://host:port/` and `http://host:port/v1` all mean the same API root.

import { ArgumentError } from '../../../base/common/errors.js';

/** How the server should send embedding vectors: JSON numbers, or base64 of little-endian float32. */
export type EmbeddingEncoding = 'float' | 'base64';

/** What a connection to an OpenAI-compatible server is configured with. */
export interface OpenAiSettings {
  /**
   * Root of the server, http or https: `http://127.0.0.1:11434` (Ollama), `http://127.0.0.1:1234`
   * (LM Studio), `http://127.0.0.1:8080` (llama-server), `http://127.0.0.1:8000` (vLLM). A URL with
   * no path, or whose path ends in `/v1`, gets the API under `/v1`; any other path is taken as the
   * API root as given (e.g. `https://example.com/openai/v1beta`). No credentials, query or hash.
   * Required.
   */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; never logged nor put in an error message. Default: none. */
  readonly apiKey?: string;
  /** Extra request headers (e.g. `{"X-Team": "docs"}`); `apiKey` wins over an `Authorization` here. Default: none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Model for chat when a request names none (e.g. `qwen2.5:1.5b`). Default: none (each request must name one). */
  readonly chatModel?: string;
  /** Model for embeddings (e.g. `nomic-embed-text`). Default: none (the embedding client must name one). */
  readonly embeddingModel?: string;
  /**
   * Milliseconds from sending a request to the first byte of the response body: prompt
   * processing of a streamed chat, the whole answer of a non-streamed one. Node's fetch gives up
   * by itself after 300 s without headers, so values above that need a custom `fetch`. Default 120000.
   */
  readonly firstByteTimeoutMs?: number;
  /** Milliseconds allowed between two pieces of a response body once it has started (keep-alive comments count). Default 60000. */
  readonly idleTimeoutMs?: number;
  /** Texts per POST /embeddings request. Default 64. */
  readonly embeddingBatchSize?: number;
  /** `encoding_format` asked for embeddings; `float` is not sent (the protocol's default). Default "float". */
  readonly embeddingEncoding?: EmbeddingEncoding;
  /** Ask a streamed chat for token usage in its last chunk (`stream_options.include_usage`). Default true. */
  readonly streamUsage?: boolean;
  /** Retries of a request answered 408, 429, 500, 502, 503 or 504 before anything was streamed. Default 3. */
  readonly maxRetries?: number;
  /** First retry delay in milliseconds, doubled on each retry (with ±25% jitter) unless the server sends Retry-After. Default 500. */
  readonly retryBaseDelayMs?: number;
  /** Longest wait before a retry; a Retry-After asking for more fails at once instead. Default 30000. */
  readonly maxRetryDelayMs?: number;
  /** The fetch function (e.g. one with a proxy agent or longer socket timeouts). Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/** Settings after checking, with every default filled in. */
export interface ResolvedOpenAiSettings {
  /** API root without a trailing slash, e.g. `http://127.0.0.1:11434/v1`. */
  readonly apiBase: string;
  /** `host[:port]` of the server, for identities such as `openai:127.0.0.1:11434/<model>`. */
  readonly host: string;
  readonly apiKey: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly chatModel: string | undefined;
  readonly embeddingModel: string | undefined;
  readonly firstByteTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly embeddingBatchSize: number;
  readonly embeddingEncoding: EmbeddingEncoding;
  readonly streamUsage: boolean;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly fetch: typeof fetch;
}

/** The defaults of every optional number, flag and choice of OpenAiSettings. */
export const OPENAI_DEFAULTS = Object.freeze({
  firstByteTimeoutMs: 120_000,
  idleTimeoutMs: 60_000,
  embeddingBatchSize: 64,
  embeddingEncoding: 'float' as EmbeddingEncoding,
  streamUsage: true,
  maxRetries: 3,
  retryBaseDelayMs: 500,
  maxRetryDelayMs: 30_000,
});

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The API root of `baseUrl`, or an ArgumentError naming the bad part (the URL is never echoed with credentials). */
export function apiBaseOf(baseUrl: string): { apiBase: string; host: string } {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new ArgumentError(`Invalid server URL: "${baseUrl}". Should be an http or https URL such as http://127.0.0.1:11434.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const example = baseUrl.includes('//') ? '' : ` (e.g. http://${baseUrl.trim()})`;
    throw new ArgumentError(`Unsupported server URL scheme: "${url.protocol.slice(0, -1)}". Should be one of: http, https${example}.`);
  }
  if (url.username || url.password) {
    throw new ArgumentError(`The server URL ${url.protocol}//${url.host} has credentials in it; put the key in the apiKey setting instead.`);
  }
  if (url.search || url.hash) {
    throw new ArgumentError(`The server URL ${url.protocol}//${url.host}${url.pathname} has a query or a fragment; give the server root only.`);
  }
  let path = url.pathname.replace(/\/+$/, '');
  if (path === '') path = '/v1';
  return { apiBase: `${url.protocol}//${url.host}${path}`, host: url.host };
}

function checkInt(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ArgumentError(`Invalid ${name}: ${value}. Should be an integer from ${min} to ${max}.`);
  }
  return value;
}

function checkHeaders(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new ArgumentError(`Invalid header name: "${name}". Should be letters, digits and !#$%&'*+.^_\`|~-.`);
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw new ArgumentError(`Invalid value for header "${name}": it should be a string without line breaks.`);
    }
  }
  return { ...headers };
}

function checkModel(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
    throw new ArgumentError(`Invalid ${name}: ${JSON.stringify(value)}. Should be a model name such as "qwen2.5:1.5b".`);
  }
  return value;
}

/** Checks `settings` and fills in the defaults; an ArgumentError names the first bad field. */
export function resolveOpenAiSettings(settings: OpenAiSettings): ResolvedOpenAiSettings {
  const { apiBase, host } = apiBaseOf(settings.baseUrl);
  const d = OPENAI_DEFAULTS;
  const encoding = settings.embeddingEncoding ?? d.embeddingEncoding;
  if (encoding !== 'float' && encoding !== 'base64') {
    throw new ArgumentError(`Unsupported embedding encoding: "${String(encoding)}". Should be one of: float, base64.`);
  }
  if (typeof (settings.fetch ?? globalThis.fetch) !== 'function') {
    throw new ArgumentError('No fetch function: this runtime has no global fetch; pass one in the fetch setting.');
  }
  // Called unbound: a browser's fetch throws "Illegal invocation" when called as another object's method.
  const fetchFunction: typeof fetch = settings.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return {
    apiBase,
    host,
    apiKey: settings.apiKey === '' ? undefined : settings.apiKey,
    headers: checkHeaders(settings.headers ?? {}),
    chatModel: checkModel('chat model', settings.chatModel),
    embeddingModel: checkModel('embedding model', settings.embeddingModel),
    firstByteTimeoutMs: checkInt('first-byte timeout (ms)', settings.firstByteTimeoutMs, d.firstByteTimeoutMs, 1, 86_400_000),
    idleTimeoutMs: checkInt('idle timeout (ms)', settings.idleTimeoutMs, d.idleTimeoutMs, 1, 86_400_000),
    embeddingBatchSize: checkInt('embedding batch size', settings.embeddingBatchSize, d.embeddingBatchSize, 1, 65_536),
    embeddingEncoding: encoding,
    streamUsage: settings.streamUsage ?? d.streamUsage,
    maxRetries: checkInt('max retries', settings.maxRetries, d.maxRetries, 0, 20),
    retryBaseDelayMs: checkInt('retry base delay (ms)', settings.retryBaseDelayMs, d.retryBaseDelayMs, 0, 600_000),
    maxRetryDelayMs: checkInt('max retry delay (ms)', settings.maxRetryDelayMs, d.maxRetryDelayMs, 0, 3_600_000),
    fetch: fetchFunction,
  };
}

/** Environment variables that hold the API key, strongest first. */
export const API_KEY_VARIABLES = ['PINPOINT_OPENAI_API_KEY', 'OPENAI_API_KEY'] as const;

/** The API key of an environment: PINPOINT_OPENAI_API_KEY, else OPENAI_API_KEY, else undefined (empty values count as unset). */
export function apiKeyFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const name of API_KEY_VARIABLES) if (env[name]) return env[name];
  return undefined;
}
