// What a CLI command is: its declaration (flags, help) and the function that runs it.

import type { CommandSpec, FlagSpecs, FlagValues } from '../args.js';

/** Where a command writes; tests pass their own. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Fires on Ctrl-C. */
  readonly signal: AbortSignal;
}

export interface Command<F extends FlagSpecs = FlagSpecs> {
  readonly spec: CommandSpec<F>;
  /** Runs the command; resolves to its exit code. */
  run(flags: FlagValues<F>, positionals: readonly string[], io: CommandIo): Promise<number>;
}

/** Declares a command with its typed handler. */
export function command<F extends FlagSpecs>(spec: CommandSpec<F>, run: Command<F>['run']): Command {
  return { spec, run } as unknown as Command;
}
