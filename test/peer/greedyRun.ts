// One llama.cpp configuration's greedy tokens for every preset of synthetic-models.json, written
// as JSON; run as a child process by selfAgreementFixture.ts, because a process loads one
// llama.cpp binary (here possibly a copy holding one ggml CPU build, cpuVariantCopy.ts).
// Usage: node --import tsx test/peer/greedyRun.ts --out FILE [--node-modules DIR] [--threads N]
//        [--batch N] [--flash-attention]

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { syntheticModelFile } from '../bench/syntheticFiles.js';
import { readSyntheticModelsFixture } from '../fixtures/llamacpp/readFixtures.js';
import { repoRoot } from './fixtureFiles.js';
import { generateGreedy } from './llamaCppOracle.js';
import { loadPeer, openContext, PEER_NODE_MODULES, PEER_SETTINGS } from './nodeLlamaCpp.js';

/** What greedyRun.ts writes. */
export interface GreedyRunOutput {
  systemInfo: string;
  /** Preset name -> greedy ids after its prompt (as many as the fixture has). */
  greedy: Record<string, number[]>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'node-modules': { type: 'string', default: PEER_NODE_MODULES },
      threads: { type: 'string', default: '1' },
      batch: { type: 'string', default: String(PEER_SETTINGS.batchSize) },
      'flash-attention': { type: 'boolean', default: false },
    },
  });
  if (!values.out) throw new Error('--out FILE is required');
  const threads = Number(values.threads), batchSize = Number(values.batch);
  if (!(Number.isInteger(threads) && threads > 0 && Number.isInteger(batchSize) && batchSize > 0)) {
    throw new Error(`--threads and --batch must be positive integers, got ${values.threads} and ${values.batch}`);
  }
  const fixture = readSyntheticModelsFixture();
  const peer = await loadPeer(undefined, 'error', values['node-modules']);
  const greedy: Record<string, number[]> = {};
  for (const m of fixture.models) {
    const path = await syntheticModelFile(repoRoot, m.preset);
    if (createHash('sha256').update(readFileSync(path)).digest('hex') !== m.sha256) throw new Error(`${path} is not the model of synthetic-models.json`);
    const model = await peer.llama.loadModel({ modelPath: path, gpuLayers: 0 });
    const context = await openContext(model, {
      contextSize: fixture.settings.contextSize, threads, batchSize, flashAttention: values['flash-attention'],
    });
    try {
      greedy[m.preset] = (await generateGreedy(context.getSequence(), m.promptIds, m.greedyIds.length)).tokens;
    } finally {
      await context.dispose();
      await model.dispose();
    }
  }
  const output: GreedyRunOutput = { systemInfo: peer.llama.systemInfo.trim(), greedy };
  writeFileSync(values.out, JSON.stringify(output));
  await peer.llama.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
