// A small reader for .safetensors files (static embedding tables): an 8-byte little-endian
// header length, a JSON header naming each tensor's dtype, shape and byte range, then the data.
// Every field is checked before use — header size, JSON shape, dtypes, element counts against
// byte ranges, ranges inside the file and not overlapping — so a damaged file fails with a
// ModelFileError naming the file, never with a RangeError or garbage vectors.

import { readBytes, type ByteSource } from '../../../base/common/byteSource.js';
import { BugIndicatingError, ModelFileError } from '../../../base/common/errors.js';
import { decodeBFloat16, decodeFloat16 } from './float16.js';

/** Largest header accepted (the reference implementation's limit). */
const MAX_HEADER_BYTES = 100_000_000;

/** Bytes per element of the dtypes this reader can decode. */
const DTYPE_BYTES: Readonly<Record<string, number>> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1 };

/** One tensor: its dtype, shape (outermost first) and absolute byte range in the file. */
export interface TensorEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly byteLength: number;
}

/** The parsed header of a safetensors file. */
export interface SafetensorsHeader {
  readonly file: string;
  readonly tensors: ReadonlyMap<string, TensorEntry>;
}

/** Reads and validates the header of `source`. */
export async function readSafetensorsHeader(source: ByteSource): Promise<SafetensorsHeader> {
  const fail = (problem: string): never => {
    throw new ModelFileError(source.name, problem);
  };
  if (source.size < 8) fail(`too small for a safetensors file (${source.size} bytes)`);
  const prefix = new DataView((await readBytes(source, 0, 8)).buffer);
  const headerBytes = Number(prefix.getBigUint64(0, true));
  if (headerBytes > MAX_HEADER_BYTES || 8 + headerBytes > source.size) {
    fail(`header length ${headerBytes} does not fit the file (${source.size} bytes)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await readBytes(source, 8, headerBytes)));
  } catch (error) {
    fail(`header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('header is not a JSON object');
  const dataStart = 8 + headerBytes;
  const tensors = new Map<string, TensorEntry>();
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    tensors.set(name, parseEntry(name, value, dataStart, source.size - dataStart, fail));
  }
  checkNoOverlap([...tensors.values()], fail);
  return { file: source.name, tensors };
}

function parseEntry(name: string, value: unknown, dataStart: number, dataSize: number, fail: (problem: string) => never): TensorEntry {
  const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof entry !== 'object' || entry === null) fail(`tensor "${name}" is not an object`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string') fail(`tensor "${name}" has no dtype`);
  const elementBytes = DTYPE_BYTES[dtype as string];
  if (!elementBytes) fail(`tensor "${name}" has unsupported dtype "${String(dtype)}". Should be one of: ${Object.keys(DTYPE_BYTES).join(', ')}`);
  const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount)) fail(`tensor "${name}" has a bad shape ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(`tensor "${name}" has bad data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as number[];
  if (begin > end || end > dataSize) fail(`tensor "${name}" bytes [${begin}, ${end}) lie outside the data section (${dataSize} bytes)`);
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  if (elements * elementBytes !== end - begin) {
    fail(`tensor "${name}" has ${end - begin} bytes but shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${elements * elementBytes}`);
  }
  return { name, dtype: dtype as string, shape: shape as number[], offset: dataStart + begin, byteLength: end - begin };
}

function checkNoOverlap(entries: TensorEntry[], fail: (problem: string) => never): void {
  const sorted = entries.filter((e) => e.byteLength > 0).sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    if (sorted[i].offset < previous.offset + previous.byteLength) fail(`tensors "${previous.name}" and "${sorted[i].name}" overlap`);
  }
}

/** Reads a tensor of any supported dtype as f32 values (integers converted exactly when they fit). */
export async function readTensorAsFloat32(source: ByteSource, tensor: TensorEntry): Promise<Float32Array> {
  const bytes = await readBytes(source, tensor.offset, tensor.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = tensor.byteLength / DTYPE_BYTES[tensor.dtype];
  switch (tensor.dtype) {
    case 'F32': return new Float32Array(bytes.buffer, bytes.byteOffset, count);
    case 'F16': return decodeFloat16(bytes);
    case 'BF16': return decodeBFloat16(bytes);
    default: {
      const read = elementReader(tensor.dtype, view);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = read(i);
      return out;
    }
  }
}

/** Reads an integer tensor (I8 to I64) as int32 indices; fails if a value does not fit. */
export async function readTensorAsInt32(source: ByteSource, tensor: TensorEntry): Promise<Int32Array> {
  if (!/^[IU]\d+$/.test(tensor.dtype)) throw new ModelFileError(source.name, `tensor "${tensor.name}" must hold integers, not ${tensor.dtype}`);
  const bytes = await readBytes(source, tensor.offset, tensor.byteLength);
  const read = elementReader(tensor.dtype, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const out = new Int32Array(tensor.byteLength / DTYPE_BYTES[tensor.dtype]);
  for (let i = 0; i < out.length; i++) {
    const value = read(i);
    if (value !== (value | 0)) throw new ModelFileError(source.name, `tensor "${tensor.name}" value ${value} at ${i} does not fit an int32`);
    out[i] = value;
  }
  return out;
}

function elementReader(dtype: string, view: DataView): (index: number) => number {
  switch (dtype) {
    case 'F64': return (i) => view.getFloat64(8 * i, true);
    case 'F32': return (i) => view.getFloat32(4 * i, true);
    case 'I64': return (i) => Number(view.getBigInt64(8 * i, true));
    case 'I32': return (i) => view.getInt32(4 * i, true);
    case 'I16': return (i) => view.getInt16(2 * i, true);
    case 'I8': return (i) => view.getInt8(i);
    case 'U8': return (i) => view.getUint8(i);
    default: throw new BugIndicatingError(`no element reader for ${dtype}: the header check lets only readable dtypes through`);
  }
}
