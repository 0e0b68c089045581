// Loads fixtures/ggmlReference.json: ggml's own quantized bytes, dequantized values, activation
// blocks and dot products for one input (see fixtures/makeGgmlReference.py for how it was made).

import { readFile } from 'node:fs/promises';

/** ggml's outputs for the reference input. */
export interface GgmlReference {
  readonly source: string;
  /** The weight row (1024 values) every type was quantized from. */
  readonly x: Float32Array;
  /** The activation row (1024 values) quantized to q8_0 and q8_K. */
  readonly activation: Float32Array;
  /** f32 values whose f16 and bf16 encodings are under f16_specials and bf16_specials. */
  readonly specials: Float32Array;
  /** Bytes by type name: q8_0, q4_0, q4_K, q6_K, q8_K, f16, bf16, f16_specials, bf16_specials. */
  readonly quantized: Readonly<Record<string, Uint8Array>>;
  /** dequantize_row_<type> of the quantized bytes. */
  readonly dequantized: Readonly<Record<string, Float32Array>>;
  /** The activation row as q8_0 and q8_K blocks. */
  readonly activations: Readonly<Record<string, Uint8Array>>;
  /** ggml_vec_dot_<type>_<q8_0|q8_K>_generic of the quantized x and activation (f32). */
  readonly dot: Readonly<Record<string, number>>;
}

const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
const floats = (b64: string) => new Float32Array(bytes(b64).buffer);
const mapValues = <T>(record: Record<string, string>, f: (s: string) => T) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));

/** Reads the fixture. */
export async function loadGgmlReference(): Promise<GgmlReference> {
  const json = JSON.parse(await readFile(new URL('./fixtures/ggmlReference.json', import.meta.url), 'utf8'));
  return {
    source: json.source,
    x: floats(json.x),
    activation: floats(json.activation),
    specials: floats(json.specials),
    quantized: mapValues(json.quantized, bytes),
    dequantized: mapValues(json.dequantized, floats),
    activations: mapValues(json.activations, bytes),
    dot: json.dot,
  };
}
