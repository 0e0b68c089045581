// A small strict parser for `pinpoint <command> [--flag value] [--flag=value] [--bool] [positional]`.
// Each command declares its flags once (type, range, default, description: argsSpec.ts); the
// parser checks every argument against the declarations, the result is typed from them, and
// `--help` text is generated from them (argsHelp.ts). Anything unknown, missing or out of range is
// an ArgumentError. Commands import the declarations and help from here, as from one module.

import { ArgumentError } from '../base/common/errors.js';
import { commandHelp, programHelp } from './argsHelp.js';
import { describeNumber, flagName, inRange, valueName, type BooleanFlag, type CommandSpec, type FlagSpec, type FlagSpecs, type FlagValues, type ProgramSpec } from './argsSpec.js';

export { commandHelp, programHelp } from './argsHelp.js';
export { defineCommand, flagName } from './argsSpec.js';
export type {
  BooleanFlag, CommandSpec, EnumFlag, FlagSpec, FlagSpecs, FlagValue, FlagValues, NumberFlag, PositionalSpec, ProgramSpec, StringFlag,
} from './argsSpec.js';

/** What parsing a command's arguments gives: its values, or a request for help. */
export type ParsedCommand<F extends FlagSpecs> =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'run'; readonly flags: FlagValues<F>; readonly positionals: readonly string[] };

/** What the program's first argument selects: a command and its arguments, or help. */
export type SelectedCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'command'; readonly command: CommandSpec; readonly args: readonly string[] };

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
