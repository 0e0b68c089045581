// createEmbedder: every spec form makes the right embedder (the default is the static GloVe
// embedder), errors are clear, and the hub path — real transformers.js downloads — works against
// a local HTTP server on 127.0.0.1 that serves a generated model as the hub would.

import assert from 'node:assert/strict';
import { readFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ArgumentError } from '../../../../../core/base/common/errors.js';
import type { Embedder } from '../../../../../core/rag/common/embedder.js';
import { createEmbedder } from '../../../../../core/rag/embed/node/createEmbedder.js';
import { writeGloveOnnxModel } from '../../../../fixtures/embed/gloveOnnxModel.js';

const FIXTURES = fileURLToPath(new URL('../../../../../../shared/data/embed/', import.meta.url));

let dir: string;
let server: Server;
let host: string;
const requested: string[] = [];

/** Serves `<dir>/hub/<owner>/<name>/<file>` at `/<owner>/<name>/resolve/main/<file>`, as the hub does. */
function serveHub(root: string): Promise<Server> {
  const hub = createServer((request, response) => {
    const url = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    requested.push(url);
    const match = /^\/([\w.-]+\/[\w.-]+)\/resolve\/main\/(.+)$/.exec(url);
    const path = match ? normalize(join(root, match[1], match[2])) : '';
    if (!match || !path.startsWith(root)) return void response.writeHead(404).end();
    readFile(path).then(
      (bytes) => response.writeHead(200, { 'content-length': bytes.length }).end(bytes),
      () => response.writeHead(404).end('not found'),
    );
  });
  return new Promise((resolve) => hub.listen(0, '127.0.0.1', () => resolve(hub)));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pinpoint-factory-'));
  await writeGloveOnnxModel(join(dir, 'models', 'glove-mini'), { prompts: { query: 'search_query: ', document: 'search_document: ' } });
  await mkdir(join(dir, 'hub', 'pinpoint'), { recursive: true });
  await writeGloveOnnxModel(join(dir, 'hub', 'pinpoint', 'glove-mini'), { prompts: { query: 'search_query: ', document: 'search_document: ' } });
  server = await serveHub(join(dir, 'hub'));
  const address = server.address() as { port: number };
  host = `http://127.0.0.1:${address.port}/`;
});

after(async () => {
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function using<T>(embedder: Embedder, body: (e: Embedder) => Promise<T>): Promise<T> {
  try {
    return await body(embedder);
  } finally {
    await embedder.dispose();
  }
}

describe('createEmbedder', () => {
  it('defaults to the static GloVe embedder (no download, no model runtime)', async () => {
    const embedder = await createEmbedder();
    assert.match(embedder.id, /^static:glove:glove100d-top20k@[0-9a-f]{16}\?a=0\.0001&maxTokens=2048&weighting=sif$/);
    assert.equal(embedder.dimension, 100);
    assert.equal((await createEmbedder('default')).id, embedder.id);
    assert.match((await createEmbedder('static:glove100d?weighting=mean')).id, /weighting=mean$/);
    assert.equal((await createEmbedder(`static:glove:${join(FIXTURES, 'glove100d-top20k')}`)).id, embedder.id);
  });

  it('static:model2vec:<folder>, relative to the context folder', async () => {
    const embedder = await createEmbedder('static:model2vec:test-model-vocab-quantized?maxTokens=256', { cwd: join(FIXTURES, 'model2vec-rs-fixtures') });
    assert.match(embedder.id, /^static:model2vec:test-model-vocab-quantized@[0-9a-f]{16}\?maxTokens=256&normalize=true$/);
    assert.equal(embedder.dimension, 64);
  });

  it('onnx:<folder> with options', async () => {
    await using(await createEmbedder(`onnx:${join(dir, 'models', 'glove-mini')}?batchSize=8&pooling=cls&threads=1`), async (embedder) => {
      assert.match(embedder.id, /^onnx:glove-mini@[0-9a-f]{16}\?dtype=fp32&maxTokens=506&normalize=true&pooling=cls&prompts=[0-9a-f]{8}$/);
      assert.equal((await embedder.embedQuery('hello world')).length, 64);
    });
  });

  it('hub:<id> downloads through transformers.js from the hub host (a local server here)', async () => {
    const cacheDir = join(dir, 'cache');
    const local = await createEmbedder(`onnx:${join(dir, 'models', 'glove-mini')}`);
    await using(await createEmbedder('hub:pinpoint/glove-mini', { hubHost: host, cacheDir }), async (hub) => {
      assert.match(hub.id, /^hub:pinpoint\/glove-mini@main\?dtype=fp32&maxTokens=506&normalize=true&pooling=mean&prompts=[0-9a-f]{8}$/);
      const texts = ['the king and the queen', 'a cat on a mat'];
      const [fromHub, fromFolder] = [await hub.embedDocuments(texts), await local.embedDocuments(texts)];
      assert.deepEqual(fromHub, fromFolder);
      assert.deepEqual(await hub.embedQuery('royal family'), await local.embedQuery('royal family'));
      assert.ok(requested.includes('/pinpoint/glove-mini/resolve/main/onnx/model.onnx'), requested.join(' '));
      assert.ok((await stat(join(cacheDir, 'pinpoint', 'glove-mini', 'onnx', 'model.onnx'))).size > 1e6, 'the model is in the cache');
    });
    await local.dispose();
    await assert.rejects(createEmbedder('hub:pinpoint/absent', { hubHost: host }), /absent\/resolve\/main\/config\.json: HTTP 404/);
  });

  it('clear errors for bad specs, missing folders and folders without model files', async () => {
    const argumentError = (pattern: RegExp) => (e: Error) => e instanceof ArgumentError && pattern.test(e.message);
    await assert.rejects(createEmbedder('word2vec:x'), argumentError(/unknown embedder "word2vec:x". Should be one of: static:glove100d, static:glove:<folder>, static:model2vec:<folder>, onnx:<folder>, hub:<owner\/name>\[@revision\]/));
    await assert.rejects(createEmbedder('static:glove100d?pooling=cls'), argumentError(/unknown option "pooling" for a glove embedder. Should be one of: weighting, a, maxTokens/));
    await assert.rejects(createEmbedder(`onnx:${join(dir, 'missing')}`), argumentError(/ONNX model folder not found: .*missing/));
    await assert.rejects(createEmbedder(`onnx:${FIXTURES}`), argumentError(/no ONNX model in /));
    await assert.rejects(createEmbedder(`static:model2vec:${FIXTURES}`), argumentError(/no model2vec model in /));
    await assert.rejects(createEmbedder('hub:not a valid id'), argumentError(/bad hub model id/));
  });
});
