// createBackend's choice: `webgpu` gives the Dawn backend whatever the adapter; `auto` gives it only
// on a hardware adapter and otherwise the CPU backend with a notice saying why (here the adapter is
// SwiftShader, a software one, so `auto` must fall back); with no adapter at all, `auto` falls
// back too and `webgpu` fails with the reason (through the CLI); an unknown name is refused.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { EXIT_LIMIT } from '../../../../core/cli/exitCodes.js';
import { createBackend } from '../../../../core/engine/node/backends.js';
import { WebGpuBackend } from '../../../../core/engine/common/webgpu/WebGpuBackend.js';
import { webgpuOrSkip } from './webgpuTestBackend.js';

const BIN = new URL('../../../../core/bin/pinpoint.js', import.meta.url).pathname;
const STORIES = new URL('../../../../../shared/data/llm/stories260K.gguf', import.meta.url).pathname;
const run = promisify(execFile);

test('webgpu by name is the GPU backend; auto on a software adapter is the CPU backend with a notice', async (t) => {
  const probe = await webgpuOrSkip();
  if (typeof probe === 'string') return t.skip(probe);
  const software = probe.gpu.software, adapter = probe.gpu.adapterName;
  await probe.dispose();
  const named = await createBackend('webgpu');
  try {
    assert.ok(named instanceof WebGpuBackend);
  } finally {
    await named.dispose();
  }
  const notices: string[] = [];
  const auto = await createBackend('auto', { threads: 1, onNotice: (m) => notices.push(m) });
  try {
    if (software) {
      assert.equal(auto.name, 'cpu');
      assert.deepEqual(notices, [`The only WebGPU adapter is a software one (${adapter}), slower than the CPU backend; using the CPU backend (--backend webgpu forces it).`]);
    } else {
      assert.ok(auto instanceof WebGpuBackend);
      assert.deepEqual(notices, []);
    }
  } finally {
    await auto.dispose();
  }
});

test('an unknown backend name is refused with the allowed names', async () => {
  await assert.rejects(createBackend('npu'), /Unsupported backend: "npu"\. Should be one of: cpu, webgpu, auto\./);
});

test('no adapter at all (a Vulkan driver list that finds nothing): auto generates on the CPU with a notice, webgpu exits with the limit code saying why', async () => {
  const env = { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' };
  const args = ['generate', '--model', STORIES, '--prompt', 'Once upon a time', '--max-tokens', '4', '--temperature', '0', '--json'];
  const auto = await run(process.execPath, [BIN, ...args, '--backend', 'auto'], { env });
  assert.deepEqual(JSON.parse(auto.stdout).tokens, [432, 383, 286, 261]);
  assert.equal(JSON.parse(auto.stdout).stats.backend, 'cpu');
  assert.match(auto.stderr, /No WebGPU adapter: Dawn found no WebGPU adapter with VK_ICD_FILENAMES=\/nonexistent\/icd\.json; using the CPU backend\./);
  await assert.rejects(run(process.execPath, [BIN, ...args, '--backend', 'webgpu'], { env }), (e: Error & { code: number; stderr: string }) => {
    assert.equal(e.code, EXIT_LIMIT);
    assert.match(e.stderr, /pinpoint: No WebGPU adapter: Dawn found no WebGPU adapter with VK_ICD_FILENAMES=\/nonexistent\/icd\.json\. Use --backend cpu/);
    return true;
  });
});
