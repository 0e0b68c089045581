// Tests of GGUF models: openModel on stories260K, the config read from `<arch>.*` metadata for
// each supported architecture, the tensor checks (missing, wrong shape, unexpected, bad type),
// tied-output detection, sampling keys, and paths that are not models.

import assert from 'node:assert/strict';
import { copyFile, mkdtemp, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MemoryByteSource } from '../../../../core/base/common/byteSource.js';
import { ModelFileError } from '../../../../core/base/common/errors.js';
import { TensorType } from '../../../../core/engine/common/tensorTypes.js';
import type { ModelConfig, TensorRef } from '../../../../core/engine/common/modelConfig.js';
import type { GgufFile, GgufTensorInfo } from '../../../../core/engine/common/gguf/ggufReader.js';
import { GgufMetadata, type GgufValue } from '../../../../core/engine/common/gguf/ggufValues.js';
import { ggufModelConfig } from '../../../../core/engine/common/ggufConfig.js';
import { ggufGenerationDefaults } from '../../../../core/engine/common/ggufModel.js';
import { checkModelTensors, modelTensorShapes } from '../../../../core/engine/common/modelTensors.js';
import { openModel } from '../../../../core/engine/node/openModel.js';
import { STORIES_GGUF } from '../../../fixtures/hf/hfFromGguf.js';

let tmp: string;
before(async () => void (tmp = await mkdtemp(join(tmpdir(), 'pinpoint-gguf-'))));
after(async () => rm(tmp, { recursive: true, force: true }));

/** Asserts that `promise` (or `fn`) fails with a ModelFileError whose message matches. */
async function rejectsWith(work: Promise<unknown> | (() => unknown), pattern: RegExp): Promise<void> {
  const run = typeof work === 'function' ? async () => work() : () => work;
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof ModelFileError, `expected a ModelFileError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test('stories260K: config, tied output, tensors, tokenizer', async () => {
  const model = await openModel(STORIES_GGUF);
  try {
    assert.equal(model.format, 'gguf');
    assert.equal(model.path, STORIES_GGUF);
    const { normEps, ...config } = model.config;
    assert.deepEqual(config, {
      architecture: 'llama', name: 'llama', dim: 64, nLayers: 5, nHeads: 8, nKvHeads: 4, headDim: 8, ffnDim: 172,
      vocabSize: 512, contextLength: 2048, ropeTheta: 10000, ropeDim: 8, ropeStyle: 'interleaved',
      ropeScaling: { kind: 'none' }, tiedOutput: true, qkvBias: false,
    });
    assert.ok(Math.abs(normEps - 1e-5) < 1e-10);
    // output.weight is a byte copy of token_embd.weight in this file: dropped, output tied.
    assert.equal(model.tensors.has('output.weight'), false);
    assert.equal(model.tensors.size, 2 + 5 * 9);
    const embedding = model.tensors.get('token_embd.weight')!;
    assert.deepEqual([embedding.type, ...embedding.dims], [TensorType.F32, 64, 512]);
    assert.deepEqual(model.tensors.get('blk.4.ffn_down.weight')!.dims, [172, 64]);
    const bytes = new Uint8Array(embedding.byteLength);
    await embedding.source.readInto(embedding.offset, bytes);
    const file = await readFile(STORIES_GGUF);
    assert.deepEqual(bytes, new Uint8Array(file.subarray(embedding.offset, embedding.offset + embedding.byteLength)));
    assert.equal(model.tokenizer.vocabSize, 512);
    assert.equal(model.tokenizer.bosId, 1);
    assert.equal(model.tokenizer.eosId, 2);
    assert.equal(model.chatTemplate, undefined);
    assert.deepEqual(model.generation, {});
  } finally {
    await model.close();
  }
  await model.close(); // closing twice is harmless
});

test('an output.weight that differs from token_embd.weight stays, and the output is untied', async () => {
  const copy = join(tmp, 'untied.gguf');
  await copyFile(STORIES_GGUF, copy);
  const reference = await openModel(STORIES_GGUF);
  const embedding = reference.tensors.get('token_embd.weight')!;
  await reference.close();
  // output.weight follows token_embd.weight and output_norm.weight in this file.
  const outputOffset = embedding.offset + embedding.byteLength + 256;
  const handle = await open(copy, 'r+');
  await handle.write(new Uint8Array([0x3f]), 0, 1, outputOffset + 4097);
  await handle.close();
  const model = await openModel(copy);
  try {
    assert.equal(model.config.tiedOutput, false);
    assert.equal(model.tensors.get('output.weight')?.offset, outputOffset);
  } finally {
    await model.close();
  }
});

// ---- Config from metadata, without files

function fakeGguf(entries: Record<string, GgufValue>, tensorNames: string[] = []): GgufFile {
  const tensors = new Map<string, GgufTensorInfo>(
    tensorNames.map((name) => [name, { name, dims: [1], type: TensorType.F32, count: 1, offset: 0, byteLength: 4 }]),
  );
  const metadata = new GgufMetadata('fake.gguf', new Map(Object.entries(entries)));
  return { file: 'fake.gguf', version: 3, metadata, tensors, alignment: 32, dataOffset: 0, fileSize: 0 };
}

function archKeys(arch: string, extra: Record<string, GgufValue> = {}): Record<string, GgufValue> {
  return {
    'general.architecture': arch, [`${arch}.embedding_length`]: 896, [`${arch}.block_count`]: 24,
    [`${arch}.attention.head_count`]: 14, [`${arch}.feed_forward_length`]: 4864, [`${arch}.context_length`]: 32768,
    [`${arch}.attention.layer_norm_rms_epsilon`]: 1e-6, [`${arch}.vocab_size`]: 151936, ...extra,
  };
}

test('qwen2: NeoX RoPE, biases from the tensor list, KV heads default to the head count', () => {
  const config = ggufModelConfig(fakeGguf(archKeys('qwen2', { 'qwen2.rope.freq_base': 1e6 }), ['blk.0.attn_q.bias', 'output.weight']));
  assert.equal(config.ropeStyle, 'neox');
  assert.equal(config.qkvBias, true);
  assert.equal(config.tiedOutput, false);
  assert.equal(config.nKvHeads, 14);
  assert.equal(config.headDim, 64);
  assert.equal(config.ropeDim, 64);
  assert.equal(config.ropeTheta, 1e6);
  assert.equal(config.vocabSize, 151936);
});

test('llama and mistral: interleaved RoPE; key_length, rope dims, base and linear scaling read', () => {
  for (const arch of ['llama', 'mistral']) {
    const config = ggufModelConfig(fakeGguf(archKeys(arch, {
      [`${arch}.attention.head_count_kv`]: 2, [`${arch}.attention.key_length`]: 128, [`${arch}.attention.value_length`]: 128,
      [`${arch}.rope.dimension_count`]: 96, [`${arch}.rope.scaling.type`]: 'linear', [`${arch}.rope.scaling.factor`]: 4,
    })));
    assert.equal(config.architecture, arch);
    assert.equal(config.ropeStyle, 'interleaved');
    assert.deepEqual([config.nKvHeads, config.headDim, config.ropeDim, config.ropeTheta], [2, 128, 96, 10000]);
    assert.deepEqual(config.ropeScaling, { kind: 'linear', factor: 4 });
    assert.equal(config.tiedOutput, true);
    assert.equal(config.qkvBias, false);
  }
});

test('bad metadata: architecture, missing keys, yarn scaling, KV heads, value_length', async () => {
  await rejectsWith(() => ggufModelConfig(fakeGguf(archKeys('gpt2'))), /architecture "gpt2" is not supported. Should be one of: llama, mistral, qwen2/);
  const missing = archKeys('llama');
  delete missing['llama.embedding_length'];
  await rejectsWith(() => ggufModelConfig(fakeGguf(missing)), /fake\.gguf: metadata key "llama\.embedding_length" should be a number; it is missing/);
  await rejectsWith(() => ggufModelConfig(fakeGguf(archKeys('llama', { 'llama.rope.scaling.type': 'yarn' }))), /"yarn" is not supported/);
  await rejectsWith(() => ggufModelConfig(fakeGguf(archKeys('llama', { 'llama.attention.head_count_kv': 4 }))), /14 attention heads cannot be shared by 4 KV heads/);
  await rejectsWith(() => ggufModelConfig(fakeGguf(archKeys('llama', { 'llama.attention.value_length': 32 }))), /differs from value_length 32/);
});

test('sampling keys become generation defaults', () => {
  const metadata = new GgufMetadata('s.gguf', new Map<string, GgufValue>([
    ['general.sampling.temp', 0.7], ['general.sampling.top_k', 20], ['general.sampling.top_p', 0.8],
    ['general.sampling.min_p', 0.05], ['general.sampling.penalty_repeat', 1.05],
  ]));
  assert.deepEqual(ggufGenerationDefaults(metadata), { temperature: 0.7, topK: 20, topP: 0.8, minP: 0.05, repetitionPenalty: 1.05 });
});

// ---- Tensor checks

const SMALL: ModelConfig = {
  architecture: 'qwen2', name: '', dim: 8, nLayers: 2, nHeads: 4, nKvHeads: 2, headDim: 2, ffnDim: 12, vocabSize: 10,
  contextLength: 64, normEps: 1e-6, ropeTheta: 10000, ropeDim: 2, ropeStyle: 'neox', ropeScaling: { kind: 'none' },
  tiedOutput: true, qkvBias: true,
};
const SOURCE = new MemoryByteSource('small.gguf', new Uint8Array(0));

function refsFor(config: ModelConfig): Map<string, TensorRef> {
  const refs = new Map<string, TensorRef>();
  for (const [name, { dims, optional }] of modelTensorShapes(config)) {
    if (!optional) refs.set(name, { name, type: TensorType.F32, dims, source: SOURCE, offset: 0, byteLength: 0 });
  }
  return refs;
}

test('the expected tensors pass; their shapes follow the config', () => {
  const refs = refsFor(SMALL);
  assert.equal(refs.size, 2 + 2 * 12);
  assert.deepEqual(refs.get('blk.1.attn_k.weight')!.dims, [8, 4]);
  assert.deepEqual(refs.get('blk.1.attn_q.bias')!.dims, [8]);
  assert.deepEqual(refs.get('blk.0.ffn_down.weight')!.dims, [12, 8]);
  checkModelTensors(SMALL, refs, 'small.gguf');
  const untied = { ...SMALL, tiedOutput: false };
  assert.deepEqual(refsFor(untied).get('output.weight')!.dims, [8, 10]);
});

test('missing, misshapen, unexpected and wrongly typed tensors are named', async () => {
  const missing = refsFor(SMALL);
  missing.delete('blk.1.ffn_up.weight');
  await rejectsWith(() => checkModelTensors(SMALL, missing, 'small.gguf'), /^small\.gguf: tensor "blk\.1\.ffn_up\.weight" is missing; expected shape \[8, 12\]$/);

  const misshapen = refsFor(SMALL);
  misshapen.set('blk.0.attn_v.weight', { ...misshapen.get('blk.0.attn_v.weight')!, dims: [8, 8] });
  await rejectsWith(() => checkModelTensors(SMALL, misshapen, 'small.gguf'), /tensor "blk\.0\.attn_v\.weight" has shape \[8, 8\]; expected \[8, 4\]/);

  const extra = refsFor(SMALL);
  extra.set('output.weight', { ...extra.get('token_embd.weight')!, name: 'output.weight' });
  await rejectsWith(() => checkModelTensors(SMALL, extra, 'small.gguf'), /unexpected tensor "output\.weight": the config ties the output/);
  extra.delete('output.weight');
  extra.set('blk.2.attn_norm.weight', { ...extra.get('blk.0.attn_norm.weight')!, name: 'blk.2.attn_norm.weight' });
  await rejectsWith(() => checkModelTensors(SMALL, extra, 'small.gguf'), /unexpected tensor "blk\.2\.attn_norm\.weight"/);

  const quantizedNorm = refsFor(SMALL);
  quantizedNorm.set('output_norm.weight', { ...quantizedNorm.get('output_norm.weight')!, type: TensorType.Q8_0 });
  await rejectsWith(() => checkModelTensors(SMALL, quantizedNorm, 'small.gguf'), /"output_norm\.weight" has type q8_0; it should be f32 or f16 or bf16/);

  const rope = refsFor(SMALL);
  rope.set('rope_freqs.weight', { name: 'rope_freqs.weight', type: TensorType.F32, dims: [4], source: SOURCE, offset: 0, byteLength: 16 });
  await rejectsWith(() => checkModelTensors(SMALL, rope, 'small.gguf'), /"rope_freqs\.weight" has shape \[4\]; expected \[1\]/);
});

// ---- Paths that are not models

test('a missing path, a non-model file and a folder without config.json are clear errors', async () => {
  await rejectsWith(openModel(join(tmp, 'nope.gguf')), /nope\.gguf: does not exist/);
  const text = join(tmp, 'notes.txt');
  await writeFile(text, 'hello');
  await rejectsWith(openModel(text), /notes\.txt: is not a model: expected a \.gguf file or a Hugging Face model folder/);
  const folder = join(tmp, 'folder');
  await mkdir(folder);
  await copyFile(STORIES_GGUF, join(folder, 'stories.gguf'));
  await rejectsWith(openModel(folder), /is a folder without config\.json, so not a Hugging Face model; it holds stories\.gguf/);
  const fake = join(tmp, 'fake.gguf');
  await writeFile(fake, 'GGUF but not really');
  await rejectsWith(openModel(fake), /fake\.gguf: /);
});
