// Typed access to parsed JSON files (config.json, generation_config.json, tokenizer.json,
// tokenizer_config.json): each getter checks the shape of one field and fails with a
// ModelFileError naming the file and the field's path ("rope_scaling.factor", "added_tokens[0]").
// Structure, text and switches report what was found ("should be an object; found an array");
// numbers report their value and the allowed range ("is 3; it should be a number from 0 to 1").

import { ModelFileError } from './errors.js';

/** A JSON object with its file and its path inside the file, for error messages. */
export class JsonObject {
  private constructor(
    readonly file: string,
    /** Where this object is in the file ("" for the root), e.g. "model" or "rope_scaling". */
    readonly path: string,
    readonly value: Readonly<Record<string, unknown>>,
  ) {}

  /** Wraps `value`, which must be an object; `path` is its place in `file` ("" for the root). */
  static of(value: unknown, file: string, path = ''): JsonObject {
    if (!isObject(value)) fail(file, path, 'an object', value);
    return new JsonObject(file, path, value);
  }

  /** The path of a field of this object: "model.vocab", "merges[3]". */
  at(key: string | number): string {
    return typeof key === 'number' ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key;
  }

  /** A field's value, undefined when absent; null counts as absent, as transformers treats it. */
  get(key: string): unknown {
    const value = this.raw(key);
    return value === null ? undefined : value;
  }

  /** A nested object, or undefined when the field is absent or null and `optional`. */
  object(key: string): JsonObject;
  object(key: string, optional: true): JsonObject | undefined;
  object(key: string, optional = false): JsonObject | undefined {
    if (optional && this.get(key) === undefined) return undefined;
    return JsonObject.of(this.raw(key), this.file, this.at(key));
  }

  /** An array (possibly empty), or [] when the field is absent or null and `optional`. */
  array(key: string, optional = false): readonly unknown[] {
    if (optional && this.get(key) === undefined) return [];
    const value = this.raw(key);
    if (!Array.isArray(value)) fail(this.file, this.at(key), 'an array', value);
    return value;
  }

  /** A string that must be there (null is not a string). */
  string(key: string): string {
    const value = this.raw(key);
    if (typeof value !== 'string') fail(this.file, this.at(key), 'a string', value);
    return value;
  }

  /** A string, or undefined when the field is absent or null. */
  optionalString(key: string): string | undefined {
    const value = this.get(key);
    if (value !== undefined && typeof value !== 'string') fail(this.file, this.at(key), 'a string', value);
    return value;
  }

  /** A boolean, or undefined when the field is absent or null. */
  optionalBoolean(key: string): boolean | undefined {
    const value = this.get(key);
    if (value !== undefined && typeof value !== 'boolean') fail(this.file, this.at(key), 'true or false', value);
    return value;
  }

  /** A non-negative integer below 2^31 (a token id). */
  tokenId(key: string): number {
    return checkTokenId(this.raw(key), this.file, this.at(key));
  }

  /** An integer from `min` to `max` inclusive; `fallback` when absent or null, else required. */
  integer(key: string, min: number, max: number, fallback?: number): number {
    const value = this.required(key, fallback);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) this.invalid(key, value, `an integer from ${min} to ${max}`);
    return value;
  }

  /** A finite number above 0; `fallback` when absent or null, else required. */
  positive(key: string, fallback?: number): number {
    const value = this.required(key, fallback);
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) this.invalid(key, value, 'a positive number');
    return value;
  }

  /** A number from `min` to `max` inclusive, or undefined when absent or null. */
  range(key: string, min: number, max: number): number | undefined {
    const value = this.get(key);
    if (value !== undefined && (typeof value !== 'number' || !(value >= min && value <= max))) this.invalid(key, value, `a number from ${min} to ${max}`);
    return value;
  }

  /** The field as stored, null included; undefined only when absent. */
  private raw(key: string): unknown {
    return Object.hasOwn(this.value, key) ? this.value[key] : undefined;
  }

  /** The value of a field or its fallback; throws "is missing" when there is neither. */
  private required(key: string, fallback: number | undefined): unknown {
    const value = this.get(key) ?? fallback;
    if (value === undefined) throw new ModelFileError(this.file, `"${this.at(key)}" is missing`);
    return value;
  }

  /** Throws for a number out of range, showing the value as JSON. */
  private invalid(key: string, value: unknown, wanted: string): never {
    throw new ModelFileError(this.file, `"${this.at(key)}" is ${JSON.stringify(value)}; it should be ${wanted}`);
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

/** Throws the ModelFileError for a field of the wrong shape: `"path" should be <wanted>; found <what>`. */
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
