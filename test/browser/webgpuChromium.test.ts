// The WebGPU backend in headless Chromium (navigator.gpu on SwiftShader): every kernel case of
// kernelCases.ts run in the page; stories260K greedy tokens for 10 prompts and synthetic models
// of every weight type computed in the page and compared here with the CPU backend in Node
// (same tolerances as the Dawn tests, modelCases.ts). Skips only without a chromium binary.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadLanguageModel } from '../../core/engine/node/loadLanguageModel.js';
import { syntheticModelFile } from '../bench/syntheticFiles.js';
import { readStoriesGreedyFixture } from '../fixtures/llamacpp/readFixtures.js';
import { KERNEL_CASES, relError } from '../core/engine/webgpu/kernelCases.js';
import { SYNTHETIC_PARITY_PRESETS, SYNTHETIC_PROMPT, decodeLogits, greedyTokens, logitTolerance, promptLogits } from '../core/engine/webgpu/modelCases.js';
import { besideHarness, openChromiumPage, type ChromiumPage } from './chromiumHarness.js';
import type { PinpointPageApi } from './webgpuPage.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STORIES = fileURLToPath(new URL('../../../shared/data/llm/stories260K.gguf', import.meta.url));
type Api = { pinpoint: PinpointPageApi };

let chromium: ChromiumPage | undefined;
let skip: string | undefined;
before(async () => {
  const files = new Map([['stories260K.gguf', STORIES]]);
  for (const { preset } of SYNTHETIC_PARITY_PRESETS) files.set(`${preset}.gguf`, await syntheticModelFile(ROOT, preset));
  const opened = await openChromiumPage(besideHarness('webgpuPage.ts'), files);
  if (typeof opened === 'string') skip = opened;
  else chromium = opened;
});
after(async () => chromium?.close());

test('the page has a WebGPU adapter', async (t) => {
  if (!chromium) return t.skip(skip);
  const adapter = await chromium.page.evaluate(() => (globalThis as unknown as Api).pinpoint.adapter());
  t.diagnostic(`adapter: ${adapter}`);
  assert.ok(adapter.length > 0);
});

describe('WebGPU kernels in Chromium against the reference', () => {
  for (const c of KERNEL_CASES) {
    test(c.name, async (t) => {
      if (!chromium) return t.skip(skip);
      const error = await chromium.page.evaluate((name) => (globalThis as unknown as Api).pinpoint.runKernelCase(name), c.name);
      assert.equal(error, null);
    });
  }
});

test('stories260K in Chromium: greedy tokens for 10 prompts equal the CPU backend', async (t) => {
  if (!chromium) return t.skip(skip);
  const prompts = readStoriesGreedyFixture().cases.slice(0, 10).map((c) => c.promptIds);
  const got = await chromium.page.evaluate(([p]) => (globalThis as unknown as Api).pinpoint.greedy('stories260K.gguf', p, 16), [prompts] as const);
  const cpu = await loadLanguageModel(STORIES, { backend: 'cpu', threads: 2, contextLength: 256 });
  try {
    for (let i = 0; i < prompts.length; i++) assert.deepEqual(got[i], await greedyTokens(cpu.model, prompts[i], 16), `prompt ${i}`);
  } finally {
    await cpu.dispose();
  }
});

describe('synthetic models in Chromium: logits within tolerance of the CPU backend', () => {
  for (const { preset, type, kvType } of SYNTHETIC_PARITY_PRESETS) {
    const tolerance = logitTolerance(type, kvType);
    test(`${preset}, ${kvType} KV cache, within ${tolerance}`, async (t) => {
      if (!chromium) return t.skip(skip);
      const got = await chromium.page.evaluate(([name, prompt, kv]) => (globalThis as unknown as Api).pinpoint.logits(name, prompt, kv), [`${preset}.gguf`, [...SYNTHETIC_PROMPT], kvType] as const);
      const cpu = await loadLanguageModel(await syntheticModelFile(ROOT, preset), { backend: 'cpu', threads: 2, contextLength: 256, kvType });
      try {
        const batch = relError(got.batch, await promptLogits(cpu.model, SYNTHETIC_PROMPT));
        const decode = relError(got.decode, await decodeLogits(cpu.model, SYNTHETIC_PROMPT));
        t.diagnostic(`max error / max |logit|: batch ${batch.toExponential(2)}, decode ${decode.toExponential(2)}`);
        assert.ok(batch < tolerance && decode < tolerance, `batch ${batch}, decode ${decode}`);
      } finally {
        await cpu.dispose();
      }
    });
  }
});

test('no console errors in the page', (t) => {
  if (!chromium) return t.skip(skip);
  assert.deepEqual(chromium.errors, []);
});
