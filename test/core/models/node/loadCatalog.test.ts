// The shipped catalog loads and holds what the README promises; PINPOINT_MODEL_CATALOG points
// elsewhere; unreadable files fail naming the file.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ModelFileError } from '../../../../core/base/common/errors.js';
import { catalogPath, loadCatalog, shippedCatalogPath } from '../../../../core/models/node/loadCatalog.js';

test('the shipped catalog is valid and has the recommended chat models and embedders', async () => {
  const catalog = await loadCatalog(shippedCatalogPath());
  const ids = catalog.models.map((m) => m.id);
  for (const id of ['qwen2.5-0.5b-instruct-q4_k_m', 'qwen2.5-1.5b-instruct-q4_k_m', 'qwen2.5-3b-instruct-q4_k_m', 'llama-3.2-1b-instruct-q4_k_m', 'llama-3.2-3b-instruct-q4_k_m', 'bge-small-en-v1.5', 'nomic-embed-text-v1.5', 'all-minilm-l6-v2']) {
    assert.ok(ids.includes(id), id);
  }
  for (const model of catalog.models) {
    assert.ok(model.revision && /^[0-9a-f]{40}$/.test(model.revision), `${model.id} is pinned to a commit`);
    for (const file of model.files) assert.ok(file.url.startsWith(`https://huggingface.co/${model.repository}/resolve/${model.revision}/`), file.url);
    if (model.quantization === 'Q4_K_M') assert.ok(model.files[0].sha256 && model.files[0].size, `${model.id} has a pinned sha256 and size`);
    if (model.kind === 'embedding') assert.ok(model.files.some((f) => f.path.endsWith('.onnx')) && model.files.some((f) => f.path === 'tokenizer.json'));
    assert.ok(model.memory.ramBytes >= model.memory.weightsBytes + model.memory.kvCacheBytes);
  }
});

test('PINPOINT_MODEL_CATALOG names another catalog file', () => {
  assert.equal(catalogPath({ PINPOINT_MODEL_CATALOG: '/srv/mirror/catalog.json' }), '/srv/mirror/catalog.json');
  assert.equal(catalogPath({}), shippedCatalogPath());
});

test('a missing or malformed catalog file fails naming the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pinpoint-catalog-'));
  try {
    await assert.rejects(loadCatalog(join(dir, 'none.json')), (e) => e instanceof ModelFileError && /none\.json: cannot read the model catalog \(ENOENT\)/.test(e.message));
    await writeFile(join(dir, 'bad.json'), '{"schemaVersion": 1, "models": [');
    await assert.rejects(loadCatalog(join(dir, 'bad.json')), /bad\.json: the model catalog is not valid JSON/);
    await writeFile(join(dir, 'wrong.json'), '{"schemaVersion": 1, "models": [{"id": "x"}]}');
    await assert.rejects(loadCatalog(join(dir, 'wrong.json')), /wrong\.json: invalid model catalog .*\n  - models\[0\]\.displayName: should be a non-empty string; found nothing/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
