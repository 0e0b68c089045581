// `pinpoint ask` through main() in-process: --json prints exactly the contract's fields (with
// stories260K, and with a remote model whose citations resolve), the streamed form lists the
// sources with file:line and flags a citation that points to nothing, --reranker scores the
// sources with a cross-encoder, and bad input exits 2.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EXIT_BAD_ARGUMENT, EXIT_OK } from '../../../core/cli/exitCodes.js';
import { chunk, startEvents, startServer, type FakeServer } from '../models/openai/fakeServer.js';
import { writeCrossEncoderOnnxModel } from '../../fixtures/embed/crossEncoderOnnxModel.js';
import { CORPUS, createFixtureIndex, STORIES_MODEL, type FixtureIndex } from '../assistant/support/assistantFixture.js';
import { runMain } from './support/runMain.js';

let fixture: FixtureIndex;
let server: FakeServer;

before(async () => {
  fixture = await createFixtureIndex();
  // Cites the source that shows src/cache.ts, and source 42, which does not exist.
  server = await startServer((request, res) => {
    const messages = request.body!.messages as { content: string }[];
    const n = /^\[(\d+)\] src\/cache\.ts/m.exec(messages[messages.length - 1].content)?.[1] ?? '0';
    startEvents(res);
    res.write(`data: ${chunk(`The oldest entry is evicted [${n}]; see also [42].`)}\n\n`);
    res.end(`data: ${chunk(null, 'stop')}\n\ndata: [DONE]\n\n`);
  });
});

after(async () => {
  await server?.close();
  fixture?.remove();
});

const QUESTION = 'How does the LRU cache evict the oldest entry?';
const where = (): string[] => ['--db', fixture.dbDir, '--corpus', CORPUS];
const local = ['--model', STORIES_MODEL, '--max-tokens', '8', '--context-length', '1024', '--temperature', '0', '--threads', '1'];

function checkPlace(item: Record<string, unknown>, extra: readonly string[]): void {
  const keys = Object.keys(item).filter((k) => k !== 'page');
  assert.deepEqual(keys.sort(), ['endLine', 'path', 'startLine', ...extra].sort());
  assert.ok(typeof item.path === 'string' && Number.isInteger(item.startLine) && Number.isInteger(item.endLine));
}

test('ask --json prints exactly {answer, sources, citations, context: {tokens, budget, included, omitted}}', async () => {
  const { code, stdout, stderr } = await runMain(['ask', QUESTION, ...where(), ...local, '--json']);
  assert.equal(code, EXIT_OK, stderr);
  const result = JSON.parse(stdout);
  assert.deepEqual(Object.keys(result), ['answer', 'sources', 'citations', 'context']);
  assert.equal(typeof result.answer, 'string');
  assert.ok(result.sources.some((s: { path: string }) => s.path === 'src/cache.ts'));
  for (const s of result.sources) {
    checkPlace(s, ['n', 'score']);
    assert.equal(typeof s.score, 'number');
  }
  assert.deepEqual(Object.keys(result.context), ['tokens', 'budget', 'included', 'omitted']);
  assert.equal(result.context.budget, 1024 - 8);
  assert.ok(result.context.tokens > 0 && result.context.tokens <= result.context.budget);
  for (const s of result.context.included) {
    checkPlace(s, ['n', 'tokens', 'reason']);
    assert.ok(['whole-file', 'chunks'].includes(s.reason));
  }
  for (const o of result.context.omitted) {
    checkPlace(o, ['tokens', 'reason']);
    assert.ok(['budget', 'stale'].includes(o.reason));
  }
  assert.ok(Array.isArray(result.citations));
});

test('ask --json with a remote model: citations [{n, valid}] resolve against the sources', async () => {
  const { code, stdout, stderr } = await runMain(['ask', QUESTION, ...where(), '--model', `openai:${server.url}#test-model`, '--json']);
  assert.equal(code, EXIT_OK, stderr);
  const result = JSON.parse(stdout);
  const cache = result.sources.find((s: { path: string }) => s.path === 'src/cache.ts');
  assert.deepEqual(result.citations, [{ n: cache.n, valid: true }, { n: 42, valid: false }]);
  assert.match(result.answer, /evicted \[\d+\]/);
});

test('ask without --json streams the answer, then the sources with file:line and the citation that points to nothing', async () => {
  const { code, stdout, stderr } = await runMain(['ask', QUESTION, ...where(), '--model', `openai:${server.url}#test-model`]);
  assert.equal(code, EXIT_OK, stderr);
  assert.match(stdout, /^The oldest entry is evicted \[\d+\]; see also \[42\]\.\n\nSources:\n/);
  assert.match(stdout, /\[\d+\] src\/cache\.ts:1-22 {2}\d+ tokens, whole file\n/);
  assert.match(stdout, /Cited \[42\], but no source has that number\./);
  assert.match(stderr, /\[context ~\d+ of \d+ tokens/);
});

test('ask --reranker: the sources carry the cross-encoder\'s scores; a missing folder exits 2 naming it', async () => {
  const folder = join(fixture.dbDir, '..', 'cross-encoder');
  await writeCrossEncoderOnnxModel(folder);
  const remote = ['--model', `openai:${server.url}#test-model`, '--json'];
  const scores = async (...extra: string[]): Promise<number[]> => {
    const { code, stdout, stderr } = await runMain(['ask', QUESTION, ...where(), ...remote, ...extra]);
    assert.equal(code, EXIT_OK, stderr);
    return (JSON.parse(stdout) as { sources: { score: number }[] }).sources.map((s) => s.score);
  };
  // Fused (reciprocal rank) scores are below 1/60; the GloVe cross-encoder's are cosines.
  assert.ok((await scores()).every((s) => s < 1 / 60), 'fused scores without --reranker');
  const reranked = await scores('--reranker', folder);
  assert.ok(reranked.length > 0 && reranked.every((s) => s > 0.1 && s <= 1), `rerank scores: ${reranked.join(', ')}`);
  const { code, stderr } = await runMain(['ask', QUESTION, ...where(), ...remote, '--reranker', join(folder, 'missing')]);
  assert.equal(code, EXIT_BAD_ARGUMENT, stderr);
  assert.match(stderr, /--reranker: ONNX model folder not found: .*cross-encoder\/missing/);
});

test('bad input exits 2 with a message naming it', async () => {
  const cases: [string[], RegExp][] = [
    [['ask', QUESTION, ...where(), '--model', 'openai:http://127.0.0.1:9'], /openai:<baseUrl>#<model>/],
    [['ask', QUESTION, '--db', fixture.dbDir, '--corpus', 'nope', '--model', STORIES_MODEL], /No corpus "nope".*docs/],
    [['ask', '   ', ...where(), ...local], /question is empty/],
    [['ask', QUESTION, ...where(), '--model', STORIES_MODEL, '--context-length', '64', '--max-tokens', '64'], /max tokens/],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await runMain(args);
    assert.equal(code, EXIT_BAD_ARGUMENT, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message);
  }
});

test('ask --help documents the remote model syntax', async () => {
  const { code, stdout } = await runMain(['ask', '--help']);
  assert.equal(code, EXIT_OK);
  assert.match(stdout, /openai:<baseUrl>#<model>/);
  assert.match(stdout, /--max-tokens/);
});
