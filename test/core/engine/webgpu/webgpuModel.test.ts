// Whole models on WebGPU in Node (Dawn; SwiftShader here) against the CPU backend:
// - stories260K: greedy tokens identical for 12 prompts of the llama.cpp fixture (f16 KV cache
//   on both sides), 16 steps each: prefill through the tiled matmul and flash attention, decode
//   through the GEMVs and split-KV attention;
// - synthetic models of every weight type (modelCases.ts: llama and qwen2, f32 and f16 KV): logits
//   of a 12-token prompt in one batch and token by token, within a per-type tolerance of the CPU's.
// The GPU rounds activations to each weight type's dot-product format exactly as the CPU does,
// so the differences are f32 summation order; with 8-bit activations a last-bit difference
// upstream can move one activation a quantization step, which the tolerances bound.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadLanguageModel, type LoadedLanguageModel } from '../../../../core/engine/node/loadLanguageModel.js';
import { readStoriesGreedyFixture } from '../../../fixtures/llamacpp/readFixtures.js';
import { syntheticModelFile } from '../../../bench/syntheticFiles.js';
import { SYNTHETIC_PARITY_PRESETS, SYNTHETIC_PROMPT, decodeLogits, greedyTokens, logitTolerance, promptLogits } from './modelCases.js';
import { relError } from './kernelCases.js';
import { webgpuOrSkip } from './webgpuTestBackend.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const STORIES = fileURLToPath(new URL('../../../../../shared/data/llm/stories260K.gguf', import.meta.url));

let skip: string | undefined;
before(async () => {
  const probe = await webgpuOrSkip();
  if (typeof probe === 'string') skip = probe;
  else await probe.dispose();
});

describe('stories260K: greedy tokens on WebGPU equal the CPU backend', () => {
  const cases = readStoriesGreedyFixture().cases.slice(0, 12);
  let cpu: LoadedLanguageModel, gpu: LoadedLanguageModel;
  before(async () => {
    if (skip) return;
    cpu = await loadLanguageModel(STORIES, { backend: 'cpu', threads: 2, contextLength: 256 });
    gpu = await loadLanguageModel(STORIES, { backend: 'webgpu', contextLength: 256 });
  });
  after(async () => {
    await cpu?.dispose();
    await gpu?.dispose();
  });
  test('at least 10 prompts', () => assert.ok(cases.length >= 10));
  for (const c of cases) {
    test(`${c.name}: ${JSON.stringify(c.text).slice(0, 40)}`, async (t) => {
      if (skip) return t.skip(skip);
      const want = await greedyTokens(cpu.model, c.promptIds, 16);
      assert.deepEqual(await greedyTokens(gpu.model, c.promptIds, 16), want);
    });
  }
  test('GPU memory: weights as stored plus at most 2% padding; KV cache exact', async (t) => {
    if (skip) return t.skip(skip);
    const g = gpu.model.backend.memory(), c = cpu.model.backend.memory();
    assert.ok(g.weightBytes >= c.weightBytes && g.weightBytes <= c.weightBytes * 1.02, `${g.weightBytes} vs ${c.weightBytes}`);
    assert.equal(g.kvCacheBytes, c.kvCacheBytes);
  });
});

describe('synthetic models of every weight type: WebGPU logits within tolerance of the CPU backend', () => {
  for (const { preset, type, kvType } of SYNTHETIC_PARITY_PRESETS) {
    const tolerance = logitTolerance(type, kvType);
    test(`${preset}, ${kvType} KV cache: prompt logits (batch) and decode logits within ${tolerance}`, async (t) => {
      if (skip) return t.skip(skip);
      const path = await syntheticModelFile(ROOT, preset);
      const options = { contextLength: 64, kvType };
      const [cpu, gpu] = [await loadLanguageModel(path, { ...options, backend: 'cpu', threads: 2 }), await loadLanguageModel(path, { ...options, backend: 'webgpu' })];
      try {
        const batch = relError(await promptLogits(gpu.model, SYNTHETIC_PROMPT), await promptLogits(cpu.model, SYNTHETIC_PROMPT));
        const decode = relError(await decodeLogits(gpu.model, SYNTHETIC_PROMPT), await decodeLogits(cpu.model, SYNTHETIC_PROMPT));
        t.diagnostic(`max error / max |logit|: batch ${batch.toExponential(2)}, decode ${decode.toExponential(2)}`);
        assert.ok(batch < tolerance && decode < tolerance, `batch ${batch}, decode ${decode}`);
      } finally {
        await cpu.dispose();
        await gpu.dispose();
      }
    });
  }
});
