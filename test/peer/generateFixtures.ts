// Generates the llama.cpp reference fixtures in test/fixtures/llamacpp/ from the peer package,
// so the test suite compares against llama.cpp without needing it at run time.
// Usage (from the repo root; installs the peer first if needed):
//   node --import tsx test/peer/generateFixtures.ts [stories] [synthetic] [self-agreement]   (default: all)
// self-agreement reads the synthetic-models.json on disk, so it runs after synthetic.

import { join } from 'node:path';
import { ensurePeer } from './ensurePeer.js';
import { repoRoot, writeCompactJson } from './fixtureFiles.js';
import { loadPeer } from './nodeLlamaCpp.js';
import { buildStoriesFixture } from './storiesFixture.js';
import { buildSyntheticFixture } from './syntheticFixture.js';
import { buildSelfAgreementFixture } from './selfAgreementFixture.js';
import { readSyntheticModelsFixture } from '../fixtures/llamacpp/readFixtures.js';

const FIXTURE_DIRECTORY = join(repoRoot, 'test', 'fixtures', 'llamacpp');
const COMMAND = 'node --import tsx test/peer/generateFixtures.ts';
const TARGETS = ['stories', 'synthetic', 'self-agreement'] as const;
type Target = (typeof TARGETS)[number];

function parseTargets(args: string[]): Target[] {
  const unknown = args.filter((arg) => !(TARGETS as readonly string[]).includes(arg));
  if (unknown.length) throw new Error(`Unknown fixture "${unknown[0]}". Should be one of: ${TARGETS.join(', ')}.`);
  return args.length ? (args as Target[]) : [...TARGETS];
}

async function main(): Promise<void> {
  const targets = parseTargets(process.argv.slice(2));
  ensurePeer();
  const peer = await loadPeer();
  console.log(`llama.cpp ${peer.llamaCppVersion} through node-llama-cpp ${peer.nodeLlamaCppVersion} (${peer.llama.buildType} ${peer.llama.gpu || 'cpu'})`);
  if (targets.includes('stories')) {
    const fixture = await buildStoriesFixture(peer, `${COMMAND} stories`);
    const bytes = writeCompactJson(join(FIXTURE_DIRECTORY, 'stories260K-greedy.json'), fixture);
    const check = fixture.referenceCheck;
    console.log(`stories260K-greedy.json: ${fixture.cases.length} prompts, ${bytes} bytes; reference ${check.file}: ` +
      (check.matched ? `matched all ${check.generated} generated tokens` : `MISMATCH at generated token ${check.firstMismatch}`));
  }
  if (targets.includes('synthetic')) {
    const fixture = await buildSyntheticFixture(peer, `${COMMAND} synthetic`);
    const bytes = writeCompactJson(join(FIXTURE_DIRECTORY, 'synthetic-models.json'), fixture);
    console.log(`synthetic-models.json: ${fixture.models.length} models, ${bytes} bytes`);
  }
  if (targets.includes('self-agreement')) {
    const fixture = buildSelfAgreementFixture(peer, `${COMMAND} self-agreement`, readSyntheticModelsFixture());
    const bytes = writeCompactJson(join(FIXTURE_DIRECTORY, 'synthetic-self-agreement.json'), fixture);
    console.log(`synthetic-self-agreement.json: ${fixture.configs.length} configurations, ${bytes} bytes`);
  }
  await peer.llama.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
