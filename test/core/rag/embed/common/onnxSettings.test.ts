// ONNX model settings: sentence-transformers files, the known-models table, options, in that
// order of precedence; unsupported modules and pooling modes refused with the file named.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelFileError } from '../../../../../core/base/common/errors.js';
import { findKnownModel } from '../../../../../core/rag/embed/common/knownModels.js';
import { poolingModulePath, resolveOnnxSettings } from '../../../../../core/rag/embed/common/onnxSettings.js';

const ST_MODULES = [
  { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
  { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
  { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
];
const MEAN = { pooling_mode_mean_tokens: true, pooling_mode_cls_token: false };
const CLS = { pooling_mode_mean_tokens: false, pooling_mode_cls_token: true };

describe('known models', () => {
  it('has the prefixes of bge, nomic and e5, and nothing for unknown names', () => {
    assert.equal(findKnownModel('Xenova/bge-small-en-v1.5')?.queryPrefix, 'Represent this sentence for searching relevant passages: ');
    assert.equal(findKnownModel('Xenova/bge-small-en-v1.5')?.pooling, 'cls');
    assert.deepEqual([findKnownModel('nomic-ai/nomic-embed-text-v1.5')?.queryPrefix, findKnownModel('nomic-ai/nomic-embed-text-v1.5')?.documentPrefix], ['search_query: ', 'search_document: ']);
    assert.deepEqual([findKnownModel('intfloat/e5-small-v2')?.queryPrefix, findKnownModel('Xenova/multilingual-e5-small')?.documentPrefix], ['query: ', 'passage: ']);
    assert.equal(findKnownModel('Xenova/all-MiniLM-L6-v2')?.queryPrefix, '');
    assert.equal(findKnownModel('my-own-model'), undefined);
  });
});

describe('resolveOnnxSettings', () => {
  it('defaults: mean, normalized, no prefixes', () => {
    assert.deepEqual(resolveOnnxSettings('my-model', {}, {}), { pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '' });
  });

  it('the table fills in what the files do not say; files win over the table; options win over both', () => {
    assert.deepEqual(resolveOnnxSettings('bge-base-en-v1.5', {}, {}), { pooling: 'cls', normalize: true, queryPrefix: 'Represent this sentence for searching relevant passages: ', documentPrefix: '' });
    const files = { modules: ST_MODULES.slice(0, 2), pooling: MEAN, config: { prompts: { query: 'q: ', document: 'd: ' } } };
    assert.deepEqual(resolveOnnxSettings('bge-base-en-v1.5', files, {}), { pooling: 'mean', normalize: false, queryPrefix: 'q: ', documentPrefix: 'd: ' });
    assert.deepEqual(resolveOnnxSettings('bge-base-en-v1.5', files, { pooling: 'last', normalize: true, queryPrefix: '' }), { pooling: 'last', normalize: true, queryPrefix: '', documentPrefix: 'd: ' });
  });

  it('reads CLS pooling, Normalize, and passage/corpus prompt names', () => {
    assert.deepEqual(resolveOnnxSettings('m', { modules: ST_MODULES, pooling: CLS, config: { prompts: { query: 'query: ', passage: 'passage: ' } } }, {}), { pooling: 'cls', normalize: true, queryPrefix: 'query: ', documentPrefix: 'passage: ' });
    assert.equal(resolveOnnxSettings('m', { config: { prompts: { query: 'Q ' } } }, {}).documentPrefix, '', 'a query prompt alone means documents get none');
    assert.equal(resolveOnnxSettings('m', { config: { prompts: { corpus: 'C ' } } }, {}).documentPrefix, 'C ');
    assert.equal(resolveOnnxSettings('m', { pooling: { pooling_mode_lasttoken: true } }, {}).pooling, 'last');
    assert.equal(poolingModulePath(ST_MODULES), '1_Pooling');
    assert.equal(poolingModulePath(undefined), undefined);
  });

  it('refuses modules and pooling modes that would change the vectors', () => {
    const refuses = (files: object, pattern: RegExp) => assert.throws(() => resolveOnnxSettings('m', files, {}, '/models/m'), (e: Error) => e instanceof ModelFileError && pattern.test(e.message));
    refuses({ modules: [...ST_MODULES, { type: 'sentence_transformers.models.Dense', path: '3_Dense' }] }, /^\/models\/m\/modules\.json: has modules Pinpoint does not run: Dense/);
    refuses({ modules: { not: 'a list' } }, /modules\.json: is not a list of modules/);
    refuses({ modules: ST_MODULES, pooling: { pooling_mode_max_tokens: true } }, /1_Pooling\/config\.json: pooling modes pooling_mode_max_tokens: Pinpoint needs exactly one of/);
    refuses({ pooling: { ...MEAN, pooling_mode_cls_token: true } }, /pooling modes pooling_mode_cls_token, pooling_mode_mean_tokens/);
    refuses({ pooling: {} }, /pooling modes none/);
  });
});
