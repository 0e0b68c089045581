// Builds synthetic-self-agreement.json: llama.cpp's greedy tokens for every synthetic preset
// under configurations other than the reference fixture's (same release; only the CPU build,
// the batch size, the thread count or the attention path changes). It measures how far exact
// greedy identity on these random-weight models is a property of one build's arithmetic: the
// parity test compares our agreement with the reference against llama.cpp's own.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identicalPresets, type SelfAgreementConfig, type SelfAgreementFixture, type SyntheticModelsFixture } from '../fixtures/llamacpp/readFixtures.js';
import { copyPeerWithCpuVariant } from './cpuVariantCopy.js';
import { repoRoot } from './fixtureFiles.js';
import type { GreedyRunOutput } from './greedyRun.js';
import type { Peer } from './nodeLlamaCpp.js';

type ConfigPlan = Omit<SelfAgreementConfig, 'systemInfo' | 'greedy'>;

/** What is compared with the reference (best CPU build, 1 thread, batch 512, flash attention off). */
const CONFIGS: readonly ConfigPlan[] = [
  { name: 'batch 1', kind: 'same-build', description: 'reference build, the prompt evaluated one token per llama_decode', cpuVariant: null, threads: 1, batchSize: 1, flashAttention: false },
  { name: '2 threads', kind: 'same-build', description: 'reference build, n_threads = 2', cpuVariant: null, threads: 2, batchSize: 512, flashAttention: false },
  { name: 'flash attention', kind: 'same-build', description: 'reference build, flash attention on (ggml_flash_attn_ext instead of mul_mat + soft_max)', cpuVariant: null, threads: 1, batchSize: 512, flashAttention: true },
  { name: 'AVX2 build', kind: 'cpu-build', description: 'libggml-cpu-haswell.so only: the kernels llama.cpp runs on an AVX2 CPU', cpuVariant: 'haswell', threads: 1, batchSize: 512, flashAttention: false },
  { name: 'generic x64 build', kind: 'cpu-build', description: 'libggml-cpu-x64.so only: the kernels llama.cpp runs on an x86-64 CPU without AVX', cpuVariant: 'x64', threads: 1, batchSize: 512, flashAttention: false },
];

/** Runs greedyRun.ts in a child process for one configuration. */
function runConfig(plan: ConfigPlan): GreedyRunOutput {
  const copy = plan.cpuVariant ? copyPeerWithCpuVariant(plan.cpuVariant) : undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'pinpoint-greedy-'));
  try {
    const out = join(scratch, 'greedy.json');
    const args = ['--import', 'tsx', join(repoRoot, 'test', 'peer', 'greedyRun.ts'), '--out', out,
      '--threads', String(plan.threads), '--batch', String(plan.batchSize),
      ...(plan.flashAttention ? ['--flash-attention'] : []), ...(copy ? ['--node-modules', copy.nodeModules] : [])];
    const result = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) throw new Error(`greedyRun.ts for "${plan.name}" failed (exit status ${result.status ?? result.signal})`);
    return JSON.parse(readFileSync(out, 'utf8')) as GreedyRunOutput;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    copy?.dispose();
  }
}

/** Runs every configuration, printing how many presets each gives the reference's tokens. */
export function buildSelfAgreementFixture(peer: Peer, command: string, reference: SyntheticModelsFixture): SelfAgreementFixture {
  const referenceSystemInfo = peer.llama.systemInfo.trim();
  if (referenceSystemInfo !== reference.systemInfo) {
    throw new Error(`this machine's llama.cpp build (${referenceSystemInfo}) is not the one synthetic-models.json came from (${reference.systemInfo}); regenerate that first`);
  }
  const configs = CONFIGS.map((plan): SelfAgreementConfig => {
    const output = runConfig(plan);
    if ((plan.kind === 'cpu-build') === (output.systemInfo === referenceSystemInfo)) {
      throw new Error(`"${plan.name}" ran with ${output.systemInfo}, the reference build has ${referenceSystemInfo}`);
    }
    const identical = identicalPresets(reference.models, output.greedy);
    console.log(`  ${plan.name.padEnd(20)} ${identical} of ${reference.models.length} presets give the reference's greedy tokens`);
    return { ...plan, systemInfo: output.systemInfo, greedy: output.greedy };
  });
  return {
    command,
    nodeLlamaCppVersion: peer.nodeLlamaCppVersion,
    llamaCppVersion: peer.llamaCppVersion,
    referenceSystemInfo,
    configs,
  };
}
