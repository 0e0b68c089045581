// `pinpoint chat`: questions and follow-ups about an index, typed one per line. Each answer
// streams, then its sources are listed; follow-ups are asked with the conversation so far.
// Ctrl-C cancels the answer being written; a second Ctrl-C in a row (or /exit, or the end of the
// input) leaves. /clear starts a new conversation.

import { createInterface } from 'node:readline';
import { ChatSession } from '../../assistant/common/ChatSession.js';
import { defineCommand } from '../args.js';
import { EXIT_CANCELLED, EXIT_OK } from '../exitCodes.js';
import { ANSWER_FLAGS, askOptions, describeResult, openFromFlags, streamAnswer } from './ask.js';
import { command, type CommandIo } from './command.js';

const spec = defineCommand({
  name: 'chat',
  summary: 'Chat about an index: follow-up questions use the conversation; answers cite files and lines.',
  flags: ANSWER_FLAGS,
});

const HELP = 'Ask a question about the indexed files. /clear starts a new conversation, /exit leaves; Ctrl-C cancels an answer, twice leaves.\n';

/** Where the chat reads and writes. */
export interface ChatIo extends Pick<CommandIo, 'stdout' | 'stderr'> {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** The chat's state between lines: the session, the answer being written, and Ctrl-C in a row. */
export class ChatLoop {
  private controller: AbortController | undefined;
  private interruptedLast = false;
  private done = false;

  constructor(
    private readonly session: ChatSession,
    private readonly io: Pick<CommandIo, 'stdout' | 'stderr'>,
    /** Called once when the chat should end. */
    private readonly onExit: () => void,
  ) {}

  /** True once the chat should end. */
  get finished(): boolean {
    return this.done;
  }

  /** True while an answer is being written. */
  get answering(): boolean {
    return this.controller !== undefined;
  }

  private exit(): void {
    if (this.done) return;
    this.done = true;
    this.controller?.abort();
    this.onExit();
  }

  /** Ctrl-C: cancels the answer being written; the second in a row ends the chat. */
  interrupt(): void {
    if (this.interruptedLast) return this.exit();
    this.interruptedLast = true;
    if (this.controller) {
      this.controller.abort();
      this.io.stderr.write('\n^C: answer cancelled (Ctrl-C again to leave)\n');
    } else {
      this.io.stderr.write('\n(Ctrl-C again or /exit to leave)\n');
    }
  }

  /** Handles one typed line: a command, or a question answered to its end. */
  async line(text: string): Promise<void> {
    this.interruptedLast = false;
    const input = text.trim();
    if (input === '' || this.done) return;
    if (input === '/exit' || input === '/quit') return this.exit();
    if (input === '/clear') {
      this.session.clear();
      this.io.stdout.write('(new conversation)\n');
      return;
    }
    if (input === '/help' || input === '/?') {
      this.io.stdout.write(HELP);
      return;
    }
    this.controller = new AbortController();
    try {
      const result = await streamAnswer(this.session.ask(input, { signal: this.controller.signal }), this.io);
      this.io.stdout.write(`${result.answer.endsWith('\n') ? '' : '\n'}${result.cancelled ? '(cancelled)\n' : ''}\n${describeResult(result)}\n`);
    } finally {
      this.controller = undefined;
    }
  }
}

/** Runs the chat over `io` until /exit, a double Ctrl-C, the end of the input or `signal`. */
export async function runChat(session: ChatSession, io: ChatIo, signal?: AbortSignal): Promise<number> {
  const terminal = Boolean(io.stdin.isTTY && io.stdout.isTTY);
  const rl = createInterface({ input: io.stdin, output: terminal ? io.stdout : undefined, terminal, prompt: '> ' });
  const loop = new ChatLoop(session, io, () => rl.close());
  rl.on('SIGINT', () => loop.interrupt());
  // Without a terminal, Ctrl-C reaches the process (pinpoint.ts aborts `signal`): cancel and leave.
  const onAbort = (): void => {
    loop.interrupt();
    loop.interrupt();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (terminal) io.stdout.write(HELP);
    rl.prompt();
    for await (const line of rl) {
      await loop.line(line);
      if (loop.finished) break;
      rl.prompt();
    }
    return signal?.aborted ? EXIT_CANCELLED : EXIT_OK;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    rl.close();
  }
}

export const chatCommand = command(spec, async (flags, _positionals, io) => {
  const opened = await openFromFlags(flags, io.signal);
  try {
    return await runChat(new ChatSession(opened.assistant, askOptions(flags)), { ...io, stdin: process.stdin }, io.signal);
  } finally {
    await opened.dispose();
  }
});
