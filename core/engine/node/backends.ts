// The one place that maps a backend name to an implementation (transformers.js's backends/onnx.js).

import { ArgumentError } from '../../base/common/errors.js';
import type { Backend } from '../common/backend.js';
import { CpuBackend } from './cpu/cpuBackend.js';
import type { CpuKernelVariant } from './cpu/wasmKernels.js';
import { NoGpuAdapterError, SoftwareAdapterError, createNodeWebGpuBackend } from './webgpu/createNodeWebGpuBackend.js';

/**
 * Backend names a user may ask for. `auto` is WebGPU on a hardware adapter, else the CPU: a
 * software adapter (SwiftShader on a machine without a GPU) is far slower than the CPU backend,
 * so `auto` takes it only when asked by name (`webgpu`).
 */
export const BACKEND_NAMES = ['cpu', 'webgpu', 'auto'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendOptions {
  /** CPU threads (main thread included); default: all cores. */
  readonly threads?: number;
  /** Build of the CPU kernels (`relaxed` or `plain` SIMD); default: $PINPOINT_CPU_KERNELS, else `relaxed` where it runs. */
  readonly cpuKernels?: CpuKernelVariant;
  /** Told why `auto` fell back to the CPU; default: a line on stderr. */
  readonly onNotice?: (message: string) => void;
}

/** Creates the backend called `name`. */
export async function createBackend(name: string, options: BackendOptions = {}): Promise<Backend> {
  switch (name) {
    case 'cpu':
      return CpuBackend.create({ threads: options.threads, kernels: options.cpuKernels });
    case 'webgpu':
      return createNodeWebGpuBackend();
    case 'auto':
      return autoBackend(options);
    default:
      throw new ArgumentError(`Unsupported backend: "${name}". Should be one of: ${BACKEND_NAMES.join(', ')}.`);
  }
}

/** WebGPU on a hardware adapter, else the CPU backend with a notice saying why. */
async function autoBackend(options: BackendOptions): Promise<Backend> {
  const notice = options.onNotice ?? ((m: string) => process.stderr.write(`${m}\n`));
  try {
    return await createNodeWebGpuBackend({ hardwareOnly: true });
  } catch (error) {
    if (error instanceof SoftwareAdapterError) notice(`${error.message}; using the CPU backend (--backend webgpu forces it).`);
    else if (error instanceof NoGpuAdapterError) notice(`${error.message.split(' Use --backend')[0].replace(/\.$/, '')}; using the CPU backend.`);
    else throw error;
  }
  return CpuBackend.create({ threads: options.threads, kernels: options.cpuKernels });
}
