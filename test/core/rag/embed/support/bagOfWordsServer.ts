// A local OpenAI-compatible embeddings server for the remote embedder's tests: POST
// /v1/embeddings answers each input with a hashed bag of words (lowercased words but stop words,
// FNV-1a into `dimension` buckets, counts), so texts that share words have close vectors and dense search
// means something, deterministically. Requests are recorded (the fake server of the OpenAI client's
// tests); `failing` makes every embeddings request answer 500 until it is turned off again, and
// `failAfter(n)` turns it on once n more embeddings requests have been answered.

import { sendJson, startServer, type FakeServer, type SeenRequest } from '../../../models/openai/fakeServer.js';

/** The server, with its switches. */
export interface BagOfWordsServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `url` + `/v1`, URL-encoded for a spec's `baseUrl=`. */
  readonly encodedBaseUrl: string;
  readonly requests: SeenRequest[];
  /** Embeddings requests answered so far (successful or not). */
  readonly embeddingRequests: () => SeenRequest[];
  /** While true, POST /v1/embeddings answers 500 with an OpenAI-style error. */
  failing: boolean;
  /** Answers `count` more embeddings requests, then fails every one (until `failing` is set false). */
  failAfter(count: number): void;
  close(): Promise<void>;
}

const STOP_WORDS = new Set(['a', 'an', 'and', 'at', 'for', 'in', 'into', 'is', 'of', 'on', 'the', 'then', 'to']);

/** The hashed bag-of-words vector of `text`, stop words left out (not normalized). */
export function bagOfWords(text: string, dimension: number): number[] {
  const vector = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (STOP_WORDS.has(word)) continue;
    let hash = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193);
    vector[(hash >>> 0) % dimension] += 1;
  }
  return vector;
}

/** Starts the server; vectors have `dimension` entries (or `dimensions` when a request asks for it). */
export async function startBagOfWordsServer(dimension = 256): Promise<BagOfWordsServer> {
  const state = { failing: false, answersLeft: Infinity };
  const server: FakeServer = await startServer((request, res) => {
    if (request.method !== 'POST' || request.path !== '/v1/embeddings') return sendJson(res, 404, { error: { message: `no route ${request.path}` } });
    if (state.answersLeft-- <= 0) state.failing = true;
    if (state.failing) return sendJson(res, 500, { error: { message: 'model runner crashed', type: 'server_error' } });
    const input = request.body?.input as string[];
    const size = typeof request.body?.dimensions === 'number' ? request.body.dimensions : dimension;
    const data = input.map((text, index) => ({ object: 'embedding', index, embedding: bagOfWords(text, size) }));
    sendJson(res, 200, { object: 'list', model: request.body?.model, data, usage: { prompt_tokens: 0, total_tokens: 0 } });
  });
  return {
    url: server.url,
    encodedBaseUrl: encodeURIComponent(`${server.url}/v1`),
    requests: server.requests,
    embeddingRequests: () => server.requests.filter((r) => r.path === '/v1/embeddings'),
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
      state.answersLeft = Infinity;
    },
    failAfter(count: number) {
      state.answersLeft = count;
    },
    close: () => server.close(),
  };
}
