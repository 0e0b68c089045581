// The words of an answer's prompt: the system instruction, the user message that carries the
// numbered sources and the question (texts from resources/prompts/, filled here), and the block
// each source is shown as: "[n] path:lines (whole file)" and its text in a code fence.

import { ArgumentError } from '../../base/common/errors.js';
import type { ChatMessage } from './chatModel.js';
import type { TemplateSource } from './chatPromptFormat.js';

/** The prompt texts (resources/prompts/, see its README). */
export interface AnswerPrompts {
  /** The system message: who answers and how to cite. */
  readonly system: string;
  /** The last user message; holds `{{sources}}` and `{{question}}`. */
  readonly user: string;
  /** What stands for the sources when retrieval found nothing. */
  readonly noSources: string;
  /** Pinpoint's plain chat format for models without a template (plain-chat.jinja). */
  readonly plainChat: TemplateSource;
}

/** Where a passage is: a file, its lines, and its page for paged documents (PDF). */
export interface Place {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly page?: number;
}

/** `src/a.ts:12-40`, `src/a.ts:7`, or `docs/manual.pdf p.3` (lines within a page are left out). */
export function formatPlace(place: Place): string {
  if (place.page !== undefined) return `${place.path} p.${place.page}`;
  return place.startLine === place.endLine ? `${place.path}:${place.startLine}` : `${place.path}:${place.startLine}-${place.endLine}`;
}

/** Replaces each `{{name}}` of `template` by its value, in one pass (values are not searched again). */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>, file = 'prompt template'): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new ArgumentError(`${file}: unknown placeholder ${whole}. Should be one of: ${Object.keys(values).map((k) => `{{${k}}}`).join(', ')}.`);
    return value;
  });
}

/** What a source block shows. */
export interface SourceBlockInput extends Place {
  readonly language: string;
  readonly text: string;
  readonly wholeFile: boolean;
}

/** A code fence longer than any run of backticks in `text` (at least three). */
function fenceFor(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** One numbered source as the model sees it: `[n] place (whole file)`, then the text fenced. */
export function sourceBlock(n: number, source: SourceBlockInput): string {
  const fence = fenceFor(source.text);
  const info = /^[\w+#-]+$/.test(source.language) ? source.language : '';
  return `[${n}] ${formatPlace(source)}${source.wholeFile ? ' (whole file)' : ''}\n${fence}${info}\n${source.text}\n${fence}`;
}

/** The text between two source blocks. */
export const SOURCE_SEPARATOR = '\n\n';

/** The messages of one answer: system, the kept history, then the sources and the question. */
export function answerMessages(prompts: AnswerPrompts, history: readonly ChatMessage[], sources: string, question: string): ChatMessage[] {
  const user = fillTemplate(prompts.user, { sources: sources === '' ? prompts.noSources : sources, question });
  return [{ role: 'system', content: prompts.system }, ...history, { role: 'user', content: user }];
}
