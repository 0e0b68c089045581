// Declaring a command for the parser of args.ts: its flags (type, range, default, description)
// and positionals, the types parsing gives the flags, defineCommand's checks of a declaration, and
// the flag names and value descriptions that help text (argsHelp.ts) and parse errors share.

import { BugIndicatingError } from '../base/common/errors.js';

interface FlagBase {
  /** One line for `--help`. */
  readonly description: string;
}

/** A text value, e.g. `--model PATH`. */
export interface StringFlag extends FlagBase {
  readonly type: 'string';
  /** Placeholder in help; default "TEXT". */
  readonly valueName?: string;
  readonly default?: string;
  readonly required?: boolean;
}

/** A number: `int` takes safe integers only, `float` any finite decimal. Bounds are inclusive unless `minExclusive`. */
export interface NumberFlag extends FlagBase {
  readonly type: 'int' | 'float';
  /** Placeholder in help; default "N" (int) or "X" (float). */
  readonly valueName?: string;
  readonly default?: number;
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** The value must be greater than `min`, not equal to it. */
  readonly minExclusive?: boolean;
}

/** A switch: `--json` is true, absent is false; `--json=false` is accepted too. */
export interface BooleanFlag extends FlagBase {
  readonly type: 'boolean';
}

/** One of a fixed list of words, e.g. `--backend cpu|webgpu|auto`. */
export interface EnumFlag<V extends string = string> extends FlagBase {
  readonly type: 'enum';
  readonly values: readonly V[];
  readonly default?: V;
  readonly required?: boolean;
}

/** Any flag declaration. */
export type FlagSpec = StringFlag | NumberFlag | BooleanFlag | EnumFlag;

/** The flags of a command, keyed by camelCase name; `maxTokens` is written `--max-tokens`. */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** A positional argument, in declaration order. */
export interface PositionalSpec {
  /** Placeholder in help, e.g. "FILE". */
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

/** A command: its name, one-line summary, flags and positionals. */
export interface CommandSpec<F extends FlagSpecs = FlagSpecs> {
  readonly name: string;
  readonly summary: string;
  readonly flags: F;
  readonly positionals?: readonly PositionalSpec[];
}

/** The program: its name (`pinpoint`), summary and commands. */
export interface ProgramSpec {
  readonly name: string;
  readonly summary: string;
  readonly commands: readonly CommandSpec[];
}

/** The type a flag parses to. */
export type FlagValue<S extends FlagSpec> = S extends BooleanFlag
  ? boolean
  : S extends EnumFlag<infer V>
    ? V
    : S extends NumberFlag
      ? number
      : string;

/** Whether a flag always has a value after parsing (boolean, required, or with a default). */
type AlwaysSet<S> = S extends BooleanFlag ? true : S extends { required: true } ? true : S extends { default: unknown } ? true : false;

/** The parsed flags of a command: optional flags without a default may be undefined. */
export type FlagValues<F extends FlagSpecs> = {
  readonly [K in keyof F]: AlwaysSet<F[K]> extends true ? FlagValue<F[K]> : FlagValue<F[K]> | undefined;
};

/** `maxTokens` -> `--max-tokens`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The placeholder of a flag's value: "PATH", "N", "cpu|webgpu|auto"; "" for a switch. */
export function valueName(spec: FlagSpec): string {
  if (spec.type === 'enum') return spec.values.join('|');
  if (spec.type === 'boolean') return '';
  return spec.valueName ?? (spec.type === 'string' ? 'TEXT' : spec.type === 'int' ? 'N' : 'X');
}

/** "an integer from 1 to 4096", "a number > 0", ... */
export function describeNumber(spec: NumberFlag): string {
  const noun = spec.type === 'int' ? 'an integer' : 'a number';
  const { min, max, minExclusive } = spec;
  if (min !== undefined && max !== undefined) {
    return minExclusive ? `${noun} > ${min} and <= ${max}` : `${noun} from ${min} to ${max}`;
  }
  if (min !== undefined) return `${noun} ${minExclusive ? '>' : '>='} ${min}`;
  if (max !== undefined) return `${noun} <= ${max}`;
  return noun;
}

/** True when `value` is within the bounds of `spec` (min exclusive when `minExclusive`). */
export function inRange(spec: NumberFlag, value: number): boolean {
  if (spec.min !== undefined && (spec.minExclusive ? value <= spec.min : value < spec.min)) return false;
  return spec.max === undefined || value <= spec.max;
}

// Declaration checks catch mistakes in the code, not in the user's arguments.
const KEY_PATTERN = /^[a-z][a-zA-Z0-9]*$/;

/** Checks a declared default against its own flag's rules. */
function checkDefault(key: string, spec: FlagSpec): void {
  if (spec.type === 'boolean' || spec.default === undefined) return;
  const ok =
    spec.type === 'enum'
      ? spec.values.includes(spec.default)
      : spec.type === 'string' || (inRange(spec, spec.default) && (spec.type === 'float' || Number.isSafeInteger(spec.default)));
  if (!ok) throw new BugIndicatingError(`Flag ${flagName(key)} has a default outside its own range: ${spec.default}`);
}

/**
 * Declares a command; `const` keeps literal types, so the parsed flags are typed exactly.
 * @throws BugIndicatingError for a malformed declaration (bad key, default out of range).
 */
export function defineCommand<const F extends FlagSpecs>(spec: CommandSpec<F>): CommandSpec<F> {
  for (const [key, flag] of Object.entries(spec.flags)) {
    if (!KEY_PATTERN.test(key) || key === 'help') {
      throw new BugIndicatingError(`Bad flag key "${key}" in command ${spec.name}: use camelCase, not "help"`);
    }
    if (flag.type === 'enum' && flag.values.length === 0) throw new BugIndicatingError(`Flag ${flagName(key)} has no values`);
    checkDefault(key, flag);
  }
  return spec;
}
