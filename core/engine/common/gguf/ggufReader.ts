// Reads the header of a GGUF file (v2 and v3): metadata, tensor infos and the data offset.
// The header is parsed from a prefix of the file that grows until it holds the whole header;
// tensor data is never read here. Every count, length, shape and offset is checked against the
// file size before it is used (ggufCursor.ts), so a damaged or hostile file fails with a
// ModelFileError.

import { ModelFileError } from '../../../base/common/errors.js';
import type { ByteSource } from '../../../base/common/byteSource.js';
import { readBytes } from '../../../base/common/byteSource.js';
import { TENSOR_TYPES, isWeightType, supportedTypeNames, tensorTypeName, type TensorType } from '../tensorTypes.js';
import { GgufCursor, NeedMoreBytes } from './ggufCursor.js';
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_MAX_DIMS, alignUp } from './ggufFormat.js';
import { GgufMetadata, GgufValueType, type GgufValue } from './ggufValues.js';

const MAX_TENSORS = 1 << 20;

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

function readTensorInfo(c: GgufCursor, file: string, index: number): Omit<GgufTensorInfo, 'offset' | 'byteLength'> & { relOffset: number } {
  const name = c.string(`name of tensor ${index}`);
  const nDims = c.u32(`dimension count of tensor "${name}"`);
  if (nDims < 1 || nDims > GGUF_MAX_DIMS) throw new ModelFileError(file, `tensor "${name}" has ${nDims} dimensions; 1 to ${GGUF_MAX_DIMS} are allowed`);
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
  const c = new GgufCursor(bytes, fileSize, file);
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
  const alignment = metadata.integer('general.alignment', 1, 1 << 20, GGUF_DEFAULT_ALIGNMENT);
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
