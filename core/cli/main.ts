// Entry of the `pinpoint` command: picks the command, parses its flags, runs it with Ctrl-C wired
// to cancellation, and turns errors into a message and an exit code (exitCodes.ts).

import { ExpectedError } from '../base/common/errors.js';
import { parseCommand, selectCommand, type ProgramSpec } from './args.js';
import { askCommand } from './commands/ask.js';
import { chatCommand } from './commands/chat.js';
import type { Command, CommandIo } from './commands/command.js';
import { evalRetrievalCommand } from './commands/evalRetrieval.js';
import { generateCommand } from './commands/generate.js';
import { indexCommand } from './commands/index.js';
import { searchCommand } from './commands/search.js';
import { serveCommand } from './commands/serve.js';
import { modelsCommand } from './commands/models.js';
import { tokenizeCommand } from './commands/tokenize.js';
import { EXIT_OK, exitCodeOf } from './exitCodes.js';

const COMMANDS: readonly Command[] = [generateCommand, tokenizeCommand, indexCommand, searchCommand, askCommand, chatCommand, evalRetrievalCommand, modelsCommand, serveCommand];

const PROGRAM: ProgramSpec = {
  name: 'pinpoint',
  summary: 'A local, private assistant for code and documents.',
  commands: COMMANDS.map((c) => c.spec),
};

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const selected = selectCommand(PROGRAM, argv);
    if (selected.kind === 'help') {
      io.stdout.write(selected.text + '\n');
      return EXIT_OK;
    }
    const cmd = COMMANDS.find((c) => c.spec === selected.command)!;
    const parsed = parseCommand(cmd.spec, selected.args, PROGRAM.name);
    if (parsed.kind === 'help') {
      io.stdout.write(parsed.text + '\n');
      return EXIT_OK;
    }
    return await cmd.run(parsed.flags, parsed.positionals, io);
  } catch (error) {
    if (error instanceof ExpectedError) io.stderr.write(`pinpoint: ${error.message}\n`);
    else io.stderr.write(`pinpoint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitCodeOf(error);
  }
}
