// The WebGPU backend in Node: a Dawn device (dawnGpu.ts) and the WGSL of shaders/ from disk.

import { ExpectedError, ErrorReason } from '../../../base/common/errors.js';
import { WebGpuBackend } from '../../common/webgpu/WebGpuBackend.js';
import { requestDawnContext } from './dawnGpu.js';
import { nodeShaderLibrary } from './nodeShaders.js';

export interface NodeWebGpuOptions {
  /** Largest bytes of one weight chunk (tests); default the adapter's binding limit. */
  readonly maxBindingBytes?: number;
  /** Use subgroup operations where the device has them; default true. */
  readonly useSubgroups?: boolean;
}

/** Error thrown when no WebGPU adapter exists (the `auto` backend falls back to the CPU on it). */
export class NoGpuAdapterError extends ExpectedError {
  constructor(reason: string) {
    super(ErrorReason.Limit, `No WebGPU adapter: ${reason} Use --backend cpu (or --backend auto, which falls back to it).`);
    this.name = 'NoGpuAdapterError';
  }
}

/** Creates the WebGPU backend on Dawn; throws NoGpuAdapterError when there is no adapter. */
export async function createNodeWebGpuBackend(options: NodeWebGpuOptions = {}): Promise<WebGpuBackend> {
  const context = await requestDawnContext();
  if ('reason' in context) throw new NoGpuAdapterError(context.reason);
  return new WebGpuBackend(context, { shaders: nodeShaderLibrary(), ...options });
}
