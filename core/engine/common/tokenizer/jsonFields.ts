// Typed access to parsed JSON (tokenizer.json, tokenizer_config.json): each getter checks the shape
// and fails with a ModelFileError naming the file, the field path and what was found instead.

import { ModelFileError } from '../../../base/common/errors.js';

/** A JSON object with its path inside the file, for error messages. */
export class JsonObject {
  private constructor(
    readonly file: string,
    readonly path: string,
    readonly value: Readonly<Record<string, unknown>>,
  ) {}

  /** Wraps `value`, which must be an object. */
  static of(value: unknown, file: string, path: string): JsonObject {
    if (!isObject(value)) fail(file, path, 'an object', value);
    return new JsonObject(file, path, value);
  }

  /** A nested object, or undefined when the field is absent or null and `optional`. */
  object(key: string): JsonObject;
  object(key: string, optional: true): JsonObject | undefined;
  object(key: string, optional = false): JsonObject | undefined {
    const value = this.value[key];
    if (optional && (value === undefined || value === null)) return undefined;
    return JsonObject.of(value, this.file, this.at(key));
  }

  string(key: string): string {
    const value = this.value[key];
    if (typeof value !== 'string') fail(this.file, this.at(key), 'a string', value);
    return value;
  }

  /** A boolean, or undefined when the field is absent or null. */
  optionalBoolean(key: string): boolean | undefined {
    const value = this.value[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') fail(this.file, this.at(key), 'true or false', value);
    return value;
  }

  /** An array (possibly empty), or [] when the field is absent or null and `optional`. */
  array(key: string, optional = false): readonly unknown[] {
    const value = this.value[key];
    if (optional && (value === undefined || value === null)) return [];
    if (!Array.isArray(value)) fail(this.file, this.at(key), 'an array', value);
    return value;
  }

  /** A non-negative integer below 2^31 (a token id). */
  tokenId(key: string): number {
    return checkTokenId(this.value[key], this.file, this.at(key));
  }

  /** The path of a field of this object. */
  at(key: string | number): string {
    return typeof key === 'number' ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key;
  }
}

/** Checks that `value` is a token id (a non-negative integer below 2^31). */
export function checkTokenId(value: unknown, file: string, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= 2 ** 31) fail(file, path, 'a token id (an integer >= 0)', value);
  return value;
}

/** True for a JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws the ModelFileError for a field of the wrong shape. */
export function fail(file: string, path: string, wanted: string, found: unknown): never {
  throw new ModelFileError(file, `"${path}" should be ${wanted}; found ${describe(found)}`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
