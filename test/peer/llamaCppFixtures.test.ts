// Checks the committed llama.cpp fixtures: internally consistent, agreeing with the shared
// stories260K reference, with what the synthetic presets generate today and, for f32 presets,
// with the plain reference forward pass of test/fixtures/synthetic; and, when the peer
// package is installed, still what llama.cpp outputs (a changed pin, binary or preset shows up
// here; regenerate with test/peer/generateFixtures.ts).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  decodeFloat32,
  encodeFloat32,
  logitsByPosition,
  readStoriesGreedyFixture,
  readSyntheticModelsFixture,
} from '../fixtures/llamacpp/readFixtures.js';
import { SYNTHETIC_PRESETS, syntheticPresetNames } from '../fixtures/synthetic/presets.js';
import { greedyDecode, loadReferenceModel } from '../fixtures/synthetic/referenceForward.js';
import { writeSyntheticModel } from '../fixtures/synthetic/syntheticModel.js';
import { isPeerInstalled } from './ensurePeer.js';
import { describeModelFile, repoRoot } from './fixtureFiles.js';

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

const synthetic = readSyntheticModelsFixture();
/** One preset of each arch, regenerated to check the fixture still describes what the presets make. */
const REGENERATED = ['tiny-q4_K-gqa-untied', 'tiny-qwen2-f16-mha-tied'];

test('synthetic fixture: every tiny preset, 8 positions x vocab of logits, 32 greedy ids in the vocab', () => {
  assert.deepEqual(synthetic.models.map((m) => m.preset), syntheticPresetNames().filter((name) => name.startsWith('tiny-')));
  for (const model of synthetic.models) {
    const rows = logitsByPosition(model);
    assert.equal(rows.length, 8, model.preset);
    assert.ok(rows.every((row) => row.every(Number.isFinite)), model.preset);
    assert.ok(model.promptIds.length >= 8, model.preset);
    assert.equal(model.greedyIds.length, 32, model.preset);
    assert.ok(model.greedyIds.every((id) => id >= 0 && id < model.vocabSize), model.preset);
  }
});

test('synthetic fixture: regenerated presets have the recorded sha256', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'pinpoint-peer-'));
  try {
    for (const preset of REGENERATED) {
      const path = join(directory, `${preset}.gguf`);
      await writeSyntheticModel(path, SYNTHETIC_PRESETS[preset]);
      const recorded = synthetic.models.find((m) => m.preset === preset);
      assert.equal(describeModelFile(path).sha256, recorded?.sha256, `${preset}: regenerate with test/peer/generateFixtures.ts synthetic`);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('synthetic fixture: llama.cpp greedy ids of f32 presets equal the plain f32 reference forward pass', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'pinpoint-peer-'));
  try {
    for (const preset of ['tiny-f32-gqa-untied', 'tiny-qwen2-f32-mha-tied']) {
      const recorded = synthetic.models.find((m) => m.preset === preset)!;
      const path = join(directory, `${preset}.gguf`);
      await writeSyntheticModel(path, SYNTHETIC_PRESETS[preset]);
      const trace = greedyDecode(await loadReferenceModel(path), recorded.promptIds, recorded.greedyIds.length);
      assert.deepEqual(trace.tokens.slice(recorded.promptIds.length), recorded.greedyIds, preset);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
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

test('llama.cpp still reproduces the synthetic fixture', { skip: !isPeerInstalled() && 'peer not installed (node --import tsx test/peer/ensurePeer.ts)' }, async () => {
  const { loadPeer, openContext } = await import('./nodeLlamaCpp.js');
  const { logitsAtPositions } = await import('./llamaCppOracle.js');
  const peer = await loadPeer(() => {}, 'error');
  const directory = mkdtempSync(join(tmpdir(), 'pinpoint-peer-'));
  try {
    const recorded = synthetic.models.find((m) => m.preset === REGENERATED[0])!;
    const path = join(directory, 'model.gguf');
    await writeSyntheticModel(path, SYNTHETIC_PRESETS[recorded.preset]);
    const model = await peer.llama.loadModel({ modelPath: path, gpuLayers: 0 });
    const context = await openContext(model, { threads: 1, contextSize: synthetic.settings.contextSize });
    const rows = await logitsAtPositions(context.getSequence(), recorded.promptIds, recorded.logitsPositions);
    await context.dispose();
    await model.dispose();
    logitsByPosition(recorded).forEach((expected, position) => {
      const worst = expected.reduce((max, value, i) => Math.max(max, Math.abs(value - rows[position][i])), 0);
      assert.ok(worst <= 1e-4, `position ${position}: max |difference| ${worst}`);
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
    await peer.llama.dispose();
  }
});
