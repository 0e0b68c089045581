// Reads the header of a GGUF file (v2 and v3): metadata, tensor infos and the data offset.
// The header is parsed from a prefix of the file that grows until it holds the whole header;
// tensor data is never read here. Every count, length, shape and offset is checked against the
// file size before it is used, so a damaged or hostile file fails with a ModelFileError.

import { ModelFileError } from '../../../base/common/errors.js';
import type { ByteSource } from '../../../base/common/byteSource.js';
import { readBytes } from '../../../base/common/byteSource.js';
import { TENSOR_TYPES, isWeightType, supportedTypeNames, tensorTypeName, type TensorType } from '../tensorTypes.js';
import { GgufMetadata, GgufValueType, type GgufArray, type GgufValue } from './ggufValues.js';

const GGUF_MAGIC = 0x46554747; // "GGUF" read as little-endian u32
const DEFAULT_ALIGNMENT = 32;
const MAX_DIMS = 4;
const MAX_TENSORS = 1 << 20;
const MAX_ARRAY_DEPTH = 4;

/** Where one tensor's bytes are and what they hold. */
export interface GgufTensorInfo {
  readonly name: string;
  /** Dimensions in ggml order: dims[0] is the contiguous (row) length. */
  readonly dims: readonly number[];
  readonly type: TensorType;
  /** Number of elements (product of dims). */
  readonly count: number;
  /** Absolute byte offset in the file. */
  readonly offset: number;
  readonly byteLength: number;
}

/** The parsed header of a GGUF file. */
export interface GgufFile {
  readonly file: string;
  readonly version: number;
  readonly metadata: GgufMetadata;
  readonly tensors: ReadonlyMap<string, GgufTensorInfo>;
  readonly alignment: number;
  /** Absolute offset where tensor data begins. */
  readonly dataOffset: number;
  readonly fileSize: number;
}

/** Raised internally when the prefix read so far ends before the header does. */
class NeedMoreBytes extends Error {
  constructor(readonly needed: number) {
    super('need more bytes');
  }
}

/** A little-endian cursor over the header prefix. */
class Cursor {
  pos = 0;
  private readonly view: DataView;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    private readonly bytes: Uint8Array,
    private readonly fileSize: number,
    private readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Checks that `n` more bytes exist in the file, and in the prefix. */
  need(n: number, what: string): void {
    const end = this.pos + n;
    if (!Number.isFinite(end) || end > this.fileSize) {
      throw new ModelFileError(this.file, `truncated or corrupt header: ${what} at byte ${this.pos} needs ${n} bytes but the file has ${this.fileSize}`);
    }
    if (end > this.bytes.length) throw new NeedMoreBytes(end);
  }

  u8(): number { this.need(1, 'u8'); return this.view.getUint8(this.pos++); }
  u32(what = 'u32'): number { this.need(4, what); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  u64(what = 'u64'): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ModelFileError(this.file, `${what} at byte ${this.pos - 8} is ${v}, which is absurd for this file`);
    }
    return Number(v);
  }

  string(what: string): string {
    const length = this.u64(`length of ${what}`);
    this.need(length, what);
    const slice = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    try {
      return this.decoder.decode(slice);
    } catch {
      throw new ModelFileError(this.file, `${what} at byte ${this.pos - length} is not valid UTF-8`);
    }
  }

  scalar(type: GgufValueType, what: string): GgufValue {
    const v = this.view;
    switch (type) {
      case GgufValueType.U8: return this.u8();
      case GgufValueType.I8: this.need(1, what); return v.getInt8(this.pos++);
      case GgufValueType.U16: this.need(2, what); this.pos += 2; return v.getUint16(this.pos - 2, true);
      case GgufValueType.I16: this.need(2, what); this.pos += 2; return v.getInt16(this.pos - 2, true);
      case GgufValueType.U32: return this.u32(what);
      case GgufValueType.I32: this.need(4, what); this.pos += 4; return v.getInt32(this.pos - 4, true);
      case GgufValueType.F32: this.need(4, what); this.pos += 4; return v.getFloat32(this.pos - 4, true);
      case GgufValueType.Bool: {
        const b = this.u8();
        if (b > 1) throw new ModelFileError(this.file, `${what} is a bool with value ${b}`);
        return b === 1;
      }
      case GgufValueType.String: return this.string(what);
      case GgufValueType.U64: case GgufValueType.I64: {
        this.need(8, what);
        const big = type === GgufValueType.U64 ? v.getBigUint64(this.pos, true) : v.getBigInt64(this.pos, true);
        this.pos += 8;
        const safe = big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER);
        return safe ? Number(big) : big;
      }
      case GgufValueType.F64: this.need(8, what); this.pos += 8; return v.getFloat64(this.pos - 8, true);
      default: throw new ModelFileError(this.file, `${what} has unknown value type ${type}`);
    }
  }

  /** A copy of `count` fixed-size numbers as a typed array (copied: the prefix is not aligned). */
  numericArray(type: GgufValueType, count: number, what: string): GgufArray['values'] {
    const ctor = NUMERIC_ARRAYS[type];
    if (!ctor) throw new ModelFileError(this.file, `${what} has unknown item type ${type}`);
    const bytes = count * ctor.BYTES_PER_ELEMENT;
    this.need(bytes, what);
    const copy = this.bytes.slice(this.pos, this.pos + bytes);
    this.pos += bytes;
    return new ctor(copy.buffer, 0, count);
  }

  array(what: string, depth: number): GgufArray {
    if (depth > MAX_ARRAY_DEPTH) throw new ModelFileError(this.file, `${what} nests arrays more than ${MAX_ARRAY_DEPTH} deep`);
    const itemType = this.u32(`item type of ${what}`) as GgufValueType;
    const count = this.u64(`length of ${what}`);
    // Every item takes at least one byte, so a count beyond the file is a lie.
    this.need(count, `${count} items of ${what}`);
    if (itemType === GgufValueType.String) {
      const values: string[] = new Array(count);
      for (let i = 0; i < count; i++) values[i] = this.string(`${what}[${i}]`);
      return { itemType, values };
    }
    if (itemType === GgufValueType.Bool) {
      const values: boolean[] = new Array(count);
      for (let i = 0; i < count; i++) values[i] = this.scalar(itemType, `${what}[${i}]`) as boolean;
      return { itemType, values };
    }
    if (itemType === GgufValueType.Array) {
      const values: GgufArray[] = new Array(count);
      for (let i = 0; i < count; i++) values[i] = this.array(`${what}[${i}]`, depth + 1);
      return { itemType, values };
    }
    return { itemType, values: this.numericArray(itemType, count, what) };
  }

  value(type: GgufValueType, what: string): GgufValue {
    return type === GgufValueType.Array ? this.array(what, 0) : this.scalar(type, what);
  }
}

type NumericArrayConstructor = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): GgufArray['values'];
  readonly BYTES_PER_ELEMENT: number;
};

const NUMERIC_ARRAYS: Partial<Record<GgufValueType, NumericArrayConstructor>> = {
  [GgufValueType.U8]: Uint8Array, [GgufValueType.I8]: Int8Array,
  [GgufValueType.U16]: Uint16Array, [GgufValueType.I16]: Int16Array,
  [GgufValueType.U32]: Uint32Array, [GgufValueType.I32]: Int32Array,
  [GgufValueType.F32]: Float32Array, [GgufValueType.F64]: Float64Array,
  [GgufValueType.U64]: BigUint64Array as unknown as NumericArrayConstructor,
  [GgufValueType.I64]: BigInt64Array as unknown as NumericArrayConstructor,
};

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

function readTensorInfo(c: Cursor, file: string, index: number): Omit<GgufTensorInfo, 'offset' | 'byteLength'> & { relOffset: number } {
  const name = c.string(`name of tensor ${index}`);
  const nDims = c.u32(`dimension count of tensor "${name}"`);
  if (nDims < 1 || nDims > MAX_DIMS) throw new ModelFileError(file, `tensor "${name}" has ${nDims} dimensions; 1 to ${MAX_DIMS} are allowed`);
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < nDims; d++) {
    const dim = c.u64(`dimension ${d} of tensor "${name}"`);
    if (dim < 1) throw new ModelFileError(file, `tensor "${name}" has dimension ${d} of size ${dim}`);
    count *= dim;
    if (count > Number.MAX_SAFE_INTEGER) throw new ModelFileError(file, `tensor "${name}" has an absurd shape [${dims.concat(dim).join(', ')}]`);
    dims.push(dim);
  }
  const typeId = c.u32(`type of tensor "${name}"`);
  if (!isWeightType(typeId)) {
    throw new ModelFileError(file, `tensor "${name}" has type ${tensorTypeName(typeId)}, which is not supported; supported types: ${supportedTypeNames()}`);
  }
  const relOffset = c.u64(`offset of tensor "${name}"`);
  return { name, dims, type: typeId, count, relOffset };
}

/** Parses a GGUF header from `bytes`, a prefix of a file of `fileSize` bytes. */
export function parseGgufHeader(bytes: Uint8Array, fileSize: number, file: string): GgufFile {
  const c = new Cursor(bytes, fileSize, file);
  if (fileSize < 8) throw new ModelFileError(file, `not a GGUF file: only ${fileSize} bytes`);
  const magic = c.u32('magic');
  if (magic !== GGUF_MAGIC) {
    const big = magic === 0x47475546;
    throw new ModelFileError(file, big ? 'big-endian GGUF files are not supported' : `not a GGUF file: bad magic 0x${magic.toString(16).padStart(8, '0')}`);
  }
  const version = c.u32('version');
  // Big-endian files (gguf-py --bigendian) keep the "GGUF" bytes and swap every number after it.
  const swapped = ((version & 0xff) << 24) | ((version & 0xff00) << 8) | ((version >>> 8) & 0xff00) | (version >>> 24);
  if (swapped === 2 || swapped === 3) throw new ModelFileError(file, 'big-endian GGUF files are not supported; convert the model as little-endian');
  if (version !== 2 && version !== 3) throw new ModelFileError(file, `GGUF version ${version} is not supported; versions 2 and 3 are`);
  const tensorCount = c.u64('tensor count');
  const kvCount = c.u64('metadata count');
  if (tensorCount > MAX_TENSORS) throw new ModelFileError(file, `header claims ${tensorCount} tensors, which is absurd`);
  // Each key/value takes at least 12 bytes (key length + type).
  c.need(kvCount * 12, `${kvCount} metadata entries`);

  const entries = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = c.string(`metadata key ${i}`);
    const type = c.u32(`value type of "${key}"`) as GgufValueType;
    if (entries.has(key)) throw new ModelFileError(file, `metadata key "${key}" appears twice`);
    entries.set(key, c.value(type, `metadata "${key}"`));
  }
  const metadata = new GgufMetadata(file, entries);
  const alignment = metadata.integer('general.alignment', 1, 1 << 20, DEFAULT_ALIGNMENT);
  if ((alignment & (alignment - 1)) !== 0) throw new ModelFileError(file, `general.alignment ${alignment} is not a power of two`);

  const infos = [];
  for (let i = 0; i < tensorCount; i++) infos.push(readTensorInfo(c, file, i));
  const dataOffset = alignUp(c.pos, alignment);

  const tensors = new Map<string, GgufTensorInfo>();
  for (const info of infos) {
    const typeInfo = TENSOR_TYPES[info.type];
    if (info.dims[0] % typeInfo.blockSize !== 0) {
      throw new ModelFileError(file, `tensor "${info.name}" has rows of ${info.dims[0]} elements, not a multiple of the ${typeInfo.name} block size ${typeInfo.blockSize}`);
    }
    if (info.relOffset % alignment !== 0) throw new ModelFileError(file, `tensor "${info.name}" offset ${info.relOffset} is not aligned to ${alignment}`);
    const byteLength = (info.count / typeInfo.blockSize) * typeInfo.bytesPerBlock;
    const offset = dataOffset + info.relOffset;
    if (offset + byteLength > fileSize) {
      throw new ModelFileError(file, `tensor "${info.name}" (${byteLength} bytes at ${offset}) runs past the end of the file (${fileSize} bytes); the file is truncated or corrupt`);
    }
    if (tensors.has(info.name)) throw new ModelFileError(file, `tensor "${info.name}" appears twice`);
    const { relOffset: _, ...rest } = info;
    tensors.set(info.name, { ...rest, offset, byteLength });
  }
  return { file, version, metadata, tensors, alignment, dataOffset, fileSize };
}

/** Reads and parses the header of a GGUF file, reading only as much of it as the header needs. */
export async function readGguf(source: ByteSource): Promise<GgufFile> {
  let prefix = Math.min(source.size, 1 << 20);
  for (;;) {
    const bytes = await readBytes(source, 0, prefix);
    try {
      return parseGgufHeader(bytes, source.size, source.name);
    } catch (error) {
      if (!(error instanceof NeedMoreBytes)) throw error;
      prefix = Math.min(source.size, Math.max(prefix * 2, error.needed));
    }
  }
}
