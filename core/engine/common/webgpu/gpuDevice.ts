/// <reference types="@webgpu/types" />
// Adapter and device request over any `GPU` object (navigator.gpu in a browser, the `webgpu`
// package's create([]) in Node): the features the kernels use when present (shader-f16,
// subgroups, timestamp-query), the adapter's own large limits (storage binding and buffer sizes,
// workgroup memory) instead of WebGPU's defaults, and device loss reported, not thrown later.

/** Capabilities of the device the backend got (detected once, frozen). */
export interface GpuCapabilities {
  /** The adapter supports and the device enabled `shader-f16` (f16 arithmetic in WGSL). */
  readonly shaderF16: boolean;
  /** `subgroups`: subgroupAdd in the GEMV reduction; otherwise workgroup memory. */
  readonly subgroups: boolean;
  /** `timestamp-query`: GPU timings for benchmarks. */
  readonly timestampQuery: boolean;
}

/** A device and what it can do. */
export interface GpuContext {
  readonly device: GPUDevice;
  /** "vendor architecture (description)" of the adapter, for stats and messages. */
  readonly adapterName: string;
  /** A CPU implementation (SwiftShader, llvmpipe, WARP): slower than the CPU backend. */
  readonly software: boolean;
  readonly capabilities: GpuCapabilities;
  readonly limits: {
    readonly maxBufferSize: number;
    readonly maxStorageBufferBindingSize: number;
    readonly maxComputeWorkgroupStorageSize: number;
  };
  /** Resolves when the device is lost (destroyed or a driver reset), with the reason. */
  readonly lost: Promise<string>;
}

const WANTED_FEATURES = ['shader-f16', 'subgroups', 'timestamp-query'] as const;

/** Limits the backend raises to the adapter's own values. */
const RAISED_LIMITS = ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize', 'maxStorageBuffersPerShaderStage'] as const;

/** Requests an adapter and a device; undefined when there is no adapter. */
export async function requestGpuContext(gpu: GPU, powerPreference: GPUPowerPreference = 'high-performance'): Promise<GpuContext | undefined> {
  const adapter = await gpu.requestAdapter({ powerPreference });
  if (!adapter) return undefined;
  const features = WANTED_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ requiredFeatures: features, requiredLimits, label: 'pinpoint' });
  const info = adapter.info;
  const adapterName = [info.vendor, info.architecture].filter(Boolean).join(' ') + (info.description ? ` (${info.description})` : '');
  const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return {
    device,
    adapterName: adapterName || 'unknown adapter',
    software: fallback || /swiftshader|llvmpipe|lavapipe|warp|software/i.test(adapterName),
    capabilities: Object.freeze({
      shaderF16: device.features.has('shader-f16'),
      subgroups: device.features.has('subgroups'),
      timestampQuery: device.features.has('timestamp-query'),
    }),
    limits: {
      maxBufferSize: device.limits.maxBufferSize,
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: device.limits.maxComputeWorkgroupStorageSize,
    },
    lost: device.lost.then((l) => `${l.reason}: ${l.message}`),
  };
}
