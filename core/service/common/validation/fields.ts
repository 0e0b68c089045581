// Checks of a request's fields as it arrives: each getter reads one field, checks its type and
// range, and fails with a ServiceError "bad-request" that names the request type, the field's
// path and what was found: `search/query: "k" should be an integer from 1 to 100; found the
// string "ten"`. Unknown fields are refused too, naming the allowed ones (a typo is not ignored).

import { ServiceError } from '../errors.js';

/** Longest path, name or spec a request may carry. */
export const MAX_PATH_LENGTH = 4096;

/** Options of a string field. */
export interface StringRule {
  /** Length bounds in characters; default 1 to MAX_PATH_LENGTH. */
  readonly min?: number;
  readonly max?: number;
  /** A pattern the whole string must match, with words for the message ("a corpus name (letters, digits, . _ -)"). */
  readonly pattern?: RegExp;
  readonly patternText?: string;
}

/** A request object under check. */
export class Fields {
  private constructor(
    /** The request type, for messages ("search/query"). */
    readonly type: string,
    /** Where this object is in the request ("" at the top, "filters" below). */
    readonly path: string,
    private readonly value: Readonly<Record<string, unknown>>,
  ) {}

  /** Checks that `value` is an object with only `allowed` keys. */
  static of(type: string, value: unknown, allowed: readonly string[], path = ''): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ServiceError('bad-request', `${type}: ${path ? `"${path}"` : 'the request'} should be an object; found ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) {
        const where = path ? `${path}.${key}` : key;
        const known = allowed.length > 0 ? `Should be one of: ${allowed.join(', ')}.` : 'It takes no fields.';
        throw new ServiceError('bad-request', `${type}: unknown field "${where}". ${known}`);
      }
    }
    return new Fields(type, path, record);
  }

  /** The path of a field of this object. */
  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  /** Throws the bad-request error for field `key` (or `path`). */
  fail(key: string, wanted: string, found: unknown): never {
    throw new ServiceError('bad-request', `${this.type}: "${this.at(key)}" should be ${wanted}; found ${describe(found)}`);
  }

  private raw(key: string): unknown {
    return Object.hasOwn(this.value, key) ? this.value[key] : undefined;
  }

  /** A required string. */
  string(key: string, rule: StringRule = {}): string {
    return checkString(this, key, this.raw(key), rule);
  }

  /** A string, or undefined when absent. */
  optionalString(key: string, rule: StringRule = {}): string | undefined {
    const value = this.raw(key);
    return value === undefined ? undefined : checkString(this, key, value, rule);
  }

  /** An integer from `min` to `max`, or undefined when absent. */
  optionalInteger(key: string, min: number, max: number): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) this.fail(key, `an integer from ${min} to ${max}`, value);
    return value;
  }

  /** A number from `min` to `max`, or undefined when absent. */
  optionalNumber(key: string, min: number, max: number): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value >= min && value <= max)) this.fail(key, `a number from ${min} to ${max}`, value);
    return value;
  }

  /** true, false, or undefined when absent. */
  optionalBoolean(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value !== undefined && typeof value !== 'boolean') this.fail(key, 'true or false', value);
    return value as boolean | undefined;
  }

  /** One of `values`, or undefined when absent. */
  optionalEnum<V extends string>(key: string, values: readonly V[]): V | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) this.fail(key, `one of ${values.map((v) => `"${v}"`).join(', ')}`, value);
    return value as V;
  }

  /** A list of `minItems` to `maxItems` strings, or undefined when absent and `minItems` is 0. */
  stringList(key: string, minItems: number, maxItems: number, rule: StringRule = {}): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined && minItems === 0) return undefined;
    if (!Array.isArray(value) || value.length < minItems || value.length > maxItems) {
      this.fail(key, `a list of ${minItems === maxItems ? minItems : `${minItems} to ${maxItems}`} strings`, value);
    }
    return value.map((item, i) => checkString(this, `${key}[${i}]`, item, rule));
  }

  /** A nested object with only `allowed` keys, or undefined when absent. */
  optionalObject(key: string, allowed: readonly string[]): Fields | undefined {
    const value = this.raw(key);
    return value === undefined ? undefined : Fields.of(this.type, value, allowed, this.at(key));
  }
}

function checkString(fields: Fields, key: string, value: unknown, rule: StringRule): string {
  const min = rule.min ?? 1, max = rule.max ?? MAX_PATH_LENGTH;
  if (typeof value !== 'string') fields.fail(key, 'a string', value);
  if (value.length < min || value.length > max) fields.fail(key, min === max ? `${min} characters long` : `${min} to ${max} characters long`, value);
  if (value.includes('\u0000')) fields.fail(key, 'a string without NUL characters', value);
  if (rule.pattern && !rule.pattern.test(value)) fields.fail(key, rule.patternText ?? `a string matching ${rule.pattern}`, value);
  return value;
}

/** How a found value is named in a message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return value.length > 60 ? `a string of ${value.length} characters` : `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
