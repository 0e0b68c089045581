// Checks the committed llama.cpp fixtures: internally consistent, agreeing with the shared
// stories260K reference, and, when the peer package is installed, still what llama.cpp outputs
// (a changed pin or binary shows up here; regenerate with test/peer/generateFixtures.ts).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  decodeFloat32,
  encodeFloat32,
  readStoriesGreedyFixture,
} from '../fixtures/llamacpp/readFixtures.js';
import { isPeerInstalled } from './ensurePeer.js';
import { repoRoot } from './fixtureFiles.js';

const stories = readStoriesGreedyFixture();

test('stories260K fixture: llama.cpp matched the 256-step reference of "Once upon a time"', () => {
  assert.equal(stories.referenceCheck.matched, true);
  const reference = readFileSync(join(repoRoot, stories.referenceCheck.file), 'utf8');
  const [prompt, ids] = [...reference.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1].split(',').map(Number));
  const once = stories.cases.find((c) => c.name === 'once-upon-a-time');
  assert.deepEqual(once?.promptIds, prompt);
  assert.deepEqual(once?.completionIds, ids.slice(prompt.length, prompt.length + once!.completionIds.length));
});

test('stories260K fixture: prompts are BOS + the special-parsed ids, with 128 tokens each', () => {
  assert.ok(stories.cases.length >= 24);
  assert.equal(new Set(stories.cases.map((c) => c.name)).size, stories.cases.length);
  for (const c of stories.cases) {
    assert.deepEqual(c.promptIds, [...(c.bosAdded ? [stories.vocab.bos] : []), ...c.tokensParseSpecial], c.name);
    assert.equal(c.completionIds.length, 128, c.name);
    assert.equal(c.margins.length, 128, c.name);
    assert.ok(c.margins.every((m) => m >= 0), c.name);
  }
  assert.ok(stories.cases.some((c) => c.promptIds.length === 1), 'a one-token prompt');
  const special = stories.cases.find((c) => c.name === 'special-token-text');
  assert.notDeepEqual(special?.tokensParseSpecial, special?.tokensNoParseSpecial);
});

test('float32 codec round-trips exactly', () => {
  const values = new Float32Array([0, -0, 1.5, -3.25e-8, 3.4e38, Number.NaN, Number.POSITIVE_INFINITY]);
  assert.deepEqual(decodeFloat32(encodeFloat32(values)), values);
});

test('llama.cpp still reproduces the stories260K fixture', { skip: !isPeerInstalled() && 'peer not installed (node --import tsx test/peer/ensurePeer.ts)' }, async () => {
  const { loadPeer, openContext } = await import('./nodeLlamaCpp.js');
  const { generateGreedy, tokenizeForCompletion } = await import('./llamaCppOracle.js');
  const peer = await loadPeer(() => {}, 'error');
  const model = await peer.llama.loadModel({ modelPath: join(repoRoot, stories.model.path), gpuLayers: 0 });
  const context = await openContext(model, { threads: 1, contextSize: stories.settings.contextSize });
  try {
    assert.equal(peer.llamaCppVersion, stories.llamaCppVersion);
    const sequence = context.getSequence();
    for (const c of stories.cases.filter((_, i) => i % 7 === 0)) {
      assert.deepEqual(tokenizeForCompletion(model, c.text).ids, c.promptIds, c.name);
      const { tokens } = await generateGreedy(sequence, c.promptIds, 32);
      assert.deepEqual(tokens, c.completionIds.slice(0, 32), c.name);
    }
  } finally {
    await context.dispose();
    await model.dispose();
    await peer.llama.dispose();
  }
});

