// Reads the prompt texts of resources/prompts/ (found from the sources and from the bundled CLI
// in core/dist), or from the folder PINPOINT_PROMPTS_DIR names, to change the wording without a
// build. Checked on load: a missing file or a user message without its placeholders fails here,
// naming the file, never in the middle of an answer.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgumentError } from '../../base/common/errors.js';
import type { AnswerPrompts } from '../common/answerPrompt.js';

/** The files of a prompts folder. */
export const PROMPT_FILES = {
  system: 'answer-system.txt',
  user: 'answer-user.txt',
  noSources: 'answer-no-sources.txt',
  plainChat: 'plain-chat.jinja',
} as const;

/** The shipped prompts folder: from core/assistant/node/ in the sources, from core/dist/ when bundled. */
export function shippedPromptsFolder(): string {
  const candidates = ['../../../resources/prompts', '../../resources/prompts'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((path) => existsSync(join(path, PROMPT_FILES.system))) ?? candidates[0];
}

async function readPrompt(folder: string, name: string): Promise<{ text: string; file: string }> {
  const file = join(folder, name);
  try {
    return { text: await readFile(file, 'utf8'), file };
  } catch (error) {
    throw new ArgumentError(`Cannot read the prompt file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); set PINPOINT_PROMPTS_DIR to a folder with ${Object.values(PROMPT_FILES).join(', ')}.`);
  }
}

const loaded = new Map<string, Promise<AnswerPrompts>>();

async function load(folder: string): Promise<AnswerPrompts> {
  const [system, user, noSources, plainChat] = await Promise.all([
    readPrompt(folder, PROMPT_FILES.system), readPrompt(folder, PROMPT_FILES.user), readPrompt(folder, PROMPT_FILES.noSources), readPrompt(folder, PROMPT_FILES.plainChat),
  ]);
  for (const placeholder of ['{{sources}}', '{{question}}']) {
    if (!user.text.includes(placeholder)) throw new ArgumentError(`${user.file}: the user message has no ${placeholder}; it needs both {{sources}} and {{question}}.`);
  }
  return {
    system: system.text.trim(),
    user: user.text.trim(),
    noSources: noSources.text.trim(),
    plainChat: { source: plainChat.text, file: plainChat.file },
  };
}

/** The prompts of `folder` (default: PINPOINT_PROMPTS_DIR, else the shipped ones), read once per folder. */
export function loadAnswerPrompts(folder?: string): Promise<AnswerPrompts> {
  const at = resolve(folder ?? process.env.PINPOINT_PROMPTS_DIR ?? shippedPromptsFolder());
  let prompts = loaded.get(at);
  if (!prompts) {
    prompts = load(at);
    loaded.set(at, prompts);
    void prompts.catch(() => loaded.delete(at));
  }
  return prompts;
}
