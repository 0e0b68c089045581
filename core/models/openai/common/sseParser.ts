// An incremental parser of `text/event-stream` (the WHATWG server-sent events format) that gives
// the data of each event. Bytes may be split anywhere, inside a UTF-8 character, a line or a
// CRLF; lines end in LF, CR or CRLF; a leading BOM is dropped; `:` lines are comments (keep-alive
// pings); the `data:` lines of one event are joined with "\n"; `event:`, `id:`, `retry:` and
// unknown fields are ignored. One deliberate leniency: at the end of the stream a last event not
// closed by a blank line is still delivered (some servers end with `data: [DONE]\n`).

/** Thrown when one event grows beyond the parser's limit (a server that never ends a line). */
export class SseLimitError extends Error {
  constructor(readonly limit: number) {
    super(`an event is longer than ${limit} characters`);
    this.name = 'SseLimitError';
  }
}

const LINE_END = /\r\n|\r|\n/g;

/** Feeds bytes in with `push`, then `end`; both return the data of the events completed. */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /** The start of a line whose end has not arrived yet. */
  private line = '';
  /** The `data:` values of the event being read. */
  private data: string[] = [];
  private dataLength = 0;
  /** The last piece ended with CR: an LF at the start of the next one belongs to it. */
  private skipLf = false;

  /** @param maxEventLength longest event (data and pending line), in UTF-16 code units; default 16 Mi. */
  constructor(private readonly maxEventLength = 16 * 1024 * 1024) {}

  /** Parses the next piece of the stream; returns the data of each event it completes. */
  push(bytes: Uint8Array): string[] {
    const out: string[] = [];
    this.feed(this.decoder.decode(bytes, { stream: true }), out);
    return out;
  }

  /** Ends the stream: the pending line and event, if any, are delivered. */
  end(): string[] {
    const out: string[] = [];
    this.feed(this.decoder.decode(), out);
    if (this.line !== '') this.onLine(this.line, out);
    this.line = '';
    this.onLine('', out);
    return out;
  }

  private feed(text: string, out: string[]): void {
    let start = 0;
    if (this.skipLf && text.length > 0) {
      if (text.charCodeAt(0) === 10) start = 1;
      this.skipLf = false;
    }
    LINE_END.lastIndex = start;
    for (let match = LINE_END.exec(text); match !== null; match = LINE_END.exec(text)) {
      this.onLine(this.line + text.slice(start, match.index), out);
      this.line = '';
      start = LINE_END.lastIndex;
      if (match[0] === '\r' && start === text.length) this.skipLf = true;
    }
    this.line += text.slice(start);
    if (this.line.length + this.dataLength > this.maxEventLength) throw new SseLimitError(this.maxEventLength);
  }

  private onLine(line: string, out: string[]): void {
    if (line === '') {
      if (this.data.length > 0) out.push(this.data.join('\n'));
      this.data = [];
      this.dataLength = 0;
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    if ((colon < 0 ? line : line.slice(0, colon)) !== 'data') return;
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* space */) value = value.slice(1);
    this.data.push(value);
    this.dataLength += value.length + 1;
    if (this.dataLength > this.maxEventLength) throw new SseLimitError(this.maxEventLength);
  }
}
