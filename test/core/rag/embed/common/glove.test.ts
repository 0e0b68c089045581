// GloVe static embedder: the vectors are GloVe's (cos(king, queen) = 0.751 as the data's README
// states), related sentences land closer than unrelated ones, words of code and compounds find
// their vectors, and the id pins the files and the weighting.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ArgumentError, ModelFileError } from '../../../../../core/base/common/errors.js';
import { sifWeights } from '../../../../../core/rag/embed/common/glove.js';
import { cosine } from '../../../../../core/rag/embed/common/vectors.js';
import { createWordTokenizer } from '../../../../../core/rag/embed/common/wordTokenizer.js';
import { loadGloveEmbedder } from '../../../../../core/rag/embed/node/loadStaticEmbedder.js';

const GLOVE = fileURLToPath(new URL('../../../../../../shared/data/embed/glove100d-top20k/', import.meta.url));

describe('GloVe embedder', () => {
  it('word vectors are GloVe: cos(king, queen) = 0.751', async () => {
    const embedder = await loadGloveEmbedder(GLOVE);
    assert.equal(embedder.dimension, 100);
    const similarity = cosine(embedder.embed('king'), embedder.embed('queen'));
    assert.ok(Math.abs(similarity - 0.751) < 5e-4, `cos(king, queen) = ${similarity}`);
    assert.ok(cosine(embedder.embed('king'), embedder.embed('carrot')) < 0.3);
  });

  it('related sentences are closer than unrelated ones (SIF and plain mean)', async () => {
    const triples = [
      ['The cat rested on the carpet.', 'The kitten slept on the rug.', 'Interest rates rose sharply this quarter.'],
      ['The stock market fell after the bank raised interest rates.', 'Shares dropped when the central bank increased borrowing costs.', 'The children played football in the park.'],
      ['How do I read a file line by line in Python?', 'Python code to open a text file and iterate over its lines', 'The recipe needs two cups of flour and an egg.'],
      ['The patient was treated with antibiotics for the infection.', 'Doctors gave the sick man drugs to fight bacteria.', 'The guitar solo in the song was amazing.'],
    ];
    for (const weighting of ['sif', 'mean'] as const) {
      const embedder = await loadGloveEmbedder(GLOVE, { weighting });
      for (const [anchor, related, unrelated] of triples) {
        const [a, r, u] = await embedder.embedDocuments([anchor, related, unrelated]);
        assert.ok(cosine(a, r) > cosine(a, u) + 0.05, `${weighting}: "${anchor}" ~ "${related}" ${cosine(a, r).toFixed(3)} vs "${unrelated}" ${cosine(a, u).toFixed(3)}`);
        assert.ok(Math.abs(Math.hypot(...a) - 1) < 1e-5);
      }
    }
  });

  it('SIF down-weights frequent words: "the" barely moves a sentence', async () => {
    const sif = await loadGloveEmbedder(GLOVE);
    const mean = await loadGloveEmbedder(GLOVE, { weighting: 'mean' });
    const plain = 'volcano eruption lava';
    const padded = 'the volcano the eruption the lava of the';
    assert.ok(cosine(sif.embed(plain), sif.embed(padded)) > 0.97);
    assert.ok(cosine(mean.embed(plain), mean.embed(padded)) < cosine(sif.embed(plain), sif.embed(padded)));
    const weights = sifWeights(20000, 1e-4);
    assert.ok(weights[0] < 0.002 && weights[19999] > 0.95, `${weights[0]} ${weights[19999]}`);
  });

  it('tokenization: lowercase words, compounds, camelCase and snake_case identifiers', () => {
    const vocabulary = new Map(['get', 'user', 'name', 'http', 'server', 'well-known', 'well', 'known', 'state', 'of', 'art'].map((w, i) => [w, i]));
    const tokenizer = createWordTokenizer(vocabulary, 100);
    assert.deepEqual(Array.from(tokenizer.encode('getUserName')), [0, 1, 2]);
    assert.deepEqual(Array.from(tokenizer.encode('HTTPServer user_name')), [3, 4, 1, 2]);
    assert.deepEqual(Array.from(tokenizer.encode('A Well-Known state-of-the-art')), [5, 8, 9, 10]);
    assert.deepEqual(Array.from(tokenizer.encode('')), []);
    assert.equal(tokenizer.count('getUserName(user, 42) is well-known'), 5);
    assert.deepEqual(Array.from(createWordTokenizer(vocabulary, 2).encode('get user name')), [0, 1]);
  });

  it('countTokens counts words; unknown-only text is the zero vector', async () => {
    const embedder = await loadGloveEmbedder(GLOVE);
    assert.equal(embedder.countTokens('The quick brown fox, jumping.'), 5);
    assert.deepEqual(Array.from(embedder.embed('zzqxj vvkpt')), new Array(100).fill(0));
  });

  it('ids pin the files and the options', async () => {
    const sif = await loadGloveEmbedder(GLOVE);
    const mean = await loadGloveEmbedder(GLOVE, { weighting: 'mean' });
    assert.match(sif.id, /^static:glove:glove100d-top20k@[0-9a-f]{16}\?a=0\.0001&maxTokens=2048&weighting=sif$/);
    assert.match(mean.id, /^static:glove:glove100d-top20k@[0-9a-f]{16}\?maxTokens=2048&weighting=mean$/);
  });

  it('errors name the folder and the missing or bad file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pinpoint-glove-'));
    try {
      await assert.rejects(loadGloveEmbedder(join(dir, 'nope')), (e: Error) => e instanceof ArgumentError && /GloVe vectors folder not found/.test(e.message));
      await mkdir(join(dir, 'partial'));
      await writeFile(join(dir, 'partial', 'vocab.txt'), 'a\nb\n');
      await assert.rejects(loadGloveEmbedder(join(dir, 'partial')), /no GloVe vectors in .*partial: .*vectors\.f16\.bin is missing/);
      await writeFile(join(dir, 'partial', 'vectors.f16.bin'), new Uint8Array(6));
      await assert.rejects(loadGloveEmbedder(join(dir, 'partial')), (e: Error) => e instanceof ModelFileError && /vectors\.f16\.bin: 6 bytes is not 2 rows/.test(e.message));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
