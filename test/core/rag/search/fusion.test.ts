// Tests of weighted reciprocal rank fusion and its trust scaling, on hand-computed examples.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { denseTrust, fuseLists, listAgreement, type FusionParams } from '../../../../core/rag/search/common/fusion.js';
import { BM25_ONLY_FUSION, embedderModel, retrievalSettingsFor, DEFAULT_FUSION } from '../../../../core/rag/search/common/fusionSettings.js';

const list = (...keys: string[]) => keys.map((key, i) => ({ key, score: 10 - i }));
const plain: FusionParams = { k: 60, bm25Weight: 1, denseWeight: 1, agreementDepth: 10, trustFloor: 0, trustFull: 0 };

test('RRF by hand: 1/(k+rank) summed over lists with their weights', () => {
  const { candidates } = fuseLists(list('a', 'b', 'c'), list('c', 'a', 'd'), { ...plain, k: 1, denseWeight: 0.5 });
  const byKey = Object.fromEntries(candidates.map((c) => [c.key, c.fused]));
  assert.equal(byKey.a, 1 / 2 + 0.5 / 3);
  assert.equal(byKey.b, 1 / 3);
  assert.equal(byKey.c, 1 / 4 + 0.5 / 2);
  assert.equal(byKey.d, 0.5 / 4);
  assert.deepEqual(candidates.map((c) => c.key), ['a', 'c', 'b', 'd']);
  assert.deepEqual([candidates[1].bm25Rank, candidates[1].denseRank, candidates[1].bm25Score, candidates[1].denseScore], [3, 1, 8, 10]);
});

test('dense weight 0 gives exactly the BM25 order, dense-only documents after it', () => {
  const bm25 = list('a', 'b', 'c', 'd');
  const { candidates } = fuseLists(bm25, list('x', 'd', 'y'), BM25_ONLY_FUSION);
  assert.deepEqual(candidates.map((c) => c.key), ['a', 'b', 'c', 'd', 'x', 'y']);
});

test('ties are broken by BM25 rank, then dense rank, then key', () => {
  const { candidates } = fuseLists(list('a', 'b'), list('b', 'a'), { ...plain, k: 1 });
  assert.deepEqual(candidates.map((c) => c.key), ['a', 'b']);
});

test('agreement of the lists heads scales the dense weight between floor and full trust', () => {
  const bm25 = list('a', 'b', 'c', 'd');
  assert.equal(listAgreement(bm25, list('a', 'x', 'c', 'y'), 4), 0.5);
  assert.equal(listAgreement(bm25, list('a', 'x'), 1), 1);
  assert.equal(listAgreement(bm25, list('d', 'x'), 1), 0, 'd is in BM25 list but not its head');
  assert.equal(listAgreement([], list('a'), 4), 0);
  const params = { ...plain, agreementDepth: 4, trustFloor: 0.25, trustFull: 0.75 };
  assert.equal(denseTrust(bm25, list('a', 'x', 'c', 'y'), params), 0.5);
  assert.equal(denseTrust(bm25, list('x', 'y', 'z', 'w'), params), 0);
  assert.equal(denseTrust(bm25, list('a', 'b', 'c', 'y'), params), 1);
  assert.equal(denseTrust([], list('a'), params), 1, 'no BM25 list: dense is all there is');
  const { denseWeight } = fuseLists(bm25, list('a', 'x', 'c', 'y'), { ...params, denseWeight: 0.8 });
  assert.equal(denseWeight, 0.4);
});

test('settings are looked up by embedder model; unknown embedders get the cautious default', () => {
  assert.equal(embedderModel('static:glove:glove100d-top20k@a7fc?weighting=sif'), 'static:glove:glove100d-top20k');
  assert.equal(retrievalSettingsFor('static:glove:glove100d-top20k@a7fc?weighting=mean').fusion.denseWeight, 0);
  assert.deepEqual(retrievalSettingsFor('onnx:bge-small@1?x=1').fusion, DEFAULT_FUSION);
});
