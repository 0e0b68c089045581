// The one place that maps a backend name to an implementation (transformers.js's backends/onnx.js).

import { ArgumentError } from '../../base/common/errors.js';
import type { Backend } from '../common/backend.js';
import { CpuBackend } from './cpu/cpuBackend.js';

/** Backend names a user may ask for. */
export const BACKEND_NAMES = ['cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendOptions {
  /** CPU threads (main thread included); default: all cores. */
  readonly threads?: number;
}

/** Creates the backend called `name`. */
export async function createBackend(name: string, options: BackendOptions = {}): Promise<Backend> {
  switch (name) {
    case 'cpu':
      return CpuBackend.create({ threads: options.threads });
    default:
      throw new ArgumentError(`Unsupported backend: "${name}". Should be one of: ${BACKEND_NAMES.join(', ')}.`);
  }
}
