// A small strict parser for `pinpoint <command> [--flag value] [--flag=value] [--bool] [positional]`.
// Each command declares its flags once (type, range, default, description); the parser checks
// every argument against the declarations, the result is typed from them, and `--help` text is
// generated from them. Anything unknown, missing or out of range is an ArgumentError.

import { ArgumentError, BugIndicatingError } from '../base/common/errors.js';

// ---- Declarations

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

// ---- Results

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

/** What parsing a command's arguments gives: its values, or a request for help. */
export type ParsedCommand<F extends FlagSpecs> =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'run'; readonly flags: FlagValues<F>; readonly positionals: readonly string[] };

/** What the program's first argument selects: a command and its arguments, or help. */
export type SelectedCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'command'; readonly command: CommandSpec; readonly args: readonly string[] };

// ---- Names and descriptions

/** `maxTokens` -> `--max-tokens`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function valueName(spec: FlagSpec): string {
  if (spec.type === 'enum') return spec.values.join('|');
  if (spec.type === 'boolean') return '';
  return spec.valueName ?? (spec.type === 'string' ? 'TEXT' : spec.type === 'int' ? 'N' : 'X');
}

/** "an integer from 1 to 4096", "a number > 0", ... */
function describeNumber(spec: NumberFlag): string {
  const noun = spec.type === 'int' ? 'an integer' : 'a number';
  const { min, max, minExclusive } = spec;
  if (min !== undefined && max !== undefined) {
    return minExclusive ? `${noun} > ${min} and <= ${max}` : `${noun} from ${min} to ${max}`;
  }
  if (min !== undefined) return `${noun} ${minExclusive ? '>' : '>='} ${min}`;
  if (max !== undefined) return `${noun} <= ${max}`;
  return noun;
}

function inRange(spec: NumberFlag, value: number): boolean {
  if (spec.min !== undefined && (spec.minExclusive ? value <= spec.min : value < spec.min)) return false;
  return spec.max === undefined || value <= spec.max;
}

/** The Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function suggestion(given: string, known: readonly string[]): string {
  const close = known.filter((name) => editDistance(given, name) <= 2);
  return close.length === 1 ? ` Did you mean ${close[0]}?` : '';
}

// ---- Declaration checks (mistakes in the code, not in the user's arguments)

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

// ---- Help text

/** Two columns, the left padded to the widest entry (up to 28 characters). */
function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.min(28, Math.max(...rows.map(([left]) => left.length)));
  return rows.map(([left, right]) =>
    left.length > width ? `  ${left}\n  ${' '.repeat(width + 2)}${right}` : `  ${left.padEnd(width)}  ${right}`,
  );
}

function describeFlag(spec: FlagSpec): string {
  const parts = [spec.description];
  if (spec.type === 'int' || spec.type === 'float') parts.push(`${describeNumber(spec).replace(/^a/, 'A')}.`);
  if (spec.type === 'boolean') parts.push('Default: off.');
  else if (spec.required) parts.push('Required.');
  else parts.push(`Default: ${spec.default ?? 'none'}.`);
  return parts.join(' ');
}

/** The `--help` text of a command, generated from its declarations. */
export function commandHelp(program: string, command: CommandSpec): string {
  const flags = Object.entries(command.flags);
  const positionals = command.positionals ?? [];
  const usage = [program, command.name];
  for (const [key, spec] of flags) if (spec.type !== 'boolean' && spec.required) usage.push(`${flagName(key)} ${valueName(spec)}`);
  if (flags.some(([, spec]) => spec.type === 'boolean' || !spec.required)) usage.push('[options]');
  for (const p of positionals) usage.push(p.required ? p.name : `[${p.name}]`);
  const lines = [`Usage: ${usage.join(' ')}`, '', command.summary];
  if (positionals.length > 0) lines.push('', 'Arguments:', ...columns(positionals.map((p) => [p.name, p.description])));
  const rows = flags.map(([key, spec]): [string, string] => [`${flagName(key)} ${valueName(spec)}`.trim(), describeFlag(spec)]);
  rows.push(['-h, --help', 'Show this help.']);
  lines.push('', 'Options:', ...columns(rows));
  return lines.join('\n');
}

/** The program's help: its commands and their summaries. */
export function programHelp(program: ProgramSpec): string {
  return [
    `Usage: ${program.name} <command> [options]`,
    '',
    program.summary,
    '',
    'Commands:',
    ...columns(program.commands.map((c) => [c.name, c.summary])),
    '',
    `Run "${program.name} <command> --help" for the options of a command.`,
  ].join('\n');
}

// ---- Parsing

/** Converts the text of one flag's value, or throws naming the flag and what it accepts. */
function convertValue(name: string, spec: Exclude<FlagSpec, BooleanFlag>, raw: string): string | number {
  if (spec.type === 'string') return raw;
  if (spec.type === 'enum') {
    if (spec.values.includes(raw)) return raw;
    throw new ArgumentError(`Unsupported value for ${name}: "${raw}". Should be one of: ${spec.values.join(', ')}.`);
  }
  const pattern = spec.type === 'int' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  const value = Number(raw);
  const valid = pattern.test(raw) && Number.isFinite(value) && (spec.type === 'float' || Number.isSafeInteger(value));
  if (!valid || !inRange(spec, value)) {
    throw new ArgumentError(`Invalid value for ${name}: "${raw}". Should be ${describeNumber(spec)}.`);
  }
  return value;
}

function convertBoolean(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ArgumentError(`Invalid value for ${name}: "${raw}". Should be true or false (or just ${name}).`);
}

/** The flags given on the command line, by key, with the count of arguments consumed. */
function readFlag(command: CommandSpec, title: string, args: readonly string[], i: number): [string, unknown, number] {
  const arg = args[i];
  const eq = arg.indexOf('=');
  const name = eq < 0 ? arg : arg.slice(0, eq);
  const inline = eq < 0 ? undefined : arg.slice(eq + 1);
  const key = Object.keys(command.flags).find((k) => flagName(k) === name);
  if (key === undefined) {
    const known = [...Object.keys(command.flags).map(flagName), '--help'];
    throw new ArgumentError(`Unknown option "${name}" for "${title}". Should be one of: ${known.join(', ')}.${suggestion(name, known)}`);
  }
  const spec = command.flags[key];
  if (spec.type === 'boolean') return [key, convertBoolean(name, inline), 1];
  if (inline !== undefined) return [key, convertValue(name, spec, inline), 1];
  const next = args[i + 1];
  if (next === undefined || next.startsWith('--')) {
    throw new ArgumentError(`Option ${name} needs a value: ${name} ${valueName(spec)}.`);
  }
  return [key, convertValue(name, spec, next), 2];
}

/** True for `-h` or `--help` before any `--`. */
function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** Checks the positionals against the declarations. */
function checkPositionals(command: CommandSpec, title: string, positionals: readonly string[]): void {
  const declared = command.positionals ?? [];
  if (positionals.length > declared.length) {
    const takes = declared.length === 0 ? 'It takes no positional arguments' : `It takes: ${declared.map((p) => p.name).join(' ')}`;
    throw new ArgumentError(`Unexpected argument "${positionals[declared.length]}" for "${title}". ${takes}.`);
  }
  const missing = declared.slice(positionals.length).find((p) => p.required);
  if (missing) throw new ArgumentError(`Missing argument ${missing.name} for "${title}": ${missing.description}`);
}

/** Fills defaults and checks required flags. */
function finishFlags(command: CommandSpec, title: string, given: Map<string, unknown>): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [key, spec] of Object.entries(command.flags)) {
    const value = given.get(key) ?? (spec.type === 'boolean' ? false : spec.default);
    if (value === undefined && spec.type !== 'boolean' && spec.required) missing.push(`${flagName(key)} ${valueName(spec)}`);
    flags[key] = value;
  }
  if (missing.length > 0) {
    throw new ArgumentError(`Missing required option${missing.length > 1 ? 's' : ''} for "${title}": ${missing.join(', ')}.`);
  }
  return flags;
}

/**
 * Parses the arguments of one command (what follows its name).
 * `--help` / `-h` anywhere before `--` gives the help text instead; after `--` every argument is
 * positional.
 * @throws ArgumentError for an unknown flag, a flag given twice, a missing value, a value of the
 * wrong type or out of range, a missing required flag, or a missing or extra positional.
 */
export function parseCommand<F extends FlagSpecs>(command: CommandSpec<F>, args: readonly string[], program = 'pinpoint'): ParsedCommand<F> {
  const title = `${program} ${command.name}`;
  if (wantsHelp(args)) return { kind: 'help', text: commandHelp(program, command) };
  const given = new Map<string, unknown>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; ) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [key, value, used] = readFlag(command, title, args, i);
      if (given.has(key)) throw new ArgumentError(`Option ${flagName(key)} is given twice for "${title}". Give it once.`);
      given.set(key, value);
      i += used;
      continue;
    }
    if (/^-[^\d.]/.test(arg)) {
      throw new ArgumentError(`Unknown option "${arg}" for "${title}". Options are written --name (see ${title} --help).`);
    }
    positionals.push(arg);
    i++;
  }
  checkPositionals(command, title, positionals);
  const flags = finishFlags(command, title, given) as FlagValues<F>;
  return { kind: 'run', flags, positionals };
}

/**
 * Picks the command named by the first argument. No argument, `--help`, `-h` or `help` gives
 * the program's help; `help <command>` gives that command's help.
 * @throws ArgumentError for an unknown command, naming the known ones.
 */
export function selectCommand(program: ProgramSpec, argv: readonly string[]): SelectedCommand {
  const [first, ...rest] = argv;
  const find = (name: string): CommandSpec => {
    const command = program.commands.find((c) => c.name === name);
    if (command) return command;
    const known = program.commands.map((c) => c.name);
    throw new ArgumentError(`Unknown command: "${name}". Should be one of: ${known.join(', ')}.${suggestion(name, known)}`);
  };
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help', text: programHelp(program) };
  if (first === 'help') {
    const text = rest[0] === undefined ? programHelp(program) : commandHelp(program.name, find(rest[0]));
    return { kind: 'help', text };
  }
  return { kind: 'command', command: find(first), args: rest };
}
