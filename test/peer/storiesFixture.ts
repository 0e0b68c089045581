// Builds stories260K-greedy.json: for each fixture prompt, llama.cpp's tokenization (with and
// without special-token parsing, and as a completion prompt with BOS) and 128 greedy tokens; and
// checks llama.cpp against the shared 256-step reference of "Once upon a time".

import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { StoriesGreedyCase, StoriesGreedyFixture } from '../fixtures/llamacpp/readFixtures.js';
import { describeModelFile, provenance, repoRoot, round4 } from './fixtureFiles.js';
import { STORIES_PROMPTS } from './fixturePrompts.js';
import { generateGreedy, tokenizeForCompletion } from './llamaCppOracle.js';
import { openContext, type LlamaContextSequence, type LlamaModel, type Peer } from './nodeLlamaCpp.js';

/** stories260K and its reference output in the shared data folder. */
export const STORIES_MODEL_PATH = join(repoRoot, '..', 'shared', 'data', 'llm', 'stories260K.gguf');
const REFERENCE_PATH = join(repoRoot, '..', 'shared', 'data', 'llm', 'reference', 'stories260K_greedy_once-upon-a-time_256steps.tokens.txt');

/** Greedy tokens per prompt. */
const COMPLETION_TOKENS = 128;
/** Positions of the reference run: llama2.c's `steps` counts BOS and the prompt tokens too. */
const REFERENCE_STEPS = 256;
const THREADS = 1;
/** Holds the longest prompt plus 128 generated tokens, and the 256-step reference (generateGreedy checks). */
const CONTEXT_SIZE = 512;

const TOKENIZATION = 'promptIds = [BOS if the vocab adds it] + llama_tokenize(text, add_special=false, parse_special=true), ' +
  'i.e. common_tokenize(ctx, text, add_special=true, parse_special=true) as in llama.cpp completion';

/** The reference file's "prompt tokens: [...]" and "token ids: [...]" (prompt + continuation). */
function readReference(): { prompt: number[]; ids: number[] } {
  const [prompt, ids] = [...readFileSync(REFERENCE_PATH, 'utf8').matchAll(/\[([^\]]*)\]/g)].map((m) => m[1].split(',').map(Number));
  return { prompt, ids };
}

/** Regenerates the reference continuation with llama.cpp and compares it token by token. */
async function checkReference(sequence: LlamaContextSequence): Promise<StoriesGreedyFixture['referenceCheck']> {
  const { prompt, ids } = readReference();
  const expected = ids.slice(prompt.length);
  const generated = REFERENCE_STEPS + 1 - prompt.length;
  const { tokens } = await generateGreedy(sequence, prompt, generated);
  const mismatch = expected.findIndex((id, i) => tokens[i] !== id);
  const firstMismatch = mismatch >= 0 ? mismatch : expected.length === tokens.length ? null : Math.min(expected.length, tokens.length);
  return { file: relative(repoRoot, REFERENCE_PATH), steps: REFERENCE_STEPS, generated, matched: firstMismatch === null, firstMismatch };
}

/** One prompt's tokenizations and greedy completion. */
async function buildCase(model: LlamaModel, sequence: LlamaContextSequence, name: string, text: string): Promise<StoriesGreedyCase> {
  const prompt = tokenizeForCompletion(model, text);
  const { tokens, margins } = await generateGreedy(sequence, prompt.ids, COMPLETION_TOKENS);
  const eos = tokens.findIndex((id) => model.isEogToken(id));
  return {
    name,
    text,
    tokensParseSpecial: model.tokenize(text, true),
    tokensNoParseSpecial: model.tokenize(text, false),
    promptIds: prompt.ids,
    bosAdded: prompt.bosAdded,
    completionIds: tokens,
    completionText: model.detokenize(tokens, false, prompt.ids),
    eosIndex: eos >= 0 ? eos : null,
    margins: margins.map(round4),
  };
}

/** Generates the whole stories260K fixture with one context. */
export async function buildStoriesFixture(peer: Peer, command: string): Promise<StoriesGreedyFixture> {
  const model = await peer.llama.loadModel({ modelPath: STORIES_MODEL_PATH, gpuLayers: 0 });
  const context = await openContext(model, { threads: THREADS, contextSize: CONTEXT_SIZE });
  try {
    const sequence = context.getSequence();
    const referenceCheck = await checkReference(sequence);
    const cases: StoriesGreedyCase[] = [];
    for (const { name, text } of STORIES_PROMPTS) cases.push(await buildCase(model, sequence, name, text));
    const { bos, eos, shouldPrependBosToken, shouldAppendEosToken } = model.tokens;
    return {
      ...provenance(peer, command, THREADS, context.contextSize, TOKENIZATION),
      model: describeModelFile(STORIES_MODEL_PATH),
      vocab: { bos, eos, addBos: shouldPrependBosToken, addEos: shouldAppendEosToken },
      referenceCheck,
      cases,
    };
  } finally {
    await context.dispose();
    await model.dispose();
  }
}
