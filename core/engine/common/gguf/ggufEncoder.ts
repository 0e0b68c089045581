// Encoding for ggufWriter.ts: a growable little-endian byte buffer, and GGUF metadata values
// (scalars and nested arrays) written into it after checking each against its stated value type,
// so that a bad value fails with an ArgumentError naming the key instead of a corrupt file.

import { ArgumentError } from '../../../base/common/errors.js';
import { GgufValueType, type GgufNumericArray } from './ggufValues.js';

/** An array value to write: the item type and the items (typed arrays or plain lists). */
export interface GgufWriteArray {
  readonly itemType: GgufValueType;
  readonly values: GgufNumericArray | readonly number[] | readonly bigint[] | readonly string[] | readonly boolean[] | readonly GgufWriteArray[];
}

/** A growable buffer written little-endian; `result()` copies out the bytes written. */
export class ByteBuilder {
  private bytes = new Uint8Array(1 << 16);
  private view = new DataView(this.bytes.buffer);
  private readonly encoder = new TextEncoder();
  length = 0;

  private reserve(n: number): number {
    if (this.length + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  // Each writer reserves first: reserve() may replace this.bytes and this.view.
  u8(v: number): void { const at = this.reserve(1); this.view.setUint8(at, v); }
  i8(v: number): void { const at = this.reserve(1); this.view.setInt8(at, v); }
  u16(v: number): void { const at = this.reserve(2); this.view.setUint16(at, v, true); }
  i16(v: number): void { const at = this.reserve(2); this.view.setInt16(at, v, true); }
  u32(v: number): void { const at = this.reserve(4); this.view.setUint32(at, v, true); }
  i32(v: number): void { const at = this.reserve(4); this.view.setInt32(at, v, true); }
  f32(v: number): void { const at = this.reserve(4); this.view.setFloat32(at, v, true); }
  f64(v: number): void { const at = this.reserve(8); this.view.setFloat64(at, v, true); }
  u64(v: number | bigint): void { const at = this.reserve(8); this.view.setBigUint64(at, BigInt(v), true); }
  i64(v: number | bigint): void { const at = this.reserve(8); this.view.setBigInt64(at, BigInt(v), true); }
  string(s: string): void {
    const encoded = this.encoder.encode(s);
    this.u64(encoded.length);
    const at = this.reserve(encoded.length);
    this.bytes.set(encoded, at);
  }
  zeros(n: number): void {
    const at = this.reserve(n);
    this.bytes.fill(0, at, at + n);
  }
  result(): Uint8Array { return this.bytes.slice(0, this.length); }
}

const INTEGER_RANGES: Partial<Record<GgufValueType, readonly [number | bigint, number | bigint]>> = {
  [GgufValueType.U8]: [0, 0xff], [GgufValueType.I8]: [-0x80, 0x7f],
  [GgufValueType.U16]: [0, 0xffff], [GgufValueType.I16]: [-0x8000, 0x7fff],
  [GgufValueType.U32]: [0, 0xffffffff], [GgufValueType.I32]: [-0x80000000, 0x7fffffff],
  [GgufValueType.U64]: [0n, (1n << 64n) - 1n], [GgufValueType.I64]: [-(1n << 63n), (1n << 63n) - 1n],
};

function typeName(type: GgufValueType): string {
  return GgufValueType[type]?.toLowerCase() ?? `unknown type ${type}`;
}

/** Throws unless `value` is a valid `type` value; `what` names it in the message. */
function checkScalar(type: GgufValueType, value: unknown, what: string): void {
  const fail = (allowed: string): never => {
    throw new ArgumentError(`${what}: ${String(value)} is not a valid ${typeName(type)}; it should be ${allowed}`);
  };
  if (type === GgufValueType.Bool) {
    if (typeof value !== 'boolean') fail('true or false');
    return;
  }
  if (type === GgufValueType.String) {
    if (typeof value !== 'string') fail('a string');
    return;
  }
  if (type === GgufValueType.F32 || type === GgufValueType.F64) {
    if (typeof value !== 'number') fail('a number');
    return;
  }
  const range = INTEGER_RANGES[type];
  if (!range) throw new ArgumentError(`${what}: unknown GGUF value type ${type}`);
  const isInteger = typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
  if (!isInteger || (value as number | bigint) < range[0] || (value as number | bigint) > range[1]) fail(`an integer from ${range[0]} to ${range[1]}`);
}

/** Writes a scalar `value` of `type`, checked first; `what` names it in messages. */
export function writeScalar(out: ByteBuilder, type: GgufValueType, value: unknown, what: string): void {
  checkScalar(type, value, what);
  switch (type) {
    case GgufValueType.U8: return out.u8(value as number);
    case GgufValueType.I8: return out.i8(value as number);
    case GgufValueType.U16: return out.u16(value as number);
    case GgufValueType.I16: return out.i16(value as number);
    case GgufValueType.U32: return out.u32(value as number);
    case GgufValueType.I32: return out.i32(value as number);
    case GgufValueType.F32: return out.f32(value as number);
    case GgufValueType.F64: return out.f64(value as number);
    case GgufValueType.U64: return out.u64(value as number | bigint);
    case GgufValueType.I64: return out.i64(value as number | bigint);
    case GgufValueType.Bool: return out.u8(value ? 1 : 0);
    case GgufValueType.String: return out.string(value as string);
    default: throw new ArgumentError(`${what}: ${typeName(type)} is not a scalar type`);
  }
}

/** Writes an array value: item type, length, then each item (nested arrays recursively). */
export function writeArray(out: ByteBuilder, array: GgufWriteArray, what: string): void {
  if (typeof array !== 'object' || array === null || !('itemType' in array)) {
    throw new ArgumentError(`${what}: an array value should be { itemType, values }`);
  }
  out.u32(array.itemType);
  const values = array.values as ArrayLike<unknown>;
  out.u64(values.length);
  for (let i = 0; i < values.length; i++) {
    if (array.itemType === GgufValueType.Array) writeArray(out, values[i] as GgufWriteArray, `${what}[${i}]`);
    else writeScalar(out, array.itemType, values[i], `${what}[${i}]`);
  }
}
