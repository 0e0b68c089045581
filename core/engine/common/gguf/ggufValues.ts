// GGUF metadata values and typed access to them. A wrong or missing key is reported with the
// file name, the key, the type found and the type wanted.

import { ModelFileError } from '../../../base/common/errors.js';

/** GGUF value type ids (gguf.h). */
export enum GgufValueType {
  U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7, String = 8, Array = 9,
  U64 = 10, I64 = 11, F64 = 12,
}

export type GgufNumericArray =
  | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array
  | Float32Array | Float64Array | BigUint64Array | BigInt64Array;

/** A metadata array: strings, booleans or a typed array of numbers. */
export interface GgufArray {
  readonly itemType: GgufValueType;
  readonly values: string[] | boolean[] | GgufNumericArray | GgufArray[];
}

/** A 64-bit integer that does not fit a double exactly stays a bigint. */
export type GgufValue = number | bigint | boolean | string | GgufArray;

function describe(value: GgufValue): string {
  if (typeof value === 'object') return `array of ${GgufValueType[value.itemType]?.toLowerCase() ?? '?'}`;
  return typeof value;
}

/** The key/value metadata of a GGUF file with typed getters. */
export class GgufMetadata {
  constructor(
    readonly file: string,
    readonly entries: ReadonlyMap<string, GgufValue>,
  ) {}

  has(key: string): boolean {
    return this.entries.has(key);
  }

  private fail(key: string, wanted: string, value: GgufValue | undefined): never {
    const found = value === undefined ? 'it is missing' : `found ${describe(value)}`;
    throw new ModelFileError(this.file, `metadata key "${key}" should be ${wanted}; ${found}`);
  }

  /** A string value; `fallback` when absent (a present value of another type is an error). */
  string(key: string, fallback?: string): string {
    const value = this.entries.get(key);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string') this.fail(key, 'a string', value);
    return value;
  }

  /** A numeric value (any integer or float type) as a JS number. */
  number(key: string, fallback?: number): number {
    const value = this.entries.get(key);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'bigint') this.fail(key, 'a number below 2^53', value);
    if (typeof value !== 'number') this.fail(key, 'a number', value);
    return value;
  }

  /** A non-negative integer within [min, max]. */
  integer(key: string, min: number, max: number, fallback?: number): number {
    const value = this.number(key, fallback);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ModelFileError(this.file, `metadata key "${key}" is ${value}; it should be an integer from ${min} to ${max}`);
    }
    return value;
  }

  boolean(key: string, fallback?: boolean): boolean {
    const value = this.entries.get(key);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(key, 'a boolean', value);
    return value;
  }

  /** An array of strings, or undefined when absent. */
  stringArray(key: string): string[] | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value.itemType !== GgufValueType.String) this.fail(key, 'an array of strings', value);
    return value.values as string[];
  }

  /** A numeric array converted to Float32Array, or undefined when absent. */
  floatArray(key: string): Float32Array | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || ArrayBuffer.isView(value.values) === false) this.fail(key, 'an array of numbers', value);
    const values = value.values as GgufNumericArray;
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>, Number);
  }

  /** A numeric array converted to Int32Array, or undefined when absent. */
  intArray(key: string): Int32Array | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || ArrayBuffer.isView(value.values) === false) this.fail(key, 'an array of integers', value);
    const values = value.values as GgufNumericArray;
    return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>, Number);
  }
}
