// The WGSL sources of shaders/ read from disk: the folder is found by walking up from this module
// (core/engine/node/webgpu/ under tsx, core/dist/ once bundled), and files are read once.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExpectedError, ErrorReason } from '../../../base/common/errors.js';
import type { ShaderLibrary } from '../../common/webgpu/shaderPreprocessor.js';

/** The shaders/ folder of the installation. */
export function shadersFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shaders');
    if (existsSync(join(candidate, 'common.wgsl'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new ExpectedError(ErrorReason.ModelFile, `The WGSL kernels (shaders/common.wgsl) were not found above ${dirname(fileURLToPath(import.meta.url))}; the installation is incomplete.`);
    dir = parent;
  }
}

/** A shader library over shaders/ on disk. */
export function nodeShaderLibrary(folder = shadersFolder()): ShaderLibrary {
  const cache = new Map<string, string>();
  return (file) => {
    let text = cache.get(file);
    if (text === undefined) {
      text = readFileSync(join(folder, file), 'utf8');
      cache.set(file, text);
    }
    return text;
  };
}
