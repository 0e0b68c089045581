// Tests for test/fixtures/synthetic: determinism, llama.cpp's names and metadata, spec checks, and
// that a model's greedy output moves (checked with the plain f32 reference forward pass).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '../../core/base/common/errors.js';
import { FileByteSource } from '../../core/base/node/fileByteSource.js';
import { readGguf } from '../../core/engine/common/gguf/ggufReader.js';
import { TensorType } from '../../core/engine/common/tensorTypes.js';
import { SYNTHETIC_PRESETS, syntheticPresetNames } from '../fixtures/synthetic/presets.js';
import { greedyDecode, loadReferenceModel } from '../fixtures/synthetic/referenceForward.js';
import { syntheticParameterCount, validateSyntheticSpec, writeSyntheticModel, type SyntheticModelSpec } from '../fixtures/synthetic/syntheticModel.js';

const dir = await mkdtemp(join(tmpdir(), 'pinpoint-synthetic-'));
test.after(() => rm(dir, { recursive: true, force: true }));

const small: SyntheticModelSpec = { ...SYNTHETIC_PRESETS['tiny-q8_0-gqa-untied'], nLayers: 2 };

test('the same spec gives a byte-identical file; another seed does not', async () => {
  await writeSyntheticModel(join(dir, 'a.gguf'), small);
  await writeSyntheticModel(join(dir, 'b.gguf'), small);
  await writeSyntheticModel(join(dir, 'c.gguf'), { ...small, seed: 2 });
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => readFile(join(dir, `${n}.gguf`))));
  assert.ok(a.equals(b));
  assert.ok(!a.equals(c));
});

test('tensor names, types, shapes and metadata are those llama.cpp expects (qwen2, tied, biases)', async () => {
  const spec = { ...SYNTHETIC_PRESETS['tiny-qwen2-q4_K-gqa-tied'], nLayers: 2 };
  const info = await writeSyntheticModel(join(dir, 'qwen2.gguf'), spec);
  const source = await FileByteSource.open(info.path);
  const gguf = await readGguf(source);
  await source.close();
  const m = gguf.metadata;
  assert.equal(m.string('general.architecture'), 'qwen2');
  assert.equal(m.number('general.file_type'), 14);
  assert.equal(m.number('qwen2.embedding_length'), 256);
  assert.equal(m.number('qwen2.block_count'), 2);
  assert.equal(m.number('qwen2.attention.head_count_kv'), 2);
  assert.equal(m.number('qwen2.rope.dimension_count'), 32);
  assert.equal(m.number('qwen2.rope.freq_base'), 1e6);
  assert.ok(Math.abs(m.number('qwen2.attention.layer_norm_rms_epsilon') - 1e-6) < 1e-12);
  assert.equal(m.string('tokenizer.ggml.model'), 'llama');
  assert.equal(m.stringArray('tokenizer.ggml.tokens')?.length, 512);
  assert.equal(m.number('tokenizer.ggml.bos_token_id'), 1);
  const names = [...gguf.tensors.keys()];
  assert.ok(!names.includes('output.weight'), 'tied models have no output.weight');
  assert.equal(names.length, 2 + 2 * 12);
  const t = (name: string) => gguf.tensors.get(name)!;
  assert.deepEqual([t('token_embd.weight').type, t('token_embd.weight').dims], [TensorType.Q4_K, [256, 512]]);
  assert.deepEqual([t('blk.1.attn_k.weight').type, t('blk.1.attn_k.weight').dims], [TensorType.Q4_K, [256, 64]]);
  assert.deepEqual([t('blk.1.attn_k.bias').type, t('blk.1.attn_k.bias').dims], [TensorType.F32, [64]]);
  assert.deepEqual([t('blk.0.ffn_down.weight').type, t('blk.0.ffn_down.weight').dims], [TensorType.Q4_K, [512, 256]]);
  assert.deepEqual([t('blk.0.ffn_norm.weight').type, t('output_norm.weight').type], [TensorType.F32, TensorType.F32]);
  assert.equal(info.parameterCount, syntheticParameterCount(spec, 512));
});

test('bad specs are rejected with the problem named', () => {
  const bad = (patch: Partial<SyntheticModelSpec>, message: RegExp) =>
    assert.throws(() => validateSyntheticSpec({ ...small, ...patch } as SyntheticModelSpec), (e: unknown) => e instanceof ArgumentError && message.test(e.message));
  bad({ weightType: 'q4_K', dim: 288, nHeads: 6, nKvHeads: 6 }, /dim 288 is not a multiple of 256, the q4_K block size/);
  bad({ weightType: 'q6_K', ffnDim: 768 + 32 }, /ffnDim 800 is not a multiple of 256/);
  bad({ weightType: 'q4_0', dim: 48, nHeads: 2, nKvHeads: 2 }, /dim 48 is not a multiple of 32/);
  bad({ nHeads: 8, nKvHeads: 3 }, /nHeads 8 should be a multiple of nKvHeads 3/);
  bad({ dim: 260, weightType: 'f32' }, /dim 260 should split into 8 heads/);
  bad({ weightType: 'q5_K' as never }, /weightType "q5_K" should be one of: f32, f16, bf16, q8_0, q4_0, q4_K, q6_K/);
  bad({ vocab: 'gpt2' as never }, /vocab "gpt2" should be one of: stories260K, llama-spm/);
});

test('presets: every tiny type and shape, the ~15M and ~100M models', () => {
  const names = syntheticPresetNames();
  for (const type of ['f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_K', 'q6_K']) {
    for (const shape of ['gqa-tied', 'gqa-untied', 'mha-tied', 'mha-untied']) {
      assert.ok(names.includes(`tiny-${type}-${shape}`) && names.includes(`tiny-qwen2-${type}-${shape}`), `${type}-${shape}`);
    }
  }
  for (const name of names) validateSyntheticSpec(SYNTHETIC_PRESETS[name]);
  const millions = (name: string) => syntheticParameterCount(SYNTHETIC_PRESETS[name], 32000) / 1e6;
  assert.ok(Math.abs(millions('m15-f32') - 15) < 1, `m15-f32 has ${millions('m15-f32')}M`);
  assert.ok(Math.abs(millions('m100-q8_0') - 100) < 5, `m100-q8_0 has ${millions('m100-q8_0')}M`);
});

for (const name of ['tiny-f32-gqa-tied', 'tiny-q4_0-mha-untied', 'tiny-qwen2-f16-gqa-untied', 'tiny-q6_K-gqa-untied']) {
  test(`${name}: activations stay sane and greedy decoding moves`, async () => {
    const info = await writeSyntheticModel(join(dir, `${name}.gguf`), SYNTHETIC_PRESETS[name]);
    const model = await loadReferenceModel(info.path);
    // 'ggml' quantizes activations and uses vecDot, as llama.cpp's CPU backend does.
    for (const mode of ['f32', 'ggml'] as const) {
      const trace = greedyDecode(model, [1], 24, mode);
      const generated = trace.tokens.slice(1);
      assert.ok(new Set(generated).size >= 12, `${mode}: only ${new Set(generated).size} distinct tokens: ${generated.join(' ')}`);
      assert.ok(new Set(generated.slice(0, 4)).size >= 3, `${mode}: starts by repeating: ${generated.join(' ')}`);
      for (const rms of trace.residualRms) assert.ok(rms > 0.3 && rms < 30, `${mode}: residual RMS ${rms}`);
      for (const std of trace.logitStd) assert.ok(std > 0.3 && std < 30, `${mode}: logit std ${std}`);
    }
  });
}
