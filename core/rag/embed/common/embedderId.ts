// Embedder ids: what a vector table is tied to. An id names the kind and model, pins the exact
// files by a content hash (or a hub revision), and lists every option that changes the vectors:
//
//   static:glove:glove100d-top20k@3f9c0a1b2c4d5e6f?a=0.001&maxTokens=2048&weighting=sif
//   static:model2vec:potion-base-8M@0b1c...?maxTokens=512&normalize=true
//   onnx:bge-small-en-v1.5@9a8b...?dtype=fp32&maxTokens=510&normalize=true&pooling=cls&prompts=1a2b3c4d
//   hub:Xenova/bge-small-en-v1.5@main?dtype=fp32&...
//
// Options are sorted by name, so the same configuration always gives the same id.

/** The parts of an embedder id. */
export interface EmbedderIdParts {
  /** "static:glove", "static:model2vec", "onnx" or "hub". */
  readonly kind: string;
  /** Model name: folder name, or hub id. */
  readonly name: string;
  /** Content hash of the model files (hex), or the hub revision. */
  readonly version: string;
  /** Every option that changes the vectors; undefined values are left out. */
  readonly options: Readonly<Record<string, string | number | boolean | undefined>>;
}

/** The id string of `parts`. */
export function formatEmbedderId(parts: EmbedderIdParts): string {
  const options = Object.entries(parts.options)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&');
  return `${parts.kind}:${parts.name}@${parts.version}${options ? `?${options}` : ''}`;
}

/** A short stable hash of a string (FNV-1a, 32 bits, hex): names prompt texts inside ids. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
