// Measures the answer pipeline on a real tree: indexes ROOT into a fresh database (static GloVe
// embedder), opens stories260K as the model, asks a few questions and reports the timings of
// each stage per question. Prints one JSON object.
// Run: node --import tsx test/bench/ours/measureAsk.ts ROOT DB MODEL

import { openAssistant } from '../../../core/assistant/node/openAssistant.js';
import { createEmbedder } from '../../../core/rag/embed/node/createEmbedder.js';
import { recordCorpus } from '../../../core/rag/index/node/corpusRegistry.js';
import { indexRoots } from '../../../core/rag/index/node/indexRoots.js';

const QUESTIONS = [
  'How does the walker decide which files are ignored by .gitignore?',
  'Where is the LanceDB table opened and how are full-text indexes created?',
  'How does tree-sitter parse a TypeScript file into a syntax tree?',
  'What does the tokenizer do with special tokens?',
  'How are HTTP proxy settings read from environment variables?',
  'Which function computes the cosine similarity of two vectors?',
];

const [root, db, model] = process.argv.slice(2);
const embedder = await createEmbedder('static:glove100d');
const indexed = await indexRoots({ roots: [root], dbDir: db, corpus: 'bench', embedder });
await recordCorpus(db, 'bench', [root], 'static:glove100d');
const opened = await openAssistant({ dbDir: db, corpus: 'bench', model, embedder, contextLength: 2048, threads: 2 });
const runs = [];
try {
  // a warm-up question (first-use costs: module loading, JIT, caches)
  await opened.assistant.ask('warm up: what is in this folder?', { maxTokens: 8 }).result();
  for (const question of QUESTIONS) {
    const result = await opened.assistant.ask(question, { maxTokens: 32, temperature: 0 }).result();
    runs.push({
      question, ...result.timings, sources: result.sources.length, contextTokens: result.context.tokens, budget: result.context.budget,
      generated: result.stats?.generatedTokens ?? 0,
    });
  }
} finally {
  await opened.dispose();
  await embedder.dispose();
}
process.stdout.write(JSON.stringify({ files: indexed.filesTotal, chunks: indexed.chunks, runs }) + '\n');
