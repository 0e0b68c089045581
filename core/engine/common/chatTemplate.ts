// Renders a model's own Jinja chat template (tokenizer_config.json's chat_template, GGUF's
// tokenizer.chat_template) with @huggingface/jinja, the way transformers' apply_chat_template
// does: trim_blocks + lstrip_blocks, messages, add_generation_prompt, bos/eos token strings and
// the helpers templates call (raise_exception, strftime_now). A template that raises gives a
// ChatTemplateError (the conversation must change); one that cannot run gives a ModelFileError.

import { Environment, Interpreter, Template } from '@huggingface/jinja';
import { ErrorReason, ExpectedError, ModelFileError } from '../../base/common/errors.js';
import type { Tokenizer } from './tokenizer/tokenizer.js';

/** One turn of a conversation; extra fields (tool_calls, tool_call_id...) pass through to the template. */
export interface ChatMessage {
  /** system, user, assistant, tool... */
  readonly role: string;
  readonly content: string;
  readonly [field: string]: unknown;
}

/** What a template is rendered with. */
export interface ChatTemplateInput {
  readonly messages: readonly ChatMessage[];
  /** Open the assistant's turn at the end, ready for generation. Default true. */
  readonly addGenerationPrompt?: boolean;
  /** Text of the BOS token (e.g. "<|begin_of_text|>"); default "". */
  readonly bosToken?: string;
  /** Text of the EOS token (e.g. "</s>"); default "". */
  readonly eosToken?: string;
  /** Tool definitions for templates that support them; default undefined (no tools). */
  readonly tools?: readonly unknown[];
  /** Further template variables (date_string, enable_thinking...); default none. */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** The time strftime_now reports; default the current time. */
  readonly now?: Date;
}

/** A parsed chat template, ready to render many conversations. */
export interface ChatTemplate {
  /** The file the template came from, for messages. */
  readonly file: string;
  /** The prompt text for `input`. */
  render(input: ChatTemplateInput): string;
}

/** The template rejected the conversation through raise_exception (e.g. roles must alternate). */
export class ChatTemplateError extends ExpectedError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(ErrorReason.BadArgument, `the chat template of ${file} rejects this conversation: ${problem}`);
    this.name = 'ChatTemplateError';
  }
}

/** Thrown by the template's raise_exception, caught at the end of render. */
class TemplateRaised extends Error {}

/** Parses a Jinja chat template; a template that does not parse is a ModelFileError naming `file`. */
export function parseChatTemplate(source: string, file: string): ChatTemplate {
  let template: Template;
  try {
    template = new Template(source);
  } catch (error) {
    throw new ModelFileError(file, `the chat template does not parse: ${messageOf(error)}`);
  }
  return {
    file,
    render(input: ChatTemplateInput): string {
      const env = templateEnvironment(input);
      try {
        const result = new Interpreter(env).run(template.parsed).value;
        if (typeof result !== 'string') throw new Error(`it produced ${typeof result}, not text`);
        return result;
      } catch (error) {
        if (error instanceof TemplateRaised) throw new ChatTemplateError(file, error.message);
        throw new ModelFileError(file, `the chat template failed: ${messageOf(error)}`);
      }
    },
  };
}

/** Parses and renders in one step. */
export function renderChatTemplate(source: string, input: ChatTemplateInput, file: string): string {
  return parseChatTemplate(source, file).render(input);
}

/** The BOS and EOS token texts a template is rendered with ("" for a token the model lacks). */
export function templateTokens(tokenizer: Tokenizer): { bosToken: string; eosToken: string } {
  const text = (id: number | undefined): string => (id === undefined ? '' : tokenizer.tokenText(id));
  return { bosToken: text(tokenizer.bosId), eosToken: text(tokenizer.eosId) };
}

/** Globals as transformers provides them, then the conversation. */
function templateEnvironment(input: ChatTemplateInput): Environment {
  const env = new Environment();
  const globals: Record<string, unknown> = {
    true: true, false: false, none: null, True: true, False: false, None: null,
    range,
    raise_exception: (message: unknown): never => {
      throw new TemplateRaised(String(message));
    },
    strftime_now: (format: unknown): string => strftime(input.now ?? new Date(), String(format)),
    ...input.variables,
    messages: input.messages,
    add_generation_prompt: input.addGenerationPrompt ?? true,
    bos_token: input.bosToken ?? '',
    eos_token: input.eosToken ?? '',
  };
  if (input.tools !== undefined) globals.tools = input.tools;
  for (const [name, value] of Object.entries(globals)) env.set(name, value);
  return env;
}

/** Python's range(stop) / range(start, stop[, step]). */
function range(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error('range() step must not be zero');
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
  return out;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Python's strftime in the C locale, for the directives chat templates use; local time. */
export function strftime(date: Date, format: string): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return format.replace(/%[YymdeBbAaHIMSpj%]/g, (directive) => {
    switch (directive) {
      case '%Y': return String(date.getFullYear());
      case '%y': return pad(date.getFullYear() % 100);
      case '%m': return pad(date.getMonth() + 1);
      case '%d': return pad(date.getDate());
      case '%e': return String(date.getDate()).padStart(2, ' ');
      case '%B': return MONTHS[date.getMonth()];
      case '%b': return MONTHS[date.getMonth()].slice(0, 3);
      case '%A': return DAYS[date.getDay()];
      case '%a': return DAYS[date.getDay()].slice(0, 3);
      case '%H': return pad(date.getHours());
      case '%I': return pad(((date.getHours() + 11) % 12) + 1);
      case '%M': return pad(date.getMinutes());
      case '%S': return pad(date.getSeconds());
      case '%p': return date.getHours() < 12 ? 'AM' : 'PM';
      case '%j': return String(Math.round((Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) - Date.UTC(date.getFullYear(), 0, 1)) / 86_400_000) + 1).padStart(3, '0');
      default: return '%';
    }
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
