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
  /** Refuse a software adapter (SwiftShader, llvmpipe: slower than the CPU backend) before any buffer is made. */
  readonly hardwareOnly?: boolean;
}

/** Error thrown when no WebGPU adapter exists (the `auto` backend falls back to the CPU on it). */
export class NoGpuAdapterError extends ExpectedError {
  constructor(reason: string) {
    super(ErrorReason.Limit, `No WebGPU adapter: ${reason} Use --backend cpu (or --backend auto, which falls back to it).`);
    this.name = 'NoGpuAdapterError';
  }
}

/** Error thrown with `hardwareOnly` when the only adapter is a software one. */
export class SoftwareAdapterError extends ExpectedError {
  constructor(adapterName: string) {
    super(ErrorReason.Limit, `The only WebGPU adapter is a software one (${adapterName}), slower than the CPU backend`);
    this.name = 'SoftwareAdapterError';
  }
}

/**
 * Creates the WebGPU backend on Dawn.
 * @throws NoGpuAdapterError when there is no adapter; SoftwareAdapterError with `hardwareOnly`.
 */
export async function createNodeWebGpuBackend(options: NodeWebGpuOptions = {}): Promise<WebGpuBackend> {
  const context = await requestDawnContext();
  if ('reason' in context) throw new NoGpuAdapterError(context.reason);
  if (options.hardwareOnly && context.software) {
    context.device.destroy();
    throw new SoftwareAdapterError(context.adapterName);
  }
  return new WebGpuBackend(context, { shaders: nodeShaderLibrary(), ...options });
}
