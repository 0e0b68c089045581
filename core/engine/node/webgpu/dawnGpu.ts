/// <reference types="@webgpu/types" />
// WebGPU in Node through the `webgpu` package (Dawn over Vulkan, Metal or D3D12). On Linux
// without a GPU driver, Dawn finds no adapter; Debian's chromium package ships SwiftShader's
// Vulkan driver, so when no adapter exists and VK_ICD_FILENAMES is unset, this points it there
// and asks again (DESIGN.md "Recipes"). A VK_ICD_FILENAMES the user set is never overridden.

import { existsSync, readdirSync } from 'node:fs';
import { requestGpuContext, type GpuContext } from '../../common/webgpu/gpuDevice.js';

/** Vulkan ICD manifests of SwiftShader, first found wins. */
const SWIFTSHADER_ICDS = ['/usr/lib/chromium/vk_swiftshader_icd.json', '/usr/lib/chromium-browser/vk_swiftshader_icd.json'];

/** Folders where the Vulkan loader finds installed drivers on Linux. */
const VULKAN_ICD_FOLDERS = ['/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d'];

/** True when Linux has no Vulkan driver installed (then Dawn can only find SwiftShader). */
function noVulkanDriver(): boolean {
  if (process.platform !== 'linux') return false;
  return VULKAN_ICD_FOLDERS.every((dir) => !existsSync(dir) || readdirSync(dir).every((f) => !f.endsWith('.json')));
}

/** Why there is no adapter, for the message. */
export interface NoAdapter {
  readonly reason: string;
}

interface DawnModule {
  create(flags: string[]): GPU;
}

/** Loads Dawn; undefined when the package or its native binary is missing. */
async function loadDawn(): Promise<DawnModule | NoAdapter> {
  try {
    return (await import('webgpu')) as unknown as DawnModule;
  } catch (error) {
    return { reason: `the webgpu package (Dawn) could not be loaded: ${(error as Error).message}` };
  }
}

let instances: GPU[] = []; // Dawn instances stay referenced while their devices live

/** A device of a new Dawn instance (the Vulkan loader reads VK_ICD_FILENAMES when it is created). */
async function attempt(dawn: DawnModule): Promise<GpuContext | undefined> {
  const gpu = dawn.create([]);
  instances.push(gpu);
  return requestGpuContext(gpu);
}

/** A device from Dawn, falling back to SwiftShader; or why there is none. */
export async function requestDawnContext(): Promise<GpuContext | NoAdapter> {
  const dawn = await loadDawn();
  if ('reason' in dawn) return dawn;
  const userSet = process.env.VK_ICD_FILENAMES !== undefined;
  const icd = SWIFTSHADER_ICDS.find((path) => existsSync(path));
  // Ask Dawn as it is unless Linux has no Vulkan driver at all (Dawn would only print a warning).
  if (userSet || !icd || !noVulkanDriver()) {
    const context = await attempt(dawn);
    if (context) return context;
    if (userSet) return { reason: `Dawn found no WebGPU adapter with VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}.` };
  }
  if (icd) {
    process.env.VK_ICD_FILENAMES = icd;
    const context = await attempt(dawn);
    if (context) return context;
  }
  const hint = process.platform === 'linux'
    ? ' On Linux without a GPU driver, `apt-get install chromium libvulkan1` provides SwiftShader (a CPU Vulkan driver).'
    : '';
  return { reason: `Dawn found no WebGPU adapter (Vulkan/Metal/D3D12).${hint}` };
}

/** Drops the references to Dawn instances (after their devices are destroyed). */
export function releaseDawnInstances(): void {
  instances = [];
}
