// The wire format of POST /embeddings: a response {data: [{index, embedding}]} read back into
// input order by `index`, each embedding a list of numbers or base64 of little-endian float32
// (`encoding_format: "base64"`), checked: one vector per input, every index once, one length.

import { RemoteError } from './RemoteError.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decodes base64 (standard or URL-safe alphabet, padding optional) to bytes; undefined if it is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/[\s=]+$/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1) return undefined;
  const binary = atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** One embedding as floats, or a description of what is wrong with it. */
function readVector(value: unknown): Float32Array | string {
  if (typeof value === 'string') {
    const bytes = decodeBase64(value);
    if (!bytes) return 'is a string that is not base64';
    if (bytes.length % 4 !== 0) return `is base64 of ${bytes.length} bytes, not a whole number of float32`;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const vector = new Float32Array(bytes.length / 4);
    for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
    return vector;
  }
  if (!Array.isArray(value)) return 'is neither a list of numbers nor base64';
  const vector = new Float32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const x: unknown = value[i];
    if (typeof x !== 'number') return `has a non-number at position ${i}`;
    vector[i] = x;
  }
  return vector;
}

/**
 * The vectors of an embeddings response, in input order (by `index`; by position only when no
 * item has an index). `count` is the number of inputs sent.
 * @throws RemoteError (protocol) naming what does not fit.
 */
export function readEmbeddings(value: unknown, count: number, endpoint: string): Float32Array[] {
  const fail = (problem: string): never => {
    throw new RemoteError(endpoint, 'protocol', `the embeddings response ${problem}`);
  };
  const data = isRecord(value) ? value.data : undefined;
  if (!Array.isArray(data)) return fail('has no "data" list');
  if (data.length !== count) return fail(`has ${data.length} embeddings for ${count} inputs`);
  const byPosition = data.every((item) => isRecord(item) && item.index === undefined);
  const out: Float32Array[] = new Array<Float32Array>(count);
  data.forEach((item: unknown, position) => {
    if (!isRecord(item)) return fail(`item ${position} is not an object`);
    const index = byPosition ? position : item.index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) {
      return fail(`item ${position} has index ${JSON.stringify(index)}, not an integer from 0 to ${count - 1}`);
    }
    if (out[index] !== undefined) return fail(`has index ${index} twice`);
    const vector = readVector(item.embedding);
    if (typeof vector === 'string') return fail(`item ${position}: its embedding ${vector}`);
    if (vector.length === 0) return fail(`item ${position} has an empty embedding`);
    out[index] = vector;
  });
  const length = out[0]?.length;
  const odd = out.findIndex((v) => v.length !== length);
  if (odd >= 0) fail(`mixes vector lengths: input 0 has ${length} dimensions, input ${odd} has ${out[odd].length}`);
  return out;
}
