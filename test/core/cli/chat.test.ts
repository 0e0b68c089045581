// `pinpoint chat` over an index with a remote model on a local OpenAI-compatible server: typed
// questions get answers and sources, a follow-up is sent with the conversation, /clear forgets
// it, /exit and the end of the input leave; Ctrl-C cancels the answer being written, and a second
// Ctrl-C in a row leaves.

import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { ChatSession } from '../../../core/assistant/common/ChatSession.js';
import { openAssistant, type OpenedAssistant } from '../../../core/assistant/node/openAssistant.js';
import { ChatLoop, runChat } from '../../../core/cli/commands/chat.js';
import { EXIT_OK } from '../../../core/cli/exitCodes.js';
import { chunk, startEvents, startServer, type FakeServer } from '../models/openai/fakeServer.js';
import { CORPUS, createFixtureIndex, type FixtureIndex } from '../assistant/support/assistantFixture.js';

let fixture: FixtureIndex;
let server: FakeServer;
const opened: OpenedAssistant[] = [];

before(async () => {
  fixture = await createFixtureIndex();
  let answers = 0;
  server = await startServer(async (request, res) => {
    startEvents(res);
    if (request.headers['x-scenario'] === 'slow') {
      res.write(`data: ${chunk('Thinking')}\n\n`);
      return request.clientClosed;
    }
    res.write(`data: ${chunk(`Answer ${++answers} [1].`)}\n\n`);
    res.end(`data: ${chunk(null, 'stop')}\n\ndata: [DONE]\n\n`);
  });
});

after(async () => {
  for (const o of opened) await o.dispose();
  await server?.close();
  fixture?.remove();
});

async function assistantFor(scenario: string): Promise<OpenedAssistant> {
  const o = await openAssistant({ dbDir: fixture.dbDir, corpus: CORPUS, model: `openai:${server.url}#m`, env: {}, remote: { headers: { 'X-Scenario': scenario } } });
  opened.push(o);
  return o;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => (text += d));
  return { stream, text: () => text };
}

test('questions and a follow-up with the conversation, /clear, /exit', async () => {
  const session = new ChatSession((await assistantFor('quick')).assistant);
  const stdin = new PassThrough(), stdout = capture(), stderr = capture();
  stdin.end('How does the LRU cache evict the oldest entry?\nAnd which event does it emit?\n/clear\n/exit\nnever asked\n');
  const code = await runChat(session, { stdin, stdout: stdout.stream, stderr: stderr.stream });
  assert.equal(code, EXIT_OK);
  const out = stdout.text();
  assert.match(out, /Answer \d+ \[1\]\.\n\nSources:\n {2}\[1\] /);
  assert.equal(out.match(/Sources:/g)?.length, 2);
  assert.match(out, /\(new conversation\)/);
  assert.equal(session.turns.length, 0, '/clear forgot the turns');
  const requests = server.requests.filter((r) => r.headers['x-scenario'] === 'quick');
  assert.equal(requests.length, 2, 'the line after /exit was not asked');
  const followUp = requests[1].body!.messages as { role: string; content: string }[];
  assert.deepEqual(followUp.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
  assert.equal(followUp[1].content, 'How does the LRU cache evict the oldest entry?');
  assert.match(followUp[2].content, /^Answer \d+ \[1\]\.$/);
});

test('the end of the input ends the chat', async () => {
  const session = new ChatSession((await assistantFor('quick')).assistant);
  const stdin = new PassThrough();
  stdin.end('');
  assert.equal(await runChat(session, { stdin, stdout: capture().stream, stderr: capture().stream }), EXIT_OK);
});

test('Ctrl-C cancels the answer being written; a second Ctrl-C in a row leaves', async () => {
  const session = new ChatSession((await assistantFor('slow')).assistant);
  const stdout = capture(), stderr = capture();
  let exited = 0;
  const loop = new ChatLoop(session, { stdout: stdout.stream, stderr: stderr.stream }, () => exited++);
  const line = loop.line('Where is the median computed?');
  while (!stdout.text().includes('Thinking')) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(loop.answering, true);
  loop.interrupt();
  await line;
  assert.match(stdout.text(), /Thinking\n\(cancelled\)\n/);
  assert.match(stderr.text(), /answer cancelled/);
  assert.equal(session.turns.length, 0, 'a cancelled answer is not a turn');
  assert.deepEqual([loop.finished, exited], [false, 0]);
  loop.interrupt();
  assert.deepEqual([loop.finished, exited], [true, 1]);

  const other = new ChatLoop(session, { stdout: capture().stream, stderr: capture().stream }, () => exited++);
  other.interrupt();
  await other.line('/help');
  other.interrupt();
  assert.equal(other.finished, false, 'Ctrl-C twice but not in a row does not leave');
});
