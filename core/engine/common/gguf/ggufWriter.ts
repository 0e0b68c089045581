// Writes GGUF files (v3 by default, or v2) that llama.cpp loads: header, metadata with explicit
// value types, tensor infos, then each tensor's data padded to the alignment, in order (gguf.cpp
// requires offsets to follow one another exactly so). writeGguf builds a file in memory;
// writeGgufTo streams it to a sink tensor by tensor, asking for each tensor's bytes only when it is
// written, so a large model never exists twice in memory (see node/gguf/ggufFileWriter.ts).

import { ArgumentError } from '../../../base/common/errors.js';
import { TENSOR_TYPES, isWeightType, supportedTypeNames, tensorTypeName, type TensorType } from '../tensorTypes.js';
import { ByteBuilder, writeArray, writeScalar, type GgufWriteArray } from './ggufEncoder.js';
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_MAX_DIMS, alignUp } from './ggufFormat.js';
import { GgufValueType } from './ggufValues.js';

export type { GgufWriteArray } from './ggufEncoder.js';

/** ggml's GGML_MAX_NAME (64) counts the terminating NUL. */
const MAX_TENSOR_NAME_BYTES = 63;

type NumberType =
  | GgufValueType.U8 | GgufValueType.I8 | GgufValueType.U16 | GgufValueType.I16
  | GgufValueType.U32 | GgufValueType.I32 | GgufValueType.F32 | GgufValueType.F64;

/** One metadata entry with its GGUF value type stated (llama.cpp checks value types strictly). */
export type GgufWriteEntry =
  | { readonly key: string; readonly type: NumberType; readonly value: number }
  | { readonly key: string; readonly type: GgufValueType.U64 | GgufValueType.I64; readonly value: number | bigint }
  | { readonly key: string; readonly type: GgufValueType.Bool; readonly value: boolean }
  | { readonly key: string; readonly type: GgufValueType.String; readonly value: string }
  | { readonly key: string; readonly type: GgufValueType.Array; readonly value: GgufWriteArray };

/** Name, type and shape of a tensor: what the header says about it. */
export interface GgufTensorDescription {
  /** At most 63 bytes of UTF-8, unique in the file. */
  readonly name: string;
  readonly type: TensorType;
  /** ggml order: dims[0] is the contiguous row length and must be a whole number of blocks. */
  readonly dims: readonly number[];
}

/** A tensor with its bytes, already encoded in `type` (see quant/quantRows.ts). */
export interface GgufWriteTensor extends GgufTensorDescription {
  readonly data: Uint8Array;
}

/** A tensor whose bytes may be produced only when they are written. */
export interface GgufStreamTensor extends GgufTensorDescription {
  readonly data: Uint8Array | (() => Uint8Array | Promise<Uint8Array>);
}

/** What a GGUF file holds. */
export interface GgufWriteSpec<Tensor extends GgufTensorDescription = GgufWriteTensor> {
  readonly metadata: readonly GgufWriteEntry[];
  readonly tensors: readonly Tensor[];
  /** Alignment of tensor data, a power of two; default 32. Other values add general.alignment. */
  readonly alignment?: number;
  /** GGUF version, 2 or 3; default 3 (the two differ only in the reader's expectations). */
  readonly version?: 2 | 3;
}

/** Where one tensor lands in the file. */
export interface GgufTensorPlacement {
  readonly name: string;
  /** Absolute byte offset of the tensor's data. */
  readonly offset: number;
  readonly byteLength: number;
}

/** The header bytes (padded up to the data) and where every tensor goes. */
export interface GgufLayout {
  /** Everything before the tensor data, including the padding after the tensor infos. */
  readonly header: Uint8Array;
  readonly dataOffset: number;
  readonly tensors: readonly GgufTensorPlacement[];
  /** Size of the whole file: every tensor is followed by padding up to the alignment. */
  readonly fileSize: number;
  readonly alignment: number;
}

/** Receives the file's bytes in order. */
export interface GgufSink {
  write(bytes: Uint8Array): Promise<void> | void;
}

/** Checks one tensor's name, type and shape and returns its size in bytes. */
function checkTensor(tensor: GgufTensorDescription, names: Set<string>): number {
  const name = tensor.name;
  const nameBytes = new TextEncoder().encode(name).length;
  if (nameBytes === 0 || nameBytes > MAX_TENSOR_NAME_BYTES) {
    throw new ArgumentError(`tensor name "${name}" is ${nameBytes} bytes; GGUF allows 1 to ${MAX_TENSOR_NAME_BYTES}`);
  }
  if (names.has(name)) throw new ArgumentError(`tensor "${name}" appears twice`);
  names.add(name);
  if (!isWeightType(tensor.type)) {
    throw new ArgumentError(`tensor "${name}" has type ${tensorTypeName(tensor.type)}; it should be one of ${supportedTypeNames()}`);
  }
  const { dims } = tensor;
  if (dims.length < 1 || dims.length > GGUF_MAX_DIMS || !dims.every((d) => Number.isSafeInteger(d) && d >= 1)) {
    throw new ArgumentError(`tensor "${name}" has shape [${dims.join(', ')}]; it should have 1 to ${GGUF_MAX_DIMS} positive integer dimensions`);
  }
  const info = TENSOR_TYPES[tensor.type];
  if (dims[0] % info.blockSize !== 0) {
    throw new ArgumentError(`tensor "${name}" has rows of ${dims[0]} elements, not a multiple of the ${info.name} block size ${info.blockSize}`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count)) throw new ArgumentError(`tensor "${name}" has an absurd shape [${dims.join(', ')}]`);
  return (count / info.blockSize) * info.bytesPerBlock;
}

/** Metadata in file order, with general.alignment added or checked when the alignment is not 32. */
function metadataWithAlignment(metadata: readonly GgufWriteEntry[], alignment: number): readonly GgufWriteEntry[] {
  const stated = metadata.find((e) => e.key === 'general.alignment');
  if (stated) {
    if (stated.type !== GgufValueType.U32 || stated.value !== alignment) {
      throw new ArgumentError(`general.alignment should be the u32 ${alignment} (the alignment the file is written with)`);
    }
    return metadata;
  }
  if (alignment === GGUF_DEFAULT_ALIGNMENT) return metadata;
  return [...metadata, { key: 'general.alignment', type: GgufValueType.U32, value: alignment }];
}

/** Encodes the header and places every tensor; validates the whole spec first. */
export function layoutGguf(spec: GgufWriteSpec<GgufTensorDescription>): GgufLayout {
  const alignment = spec.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  const version = spec.version ?? 3;
  if (!Number.isInteger(alignment) || alignment < 1 || alignment > 1 << 20 || (alignment & (alignment - 1)) !== 0) {
    throw new ArgumentError(`alignment ${alignment} should be a power of two from 1 to ${1 << 20}`);
  }
  if (version !== 2 && version !== 3) throw new ArgumentError(`GGUF version ${String(version)} cannot be written; use 2 or 3`);
  const metadata = metadataWithAlignment(spec.metadata, alignment);

  const out = new ByteBuilder();
  out.u32(GGUF_MAGIC);
  out.u32(version);
  out.u64(spec.tensors.length);
  out.u64(metadata.length);
  const keys = new Set<string>();
  for (const entry of metadata) {
    if (typeof entry.key !== 'string' || entry.key.length === 0) throw new ArgumentError(`metadata key ${JSON.stringify(entry.key)} should be a non-empty string`);
    if (keys.has(entry.key)) throw new ArgumentError(`metadata key "${entry.key}" appears twice`);
    keys.add(entry.key);
    out.string(entry.key);
    out.u32(entry.type);
    if (entry.type === GgufValueType.Array) writeArray(out, entry.value, `metadata "${entry.key}"`);
    else writeScalar(out, entry.type, entry.value, `metadata "${entry.key}"`);
  }

  const names = new Set<string>();
  const sizes = spec.tensors.map((t) => checkTensor(t, names));
  let relative = 0;
  const relativeOffsets = sizes.map((size) => {
    const at = relative;
    relative += alignUp(size, alignment);
    return at;
  });
  spec.tensors.forEach((tensor, i) => {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const d of tensor.dims) out.u64(d);
    out.u32(tensor.type);
    out.u64(relativeOffsets[i]);
  });
  const dataOffset = alignUp(out.length, alignment);
  out.zeros(dataOffset - out.length);
  const tensors = spec.tensors.map((t, i) => ({ name: t.name, offset: dataOffset + relativeOffsets[i], byteLength: sizes[i] }));
  return { header: out.result(), dataOffset, tensors, fileSize: dataOffset + relative, alignment };
}

function checkData(placement: GgufTensorPlacement, data: unknown): Uint8Array {
  if (!(data instanceof Uint8Array) || data.length !== placement.byteLength) {
    const got = data instanceof Uint8Array ? `${data.length} bytes` : typeof data;
    throw new ArgumentError(`tensor "${placement.name}" should have ${placement.byteLength} bytes of data; got ${got}`);
  }
  return data;
}

/** Builds a whole GGUF file in memory. */
export function writeGguf(spec: GgufWriteSpec): Uint8Array {
  const layout = layoutGguf(spec);
  const file = new Uint8Array(layout.fileSize);
  file.set(layout.header, 0);
  layout.tensors.forEach((placement, i) => file.set(checkData(placement, spec.tensors[i].data), placement.offset));
  return file;
}

/**
 * Streams a GGUF file to `sink`: the header, then each tensor's bytes and padding in order. A
 * tensor given as a function is produced only when its turn comes, so the caller can drop it
 * right after. Returns the file size.
 */
export async function writeGgufTo(sink: GgufSink, spec: GgufWriteSpec<GgufStreamTensor>): Promise<number> {
  const layout = layoutGguf(spec);
  await sink.write(layout.header);
  let position = layout.dataOffset;
  for (let i = 0; i < spec.tensors.length; i++) {
    const source = spec.tensors[i].data;
    const data = checkData(layout.tensors[i], typeof source === 'function' ? await source() : source);
    await sink.write(data);
    position += data.length;
    const padding = alignUp(position, layout.alignment) - position;
    if (padding > 0) await sink.write(new Uint8Array(padding));
    position += padding;
  }
  return position;
}
