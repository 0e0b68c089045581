/// <reference types="@webgpu/types" />
// Compute pipelines compiled once per variant key (file + defines) and cached, with their bind
// group layouts (uniform with a dynamic offset, read-only storage, read-write storage). WGSL
// errors come back asynchronously: `check()` awaits them and throws one naming the kernel file
// and its own line (through the preprocessor's line map), never the expanded source's line.

import { BugIndicatingError } from '../../../base/common/errors.js';
import { KERNELS, type KernelName } from './kernels.js';
import { preprocess, variantKey, type PreprocessedShader, type ShaderDefines, type ShaderLibrary } from './shaderPreprocessor.js';
import { ShaderStage } from './gpuConstants.js';

/** A compiled kernel variant. */
export interface Kernel {
  readonly key: string;
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly readOnly: number;
  readonly readWrite: number;
}

/** A WGSL compile or pipeline error, located in its kernel file. */
export class ShaderCompileError extends BugIndicatingError {
  constructor(readonly kernel: string, message: string) {
    super(message);
    this.name = 'ShaderCompileError';
  }
}

/** Bytes of the params slot every kernel's uniform binding sees. */
export const PARAMS_BYTES = 256;

export class PipelineCache {
  private readonly kernels = new Map<string, Kernel>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  private readonly checks: Promise<string | undefined>[] = [];

  constructor(private readonly device: GPUDevice, private readonly library: ShaderLibrary) {}

  /** The pipeline of `name` with `defines`, compiled on first use. */
  get(name: KernelName, defines: ShaderDefines): Kernel {
    const spec = KERNELS[name];
    const key = variantKey(spec.file, defines);
    let kernel = this.kernels.get(key);
    if (kernel) return kernel;
    const { readOnly, readWrite } = spec.bindings(defines);
    const source = preprocess(this.library, spec.file, defines);
    const layout = this.layout(readOnly, readWrite);
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ code: source.code, label: key });
    const pipeline = this.device.createComputePipeline({
      label: key,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout], label: key }),
      compute: { module, entryPoint: 'main' },
    });
    const scope = this.device.popErrorScope();
    this.checks.push(this.diagnose(key, module, source, scope));
    kernel = { key, pipeline, layout, readOnly, readWrite };
    this.kernels.set(key, kernel);
    return kernel;
  }

  /** Number of compiled variants. */
  get size(): number {
    return this.kernels.size;
  }

  /** Throws the first compile error of the kernels compiled so far. */
  async check(): Promise<void> {
    if (this.checks.length === 0) return;
    const results = await Promise.all(this.checks.splice(0));
    const error = results.find((r) => r !== undefined);
    if (error) throw new ShaderCompileError(error.split(':')[0], error);
  }

  private async diagnose(key: string, module: GPUShaderModule, source: PreprocessedShader, scope: Promise<GPUError | null>): Promise<string | undefined> {
    const info = await module.getCompilationInfo();
    const first = info.messages.find((m) => m.type === 'error');
    const scoped = await scope;
    if (!first && !scoped) return undefined;
    if (first) {
      const origin = source.origins[first.lineNum - 1];
      const where = origin ? `shaders/${origin.file}:${origin.line}:${first.linePos}` : `line ${first.lineNum}`;
      return `WGSL compile error in kernel ${key} at ${where}: ${first.message}`;
    }
    return `WebGPU pipeline error in kernel ${key}: ${scoped!.message}`;
  }

  private layout(readOnly: number, readWrite: number): GPUBindGroupLayout {
    const key = `${readOnly}/${readWrite}`;
    let layout = this.layouts.get(key);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [
        { binding: 0, visibility: ShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: PARAMS_BYTES } },
      ];
      for (let i = 0; i < readOnly + readWrite; i++) {
        entries.push({ binding: i + 1, visibility: ShaderStage.COMPUTE, buffer: { type: i < readOnly ? 'read-only-storage' : 'storage' } });
      }
      layout = this.device.createBindGroupLayout({ entries, label: `bindings ${key}` });
      this.layouts.set(key, layout);
    }
    return layout;
  }
}
