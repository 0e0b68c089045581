// Key spans of the prefill attention kernel (shaders/flash_attn.wgsl): for each block of `blockSize`
// queries, a list of contiguous key ranges [start, end). The kernel masks causally inside them.
// Dense prefill is one span per block; a sparse-prefill policy (a-shape, vertical-slash,
// block-sparse) is only another builder of this same list.

/** Spans of one query block. */
export type KeySpans = readonly (readonly [start: number, end: number])[];

/** Dense causal spans: block b sees keys [0, pos0 + last query of b]. */
export function denseCausalSpans(pos0: number, tokens: number, blockSize: number): KeySpans[] {
  const blocks = Math.ceil(tokens / blockSize);
  return Array.from({ length: blocks }, (_, b) => [[0, pos0 + Math.min((b + 1) * blockSize, tokens)] as const]);
}

/** Words of the encoded list: per block (first span, count), then every span (start, end). */
export function spansWords(spans: readonly KeySpans[]): number {
  return 2 * spans.length + 2 * spans.reduce((n, s) => n + s.length, 0);
}

/** Encodes `spans` into `out` (u32 words) as the kernel reads them. */
export function encodeSpans(spans: readonly KeySpans[], out: Uint32Array): void {
  let next = spans.length;
  spans.forEach((block, b) => {
    out[2 * b] = next;
    out[2 * b + 1] = block.length;
    for (const [start, end] of block) {
      out[2 * next] = start;
      out[2 * next + 1] = end;
      next++;
    }
  });
}
