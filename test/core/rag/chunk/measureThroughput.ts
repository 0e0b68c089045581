// Chunking throughput on real sources: the first N source files (.js/.mjs/.cjs/.ts, under 1 MB)
// under node_modules, chunked at the default budget with a whitespace token counter. Reports
// files/s and MB/s, and how much of the time tree-sitter's parse took.
// Usage: node --import tsx test/core/rag/chunk/measureThroughput.ts [files=5000] [dir=node_modules]

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tree } from 'web-tree-sitter';
import { createChunker } from '../../../../core/rag/chunk/node/chunker.js';
import { TreeSitterParsers } from '../../../../core/rag/chunk/node/TreeSitterParsers.js';
import { codeDocument, countWords } from './support.js';

const LANGUAGE_OF: Record<string, string> = { '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.ts': 'typescript' };

/** TreeSitterParsers that time their parses. */
class TimedParsers extends TreeSitterParsers {
  parseMs = 0;
  override async parse(text: string, grammar: string): Promise<Tree | undefined> {
    const start = performance.now();
    try {
      return await super.parse(text, grammar);
    } finally {
      this.parseMs += performance.now() - start;
    }
  }
}

function sourceFiles(dir: string, limit: number, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (out.length >= limit) break;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) sourceFiles(path, limit, out);
    else if (LANGUAGE_OF[/\.[^.]+$/.exec(name)?.[0] ?? ''] && stat.size > 0 && stat.size < 1_000_000) out.push(path);
  }
  return out;
}

const limit = Number(process.argv[2] ?? 5000);
const dir = process.argv[3] ?? fileURLToPath(new URL('../../../../node_modules', import.meta.url));
const files = sourceFiles(dir, limit);
const texts = files.map((f) => readFileSync(f, 'utf8'));
const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
const parsers = new TimedParsers();
const chunker = createChunker({ countTokens: countWords }, parsers);
await chunker.chunk(codeDocument('let warm = 1;', 'typescript'), '/');
await chunker.chunk(codeDocument('let warm = 1;', 'javascript'), '/');
parsers.parseMs = 0;
let chunks = 0;
const start = performance.now();
for (const [i, text] of texts.entries()) {
  chunks += (await chunker.chunk(codeDocument(text, LANGUAGE_OF[/\.[^.]+$/.exec(files[i])![0]], files[i]), dir)).length;
}
const seconds = (performance.now() - start) / 1000;
const mb = bytes / 1e6;
console.log(
  `${files.length} files, ${mb.toFixed(1)} MB, ${chunks} chunks in ${seconds.toFixed(2)} s: ` +
    `${(files.length / seconds).toFixed(0)} files/s, ${(mb / seconds).toFixed(2)} MB/s ` +
    `(parse ${(parsers.parseMs / 1000).toFixed(2)} s = ${((parsers.parseMs / 1000 / seconds) * 100).toFixed(0)}%; ` +
    `chunking alone ${(mb / (seconds - parsers.parseMs / 1000)).toFixed(1)} MB/s)`,
);
