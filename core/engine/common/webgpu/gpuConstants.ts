// WebGPU's numeric flags, written out: `GPUBufferUsage` and `GPUMapMode` are globals of a browser
// or of the `webgpu` package's `globals`, neither of which common/ code may assume.

/** GPUBufferUsage bits. */
export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

/** GPUMapMode bits. */
export const MapMode = { READ: 0x0001, WRITE: 0x0002 } as const;

/** GPUShaderStage bits. */
export const ShaderStage = { COMPUTE: 0x4 } as const;

/** The largest workgroup count of one grid dimension (WebGPU's default and usual limit). */
export const MAX_GROUPS_PER_DIMENSION = 65535;

/** Rounds `bytes` up to a multiple of `alignment`. */
export function alignTo(bytes: number, alignment: number): number {
  return Math.ceil(bytes / alignment) * alignment;
}
