// `pinpoint ask QUESTION`: answers a question about an index with a local or remote model,
// streaming the answer and then listing its sources with file:line (or page), the citations that
// point to nothing, and what the token budget left out; --json prints one object instead (the
// stable contract below). Also the flags, model opening and printing that `pinpoint chat` shares.

import { formatPlace } from '../../assistant/common/answerPrompt.js';
import type { AnswerEvent, AnswerPhase, AnswerResult } from '../../assistant/common/answerTypes.js';
import type { Answer } from '../../assistant/common/Assistant.js';
import { openAssistant, type OpenedAssistant } from '../../assistant/node/openAssistant.js';
import { defaultModelSpec } from '../../assistant/node/openChatModel.js';
import { defineCommand, type FlagValues } from '../args.js';
import { EXIT_CANCELLED, EXIT_OK } from '../exitCodes.js';
import { DEFAULT_CORPUS, indexDirectory } from '../indexLocation.js';
import { openReranker, RERANKER_FLAG } from '../rerankerFlag.js';
import { command, type CommandIo } from './command.js';

/** The flags `ask` and `chat` share. */
export const ANSWER_FLAGS = {
  db: { type: 'string', valueName: 'DIR', description: 'Index folder (default: $PINPOINT_INDEX_DIR or <cache>/index).' },
  corpus: { type: 'string', default: DEFAULT_CORPUS, valueName: 'NAME', description: 'Corpus to answer from.' },
  model: {
    type: 'string', valueName: 'PATH|ID|openai:URL#MODEL',
    description: 'Chat model: a .gguf file, a model folder, an installed model id, or openai:<baseUrl>#<model> for an OpenAI-compatible server (API key from $PINPOINT_OPENAI_API_KEY or $OPENAI_API_KEY). Default: $PINPOINT_MODEL, else the first installed chat model.',
  },
  k: { type: 'int', default: 10, min: 1, max: 200, description: 'Retrieval results to consider.' },
  maxTokens: { type: 'int', min: 1, description: 'Tokens reserved for the answer, and its limit (default: a quarter of the context).' },
  contextLength: { type: 'int', min: 2, description: 'Tokens of context, prompt and answer (local default: min(model, 4096); remote default: 8192).' },
  temperature: { type: 'float', min: 0, description: 'Sampling temperature; 0 = greedy (default: the model\'s recommendation).' },
  seed: { type: 'int', min: 0, description: 'Random seed, for reproducible answers (default: random).' },
  threads: { type: 'int', min: 1, max: 256, description: 'CPU threads of a local model (default: all cores).' },
  reranker: RERANKER_FLAG,
} as const;

const spec = defineCommand({
  name: 'ask',
  summary: 'Answer a question about an index, citing files and lines (or pages).',
  flags: {
    ...ANSWER_FLAGS,
    json: { type: 'boolean', description: 'Print {"answer", "sources", "citations", "context": {"tokens", "budget", "included", "omitted"}} instead of streaming.' },
  },
  positionals: [{ name: 'QUESTION', description: 'What to ask (quote it).', required: true }],
});

/** The values of ANSWER_FLAGS. */
export type AnswerFlags = FlagValues<typeof ANSWER_FLAGS>;

/** Opens the index, the reranker and the model the flags name. */
export async function openFromFlags(flags: AnswerFlags, signal: AbortSignal): Promise<OpenedAssistant> {
  const reranker = await openReranker(flags.reranker);
  try {
    const opened = await openAssistant({
      dbDir: indexDirectory(flags.db), corpus: flags.corpus, model: flags.model ?? (await defaultModelSpec()),
      contextLength: flags.contextLength, threads: flags.threads, reranker, signal,
    });
    return {
      ...opened,
      async dispose() {
        await opened.dispose();
        await reranker?.dispose();
      },
    };
  } catch (error) {
    await reranker?.dispose();
    throw error;
  }
}

/** The ask options the flags give. */
export function askOptions(flags: AnswerFlags): { k: number; maxTokens?: number; temperature?: number; seed?: number } {
  return { k: flags.k, maxTokens: flags.maxTokens, temperature: flags.temperature, seed: flags.seed };
}

const PHASE_LABELS: Readonly<Record<AnswerPhase, string>> = {
  'retrieving': 'searching the index',
  'building-context': 'choosing the sources',
  'prefill': 'reading the sources',
  'generating': '',
};

/** Streams an answer's text to stdout, with its phases on a TTY's stderr; resolves to its result. */
export async function streamAnswer(answer: Answer, io: Pick<CommandIo, 'stdout' | 'stderr'>): Promise<AnswerResult> {
  const status = (text: string): void => {
    if (io.stderr.isTTY) io.stderr.write(`\r\x1b[K${text}`);
  };
  for await (const event of answer as AsyncIterable<AnswerEvent>) {
    if (event.type === 'phase') status(PHASE_LABELS[event.phase] ? `${PHASE_LABELS[event.phase]}…` : '');
    else if (event.type === 'delta') io.stdout.write(event.text);
  }
  status('');
  return answer.result();
}

/** The sources, the citations that point to nothing, and what was left out, as text. */
export function describeResult(result: AnswerResult): string {
  const lines: string[] = [];
  const { context } = result;
  if (result.sources.length > 0) {
    lines.push('Sources:');
    for (const s of context.included) {
      const how = s.reason === 'whole-file' ? 'whole file' : `chunks${s.wholeFileMinTokens !== undefined ? ` (the whole file needs ${s.wholeFileMinTokens}+)` : ''}`;
      lines.push(`  [${s.n}] ${formatPlace(s)}  ${s.tokens} tokens, ${how}`);
    }
  } else {
    lines.push('Sources: none (the index has nothing that matches).');
  }
  for (const c of result.citations.filter((c) => !c.valid)) lines.push(`Cited [${c.n}], but no source has that number.`);
  if (context.omitted.length > 0) {
    lines.push(`Left out: ${context.omitted.length} passage(s) that did not fit the budget:`);
    for (const o of context.omitted) lines.push(`  ${formatPlace(o)}  (${o.reason === 'budget' ? `${o.tokens} tokens` : 'changed since the search'})`);
  }
  if (context.turnsOmitted > 0) lines.push(`Left out: the ${context.turnsOmitted} oldest turn(s) of the conversation, for the budget.`);
  return lines.join('\n') + '\n';
}

/** One line of counts and timings, for stderr. */
export function describeStats(result: AnswerResult): string {
  const { context: c, timings: t } = result;
  const ms = (value: number | undefined): string => (value === undefined ? '-' : `${Math.round(value)} ms`);
  const approx = c.tokensEstimated ? '~' : '';
  return `[context ${approx}${c.tokens} of ${c.budget} tokens (+${c.reservedForAnswer} for the answer); retrieval ${ms(t.retrievalMs)}, context ${ms(t.contextMs)}, prefill ${ms(t.prefillMs)}, first token ${ms(t.firstTokenMs)}, decode ${ms(t.decodeMs)}; stop: ${result.stopReason}; ${result.model}]\n`;
}

/** The --json object: exactly the CLI contract's fields. */
export function answerJson(result: AnswerResult): unknown {
  const page = (p: { page?: number }) => (p.page !== undefined ? { page: p.page } : {});
  const { context } = result;
  return {
    answer: result.answer,
    sources: result.sources.map((s) => ({ n: s.n, path: s.path, startLine: s.startLine, endLine: s.endLine, ...page(s), score: s.score })),
    citations: result.citations.map((c) => ({ n: c.n, valid: c.valid })),
    context: {
      tokens: context.tokens,
      budget: context.budget,
      included: context.included.map((s) => ({ n: s.n, path: s.path, startLine: s.startLine, endLine: s.endLine, ...page(s), tokens: s.tokens, reason: s.reason })),
      omitted: context.omitted.map((o) => ({ path: o.path, startLine: o.startLine, endLine: o.endLine, ...page(o), tokens: o.tokens, reason: o.reason })),
    },
  };
}

export const askCommand = command(spec, async (flags, positionals, io) => {
  const opened = await openFromFlags(flags, io.signal);
  try {
    const answer = opened.assistant.ask(positionals[0], { ...askOptions(flags), signal: io.signal });
    if (flags.json) {
      const result = await answer.result();
      io.stdout.write(JSON.stringify(answerJson(result)) + '\n');
      return result.cancelled ? EXIT_CANCELLED : EXIT_OK;
    }
    const result = await streamAnswer(answer, io);
    io.stdout.write(`${result.answer.endsWith('\n') ? '' : '\n'}\n${describeResult(result)}`);
    io.stderr.write(describeStats(result));
    return result.cancelled ? EXIT_CANCELLED : EXIT_OK;
  } finally {
    await opened.dispose();
  }
});
