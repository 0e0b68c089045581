// Tests of Hugging Face model folders generated from stories260K: single-file and sharded
// safetensors in F32/F16/BF16 open with the GGUF's config and their bytes read back through
// TensorRefs; config.json fields, Llama 3.1 RoPE factors, generation_config.json, the chat
// template; and every kind of bad folder fails with a ModelFileError naming file and problem.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readBytes } from '../../../../core/base/common/byteSource.js';
import { ModelFileError } from '../../../../core/base/common/errors.js';
import { TensorType } from '../../../../core/engine/common/tensorTypes.js';
import { hfModelConfig, llama3RopeFactors } from '../../../../core/engine/common/hfConfig.js';
import { hfGenerationDefaults } from '../../../../core/engine/common/hfGeneration.js';
import { hfTensorName } from '../../../../core/engine/common/hfTensors.js';
import { openModel, type ModelFiles } from '../../../../core/engine/node/openModel.js';
import { DATA, STORIES_GGUF, storiesConfig, storiesTensors, writeHfFixture, type HfFixture, type HfFixtureOptions } from '../../../fixtures/hf/hfFromGguf.js';
import { encodeSafetensors } from '../../../fixtures/hf/safetensorsWriter.js';

let tmp: string;
let gguf: ModelFiles;
let count = 0;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pinpoint-hf-'));
  gguf = await openModel(STORIES_GGUF);
});
after(async () => {
  await gguf.close();
  await rm(tmp, { recursive: true, force: true });
});

const fixture = (options: HfFixtureOptions = {}): Promise<HfFixture> => writeHfFixture(join(tmp, `model${count++}`), options);

async function withModel(path: string, check: (model: ModelFiles) => Promise<void> | void): Promise<void> {
  const model = await openModel(path);
  try {
    await check(model);
  } finally {
    await model.close();
  }
}

async function rejectsWith(path: string, pattern: RegExp): Promise<void> {
  await assert.rejects(openModel(path), (error: unknown) => {
    assert.ok(error instanceof ModelFileError, `expected a ModelFileError, got ${error instanceof Error ? error.stack : String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

/** Every tensor's bytes, read through its TensorRef, equal what the fixture wrote. */
async function assertBytesRoundTrip(model: ModelFiles, written: HfFixture): Promise<void> {
  const hfNames = [...written.written.keys()];
  assert.equal(model.tensors.size, hfNames.length);
  for (const hf of hfNames) {
    const ref = model.tensors.get(hfTensorName(hf)!);
    assert.ok(ref, `tensor for ${hf}`);
    assert.deepEqual(await readBytes(ref.source, ref.offset, ref.byteLength), written.written.get(hf), hf);
  }
}

test('single-file F32 folder: the GGUF config with NeoX RoPE, GGUF names and dims, bytes intact', async () => {
  const written = await fixture();
  await withModel(written.dir, async (model) => {
    assert.equal(model.format, 'huggingface');
    const { normEps, ropeStyle, name, ...config } = model.config;
    const { normEps: ggufEps, ropeStyle: ggufStyle, name: _, ...expected } = gguf.config;
    assert.deepEqual(config, expected);
    assert.equal(ropeStyle, 'neox');
    assert.equal(ggufStyle, 'interleaved');
    assert.equal(name, '');
    assert.ok(Math.abs(normEps - ggufEps) < 1e-10);
    assert.deepEqual([...model.tensors.keys()].sort(), [...gguf.tensors.keys()].sort());
    for (const [tensorName, ref] of model.tensors) {
      assert.deepEqual(ref.dims, gguf.tensors.get(tensorName)!.dims, tensorName);
      assert.equal(ref.type, TensorType.F32);
    }
    await assertBytesRoundTrip(model, written);
    // Norms were copied as they are; Q rows were un-permuted, so they differ from the GGUF's.
    const norm = model.tensors.get('blk.0.attn_norm.weight')!, ggufNorm = gguf.tensors.get('blk.0.attn_norm.weight')!;
    assert.deepEqual(await readBytes(norm.source, norm.offset, norm.byteLength), await readBytes(ggufNorm.source, ggufNorm.offset, ggufNorm.byteLength));
    const q = model.tensors.get('blk.0.attn_q.weight')!, ggufQ = gguf.tensors.get('blk.0.attn_q.weight')!;
    assert.notDeepEqual(await readBytes(q.source, q.offset, q.byteLength), await readBytes(ggufQ.source, ggufQ.offset, ggufQ.byteLength));
    assert.equal(model.tokenizer.vocabSize, 128256);
    const tokenizerConfig = JSON.parse(await readFile(join(DATA, 'tokenizers/llama3/tokenizer_config.json'), 'utf8')) as { chat_template: string };
    assert.equal(model.chatTemplate, tokenizerConfig.chat_template);
    assert.deepEqual(model.generation, {});
  });
});

test('sharded folder with model.safetensors.index.json reads tensors from every shard', async () => {
  const written = await fixture({ shards: 3 });
  await withModel(written.dir, async (model) => {
    const files = new Set([...model.tensors.values()].map((ref) => ref.source.name));
    assert.deepEqual([...files].sort(), [1, 2, 3].map((i) => join(written.dir, `model-0000${i}-of-00003.safetensors`)));
    await assertBytesRoundTrip(model, written);
    assert.equal(model.config.dim, 64);
  });
});

test('F16 and BF16 folders give f16 and bf16 TensorRefs over the bytes written', async () => {
  for (const [dtype, type] of [['F16', TensorType.F16], ['BF16', TensorType.BF16]] as const) {
    const written = await fixture({ dtype, shards: dtype === 'BF16' ? 2 : 1 });
    await withModel(written.dir, async (model) => {
      for (const ref of model.tensors.values()) assert.equal(ref.type, type, ref.name);
      assert.equal(model.tensors.get('token_embd.weight')!.byteLength, 64 * 512 * 2);
      await assertBytesRoundTrip(model, written);
    });
  }
});

test('untied folder: lm_head.weight becomes output.weight', async () => {
  const written = await fixture({ tied: false });
  await withModel(written.dir, async (model) => {
    assert.equal(model.config.tiedOutput, false);
    assert.deepEqual(model.tensors.get('output.weight')!.dims, [64, 512]);
    await assertBytesRoundTrip(model, written);
  });
});

test('generation_config.json and chat_template.jinja are read; do_sample false means greedy', async () => {
  const written = await fixture({
    generation: { do_sample: true, temperature: 0.6, top_p: 0.9, top_k: 20, repetition_penalty: 1.05, eos_token_id: [128001, 128009], max_length: 4096, bos_token_id: 128000 },
  });
  await writeFile(join(written.dir, 'chat_template.jinja'), '{{ messages[0].content }}');
  await withModel(written.dir, (model) => {
    assert.deepEqual(model.generation, { temperature: 0.6, topK: 20, topP: 0.9, repetitionPenalty: 1.05, eosIds: [128001, 128009], maxLength: 4096 });
    assert.equal(model.chatTemplate, '{{ messages[0].content }}');
  });
  assert.deepEqual(hfGenerationDefaults({ do_sample: false, temperature: 0.6, eos_token_id: 2, top_k: null }, 'g.json'), { temperature: 0, eosIds: [2] });
});

test('Llama 3.1 rope_scaling becomes the rope_freqs.weight table; linear scaling stays in the config', async () => {
  const rope = { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 };
  const written = await fixture({ config: { rope_scaling: rope, rope_theta: 500000 } });
  await withModel(written.dir, async (model) => {
    assert.deepEqual(model.config.ropeScaling, { kind: 'none' });
    const ref = model.tensors.get('rope_freqs.weight')!;
    assert.deepEqual([ref.type, ...ref.dims], [TensorType.F32, 4]);
    const factors = new Float32Array((await readBytes(ref.source, ref.offset, ref.byteLength)).buffer);
    assert.deepEqual([...factors], [...llama3RopeFactors(500000, 8, { factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalContextLength: 8192 })]);
  });
  const linear = hfModelConfig({ ...storiesConfig(true), rope_scaling: { type: 'linear', factor: 2 } }, 'config.json');
  assert.deepEqual(linear.ropeScaling, { kind: 'linear', factor: 2 });
});

test('llama3RopeFactors: Llama 3.1 8B keeps high frequencies, divides low ones by 8, interpolates between', () => {
  const factors = llama3RopeFactors(500000, 128, { factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalContextLength: 8192 });
  assert.equal(factors.length, 64);
  // wavelength 2*pi*500000^(i/64): below 8192/4 for i <= 28, above 8192/1 for i >= 35.
  for (let i = 0; i <= 28; i++) assert.equal(factors[i], 1, `factor ${i}`);
  for (let i = 35; i < 64; i++) assert.equal(factors[i], 8, `factor ${i}`);
  for (let i = 29; i <= 35; i++) assert.ok(factors[i] > factors[i - 1], `increasing at ${i}`);
  // i = 32: wavelength 2*pi*sqrt(500000); smooth = (8192 / wavelength - 1) / 3.
  const wavelength = 2 * Math.PI * Math.sqrt(500000);
  const smooth = (8192 / wavelength - 1) / 3;
  assert.ok(Math.abs(factors[32] - 1 / ((1 - smooth) / 8 + smooth)) < 1e-5);
});

test('config.json of Qwen2 and Mistral: biases, head_dim, rope_parameters', () => {
  const base = { hidden_size: 896, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, intermediate_size: 4864, vocab_size: 151936, max_position_embeddings: 32768 };
  const qwen = hfModelConfig({ ...base, model_type: 'qwen2', rope_theta: 1000000, rms_norm_eps: 1e-6, tie_word_embeddings: true }, 'config.json');
  assert.deepEqual([qwen.architecture, qwen.qkvBias, qwen.tiedOutput, qwen.headDim, qwen.ropeTheta, qwen.ropeStyle], ['qwen2', true, true, 64, 1e6, 'neox']);
  const mistral = hfModelConfig({ ...base, model_type: 'mistral', head_dim: 128, rope_parameters: { rope_theta: 1e6, rope_type: 'default' } }, 'config.json');
  assert.deepEqual([mistral.headDim, mistral.ropeDim, mistral.ropeTheta, mistral.qkvBias, mistral.normEps], [128, 128, 1e6, false, 1e-6]);
});

test('hfTensorName maps Hugging Face names to GGUF names and nothing else', () => {
  assert.equal(hfTensorName('model.embed_tokens.weight'), 'token_embd.weight');
  assert.equal(hfTensorName('lm_head.weight'), 'output.weight');
  assert.equal(hfTensorName('model.layers.12.self_attn.k_proj.bias'), 'blk.12.attn_k.bias');
  assert.equal(hfTensorName('model.layers.0.post_attention_layernorm.weight'), 'blk.0.ffn_norm.weight');
  assert.equal(hfTensorName('model.layers.01.mlp.up_proj.weight'), undefined);
  assert.equal(hfTensorName('model.layers.0.mlp.fc1.weight'), undefined);
  assert.equal(hfTensorName('model.layers.0.__proto__'), undefined);
});

// ---- Bad folders

/** Rewrites model.safetensors of a fresh fixture with `edit` applied to its tensors. */
async function withTensors(edit: (tensors: Awaited<ReturnType<typeof storiesTensors>>) => typeof tensors): Promise<string> {
  const written = await fixture();
  const tensors = edit(await storiesTensors('F32', true));
  await writeFile(join(written.dir, 'model.safetensors'), encodeSafetensors(tensors));
  return written.dir;
}

test('truncated safetensors, a header length past the end, a header that is not an object: file and problem named', async () => {
  const truncated = await fixture();
  const file = join(truncated.dir, 'model.safetensors');
  const bytes = await readFile(file);
  await writeFile(file, bytes.subarray(0, bytes.length - 100));
  await rejectsWith(truncated.dir, /model\.safetensors: tensor "[^"]+" has data_offsets \[\d+, \d+\] past the end of the data/);
  const header = new Uint8Array(bytes);
  new DataView(header.buffer).setBigUint64(0, BigInt(bytes.length), true);
  await writeFile(file, header);
  await rejectsWith(truncated.dir, /model\.safetensors: header length \d+ runs past the end of the file/);
  const invalid = new Uint8Array(bytes);
  invalid[8] = 0x5b; // '{' -> '['
  await writeFile(file, invalid);
  await rejectsWith(truncated.dir, /model\.safetensors: the header is not a JSON object/);
});

test('an unsupported dtype, an unknown tensor, a missing tensor and a wrong shape are named', async () => {
  const i64 = await withTensors((ts) => ts.map((t) => (t.name === 'model.norm.weight' ? { ...t, dtype: 'I64', shape: [32] } : t)));
  await rejectsWith(i64, /tensor "model\.norm\.weight" has dtype I64, which is not supported. Should be one of: F32, F16, BF16/);
  const stranger = await withTensors((ts) => [...ts, { name: 'vision_tower.patch.weight', dtype: 'F32', shape: [1], data: new Uint8Array(4) }]);
  await rejectsWith(stranger, /tensor "vision_tower\.patch\.weight" is not part of a Llama-family model/);
  const missing = await withTensors((ts) => ts.filter((t) => t.name !== 'model.layers.2.mlp.up_proj.weight'));
  await rejectsWith(missing, /model\d+: tensor "blk\.2\.ffn_up\.weight" is missing; expected shape \[64, 172\]/);
  const transposed = await withTensors((ts) => ts.map((t) => (t.name === 'model.layers.0.mlp.gate_proj.weight' ? { ...t, shape: [64, 172] } : t)));
  await rejectsWith(transposed, /model\.safetensors: tensor "blk\.0\.ffn_gate\.weight" has shape \[172, 64\]; expected \[64, 172\]/);
  const biased = await withTensors((ts) => [...ts, { name: 'model.layers.0.self_attn.o_proj.bias', dtype: 'F32', shape: [64], data: new Uint8Array(256) }]);
  await rejectsWith(biased, /unexpected tensor "blk\.0\.attn_output\.bias"/);
});

test('missing tokenizer.json, config.json fields, weights, or a bad config are clear errors', async () => {
  const noTokenizer = await fixture({ tokenizer: false });
  await rejectsWith(noTokenizer.dir, /has no tokenizer\.json/);
  const noHidden = await fixture({ config: { hidden_size: undefined } });
  await rejectsWith(noHidden.dir, /config\.json: "hidden_size" is missing/);
  const noLayers = await fixture({ config: { num_hidden_layers: undefined } });
  await rejectsWith(noLayers.dir, /config\.json: "num_hidden_layers" is missing/);
  const badType = await fixture({ config: { model_type: 'gpt2' } });
  await rejectsWith(badType.dir, /config\.json: model_type "gpt2" is not supported. Should be one of: llama, mistral, qwen2/);
  const badHeads = await fixture({ config: { num_key_value_heads: 3 } });
  await rejectsWith(badHeads.dir, /8 attention heads cannot be shared by 3 KV heads/);
  const yarn = await fixture({ config: { rope_scaling: { rope_type: 'yarn', factor: 4 } } });
  await rejectsWith(yarn.dir, /rope_scaling type "yarn" is not supported. Should be one of: default, linear, llama3/);
  const halfRope = await fixture({ config: { rope_scaling: { rope_type: 'llama3', factor: 8 } } });
  await rejectsWith(halfRope.dir, /config\.json: "rope_scaling\.low_freq_factor" is missing/);
  const noWeights = await fixture();
  await unlink(join(noWeights.dir, 'model.safetensors'));
  await rejectsWith(noWeights.dir, /has no model\.safetensors nor model\.safetensors\.index\.json/);
  const badJson = await fixture();
  await writeFile(join(badJson.dir, 'config.json'), '{"model_type": "llama",');
  await rejectsWith(badJson.dir, /config\.json: is not valid JSON/);
  const badGeneration = await fixture({ generation: { top_p: 3 } });
  await rejectsWith(badGeneration.dir, /generation_config\.json: "top_p" is 3; it should be a number from 0 to 1/);
  await rejectsWith(join(noWeights.dir, 'config.json'), /open the folder that holds it/);
});

test('an index and shards that disagree are named', async () => {
  const sharded = await fixture({ shards: 2 });
  const indexFile = join(sharded.dir, 'model.safetensors.index.json');
  const index = JSON.parse(await readFile(indexFile, 'utf8')) as { weight_map: Record<string, string> };
  const moved = structuredClone(index);
  moved.weight_map['model.norm.weight'] = moved.weight_map['model.norm.weight'].endsWith('00001-of-00002.safetensors')
    ? 'model-00002-of-00002.safetensors'
    : 'model-00001-of-00002.safetensors';
  await writeFile(indexFile, JSON.stringify(moved));
  await rejectsWith(sharded.dir, /holds tensor "model\.norm\.weight" but .*model\.safetensors\.index\.json places it in model-0000\d-of-00002\.safetensors/);
  const gone = structuredClone(index);
  gone.weight_map['model.layers.9.mlp.up_proj.weight'] = 'model-00003-of-00003.safetensors';
  await writeFile(indexFile, JSON.stringify(gone));
  await rejectsWith(sharded.dir, /model-00003-of-00003\.safetensors: it is named by .*index\.json but does not exist/);
  await writeFile(indexFile, JSON.stringify({ weight_map: { 'model.norm.weight': '../../etc/passwd.safetensors' } }));
  await rejectsWith(sharded.dir, /weight_map\["model\.norm\.weight"\] should be a \.safetensors file name in the same folder/);
});

test('the fixture config is the stories260K shape', () => {
  const config = hfModelConfig(storiesConfig(true), 'config.json');
  assert.deepEqual([config.dim, config.nLayers, config.nHeads, config.nKvHeads, config.headDim, config.ffnDim, config.vocabSize], [64, 5, 8, 4, 8, 172, 512]);
});
