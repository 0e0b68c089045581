// The harness of the chat tests: one local server per test file that routes each request by its
// `x-scenario` header to the handler a test registered, a chat model pointed at it, and helpers
// to drain a generation, to write a whole stream and to check a RemoteError (endpoint first, the
// API key nowhere).

import assert from 'node:assert/strict';
import { ErrorReason } from '../../../../core/base/common/errors.js';
import { OpenAiChatModel, RemoteError, type OpenAiSettings, type RemoteChatGeneration } from '../../../../core/models/openai/common/index.js';
import { chunk, sendJson, startServer, type FakeServer, type Handler, type SeenRequest } from './fakeServer.js';

export const KEY = 'sk-test-SECRET-0123456789';
export const USAGE = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 };
export const MESSAGES = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello.' }];

/** A server whose handlers are chosen per scenario, and chat models that name theirs. */
export class ChatHarness {
  private readonly scenarios = new Map<string, Handler>();
  private started: FakeServer | undefined;

  get server(): FakeServer {
    assert.ok(this.started, 'the harness has not started');
    return this.started;
  }

  async start(): Promise<void> {
    this.started = await startServer((request, res, req) => {
      const handler = this.scenarios.get(String(req.headers['x-scenario']));
      if (!handler) return sendJson(res, 400, { error: { message: `no scenario ${String(req.headers['x-scenario'])}` } });
      return handler(request, res, req);
    });
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** A chat model (model "test-model", key KEY, 1 ms retry delay) whose requests `handler` answers. */
  model(scenario: string, handler: Handler, settings: Partial<OpenAiSettings> = {}): OpenAiChatModel {
    this.scenarios.set(scenario, handler);
    return new OpenAiChatModel({
      baseUrl: this.server.url, apiKey: KEY, chatModel: 'test-model', headers: { 'X-Scenario': scenario }, retryBaseDelayMs: 1, ...settings,
    });
  }

  requestsOf(scenario: string): SeenRequest[] {
    return this.server.requests.filter((r) => r.headers['x-scenario'] === scenario);
  }

  lastRequest(scenario: string): SeenRequest {
    const found = this.requestsOf(scenario);
    return found[found.length - 1];
  }

  /** Checks a RemoteError of a chat request: its failure, message, endpoint and that the key is absent. */
  assertRemote(error: unknown, failure: RemoteError['failure'], pattern: RegExp): RemoteError {
    assert.ok(error instanceof RemoteError, `expected a RemoteError, got ${String(error)}`);
    assert.equal(error.failure, failure);
    assert.equal(error.reason, ErrorReason.Network);
    assert.match(error.message, pattern);
    assert.ok(error.message.startsWith(`POST ${this.server.url}/v1/chat/completions: `), error.message);
    assert.ok(!error.message.includes(KEY) && !String(error.stack).includes(KEY), 'the API key leaked into the error');
    return error;
  }
}

/** Iterates a generation; returns its deltas and the error that ended it, if any. */
export async function drain(generation: RemoteChatGeneration): Promise<{ deltas: string[]; error: unknown }> {
  const deltas: string[] = [];
  try {
    for await (const delta of generation) deltas.push(delta.text);
    return { deltas, error: undefined };
  } catch (error) {
    return { deltas, error };
  }
}

/** A whole stream: a comment, compact delta chunks (CRLF), the finish chunk, the usage chunk and `end`. */
export function streamBody(deltas: readonly string[], end = 'data: [DONE]\n\n'): string {
  const compact = (d: string) => JSON.stringify({ choices: [{ index: 0, delta: { content: d } }] });
  return ': ping\r\n\r\n' + deltas.map((d) => `data: ${compact(d)}\r\n\r\n`).join('') +
    `data: ${chunk(null, 'stop')}\n\n` + `data: ${JSON.stringify({ object: 'chat.completion.chunk', model: 'test-model', choices: [], usage: USAGE })}\n\n` + end;
}
