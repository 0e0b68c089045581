// Reads the header of a .safetensors file: an 8-byte little-endian header length, a UTF-8 JSON
// object, then the tensor bytes. Only the header is read; each tensor becomes a byte range.
// Everything is checked before use (length, JSON, dtypes, shapes, offsets), so a damaged or
// hostile file fails with a ModelFileError naming the file and the problem, never another error.

import { ModelFileError } from './errors.js';
import { readBytes, type ByteSource } from './byteSource.js';

/** Bytes of the little-endian u64 that gives the header length. */
export const SAFETENSORS_PREFIX_BYTES = 8;

/** Largest header accepted, as the reference implementation (100 MB). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** Bits per element of every dtype the safetensors format defines. */
const DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8, F4: 4, F6_E2M3: 6, F6_E3M2: 6,
  I16: 16, U16: 16, F16: 16, BF16: 16, I32: 32, U32: 32, F32: 32, I64: 64, U64: 64, F64: 64, C64: 64,
};

/** One tensor of a safetensors file: what it holds and where its bytes are. */
export interface SafetensorsTensor {
  readonly name: string;
  /** Safetensors dtype name (F32, F16, BF16, ...). */
  readonly dtype: string;
  /** PyTorch order: shape[0] is the outermost dimension (rows), the last is contiguous. */
  readonly shape: readonly number[];
  /** Absolute byte offset in the file. */
  readonly offset: number;
  readonly byteLength: number;
}

/** The parsed header of a safetensors file. */
export interface SafetensorsFile {
  readonly file: string;
  /** The free-form `__metadata__` map (string to string); empty when absent. */
  readonly metadata: ReadonlyMap<string, string>;
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  /** Absolute offset where tensor data begins (8 + header length). */
  readonly dataOffset: number;
  readonly fileSize: number;
}

/** Header length from the 8-byte prefix, checked against the file size. */
export function safetensorsHeaderLength(prefix: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < SAFETENSORS_PREFIX_BYTES || prefix.length < SAFETENSORS_PREFIX_BYTES) {
    throw new ModelFileError(file, `not a safetensors file: only ${fileSize} bytes, fewer than the ${SAFETENSORS_PREFIX_BYTES}-byte header length`);
  }
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    throw new ModelFileError(file, `header length ${length} is absurd (the limit is ${SAFETENSORS_MAX_HEADER_BYTES} bytes); the file is not safetensors or is corrupt`);
  }
  const n = Number(length);
  if (SAFETENSORS_PREFIX_BYTES + n > fileSize) {
    throw new ModelFileError(file, `header length ${n} runs past the end of the file (${fileSize} bytes); the file is truncated or corrupt`);
  }
  if (n < 2) throw new ModelFileError(file, `header length ${n} is too short for a JSON object`);
  return n;
}

/** Parses the JSON header (the `header.length` bytes after the prefix) of a file of `fileSize` bytes. */
export function parseSafetensorsHeader(header: Uint8Array, fileSize: number, file: string): SafetensorsFile {
  const json = decodeHeaderJson(header, file);
  const dataOffset = SAFETENSORS_PREFIX_BYTES + header.length;
  const dataLength = fileSize - dataOffset;
  let metadata = new Map<string, string>();
  const entries: Array<SafetensorsTensor & { begin: number; end: number }> = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(value, file);
      continue;
    }
    const { dtype, shape, begin, end } = parseEntry(name, value, file);
    if (end > dataLength) {
      throw new ModelFileError(file, `tensor "${name}" has data_offsets [${begin}, ${end}] past the end of the data (${dataLength} bytes); the file is truncated or corrupt`);
    }
    entries.push({ name, dtype, shape, offset: dataOffset + begin, byteLength: end - begin, begin, end });
  }
  checkRangesTile(entries, dataLength, file);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const { begin: _b, end: _e, ...tensor } of entries) tensors.set(tensor.name, tensor);
  return { file, metadata, tensors, dataOffset, fileSize };
}

/** Reads and parses the header of a safetensors file; tensor bytes are not read. */
export async function readSafetensors(source: ByteSource): Promise<SafetensorsFile> {
  const prefix = await readBytes(source, 0, Math.min(SAFETENSORS_PREFIX_BYTES, source.size));
  const length = safetensorsHeaderLength(prefix, source.size, source.name);
  const header = await readBytes(source, SAFETENSORS_PREFIX_BYTES, length);
  return parseSafetensorsHeader(header, source.size, source.name);
}

/** Bytes taken by `count` elements of `dtype`, or undefined for a dtype the format does not define. */
export function safetensorsByteLength(dtype: string, count: number): number | undefined {
  const bits = Object.hasOwn(DTYPE_BITS, dtype) ? DTYPE_BITS[dtype] : undefined;
  return bits === undefined ? undefined : (count * bits) / 8;
}

function decodeHeaderJson(header: Uint8Array, file: string): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(header);
  } catch {
    throw new ModelFileError(file, 'the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw new ModelFileError(file, 'the header is not a JSON object (it does not start with "{")');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ModelFileError(file, `the header is not valid JSON (${detail})`);
  }
  if (!isRecord(json)) throw new ModelFileError(file, 'the header is not a JSON object');
  return json;
}

function parseMetadata(value: unknown, file: string): Map<string, string> {
  if (!isRecord(value)) throw new ModelFileError(file, '"__metadata__" should be an object of strings');
  const metadata = new Map<string, string>();
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw new ModelFileError(file, `"__metadata__"."${key}" should be a string; found ${describe(item)}`);
    metadata.set(key, item);
  }
  return metadata;
}

function parseEntry(name: string, value: unknown, file: string): { dtype: string; shape: number[]; begin: number; end: number } {
  if (!isRecord(value)) throw new ModelFileError(file, `tensor "${name}" should be an object with dtype, shape and data_offsets; found ${describe(value)}`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') throw new ModelFileError(file, `tensor "${name}" has no dtype string`);
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new ModelFileError(file, `tensor "${name}" has a bad shape ${preview(shape)}; it should be an array of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw new ModelFileError(file, `tensor "${name}" has bad data_offsets ${preview(offsets)}; they should be [begin, end] byte offsets`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw new ModelFileError(file, `tensor "${name}" has data_offsets [${begin}, ${end}] out of order (end before begin)`);
  const count = shape.reduce((product: number, dim: number) => product * dim, 1);
  if (!Number.isSafeInteger(count)) throw new ModelFileError(file, `tensor "${name}" has an absurd shape [${shape.join(', ')}]`);
  const expected = safetensorsByteLength(dtype, count);
  if (expected === undefined) {
    throw new ModelFileError(file, `tensor "${name}" has unknown dtype "${dtype}"; safetensors dtypes are ${Object.keys(DTYPE_BITS).join(', ')}`);
  }
  if (expected !== end - begin) {
    throw new ModelFileError(file, `tensor "${name}" claims ${end - begin} bytes (data_offsets [${begin}, ${end}]) but shape [${shape.join(', ')}] of ${dtype} takes ${expected} bytes; the header lies`);
  }
  return { dtype, shape: shape as number[], begin, end };
}

/** Tensor ranges must tile the data exactly: no overlap, no hole, nothing after the last. */
function checkRangesTile(entries: ReadonlyArray<{ name: string; begin: number; end: number }>, dataLength: number, file: string): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous: string | undefined;
  for (const entry of sorted) {
    if (entry.begin < position) {
      throw new ModelFileError(file, `tensor "${entry.name}" (bytes ${entry.begin} to ${entry.end}) overlaps tensor "${previous}" (which ends at ${position})`);
    }
    if (entry.begin > position) {
      throw new ModelFileError(file, `bytes ${position} to ${entry.begin} of the data belong to no tensor (a hole before "${entry.name}"); the header is corrupt`);
    }
    position = entry.end;
    previous = entry.name;
  }
  if (position !== dataLength) {
    throw new ModelFileError(file, `the tensors cover ${position} bytes of data but the file holds ${dataLength}; the header and the file disagree`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
