// Schema check of model catalogs: a valid entry passes; each kind of mistake is reported with its
// path in the file, all at once.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelFileError } from '../../../../core/base/common/errors.js';
import { validateCatalog } from '../../../../core/models/common/validateCatalog.js';

const SHA = 'ab'.repeat(32);

function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'tiny-q4', displayName: 'Tiny', kind: 'chat', format: 'gguf', license: 'mit', revision: 'abc',
    files: [{ path: 'tiny.gguf', url: 'https://huggingface.co/o/r/resolve/abc/tiny.gguf', size: 10, sha256: SHA }],
    sizeBytes: 10,
    memory: { contextTokens: 4096, weightsBytes: 10, kvCacheBytes: 5, ramBytes: 20 },
    ...overrides,
  };
}

/** The problems reported for a catalog holding `models`. */
function problems(models: unknown[], extra: Record<string, unknown> = {}): string[] {
  try {
    validateCatalog({ schemaVersion: 1, models, ...extra }, 'catalog.json');
    return [];
  } catch (error) {
    assert.ok(error instanceof ModelFileError);
    assert.match(error.message, /^catalog\.json: invalid model catalog \(\d+ problems?\):/);
    return error.message.split('\n  - ').slice(1);
  }
}

test('a valid catalog passes and is returned as is', () => {
  const catalog = { schemaVersion: 1, models: [entry()] };
  assert.equal(validateCatalog(catalog, 'c.json'), catalog);
  assert.deepEqual(problems([entry({ sizeBytes: null, files: [{ path: 'tiny.gguf', url: 'http://127.0.0.1:8080/tiny.gguf', size: null, sha256: null }] })]), []);
});

test('the root must be {schemaVersion: 1, models: [...]}', () => {
  assert.throws(() => validateCatalog([], 'c.json'), /should be an object \{"schemaVersion": 1/);
  assert.throws(() => validateCatalog({ schemaVersion: 2, models: {} }, 'c.json'), /schemaVersion: should be 1; found 2[\s\S]*models: should be a list/);
  assert.deepEqual(problems([], { extra: true }), ['extra: unknown field']);
});

test('field types, ranges, patterns and unknown fields are reported with their paths', () => {
  const found = problems([
    entry({ id: 'Bad Id', kind: 'vision', sizeBytes: -1, licence: 'mit' }),
    entry({ id: 'two', files: [{ path: '../escape.gguf', url: 'ftp://x/y', size: 1.5, sha256: 'ABC' }], sizeBytes: 1 }),
  ]);
  assert.deepEqual(found, [
    'models[0].id: should be a model id (lowercase letters, digits, . _ -); found "Bad Id"',
    'models[0].kind: should be one of chat, embedding; found "vision"',
    'models[0].sizeBytes: should be an integer >= 0 or null; found -1',
    'models[0].licence: unknown field; known fields are id, displayName, kind, format, license, licenseUrl, repository, revision, parameters, quantization, contextLength, description, files, sizeBytes, memory, embedding',
    'models[0].sizeBytes: should be 10, the sum of the file sizes; found -1',
    'models[1].files[0].path: should be a relative path with / separators, without . or .. parts; found "../escape.gguf"',
    'models[1].files[0].url: should be an http(s) URL; found "ftp://x/y"',
    'models[1].files[0].size: should be an integer >= 0 or null; found 1.5',
    'models[1].files[0].sha256: should be 64 lowercase hex characters or null; found "ABC"',
  ]);
  assert.deepEqual(problems([entry({ files: [{ path: 'tiny.bin', url: 'https://x/y', size: 10, sha256: null }] })]), ['models[0].files: a gguf model should have exactly one file ending in .gguf']);
});

test('cross-field checks: duplicates, sizes, revision pins, gguf files, embedding info, memory', () => {
  const folder = (overrides: Record<string, unknown>) => entry({
    id: 'emb', kind: 'embedding', format: 'folder', sizeBytes: null,
    files: [
      { path: 'onnx/model.onnx', url: 'https://huggingface.co/o/r/resolve/main/onnx/model.onnx', size: 5, sha256: SHA },
      { path: 'onnx/model.onnx', url: 'https://huggingface.co/o/r/resolve/abc/x', size: null, sha256: null },
    ],
    ...overrides,
  });
  const found = problems([
    entry(),
    entry({ sizeBytes: 11 }),
    folder({ memory: { contextTokens: 512, weightsBytes: 10, kvCacheBytes: 0, ramBytes: 5 } }),
    entry({ id: 'chat-with-embedding', embedding: { dimensions: 4 } }),
    folder({ id: 'emb2', embedding: { dimensions: 0, pooling: 'max', maxTokens: 8, dtype: 'q8', queryPrefix: '', documentPrefix: '' } }),
  ]);
  assert.deepEqual(found, [
    'models[1].id: "tiny-q4" is used by an earlier entry',
    'models[1].sizeBytes: should be 10, the sum of the file sizes; found 11',
    'models[2].files[0].url: is pinned to "main" but the entry\'s revision is "abc"',
    'models[2].files[1].path: "onnx/model.onnx" is listed twice',
    'models[2].embedding: is required for an embedding model',
    'models[2].memory.ramBytes: should be at least weightsBytes + kvCacheBytes',
    'models[3].embedding: is only for embedding models (kind is "chat")',
    'models[4].files[0].url: is pinned to "main" but the entry\'s revision is "abc"',
    'models[4].files[1].path: "onnx/model.onnx" is listed twice',
    'models[4].embedding.dimensions: should be an integer >= 1; found 0',
    'models[4].embedding.pooling: should be one of cls, mean; found "max"',
  ]);
});

test('a long list of problems is cut at 25 with a count', () => {
  assert.throws(() => validateCatalog({ schemaVersion: 1, models: Array.from({ length: 30 }, () => 'x') }, 'c.json'), /\(30 problems\):[\s\S]*\.\.\. and 5 more$/);
});
