// model2vec static embedder: reproduces model2vec's reference embeddings (the model2vec-rs
// fixtures in shared/data), loads every layout the reference loaders accept, and refuses files
// that do not fit together. Tolerances (per component, relative to the reference value):
// f32 and sentence-transformers layouts 1e-5 (model2vec-rs's own test tolerance); the vocabulary-
// quantized model 1e-6; f16 1e-3 and i8 3e-2 against the f32 references (quantization error;
// model2vec-rs allows 1e-1 between quantized and f32 models).

import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ArgumentError, ModelFileError } from '../../../../../core/base/common/errors.js';
import { loadModel2VecEmbedder } from '../../../../../core/rag/embed/node/loadStaticEmbedder.js';
import { encodeSafetensors } from '../../../../fixtures/hf/safetensorsWriter.js';

const FIXTURES = fileURLToPath(new URL('../../../../../../shared/data/embed/model2vec-rs-fixtures/', import.meta.url));
const model = (name: string) => join(FIXTURES, name);
const reference = async (file: string) => (JSON.parse(await readFile(join(FIXTURES, file), 'utf8')) as number[][])[0];
const LONG = Array(1000).fill('hello').join(' ');

function assertClose(actual: Float32Array, expected: number[], relative: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: dimension`);
  expected.forEach((e, i) => {
    const error = Math.abs(actual[i] - e) / Math.max(Math.abs(e), 1e-12);
    assert.ok(error <= relative, `${what}[${i}]: ${actual[i]} vs ${e} (relative error ${error.toExponential(2)} > ${relative})`);
  });
}

describe('model2vec reference embeddings', () => {
  it('f32 model: "hello world" and 1000 x "hello" within 1e-5', async () => {
    const embedder = await loadModel2VecEmbedder(model('test-model-float32'));
    assertClose(embedder.embed('hello world'), await reference('embeddings_short.json'), 1e-5, 'short');
    assertClose(embedder.embed(LONG), await reference('embeddings_long.json'), 1e-5, 'long');
    assert.equal(embedder.dimension, 2);
    assert.equal(embedder.normalized, true);
    assert.equal(embedder.maxTokens, 512);
  });

  it('sentence-transformers layout (embedding.weight, config_sentence_transformers.json) gives the same vectors', async () => {
    const embedder = await loadModel2VecEmbedder(model('test-model-sentence-transformers'));
    assertClose(embedder.embed('hello world'), await reference('embeddings_short.json'), 1e-5, 'short');
    assertClose(embedder.embed(LONG), await reference('embeddings_long.json'), 1e-5, 'long');
  });

  it('vocabulary-quantized model (mapping + f64 weights, Unigram tokenizer) within 1e-6', async () => {
    const embedder = await loadModel2VecEmbedder(model('test-model-vocab-quantized'));
    assert.equal(embedder.dimension, 64);
    assertClose(embedder.embed(LONG), await reference('embeddings_vocab_quantized.json'), 1e-6, 'vocab-quantized');
  });

  it('f16 and i8 models stay near the f32 references', async () => {
    const f16 = await loadModel2VecEmbedder(model('test-model-float16'));
    const i8 = await loadModel2VecEmbedder(model('test-model-int8'));
    for (const [embedder, tolerance, name] of [[f16, 1e-3, 'f16'], [i8, 3e-2, 'i8']] as const) {
      assertClose(embedder.embed('hello world'), await reference('embeddings_short.json'), tolerance, `${name} short`);
      assertClose(embedder.embed(LONG), await reference('embeddings_long.json'), tolerance, `${name} long`);
    }
  });
});

describe('model2vec rules', () => {
  it('an empty text (or only unknown tokens) is the zero vector', async () => {
    const embedder = await loadModel2VecEmbedder(model('test-model-float32'));
    assert.deepEqual(Array.from(embedder.embed('')), [0, 0]);
    assert.deepEqual(Array.from(embedder.embed('\u{1F600}')), [0, 0], 'an emoji is [UNK] in this vocabulary and is dropped');
    assert.deepEqual(embedder.embed('hello \u{1F600} world'), embedder.embed('hello world'));
  });

  it('uses at most 512 tokens, counts all', async () => {
    const embedder = await loadModel2VecEmbedder(model('test-model-float32'));
    const text = `${Array(600).fill('hello').join(' ')} ${Array(600).fill('world').join(' ')}`;
    assert.deepEqual(embedder.embed(text), embedder.embed('hello'));
    assert.equal(embedder.countTokens(text), 1200);
    const short = await loadModel2VecEmbedder(model('test-model-float32'), { maxTokens: 2 });
    assert.deepEqual(short.embed('hello hello world'), embedder.embed('hello'));
    assert.notEqual(short.id, embedder.id);
  });

  it('embedDocuments and embedQuery agree with embed; an aborted signal cancels', async () => {
    const embedder = await loadModel2VecEmbedder(model('test-model-vocab-quantized'));
    const texts = Array.from({ length: 600 }, (_, i) => `text number ${i} about retrieval`);
    const vectors = await embedder.embedDocuments(texts);
    assert.deepEqual(vectors[599], embedder.embed(texts[599]));
    assert.deepEqual(await embedder.embedQuery(texts[3]), vectors[3]);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(embedder.embedDocuments(texts, controller.signal), /cancelled/);
  });

  it('normalize: false from options gives the unnormalized mean', async () => {
    const embedder = await loadModel2VecEmbedder(model('test-model-float32'), { normalize: false });
    const v = embedder.embed('hello');
    assert.ok(Math.hypot(...v) > 2, `norm ${Math.hypot(...v)}`);
    assert.match(embedder.id, /normalize=false/);
  });

  it('ids name the model, a content hash and the options', async () => {
    const a = await loadModel2VecEmbedder(model('test-model-float32'));
    const b = await loadModel2VecEmbedder(model('test-model-float16'));
    assert.match(a.id, /^static:model2vec:test-model-float32@[0-9a-f]{16}\?maxTokens=512&normalize=true$/);
    assert.notEqual(a.id.split('@')[1], b.id.split('@')[1]);
  });
});

describe('model2vec layouts and errors', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pinpoint-m2v-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('a modules.json naming a StaticEmbedding subfolder', async () => {
    const root = join(dir, 'nested');
    await mkdir(join(root, '0_StaticEmbedding'), { recursive: true });
    await cp(join(model('test-model-sentence-transformers'), 'model.safetensors'), join(root, '0_StaticEmbedding', 'model.safetensors'));
    await cp(join(model('test-model-sentence-transformers'), 'tokenizer.json'), join(root, '0_StaticEmbedding', 'tokenizer.json'));
    await writeFile(join(root, 'config_sentence_transformers.json'), '{"normalize": true}');
    await writeFile(join(root, 'modules.json'), JSON.stringify([{ idx: 0, name: '0', path: '0_StaticEmbedding', type: 'sentence_transformers.models.StaticEmbedding' }]));
    const embedder = await loadModel2VecEmbedder(root);
    assertClose(embedder.embed('hello world'), await reference('embeddings_short.json'), 1e-5, 'nested');
  });

  it('an i8 table with per-row "scales" equals the f32 table it came from', async () => {
    const root = join(dir, 'scaled');
    await mkdir(root);
    const rows = 29528;
    const f32 = new Float32Array(rows * 2).map((_, i) => Math.sin(i) * (1 + (i % 7)));
    const scales = new Float32Array(rows);
    const i8 = new Int8Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      scales[r] = Math.max(Math.abs(f32[2 * r]), Math.abs(f32[2 * r + 1])) / 127;
      for (let j = 0; j < 2; j++) i8[2 * r + j] = Math.round(f32[2 * r + j] / scales[r]);
    }
    const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    await writeFile(join(root, 'model.safetensors'), encodeSafetensors([
      { name: 'embeddings', dtype: 'I8', shape: [rows, 2], data: bytes(i8) },
      { name: 'scales', dtype: 'F32', shape: [rows], data: bytes(scales) },
    ]));
    await cp(join(model('test-model-float32'), 'tokenizer.json'), join(root, 'tokenizer.json'));
    await writeFile(join(root, 'config.json'), '{"normalize": false}');
    const embedder = await loadModel2VecEmbedder(root);
    const ids = [6598, 1094]; // hello, world
    const expected = [0, 1].map((j) => (f32[ids[0] * 2 + j] + f32[ids[1] * 2 + j]) / 2);
    assertClose(embedder.embed('hello world'), expected, 2e-2, 'scaled i8');
  });

  it('errors name the folder or file and the problem', async () => {
    await assert.rejects(loadModel2VecEmbedder(join(dir, 'missing')), (e: Error) => e instanceof ArgumentError && /model2vec model folder not found: .*missing/.test(e.message));
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await assert.rejects(loadModel2VecEmbedder(empty), (e: Error) => e instanceof ArgumentError && /no model2vec model in .*empty: expected model\.safetensors, tokenizer\.json and config\.json/.test(e.message));
    const small = join(dir, 'small-table');
    await mkdir(small);
    await writeFile(join(small, 'model.safetensors'), encodeSafetensors([{ name: 'embeddings', dtype: 'F32', shape: [10, 2], data: new Uint8Array(80) }]));
    await cp(join(model('test-model-float32'), 'tokenizer.json'), join(small, 'tokenizer.json'));
    await writeFile(join(small, 'config.json'), '{}');
    await assert.rejects(loadModel2VecEmbedder(small), (e: Error) => e instanceof ModelFileError && /model\.safetensors: does not fit .*tokenizer\.json: 10 vectors for a vocabulary of 29528 tokens/.test(e.message));
    await writeFile(join(small, 'model.safetensors'), encodeSafetensors([{ name: 'weights', dtype: 'F32', shape: [2], data: new Uint8Array(8) }]));
    await assert.rejects(loadModel2VecEmbedder(small), /no embedding tensor \(looked for embeddings, 0, embedding\.weight; found weights\)/);
    await writeFile(join(small, 'config.json'), '{nope');
    await assert.rejects(loadModel2VecEmbedder(small), /config\.json: is not valid JSON/);
  });
});
