// Parsers that misbehave on purpose, chosen by the file's name, for ParserPool tests:
// hang*  loops forever; heap*  fills the V8 heap; buffers*  fills memory outside the heap
// (ArrayBuffers); exit*  ends the worker thread; throw*  throws a plain Error; slow*  waits 1.5 s.
// Any other file goes to the real parseFile.

import { parseFile } from '../../../../../core/rag/ingest/node/parseFile.js';
import { serveParseRequests } from '../../../../../core/rag/ingest/node/parserWorkerMain.js';

const MB = 1024 * 1024;

function hang(): never {
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

serveParseRequests(async (target, bytes, options) => {
  const name = target.path.slice(target.path.lastIndexOf('/') + 1);
  if (name.startsWith('hang')) hang();
  if (name.startsWith('heap')) {
    const kept: unknown[] = [];
    for (;;) kept.push(Array.from({ length: 1e5 }, (_, i) => ({ i })));
  }
  if (name.startsWith('buffers')) {
    const kept: Uint8Array[] = [];
    // At most 4 GB, then hang: if the watchdog failed, the test sees a timeout, not a dead machine.
    for (let i = 0; i < 128; i++) kept.push(new Uint8Array(32 * MB).fill(1));
    hang();
  }
  if (name.startsWith('exit')) process.exit(3);
  if (name.startsWith('throw')) throw new Error('a bug in a library');
  if (name.startsWith('slow')) await new Promise((resolve) => setTimeout(resolve, 1500));
  return parseFile(target, bytes, options);
});
