// HTML to blocks of text: a tolerant one-pass scanner (tags, comments, raw-text elements,
// character references) that keeps the structure worth indexing — headings, paragraphs, list
// items, table rows, preformatted text — and the source line of each block. Script, style and
// other non-text elements are dropped. No DOM: it runs in Node and in browsers alike.

/** A block of text: a heading (level 1-6), a paragraph, a list item, a row, or preformatted lines. */
export interface HtmlBlock {
  readonly text: string;
  /** Source lines of its first and last character, 1-based. */
  readonly startLine: number;
  readonly endLine: number;
  /** 1-6 for h1-h6, 0 otherwise. */
  readonly level: number;
}

/** Elements that end the current block when they open or close. */
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'br', 'caption', 'center', 'dd', 'details', 'dialog',
  'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'head', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'option', 'p', 'pre',
  'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'title', 'tr', 'ul',
]);

/** Elements whose content is not text to index: skipped up to their end tag. */
const SKIPPED_TAGS = new Set(['script', 'style', 'template', 'noscript', 'svg', 'math', 'iframe', 'object', 'canvas']);

/** Elements whose content is text without tags. */
const RAW_TEXT_TAGS = new Set(['title', 'textarea']);

const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', trade: '™',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»',
  bull: '•', middot: '·', times: '×', divide: '÷', deg: '°', plusmn: '±', micro: 'µ', para: '¶', sect: '§',
  euro: '€', pound: '£', yen: '¥', cent: '¢', larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔',
  le: '≤', ge: '≥', ne: '≠', asymp: '≈', infin: '∞', minus: '−', shy: '\u00ad', zwj: '\u200d', zwnj: '\u200c',
  ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009', iexcl: '¡', iquest: '¿', frac12: '½', frac14: '¼', frac34: '¾',
};

/** Decodes character references: named (a common set), decimal and hexadecimal. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?/g, (match, body: string) => {
    if (body[0] !== '#') return NAMED_REFERENCES[body] ?? match;
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** Source line of a position, for positions that only grow. */
class LineCounter {
  private position = 0;
  private line = 1;
  constructor(private readonly source: string) {}

  at(position: number): number {
    for (let i = this.source.indexOf('\n', this.position); i >= 0 && i < position; i = this.source.indexOf('\n', i + 1)) this.line++;
    this.position = Math.max(this.position, position);
    return this.line;
  }
}

/** Collects inline text into blocks. */
class BlockBuilder {
  readonly blocks: HtmlBlock[] = [];
  private parts: string[] = [];
  private startLine = 0;
  private endLine = 0;
  private prefix = '';
  level = 0;
  pre = 0;
  readonly lists: { ordered: boolean; count: number }[] = [];

  constructor(private readonly lines: LineCounter) {}

  /** Adds text found at `position` of the source. */
  text(raw: string, position: number): void {
    const lead = raw.length - raw.trimStart().length;
    if (lead === raw.length) {
      if (this.pre > 0) this.parts.push(raw);
      else if (this.parts.length > 0) this.parts.push(' ');
      return;
    }
    if (this.startLine === 0) this.startLine = this.lines.at(position + lead);
    this.endLine = this.lines.at(position + raw.trimEnd().length - 1);
    const text = decodeEntities(raw);
    this.parts.push(this.pre > 0 ? text : text.replace(/\s+/g, ' '));
  }

  /** Separates table cells. */
  cell(): void {
    if (this.parts.length > 0) this.parts.push(' | ');
  }

  /** Starts a list item: its marker goes before its text. */
  listItem(): void {
    const list = this.lists[this.lists.length - 1];
    const marker = list?.ordered ? `${++list.count}. ` : '- ';
    this.prefix = '  '.repeat(Math.max(0, this.lists.length - 1)) + marker;
  }

  /** Ends the current block. */
  flush(): void {
    let text = this.parts.join('');
    text = this.pre > 0 ? text.replace(/^\n/, '').trimEnd() : text.replace(/ +/g, ' ').trim();
    if (text !== '') {
      this.blocks.push({ text: this.prefix + text, startLine: this.startLine, endLine: this.endLine, level: this.level });
      this.level = 0; // a heading left open ends with its text
    }
    this.parts = [];
    this.startLine = 0;
    this.prefix = '';
  }
}

/** Index of the first `</name` at or after `from` (any case), or -1. */
function findEndTag(html: string, name: string, from: number): number {
  const pattern = new RegExp(`</${name}(?![A-Za-z0-9:-])`, 'gi');
  pattern.lastIndex = from;
  return pattern.exec(html)?.index ?? -1;
}

/** End of a start or end tag that begins at `start` ("<"): the index after its ">", quotes respected. */
function tagEnd(html: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < html.length; i++) {
    const c = html[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      if (/[=\s]/.test(html[i - 1] ?? '')) quote = c;
    } else if (c === '>') {
      return i + 1;
    }
  }
  return html.length;
}

const TAG_NAME = /^<\/?([A-Za-z][A-Za-z0-9:-]*)/;

/** Handles a start or end tag; returns where scanning goes on. */
function onTag(builder: BlockBuilder, html: string, start: number): number {
  const end = tagEnd(html, start);
  const match = TAG_NAME.exec(html.slice(start, start + 64));
  if (!match) return end;
  const name = match[1].toLowerCase();
  const closing = html[start + 1] === '/';
  if (!closing && SKIPPED_TAGS.has(name) && html[end - 2] !== '/') {
    const close = findEndTag(html, name, end);
    return close < 0 ? html.length : tagEnd(html, close);
  }
  if (BLOCK_TAGS.has(name)) builder.flush();
  if (/^h[1-6]$/.test(name)) builder.level = closing ? 0 : Number(name[1]);
  else if (name === 'pre') builder.pre = Math.max(0, builder.pre + (closing ? -1 : 1));
  else if (name === 'ul' || name === 'ol') {
    if (closing) builder.lists.pop();
    else builder.lists.push({ ordered: name === 'ol', count: 0 });
  } else if (name === 'li' && !closing) builder.listItem();
  else if ((name === 'td' || name === 'th') && !closing) builder.cell();
  if (!closing && RAW_TEXT_TAGS.has(name)) {
    const close = findEndTag(html, name, end);
    const stop = close < 0 ? html.length : close;
    builder.text(html.slice(end, stop), end);
    builder.flush();
    return close < 0 ? html.length : tagEnd(html, close);
  }
  return end;
}

/** Skips a comment, doctype, processing instruction or CDATA section at `start`; CDATA is text. */
function onMarkup(builder: BlockBuilder, html: string, start: number): number {
  if (html.startsWith('<!--', start)) {
    const close = html.indexOf('-->', start + 4);
    return close < 0 ? html.length : close + 3;
  }
  if (html.startsWith('<![CDATA[', start)) {
    const close = html.indexOf(']]>', start + 9);
    const stop = close < 0 ? html.length : close;
    builder.text(html.slice(start + 9, stop), start + 9);
    return close < 0 ? html.length : close + 3;
  }
  const close = html.indexOf('>', start);
  return close < 0 ? html.length : close + 1;
}

/** The blocks of text of an HTML document, in source order. */
export function htmlBlocks(html: string): HtmlBlock[] {
  const builder = new BlockBuilder(new LineCounter(html));
  let position = 0;
  while (position < html.length) {
    const open = html.indexOf('<', position);
    const textEnd = open < 0 ? html.length : open;
    if (textEnd > position) builder.text(html.slice(position, textEnd), position);
    if (open < 0) break;
    const next = html[open + 1] ?? '';
    if (/[A-Za-z]/.test(next) || (next === '/' && /[A-Za-z]/.test(html[open + 2] ?? ''))) position = onTag(builder, html, open);
    else if (next === '!' || next === '?') position = onMarkup(builder, html, open);
    else {
      builder.text('<', open);
      position = open + 1;
    }
  }
  builder.flush();
  return builder.blocks;
}
