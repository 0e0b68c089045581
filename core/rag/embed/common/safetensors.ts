// Reads the tensors of .safetensors files (static embedding tables) as f32 or int32 values. The
// header is parsed and checked by core/base's safetensors reader, shared with the engine, so a
// damaged file fails with a ModelFileError naming the file, never with garbage vectors.

import { readBytes, type ByteSource } from '../../../base/common/byteSource.js';
import { readSafetensors, type SafetensorsFile, type SafetensorsTensor } from '../../../base/common/safetensorsHeader.js';
import { BugIndicatingError, ModelFileError } from '../../../base/common/errors.js';
import { decodeBFloat16, decodeFloat16 } from './float16.js';

/** Bytes per element of the dtypes this reader can decode. */
const DTYPE_BYTES: Readonly<Record<string, number>> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1 };

/** One tensor: its dtype, shape (outermost first) and absolute byte range in the file. */
export type TensorEntry = SafetensorsTensor;

/** The parsed header of a safetensors file. */
export type SafetensorsHeader = SafetensorsFile;

/**
 * Reads and validates the header of `source` (core/base's reader: sizes, JSON, dtypes, element
 * counts against byte ranges, ranges inside the file, no overlap) and checks that every tensor
 * has a dtype this module can decode.
 */
export async function readSafetensorsHeader(source: ByteSource): Promise<SafetensorsHeader> {
  const header = await readSafetensors(source);
  for (const tensor of header.tensors.values()) {
    if (!DTYPE_BYTES[tensor.dtype]) {
      throw new ModelFileError(source.name, `tensor "${tensor.name}" has unsupported dtype "${tensor.dtype}". Should be one of: ${Object.keys(DTYPE_BYTES).join(', ')}`);
    }
  }
  return header;
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
