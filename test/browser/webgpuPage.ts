// The test page's script (bundled by chromiumHarness.ts for headless Chromium): the WebGPU
// backend on navigator.gpu with the shaders served at /shaders/, and entry points the Node
// tests call through page.evaluate: the kernel cases of kernelCases.ts, greedy tokens and logits
// of models fetched from /files/. Numbers go back as plain arrays; Node compares them.

import { MemoryByteSource } from '../../core/base/common/byteSource.js';
import { createBrowserWebGpuBackend, fetchShaderLibrary } from '../../core/engine/browser/webgpu/browserWebGpu.js';
import { loadGgufModel } from '../../core/engine/common/ggufModel.js';
import type { KvType } from '../../core/engine/common/kvCache.js';
import { LanguageModel } from '../../core/engine/common/languageModel.js';
import type { ShaderLibrary } from '../../core/engine/common/webgpu/shaderPreprocessor.js';
import type { WebGpuBackend } from '../../core/engine/common/webgpu/WebGpuBackend.js';
import { KERNEL_CASES } from '../core/engine/webgpu/kernelCases.js';
import { decodeLogits, greedyTokens, promptLogits } from '../core/engine/webgpu/modelCases.js';

let shaders: ShaderLibrary | undefined;
let kernelBackend: WebGpuBackend | undefined;

async function library(): Promise<ShaderLibrary> {
  shaders ??= await fetchShaderLibrary('/shaders/');
  return shaders;
}

/** Loads /files/<name> on a fresh backend, runs `fn`, disposes. */
async function withModel<T>(name: string, kvType: KvType, fn: (model: LanguageModel) => Promise<T>): Promise<T> {
  const bytes = new Uint8Array(await (await fetch(`/files/${name}`)).arrayBuffer());
  const parts = await loadGgufModel(new MemoryByteSource(name, bytes));
  const model = await LanguageModel.load({ ...parts, path: name }, await createBrowserWebGpuBackend(await library()), { contextLength: 256, kvType });
  try {
    return await fn(model);
  } finally {
    await model.dispose();
  }
}

const api = {
  kernelCaseNames: (): string[] => KERNEL_CASES.map((c) => c.name),
  /** Runs one kernel case; the error message, or null when it passed. */
  async runKernelCase(name: string): Promise<string | null> {
    kernelBackend ??= await createBrowserWebGpuBackend(await library());
    try {
      await KERNEL_CASES.find((c) => c.name === name)!.run(kernelBackend);
      return null;
    } catch (error) {
      return (error as Error).stack ?? String(error);
    }
  },
  async adapter(): Promise<string> {
    kernelBackend ??= await createBrowserWebGpuBackend(await library());
    return kernelBackend.gpu.adapterName;
  },
  greedy: (name: string, prompts: readonly (readonly number[])[], steps: number): Promise<number[][]> =>
    withModel(name, 'f16', async (model) => {
      const out: number[][] = [];
      for (const prompt of prompts) out.push(await greedyTokens(model, prompt, steps));
      return out;
    }),
  logits: (name: string, prompt: readonly number[], kvType: KvType): Promise<{ batch: number[]; decode: number[] }> =>
    withModel(name, kvType, async (model) => ({
      batch: Array.from(await promptLogits(model, prompt)),
      decode: Array.from(await decodeLogits(model, prompt)),
    })),
};

/** What the harness calls. */
export type PinpointPageApi = typeof api;
(globalThis as { pinpoint?: PinpointPageApi }).pinpoint = api;
