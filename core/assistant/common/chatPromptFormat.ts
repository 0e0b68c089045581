// Turns chat messages into a local model's prompt tokens: the model's own Jinja chat template
// (rendered as transformers does), or Pinpoint's plain format (resources/prompts/plain-chat.jinja)
// when the model has none. The rendered text is tokenized with parse_special, so the template's
// control tokens (<|im_start|>, <|eot_id|>...) become their ids; BOS is prepended when the model
// wants one and the template did not write it. Message contents are made inert first: a control
// token's text inside a source file or a question ("<s>", "<|im_end|>") gets a zero-width space
// after its first character, so it stays text and cannot end a turn or forge a new one.

import { parseChatTemplate, templateTokens, type ChatTemplate } from '../../engine/common/chatTemplate.js';
import type { Tokenizer } from '../../engine/common/tokenizer/tokenizer.js';
import type { ChatMessage } from './chatModel.js';

/**
 * Where the plain format ends the assistant's turn: the header of the next user turn. Kept in
 * step with resources/prompts/plain-chat.jinja.
 */
export const PLAIN_CHAT_STOP_STRINGS: readonly string[] = ['\n### User\n', '\n### System\n'];

/** A Jinja chat template's text and the file it came from (for messages). */
export interface TemplateSource {
  readonly source: string;
  readonly file: string;
}

/** What a prompt format is built from. */
export interface ChatPromptFormatOptions {
  /** The model's own template, if it has one. */
  readonly modelTemplate?: TemplateSource;
  /** The plain format used when the model has no template (resources/prompts/plain-chat.jinja). */
  readonly fallbackTemplate: TemplateSource;
}

const ZERO_WIDTH_SPACE = '\u200b';

/** Renders and tokenizes conversations for one tokenizer. */
export class ChatPromptFormat {
  /** "model": the model's own chat template; "plain": Pinpoint's fallback format. */
  readonly kind: 'model' | 'plain';
  /** Stop strings the format needs (the plain format's turn headers; none for a model template). */
  readonly stopStrings: readonly string[];
  private readonly template: ChatTemplate;
  private readonly specialTokens: { bosToken: string; eosToken: string };
  private controlPattern: RegExp | null | undefined;
  private longestToken: number | undefined;
  private last: { readonly text: string; readonly ids: readonly number[] } | undefined;

  constructor(
    private readonly tokenizer: Tokenizer,
    options: ChatPromptFormatOptions,
  ) {
    const chosen = options.modelTemplate ?? options.fallbackTemplate;
    this.kind = options.modelTemplate ? 'model' : 'plain';
    this.stopStrings = options.modelTemplate ? [] : PLAIN_CHAT_STOP_STRINGS;
    this.template = parseChatTemplate(chosen.source, chosen.file);
    this.specialTokens = templateTokens(tokenizer);
  }

  /** The prompt text of `messages`, with the assistant's turn opened. */
  render(messages: readonly ChatMessage[]): string {
    const safe = messages.map((m) => ({ role: m.role, content: this.inert(m.content) }));
    return this.template.render({ messages: safe, addGenerationPrompt: true, ...this.specialTokens });
  }

  /**
   * The prompt token ids of `messages`. The last prompt is kept, so counting a prompt and then
   * generating from it tokenizes it once.
   */
  encode(messages: readonly ChatMessage[]): number[] {
    const text = this.render(messages);
    if (this.last?.text !== text) {
      const ids = this.tokenizer.encode(text, { parseSpecial: true });
      const bos = this.tokenizer.bosId;
      if (this.tokenizer.addBos && bos !== undefined && ids[0] !== bos) ids.unshift(bos);
      this.last = { text, ids };
    }
    return [...this.last.ids];
  }

  /** Tokens of `text` as message content; see ChatModel.countTokens for `limit`. */
  countTokens(text: string, limit?: number): number {
    if (limit !== undefined) {
      // Every token stands for at most `longest` bytes, and a text has at least as many UTF-8
      // bytes as UTF-16 code units: so it has at least length / longest tokens.
      const atLeast = Math.ceil(text.length / this.longestTokenBytes());
      if (atLeast > limit) return atLeast;
    }
    return this.tokenizer.encode(this.inert(text)).length;
  }

  /** `text` with every control token's text broken by a zero-width space after its first character. */
  inert(text: string): string {
    const pattern = this.controlTokens();
    return pattern ? text.replace(pattern, (match) => match[0] + ZERO_WIDTH_SPACE + match.slice(1)) : text;
  }

  /** One regular expression matching the text of any control token, longest first; null if there is none. */
  private controlTokens(): RegExp | null {
    if (this.controlPattern !== undefined) return this.controlPattern;
    const texts = new Set<string>();
    for (let id = 0; id < this.tokenizer.vocabSize; id++) {
      if (!this.tokenizer.isSpecial(id)) continue;
      const text = this.tokenizer.tokenText(id);
      if (text.length >= 2) texts.add(text);
    }
    const escaped = [...texts].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.controlPattern = escaped.length > 0 ? new RegExp(escaped.join('|'), 'g') : null;
    return this.controlPattern;
  }

  /** Bytes of the longest token of the vocabulary (computed once). */
  private longestTokenBytes(): number {
    if (this.longestToken === undefined) {
      let longest = 1;
      for (let id = 0; id < this.tokenizer.vocabSize; id++) longest = Math.max(longest, this.tokenizer.tokenBytes(id).length);
      this.longestToken = longest;
    }
    return this.longestToken;
  }
}
