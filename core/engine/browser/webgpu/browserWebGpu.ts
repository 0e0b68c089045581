/// <reference types="@webgpu/types" />
// The WebGPU backend in a browser (Chromium, the Electron renderer): a device from
// navigator.gpu and the WGSL of shaders/ fetched from where the app serves them (or given
// inline by a bundle). No adapter -> an ExpectedError the caller turns into the CPU path.

import { ExpectedError, ErrorReason } from '../../../base/common/errors.js';
import { requestGpuContext } from '../../common/webgpu/gpuDevice.js';
import { SHADER_FILES } from '../../common/webgpu/kernels.js';
import type { ShaderLibrary } from '../../common/webgpu/shaderPreprocessor.js';
import { WebGpuBackend } from '../../common/webgpu/WebGpuBackend.js';

/** navigator.gpu, or undefined where WebGPU is not exposed (no flag, an insecure origin). */
export function navigatorGpu(): GPU | undefined {
  return (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
}

/** Fetches every shader file from `baseUrl` (e.g. "/shaders/") once. */
export async function fetchShaderLibrary(baseUrl: string): Promise<ShaderLibrary> {
  const texts = new Map<string, string>();
  await Promise.all(SHADER_FILES.map(async (file) => {
    const response = await fetch(new URL(file, new URL(baseUrl, (globalThis as { location?: { href: string } }).location?.href)));
    if (!response.ok) throw new ExpectedError(ErrorReason.Network, `Shader ${file} could not be fetched from ${baseUrl}: HTTP ${response.status}.`);
    texts.set(file, await response.text());
  }));
  return (file) => {
    const text = texts.get(file);
    if (text === undefined) throw new ExpectedError(ErrorReason.ModelFile, `Shader ${file} is not in the library (${[...texts.keys()].join(', ')}).`);
    return text;
  };
}

/** Creates the WebGPU backend on navigator.gpu; throws when there is no adapter. */
export async function createBrowserWebGpuBackend(shaders: ShaderLibrary): Promise<WebGpuBackend> {
  const gpu = navigatorGpu();
  if (!gpu) throw new ExpectedError(ErrorReason.Limit, 'WebGPU is not available here (navigator.gpu is missing: an old browser, a disabled flag or an insecure origin); use the CPU backend.');
  const context = await requestGpuContext(gpu);
  if (!context) throw new ExpectedError(ErrorReason.Limit, 'navigator.gpu found no WebGPU adapter; use the CPU backend.');
  return new WebGpuBackend(context, { shaders });
}
