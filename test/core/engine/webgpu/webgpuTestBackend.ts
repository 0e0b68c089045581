// A WebGPU backend for Node tests, or the reason there is none: tests skip (with that reason)
// only when no adapter can be created at all; with Debian's chromium installed, SwiftShader is one.

import { NoGpuAdapterError, createNodeWebGpuBackend, type NodeWebGpuOptions } from '../../../../core/engine/node/webgpu/createNodeWebGpuBackend.js';
import type { WebGpuBackend } from '../../../../core/engine/common/webgpu/WebGpuBackend.js';

/** A backend, or a skip message naming why there is no adapter. */
export async function webgpuOrSkip(options: NodeWebGpuOptions = {}): Promise<WebGpuBackend | string> {
  try {
    return await createNodeWebGpuBackend(options);
  } catch (error) {
    if (error instanceof NoGpuAdapterError) return `skipped: ${error.message}`;
    throw error;
  }
}
