// The transformers.js ONNX embedder on a real ONNX model generated from GloVe (see
// test/fixtures/embed/gloveOnnxModel.ts), loaded from a local folder with no network: its
// vectors equal a direct onnxruntime-node run of the same graph and the graph's math done in JS;
// batches equal one-by-one; prefixes come from the model's config or the known-models table;
// it runs off the calling thread (the event loop keeps ticking through a large batch); an
// AbortSignal cancels; and bad folders fail at load time with the file and problem named.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { ArgumentError, CancelledError, ModelFileError } from '../../../../../core/base/common/errors.js';
import { inspectOnnxFolder } from '../../../../../core/rag/embed/node/onnxModelSource.js';
import { OnnxEmbedder } from '../../../../../core/rag/embed/node/OnnxEmbedder.js';
import { gloveTokenizerJson, writeGloveOnnxModel, type GloveOnnxWeights } from '../../../../fixtures/embed/gloveOnnxModel.js';

const BGE_QUERY = 'Represent this sentence for searching relevant passages: ';
const TEXTS = [
  'The king and the queen ruled the country.',
  'A cat sat on the mat',
  'Interest rates rose sharply this quarter, and the stock market fell.',
  'zzqxj unknown words only',
  '',
  'function getUserName returns the name of the user',
];

let dir: string;
let weights: GloveOnnxWeights;
let embedder: OnnxEmbedder;
let session: ort.InferenceSession;
let tokenizer: PreTrainedTokenizer;

function assertVectorsClose(actual: Float32Array, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: dimension`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst <= tolerance, `${what}: max abs difference ${worst.toExponential(2)} > ${tolerance}`);
}

const normalize = (v: Float32Array) => {
  const norm = Math.hypot(...v);
  return norm > 0 ? v.map((x) => x / norm) : v;
};

/** The model run directly with onnxruntime-node on one unpadded text, then pooled in JS. */
async function directVector(text: string, pooling: 'mean' | 'cls', normalized: boolean): Promise<Float32Array> {
  const ids = tokenizer.encode(text);
  const input = (values: number[]) => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
  const output = await session.run({ input_ids: input(ids), attention_mask: input(ids.map(() => 1)) });
  const hidden = output.last_hidden_state.data as Float32Array;
  const width = weights.hidden;
  const vector = new Float32Array(width);
  const rows = pooling === 'mean' ? ids.map((_, t) => t) : [0];
  for (const t of rows) for (let j = 0; j < width; j++) vector[j] += hidden[t * width + j] / rows.length;
  return normalized ? normalize(vector) : vector;
}

/** The graph's math in plain JS from the weights: mean pooling of x W + ctx U + b. */
function jsVector(text: string): Float32Array {
  const ids = tokenizer.encode(text);
  const { table, w, u, bias, hidden } = weights;
  const ctx = new Float64Array(100);
  for (const id of ids) for (let k = 0; k < 100; k++) ctx[k] += table[id * 100 + k] / ids.length;
  const out = new Float32Array(hidden);
  for (let j = 0; j < hidden; j++) {
    let sum = bias[j];
    for (let k = 0; k < 100; k++) sum += ctx[k] * (w[k * hidden + j] + u[k * hidden + j]);
    out[j] = sum;
  }
  return normalize(out);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pinpoint-onnx-'));
  weights = await writeGloveOnnxModel(join(dir, 'glove-mini'), { prompts: { query: 'search_query: ', document: 'search_document: ' } });
  embedder = await OnnxEmbedder.create(await inspectOnnxFolder(join(dir, 'glove-mini')));
  session = await ort.InferenceSession.create(join(dir, 'glove-mini', 'onnx', 'model.onnx'));
  tokenizer = new PreTrainedTokenizer(gloveTokenizerJson(weights.vocabulary), {});
});

after(async () => {
  await embedder?.dispose();
  await session?.release();
  await rm(dir, { recursive: true, force: true });
});

describe('ONNX embedder: vectors', () => {
  it('loads the local folder offline and reports the config', () => {
    assert.equal(embedder.dimension, 64);
    assert.equal(embedder.normalized, true);
    // 512 tokens less [CLS], [SEP] and the longest prefix ("search_document: " is 4 tokens here).
    assert.equal(embedder.maxTokens, 512 - 2 - tokenizer.encode('search_document: ', { add_special_tokens: false }).length);
    assert.match(embedder.id, /^onnx:glove-mini@[0-9a-f]{16}\?dtype=fp32&maxTokens=\d+&normalize=true&pooling=mean&prompts=[0-9a-f]{8}$/);
  });

  it('equals a direct onnxruntime-node computation of the same graph (and the graph math in JS)', async () => {
    const vectors = await embedder.request(TEXTS);
    for (let i = 0; i < TEXTS.length; i++) {
      assertVectorsClose(vectors[i], await directVector(TEXTS[i], 'mean', true), 1e-6, `direct "${TEXTS[i]}"`);
      assertVectorsClose(vectors[i], jsVector(TEXTS[i]), 1e-5, `js "${TEXTS[i]}"`);
      assert.ok(Math.abs(Math.hypot(...vectors[i]) - 1) < 1e-5);
    }
  });

  it('the vectors mean something: related texts are closer', async () => {
    const [a, related, unrelated] = await embedder.request(['the king and his queen', 'a prince and a princess in the royal palace', 'the recipe needs flour and sugar']);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i], 0);
    assert.ok(dot(a, related) > dot(a, unrelated), `${dot(a, related)} vs ${dot(a, unrelated)}`);
  });

  it('a batch gives the same vectors as one text at a time, in order', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => `${TEXTS[i % TEXTS.length]} ${'word '.repeat(i % 13)}${i}`);
    const batched = await embedder.embedDocuments(texts);
    assert.equal(batched.length, texts.length);
    for (let i = 0; i < texts.length; i += 7) {
      assertVectorsClose(batched[i], (await embedder.embedDocuments([texts[i]]))[0], 1e-6, `text ${i}`);
    }
  });

  it('applies the configured query and document prefixes', async () => {
    assert.deepEqual(embedder.prefixes, { query: 'search_query: ', document: 'search_document: ' });
    const text = 'graph neural networks';
    const [query, document, plainQuery, plainDocument] = [
      await embedder.embedQuery(text),
      (await embedder.embedDocuments([text]))[0],
      ...(await embedder.request([`search_query: ${text}`, `search_document: ${text}`])),
    ];
    assertVectorsClose(query, plainQuery, 1e-6, 'query prefix');
    assertVectorsClose(document, plainDocument, 1e-6, 'document prefix');
    assert.ok(Math.max(...query.map((v, i) => Math.abs(v - document[i]))) > 1e-3, 'query and document vectors differ');
  });

  it('counts tokens with the model tokenizer (no special tokens)', () => {
    assert.equal(embedder.countTokens('The king and the queen'), 5);
    assert.equal(embedder.countTokens(''), 0);
  });
});

describe('ONNX embedder: off the calling thread, cancellation', () => {
  const big = Array.from({ length: 1000 }, (_, i) => `chunk ${i}: ${'the quick brown fox jumps over the lazy dog and '.repeat(8)}`);

  it('the event loop keeps ticking while a large batch is embedded', async () => {
    let ticks = 0;
    let last = performance.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 5);
    const start = performance.now();
    const vectors = await embedder.embedDocuments(big);
    const elapsed = performance.now() - start;
    clearInterval(timer);
    assert.equal(vectors.length, big.length);
    assert.ok(elapsed > 100, `the batch took ${elapsed.toFixed(0)} ms: too short to show anything`);
    // Relative bounds, not absolute times: on a loaded machine every gap grows, but a batch run on
    // this thread would stall the loop for (nearly) the whole batch.
    assert.ok(ticks >= 10, `${ticks} ticks in ${elapsed.toFixed(0)} ms`);
    assert.ok(longestGap < elapsed / 4, `the event loop stalled for ${longestGap.toFixed(0)} of ${elapsed.toFixed(0)} ms`);
  });

  it('an AbortSignal cancels a running request at once, and the worker stops it', async () => {
    const full = performance.now();
    await embedder.embedDocuments(big.slice(0, 300));
    const fullMs = performance.now() - full;
    const controller = new AbortController();
    const running = embedder.embedDocuments(big, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const abortedAt = performance.now();
    controller.abort();
    await assert.rejects(running, (e: Error) => e instanceof CancelledError);
    assert.ok(performance.now() - abortedAt < fullMs / 2, 'the promise rejects long before the batch could have finished');
    // The worker drops the rest of the cancelled request: the next one does not wait for it.
    const next = performance.now();
    await embedder.embedDocuments(['after the cancel']);
    const waited = performance.now() - next;
    assert.ok(waited < fullMs, `the next request waited ${waited.toFixed(0)} ms (300 texts take ${fullMs.toFixed(0)} ms; 1000 would take ~${(fullMs * 10 / 3).toFixed(0)})`);
  });

  it('an already aborted signal rejects without running', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(embedder.embedQuery('x', controller.signal), CancelledError);
    assert.deepEqual(await embedder.embedDocuments([]), []);
  });
});

describe('ONNX embedder: settings from config and the known-models table', () => {
  it('CLS pooling without Normalize (from 1_Pooling and modules.json)', async () => {
    const folder = join(dir, 'cls-model');
    await writeGloveOnnxModel(folder, { pooling: 'cls', normalize: false });
    const cls = await OnnxEmbedder.create(await inspectOnnxFolder(folder));
    const clsSession = await ort.InferenceSession.create(join(folder, 'onnx', 'model.onnx'));
    try {
      assert.equal(cls.normalized, false);
      assert.match(cls.id, /normalize=false&pooling=cls/);
      const saved = session;
      session = clsSession;
      try {
        const vectors = await cls.request(TEXTS.slice(0, 3));
        for (let i = 0; i < 3; i++) assertVectorsClose(vectors[i], await directVector(TEXTS[i], 'cls', false), 1e-6, `cls "${TEXTS[i]}"`);
        assert.ok(Math.abs(Math.hypot(...vectors[0]) - 1) > 1e-3, 'not normalized');
      } finally {
        session = saved;
      }
    } finally {
      await cls.dispose();
      await clsSession.release();
    }
  });

  it('a bge model with no sentence-transformers files gets the bge query instruction and CLS pooling', async () => {
    const folder = join(dir, 'bge-small-en-v1.5');
    await writeGloveOnnxModel(folder, { sentenceTransformers: false, words: 2000 });
    const bge = await OnnxEmbedder.create(await inspectOnnxFolder(folder));
    try {
      assert.deepEqual(bge.prefixes, { query: BGE_QUERY, document: '' });
      assert.match(bge.id, /pooling=cls/);
      const [withPrefix] = await bge.request([`${BGE_QUERY}what is a king`]);
      assertVectorsClose(await bge.embedQuery('what is a king'), withPrefix, 1e-6, 'bge query');
      assertVectorsClose((await bge.embedDocuments(['what is a king']))[0], (await bge.request(['what is a king']))[0], 1e-6, 'bge document');
    } finally {
      await bge.dispose();
    }
  });

  it('options override the model config', async () => {
    const custom = await OnnxEmbedder.create(await inspectOnnxFolder(join(dir, 'glove-mini')), { queryPrefix: 'query: ', documentPrefix: 'passage: ', pooling: 'last', batchSize: 4 });
    try {
      assert.deepEqual(custom.prefixes, { query: 'query: ', document: 'passage: ' });
      assert.match(custom.id, /pooling=last/);
      assert.notEqual(custom.id, embedder.id);
    } finally {
      await custom.dispose();
    }
  });
});

describe('ONNX embedder: bad folders fail at load time', () => {
  it('a missing folder, a folder without model files, a missing dtype', async () => {
    await assert.rejects(inspectOnnxFolder(join(dir, 'nope')), (e: Error) => e instanceof ArgumentError && /ONNX model folder not found: .*nope/.test(e.message));
    await assert.rejects(inspectOnnxFolder(join(dir, 'cls-model', '1_Pooling')), (e: Error) => e instanceof ArgumentError && /no ONNX model in .*1_Pooling: expected onnx\/model\.onnx/.test(e.message));
    await assert.rejects(inspectOnnxFolder(join(dir, 'glove-mini'), 'q8'), /no q8 ONNX file in .*glove-mini; found: fp32/);
  });

  it('a config whose hidden_size disagrees with the model output', async () => {
    const folder = join(dir, 'inconsistent');
    await writeGloveOnnxModel(folder, { configHidden: 48, words: 2000 });
    await assert.rejects(OnnxEmbedder.create(await inspectOnnxFolder(folder)), (e: Error) =>
      e instanceof ModelFileError && /inconsistent\/config\.json: hidden_size is 48 but the model outputs 64-dimensional vectors/.test(e.message));
  });

  it('a model with a module Pinpoint does not run (Dense)', async () => {
    const folder = join(dir, 'dense');
    await writeGloveOnnxModel(folder, { extraModule: 'sentence_transformers.models.Dense', words: 2000 });
    await assert.rejects(inspectOnnxFolder(folder).then((source) => OnnxEmbedder.create(source)), (e: Error) =>
      e instanceof ModelFileError && /modules\.json: has modules Pinpoint does not run: Dense/.test(e.message));
  });
});
