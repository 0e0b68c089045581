// Constants of the GGUF container that the reader (ggufReader.ts) and the writer (ggufWriter.ts)
// must agree on: the magic, the default alignment of tensor data and the largest tensor rank.

/** "GGUF" read as a little-endian u32. */
export const GGUF_MAGIC = 0x46554747;

/** Alignment of tensor data when the file has no general.alignment. */
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Most dimensions a tensor may have (ggml's GGML_MAX_DIMS). */
export const GGUF_MAX_DIMS = 4;

/** `n` rounded up to a multiple of `alignment`. */
export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}
