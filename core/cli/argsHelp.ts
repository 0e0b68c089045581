// The `--help` texts of the CLI, generated from the command declarations (argsSpec.ts): a
// command's usage line, arguments and options with their ranges and defaults, and the program's
// list of commands.

import { describeNumber, flagName, valueName, type CommandSpec, type FlagSpec, type ProgramSpec } from './argsSpec.js';

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
