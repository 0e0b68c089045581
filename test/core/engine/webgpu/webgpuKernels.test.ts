// The WebGPU kernels in Node (Dawn; SwiftShader on a machine without a GPU) against the
// plain-TypeScript reference: the cases of kernelCases.ts, which the Chromium harness runs too,
// plus what only Node checks here: weights split across bindings, WGSL errors located in their
// file, the byte accounting and the one-submit-per-read recording.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ExpectedError } from '../../../../core/base/common/errors.js';
import { TensorType } from '../../../../core/engine/common/tensorTypes.js';
import { PipelineCache, ShaderCompileError } from '../../../../core/engine/common/webgpu/PipelineCache.js';
import type { WebGpuBackend } from '../../../../core/engine/common/webgpu/WebGpuBackend.js';
import { nodeShaderLibrary } from '../../../../core/engine/node/webgpu/nodeShaders.js';
import { seededRandom } from '../../../support/seededRandom.js';
import { KERNEL_CASES, referenceMatmul, relError, weightRef } from './kernelCases.js';
import { webgpuOrSkip } from './webgpuTestBackend.js';

let backend: WebGpuBackend | undefined;
let skip: string | false = false;
before(async () => {
  const made = await webgpuOrSkip();
  if (typeof made === 'string') skip = made;
  else backend = made;
});
after(async () => backend?.dispose());

describe('WebGPU kernels against the reference', () => {
  for (const c of KERNEL_CASES) test(c.name, { skip: skip || undefined }, async (t) => {
    if (!backend) return t.skip(String(skip));
    await c.run(backend);
  });
});

test('the GEMV without subgroups (workgroup-memory reduction) passes the matmul cases', async (t) => {
  const plain = await webgpuOrSkip({ useSubgroups: false });
  if (typeof plain === 'string') return t.skip(plain);
  try {
    for (const c of KERNEL_CASES.filter((k) => k.name.startsWith('matmul '))) await c.run(plain);
  } finally {
    await plain.dispose();
  }
});

test('weights larger than one binding are split in chunks: matmul and embed across chunks', async (t) => {
  const small = await webgpuOrSkip({ maxBindingBytes: 4096 });
  if (typeof small === 'string') return t.skip(small);
  try {
    const random = seededRandom(21);
    const n = 96, rows = 150; // q8_0: 102 bytes a row -> 36 rows a chunk, 5 chunks
    const { ref, bytes } = weightRef('big', TensorType.Q8_0, n, rows, random.normals(n * rows));
    const weight = await small.uploadWeight(ref);
    for (const tokens of [1, 7]) {
      const x = random.normals(tokens * n);
      const input = small.createActivation(tokens, n), out = small.createActivation(tokens, rows);
      small.write(input, 0, x);
      small.matmul([{ weight, out }], input, tokens);
      const { want, scale } = referenceMatmul(TensorType.Q8_0, bytes, x, n, rows, tokens);
      assert.ok(relError(await small.read(out, 0, tokens), want, scale) < 1e-5);
    }
    const embedded = small.createActivation(2, n);
    small.embed(embedded, weight, Int32Array.from([149, 3]));
    const row = await small.read(embedded, 0, 2);
    assert.ok(row.some((v) => v !== 0) && row.subarray(0, n).some((v) => v !== 0));
    assert.throws(() => small.checkFits([{ ...ref, name: 'huge', dims: [1 << 20, 2] }]), /does not fit this GPU/);
  } finally {
    await small.dispose();
  }
});

test('a WGSL compile error names the kernel file and its own line', async (t) => {
  if (!backend) return t.skip(String(skip));
  const library = nodeShaderLibrary();
  const broken = (file: string) => (file === 'elementwise.wgsl' ? library(file).replace('x[xi] = x[xi] + y[params.y_offset + i];', 'x[xi] = x[xi] + undefined_name;') : library(file));
  const cache = new PipelineCache(backend.gpu.device, broken);
  cache.get('elementwise', { ADD: true });
  const line = library('elementwise.wgsl').split('\n').findIndex((l) => l.includes('x[xi] = x[xi] + y[params.y_offset + i];')) + 1;
  await assert.rejects(cache.check(), (error: Error) => {
    assert.ok(error instanceof ShaderCompileError);
    assert.match(error.message, new RegExp(`kernel elementwise\\.wgsl\\|ADD at shaders/elementwise\\.wgsl:${line}:`));
    return true;
  });
});

test('memory: weights as stored (+ padding to 16 bytes), KV cache exact; one submit per read', async (t) => {
  if (!backend) return t.skip(String(skip));
  const before = backend.memory();
  const n = 256, rows = 64;
  const { ref } = weightRef('m', TensorType.Q4_K, n, rows, seededRandom(1).normals(n * rows));
  const w = await backend.uploadWeight(ref);
  assert.equal(backend.memory().weightBytes - before.weightBytes, ref.byteLength); // 9216: a multiple of 16
  const input = backend.createActivation(1, n), out = backend.createActivation(1, rows);
  backend.write(input, 0, new Float32Array(n).fill(1));
  const submits = backend.stats.submits;
  for (let i = 0; i < 5; i++) backend.matmul([{ weight: w, out }], input, 1);
  await backend.read(out, 0, 1);
  assert.equal(backend.stats.submits - submits, 1, 'five matmuls and a read are one submission');
});

test('a lost device: the read in flight fails instead of hanging, later calls say the device was lost, dispose still works', async (t) => {
  const doomed = await webgpuOrSkip();
  if (typeof doomed === 'string') return t.skip(doomed);
  const x = doomed.createActivation(4, 64);
  doomed.write(x, 0, new Float32Array(256).fill(1));
  const inFlight = doomed.read(x, 0, 4);
  doomed.gpu.device.destroy(); // what a driver reset or a removed GPU looks like to the page
  await assert.rejects(inFlight);
  await doomed.gpu.lost;
  await new Promise((resolve) => setImmediate(resolve));
  await assert.rejects(doomed.read(x, 0, 4), (e: Error) => e instanceof ExpectedError && /The GPU device was lost \(destroyed: .*\); load the model again, or use --backend cpu\./.test(e.message));
  await doomed.dispose();
});
