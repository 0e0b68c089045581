// A little-endian cursor over the prefix of a GGUF file read so far, for ggufReader.ts. Every
// length, count and value is checked against the file size before it is used (a ModelFileError
// names the file, what was read and where); reading past the prefix but not past the file throws
// NeedMoreBytes, so that the reader fetches a longer prefix and parses again.

import { ModelFileError } from '../../../base/common/errors.js';
import { GgufValueType, type GgufArray, type GgufValue } from './ggufValues.js';

const MAX_ARRAY_DEPTH = 4;

/** Thrown when the prefix read so far ends before the header does; `needed` is the length to read. */
export class NeedMoreBytes extends Error {
  constructor(readonly needed: number) {
    super('need more bytes');
  }
}

/** A little-endian cursor over the header prefix; `pos` is the offset of the next read. */
export class GgufCursor {
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
