// Entry bundled by treeSitterPaths.test.ts: chunks a small TypeScript file and prints the outline
// as JSON; with "paths", prints the error of resolving the tree-sitter files instead.

import { createChunker } from '../../../../../core/rag/chunk/node/chunker.js';
import { resolveTreeSitterPaths } from '../../../../../core/rag/chunk/node/treeSitterPaths.js';

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;
const source = "import { b } from './b.js';\n\nexport class A {\n  run(x: number): number { return x * 2 + b; }\n}\n";

if (process.argv[2] === 'paths') {
  try {
    resolveTreeSitterPaths();
    console.log('found');
  } catch (error) {
    console.log(error instanceof Error ? error.message : String(error));
  }
} else {
  const chunker = createChunker({ countTokens: words, budget: 40 });
  const chunks = await chunker.chunk({ path: 'a.ts', kind: 'code', language: 'typescript', sections: [{ text: source, startLine: 1, endLine: 6 }] }, '/');
  console.log(JSON.stringify(chunks.map((c) => [c.startLine, c.endLine, c.context])));
}
