// The message loop of a parser worker: receives a file's bytes, parses them, and replies with the
// document or with the reason it is skipped. parserWorker.ts runs it with the real parsers; tests
// run it with hostile ones (a parser that hangs, one that eats memory).

import { parentPort, workerData } from 'node:worker_threads';
import type { ParsedDocument } from '../../common/document.js';
import type { ParseTarget } from '../common/parseText.js';
import { UnparsableFileError, type SkipReason } from '../common/skips.js';
import type { ParseOptions } from './parseFile.js';

/** A file to parse, sent to the worker. */
export interface ParseRequest {
  readonly id: number;
  readonly target: ParseTarget;
  readonly bytes: Uint8Array;
}

/** The worker's first message: its message loop is listening. */
export const WORKER_READY = 'ready';

/** The worker's answer to a ParseRequest. */
export type ParseReply =
  | { readonly id: number; readonly ok: true; readonly document: ParsedDocument }
  | { readonly id: number; readonly ok: false; readonly reason: SkipReason; readonly problem: string };

/** A parser as the worker calls it. */
export type Parser = (target: ParseTarget, bytes: Uint8Array, options: ParseOptions) => Promise<ParsedDocument>;

/** Answers ParseRequests on this worker's port with `parse`; options come from workerData. */
export function serveParseRequests(parse: Parser): void {
  const port = parentPort;
  if (!port) throw new Error('serveParseRequests runs in a worker thread');
  const options = (workerData ?? {}) as ParseOptions;
  port.on('message', (request: ParseRequest) => {
    void (async (): Promise<void> => {
      let reply: ParseReply;
      try {
        reply = { id: request.id, ok: true, document: await parse(request.target, request.bytes, options) };
      } catch (error) {
        reply = error instanceof UnparsableFileError
          ? { id: request.id, ok: false, reason: error.skipReason, problem: error.problem }
          : { id: request.id, ok: false, reason: 'parse-failed', problem: `parser failed: ${error instanceof Error ? error.message : String(error)}` };
      }
      port.postMessage(reply);
    })();
  });
  port.postMessage(WORKER_READY);
}
