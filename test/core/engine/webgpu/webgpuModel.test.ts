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
import { LanguageModel } from '../../../../core/engine/common/languageModel.js';
import { createSampler } from '../../../../core/engine/common/sampling/sampler.js';
import type { WebGpuBackend } from '../../../../core/engine/common/webgpu/WebGpuBackend.js';
import { loadLanguageModel, type LoadedLanguageModel } from '../../../../core/engine/node/loadLanguageModel.js';
import { openModel } from '../../../../core/engine/node/openModel.js';
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
  test('generate reads back only the top-k logits sampling needs, and samples what the whole row would give', async (t) => {
    if (skip) return t.skip(skip);
    const backend = gpu.model.backend as WebGpuBackend;
    const prompt = cases[1].promptIds, steps = 16;
    for (const sampling of [{ temperature: 0 }, { temperature: 0.9, topK: 40, topP: 0.95, minP: 0.05, seed: 11 }]) {
      gpu.model.resetCache();
      const before = backend.stats.bytesRead;
      const result = await gpu.model.generate(prompt, { maxTokens: steps, sampling }).result();
      const k = sampling.temperature === 0 ? 1 : 40;
      assert.equal(backend.stats.bytesRead - before, result.tokens.length * k * 8, `${JSON.stringify(sampling)}: 8 bytes (id, logit) per candidate per step`);
      // The same choices from whole rows of logits, one step at a time, with a sampler of the same seed.
      gpu.model.resetCache();
      const sampler = createSampler(sampling), history = [...prompt], want: number[] = [];
      try {
        for (let i = 0; i < result.tokens.length; i++) {
          const { logits } = await gpu.model.evaluate(history);
          want.push(sampler.sample(logits!, history));
          history.push(want[i]);
        }
      } finally {
        sampler.dispose();
      }
      assert.deepEqual(result.tokens, want, JSON.stringify(sampling));
    }
  });
  test('with penalties on, the whole row of logits is read (the penalties change the ranking)', async (t) => {
    if (skip) return t.skip(skip);
    const backend = gpu.model.backend as WebGpuBackend, vocab = gpu.model.config.vocabSize;
    gpu.model.resetCache();
    const before = backend.stats.bytesRead;
    const result = await gpu.model.generate(cases[1].promptIds, { maxTokens: 4, sampling: { temperature: 0, repetitionPenalty: 1.3 } }).result();
    assert.equal(backend.stats.bytesRead - before, result.tokens.length * vocab * 4);
  });
  test('GPU memory: weights as stored plus at most 2% padding; KV cache exact', async (t) => {
    if (skip) return t.skip(skip);
    const g = gpu.model.backend.memory(), c = cpu.model.backend.memory();
    assert.ok(g.weightBytes >= c.weightBytes && g.weightBytes <= c.weightBytes * 1.02, `${g.weightBytes} vs ${c.weightBytes}`);
    assert.equal(g.kvCacheBytes, c.kvCacheBytes);
  });
});

test('a 15M-parameter model with the default context and batch: all GPU buffers within 10% of its weights as stored plus KV cache', async (t) => {
  if (skip) return t.skip(skip);
  const path = await syntheticModelFile(ROOT, 'm15-f32');
  const loaded = await loadLanguageModel(path, { backend: 'webgpu' });
  try {
    const g = loaded.model.backend.memory();
    let stored = 0;
    for (const ref of loaded.files.tensors.values()) stored += ref.byteLength;
    const total = g.weightBytes + g.kvCacheBytes + g.activationBytes;
    t.diagnostic(`weights ${g.weightBytes} (stored ${stored}), KV ${g.kvCacheBytes}, other ${g.activationBytes}: ${((total / (stored + g.kvCacheBytes) - 1) * 100).toFixed(1)}% over`);
    assert.ok(total <= 1.1 * (stored + g.kvCacheBytes));
  } finally {
    await loaded.dispose();
  }
});

test('a model or KV cache beyond the adapter limits is refused with a message before any upload', async (t) => {
  if (skip) return t.skip(skip);
  const files = await openModel(STORIES);
  try {
    for (const [maxBindingBytes, contextLength, message] of [
      [512, 256, /Tensor token_embd\.weight \(f32, rows of 64\) does not fit this GPU: four rows need 1024 bytes.*maxStorageBufferBindingSize 512\)\. Use --backend cpu\./],
      [8192, 512, /The KV cache of one layer \(\d+ bytes for 512 positions\) is larger than one GPU storage binding \(8192\)/],
    ] as const) {
      const backend = await webgpuOrSkip({ maxBindingBytes });
      assert.ok(typeof backend !== 'string');
      try {
        await assert.rejects(LanguageModel.load({ ...files, path: STORIES }, backend, { contextLength }), message);
        const { weightBytes, kvCacheBytes } = backend.memory(); // activations: only the backend's own staging arena
        assert.deepEqual({ weightBytes, kvCacheBytes }, { weightBytes: 0, kvCacheBytes: 0 });
      } finally {
        await backend.dispose();
      }
    }
  } finally {
    await files.close();
  }
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
