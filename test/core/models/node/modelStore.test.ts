// The model cache: its folder per OS, import of a GGUF file and of a model folder (link or copy,
// bad inputs refused), list, remove and resolve; pulls of catalog models from a local server
// (a GGUF and a folder model, progress, a half-downloaded folder never used and finished later,
// cancel and resume, already installed, a pull already running).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ArgumentError, CancelledError, ModelFileError } from '../../../../core/base/common/errors.js';
import type { Catalog } from '../../../../core/models/common/catalog.js';
import { validateCatalog } from '../../../../core/models/common/validateCatalog.js';
import { cacheDirectory } from '../../../../core/models/node/cacheDir.js';
import { importModel } from '../../../../core/models/node/importModel.js';
import { listModels, removeModel, resolveModel } from '../../../../core/models/node/modelStore.js';
import { pullModel, type PullOptions, type PullProgress } from '../../../../core/models/node/pullModel.js';
import { fixture, serveBytes, sha256Of, startServer, type TestServer } from '../support/fixtureServer.js';

/** Bytes that start like a GGUF v3 file. */
function ggufBytes(size: number): Buffer {
  const bytes = fixture(size).body;
  bytes.write('GGUF', 0, 'latin1');
  bytes.writeUInt32LE(3, 4);
  return bytes;
}

const GGUF = ggufBytes(64 * 1024);
const FOLDER: Record<string, Buffer> = {
  'config.json': Buffer.from('{"model_type": "bert", "architectures": ["BertModel"]}\n'),
  'tokenizer.json': Buffer.from('{"version": "1.0"}\n'),
  'onnx/model_quantized.onnx': fixture(40 * 1024).body,
};

let dir: string;
let server: TestServer;
/** Paths the server answers 404 for, and a delay per chunk, set by tests. */
const broken = new Set<string>();
let slow = false;

/** The test catalog: a GGUF chat model (pinned) and a folder embedder (one pin, one server-declared, one git blob). */
function testCatalog(origin: string): Catalog {
  const file = (path: string, url: string, bytes: Buffer, pinned: boolean) => ({ path, url: `${origin}${url}`, size: pinned ? bytes.length : null, sha256: pinned ? sha256Of(bytes) : null });
  const memory = { contextTokens: 4096, weightsBytes: 1, kvCacheBytes: 1, ramBytes: 2 };
  return validateCatalog({
    schemaVersion: 1,
    models: [
      { id: 'tiny-chat-q4', displayName: 'Tiny chat', kind: 'chat', format: 'gguf', license: 'mit', files: [file('tiny.gguf', '/tiny.gguf', GGUF, true)], sizeBytes: GGUF.length, memory },
      {
        id: 'tiny-embed', displayName: 'Tiny embedder', kind: 'embedding', format: 'folder', license: 'mit',
        files: [
          file('onnx/model_quantized.onnx', '/embed/onnx/model_quantized.onnx', FOLDER['onnx/model_quantized.onnx'], true),
          file('config.json', '/embed/config.json', FOLDER['config.json'], false),
          file('tokenizer.json', '/embed/tokenizer.json', FOLDER['tokenizer.json'], false),
        ],
        sizeBytes: null, memory,
        embedding: { dimensions: 4, pooling: 'mean', maxTokens: 16, dtype: 'q8', queryPrefix: '', documentPrefix: '' },
      },
    ],
  }, 'test catalog');
}

let catalog: Catalog;
let cacheDir: string;
const options = (): PullOptions => ({ cacheDir, catalog, env: {}, download: { retries: 0, retryDelayMs: 5, progressIntervalMs: 5 } });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pinpoint-store-'));
  server = await startServer((req, res) => {
    const path = req.url ?? '';
    if (broken.has(path)) return void res.writeHead(404).end();
    if (path === '/tiny.gguf') return serveBytes(req, res, GGUF, { etag: '"g1"', ...(slow ? { chunkSize: 4096, chunkDelayMs: 10 } : {}) });
    if (path === '/embed/config.json') return serveBytes(req, res, FOLDER['config.json'], { headers: { 'x-linked-etag': sha256Of(FOLDER['config.json']) } });
    if (path === '/embed/tokenizer.json') {
      const blob = createHash('sha1').update(`blob ${FOLDER['tokenizer.json'].length}\0`).update(FOLDER['tokenizer.json']).digest('hex');
      return serveBytes(req, res, FOLDER['tokenizer.json'], { etag: `"${blob}"`, headers: { 'x-repo-commit': 'abc' } });
    }
    if (path === '/embed/onnx/model_quantized.onnx') return serveBytes(req, res, FOLDER['onnx/model_quantized.onnx']);
    res.writeHead(404).end();
  });
  catalog = testCatalog(server.origin);
  cacheDir = join(dir, 'cache');
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('the cache folder follows each OS convention and PINPOINT_CACHE_DIR overrides it', () => {
  assert.equal(cacheDirectory({ env: {}, platform: 'linux', home: '/home/ann' }), '/home/ann/.cache/pinpoint');
  assert.equal(cacheDirectory({ env: { XDG_CACHE_HOME: '/var/cache/ann' }, platform: 'linux', home: '/home/ann' }), '/var/cache/ann/pinpoint');
  assert.equal(cacheDirectory({ env: { XDG_CACHE_HOME: 'relative' }, platform: 'linux', home: '/home/ann' }), '/home/ann/.cache/pinpoint');
  assert.equal(cacheDirectory({ env: {}, platform: 'darwin', home: '/Users/ann' }), '/Users/ann/Library/Caches/Pinpoint');
  assert.equal(cacheDirectory({ env: { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, platform: 'win32', home: 'C:\\Users\\ann' }), 'C:\\Users\\ann\\AppData\\Local\\Pinpoint\\Cache');
  assert.equal(cacheDirectory({ env: { PINPOINT_CACHE_DIR: '/tmp/pp' }, platform: 'darwin', home: '/Users/ann' }), '/tmp/pp');
});

test('import a GGUF file (hard link or copy), list it, resolve it by id and path, remove it', async () => {
  const source = join(dir, 'My-Model.Q4_K_M.gguf');
  await writeFile(source, GGUF);
  const linked = await importModel(source, { cacheDir, catalog });
  assert.equal(linked.id, 'my-model.q4_k_m');
  assert.equal(linked.source.type === 'import' && linked.source.mode, 'link');
  assert.equal((await stat(linked.path)).ino, (await stat(source)).ino, 'same inode: a hard link');
  const copied = await importModel(source, { cacheDir, catalog, id: 'copied', mode: 'copy' });
  assert.notEqual((await stat(copied.path)).ino, (await stat(source)).ino);
  assert.deepEqual(await readFile(copied.path), GGUF);

  const listed = await listModels({ cacheDir, catalog });
  assert.deepEqual(listed.map((m) => [m.id, m.status, m.bytes]), [['copied', 'installed', GGUF.length], ['my-model.q4_k_m', 'installed', GGUF.length]]);
  assert.equal(await resolveModel('copied', { cacheDir, catalog }), copied.path);
  assert.equal(await resolveModel(source, { cacheDir, catalog }), source);

  const removed = await removeModel('copied', { cacheDir, catalog });
  assert.ok(removed.bytes > GGUF.length, 'the model and its manifest');
  assert.ok(!existsSync(removed.folder));
  await removeModel('my-model.q4_k_m', { cacheDir, catalog });
  assert.ok(existsSync(source), 'removing a linked import leaves the original');
});

test('import refuses what is not a model, and ids that are taken or invalid', async () => {
  const notGguf = join(dir, 'notes.gguf');
  await writeFile(notGguf, 'hello, not a model');
  await assert.rejects(importModel(notGguf, { cacheDir, catalog }), (e) => e instanceof ModelFileError && /notes\.gguf: not a GGUF file: it starts with "hell"/.test(e.message));
  const emptyDir = join(dir, 'empty-folder');
  await mkdir(emptyDir, { recursive: true });
  await assert.rejects(importModel(emptyDir, { cacheDir, catalog }), /empty-folder: not a model folder: it has no config\.json/);
  await writeFile(join(emptyDir, 'config.json'), '{"model_type": "llama"}');
  await writeFile(join(emptyDir, 'tokenizer.json'), '{}');
  await assert.rejects(importModel(emptyDir, { cacheDir, catalog }), /it has no weights/);
  await assert.rejects(importModel(join(dir, 'missing.gguf'), { cacheDir, catalog }), (e) => e instanceof ArgumentError && /no such file or folder/.test(e.message));

  const good = join(dir, 'good.gguf');
  await writeFile(good, GGUF);
  await assert.rejects(importModel(good, { cacheDir, catalog, id: 'Bad/Id' }), /Invalid model id "Bad\/Id"/);
  await assert.rejects(importModel(good, { cacheDir, catalog, id: 'tiny-chat-q4' }), /is the id of a catalog model/);
  await importModel(good, { cacheDir, catalog, id: 'taken' });
  await assert.rejects(importModel(good, { cacheDir, catalog, id: 'taken' }), /A model "taken" is already in/);
  await removeModel('taken', { cacheDir, catalog });
});

test('import a model folder, following symlinks as in a Hugging Face cache snapshot', async () => {
  const source = join(dir, 'snapshot');
  const blobs = join(dir, 'blobs');
  await mkdir(join(source, 'onnx'), { recursive: true });
  await mkdir(blobs, { recursive: true });
  for (const [path, bytes] of Object.entries(FOLDER)) {
    await writeFile(join(blobs, path.replace('/', '_')), bytes);
    await symlink(join(blobs, path.replace('/', '_')), join(source, path));
  }
  const imported = await importModel(source, { cacheDir, catalog, id: 'snap', mode: 'copy' });
  assert.equal(imported.kind, 'embedding');
  assert.equal(imported.format, 'folder');
  assert.equal(imported.path, imported.folder);
  assert.deepEqual(await readFile(join(imported.folder, 'onnx/model_quantized.onnx')), FOLDER['onnx/model_quantized.onnx']);
  await removeModel('snap', { cacheDir, catalog });
});

test('pull a GGUF catalog model with progress; a second pull finds it installed', async () => {
  const events: PullProgress[] = [];
  const result = await pullModel('tiny-chat-q4', { ...options(), onProgress: (p) => events.push(p) });
  assert.equal(result.alreadyInstalled, false);
  assert.deepEqual(result.files.map((f) => f.verifiedBy), ['pinned-sha256']);
  assert.deepEqual(await readFile(result.path), GGUF);
  assert.equal(events.at(-1)!.bytes, GGUF.length);
  assert.equal(events.at(-1)!.total, GGUF.length);
  assert.equal(await resolveModel('tiny-chat-q4', options()), result.path);
  const again = await pullModel('tiny-chat-q4', options());
  assert.equal(again.alreadyInstalled, true);
});

test('a half-downloaded folder model is never used, is listed as incomplete, and a later pull finishes it', async () => {
  broken.add('/embed/config.json');
  await assert.rejects(pullModel('tiny-embed', options()), /HTTP 404 Not Found from .*\/embed\/config\.json/);
  const folder = join(cacheDir, 'models', 'tiny-embed');
  assert.ok(existsSync(join(folder, 'onnx/model_quantized.onnx')) && !existsSync(join(folder, 'pinpoint-model.json')));
  await assert.rejects(resolveModel('tiny-embed', options()), /model tiny-embed is not completely downloaded .* pinpoint models pull tiny-embed/);
  assert.deepEqual((await listModels(options())).find((m) => m.id === 'tiny-embed')?.status, 'incomplete');

  broken.clear();
  const events: PullProgress[] = [];
  const result = await pullModel('tiny-embed', { ...options(), onProgress: (p) => events.push(p) });
  assert.deepEqual(result.files.map((f) => f.verifiedBy), ['kept', 'server-sha256', 'server-git-blob']);
  assert.deepEqual(new Set(events.map((e) => e.fileIndex)), new Set([1, 2]));
  assert.equal(await resolveModel('tiny-embed', options()), folder);
  const manifest = JSON.parse(await readFile(join(folder, 'pinpoint-model.json'), 'utf8'));
  assert.equal(manifest.primary, '.');
  assert.deepEqual(manifest.embedding.pooling, 'mean');
  assert.ok(!existsSync(join(folder, '.pinpoint-lock')));
});

test('a cancelled pull keeps its partial file and the next pull resumes it', async () => {
  await removeModel('tiny-chat-q4', options());
  slow = true;
  try {
    const controller = new AbortController();
    const pulling = pullModel('tiny-chat-q4', { ...options(), signal: controller.signal, onProgress: (p) => p.bytes >= 16 * 1024 && controller.abort() });
    await assert.rejects(pulling, CancelledError);
    const part = join(cacheDir, 'models', 'tiny-chat-q4', 'tiny.gguf.part');
    const kept = (await stat(part)).size;
    assert.ok(kept > 0);
    const before = server.requests.length;
    const result = await pullModel('tiny-chat-q4', options());
    assert.equal(server.requests[before].headers.range, `bytes=${kept}-`);
    assert.deepEqual(await readFile(result.path), GGUF);
  } finally {
    slow = false;
  }
});

test('unknown ids and a pull already running are refused with clear errors', async () => {
  await assert.rejects(pullModel('nope', options()), (e) => e instanceof ArgumentError && /Unknown model "nope"\. Should be one of: tiny-chat-q4, tiny-embed\./.test(e.message));
  await assert.rejects(removeModel('nope', options()), /No model "nope" in .*Installed: tiny-chat-q4, tiny-embed\./);
  await assert.rejects(resolveModel('nope', options()), /No model file, folder or installed model named "nope"/);
  await assert.rejects(resolveModel('./missing.gguf', options()), /No model file or folder at .*missing\.gguf/);
  await removeModel('tiny-chat-q4', options());
  await assert.rejects(resolveModel('tiny-chat-q4', options()), /Model "tiny-chat-q4" is not installed\. Download it with: pinpoint models pull tiny-chat-q4/);

  const folder = join(cacheDir, 'models', 'tiny-chat-q4');
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, '.pinpoint-lock'), String(process.ppid));
  await assert.rejects(pullModel('tiny-chat-q4', options()), new RegExp(`pull of tiny-chat-q4 is already running in process ${process.ppid}`));
  await assert.rejects(removeModel('tiny-chat-q4', options()), /is downloading it/);
  await writeFile(join(folder, '.pinpoint-lock'), '999999999');
  await pullModel('tiny-chat-q4', options()); // a lock left by a dead process is taken over
});

test('a pull that fails before any byte arrives leaves no folder behind', async () => {
  broken.add('/tiny.gguf');
  try {
    await removeModel('tiny-chat-q4', options());
    await assert.rejects(pullModel('tiny-chat-q4', options()), /HTTP 404/);
    assert.ok(!existsSync(join(cacheDir, 'models', 'tiny-chat-q4')));
    assert.equal((await listModels(options())).find((m) => m.id === 'tiny-chat-q4'), undefined);
  } finally {
    broken.clear();
  }
});

test('--force downloads an installed model again', async () => {
  await pullModel('tiny-chat-q4', options());
  const before = server.requests.length;
  const result = await pullModel('tiny-chat-q4', { ...options(), force: true });
  assert.equal(result.alreadyInstalled, false);
  assert.deepEqual(result.files.map((f) => f.verifiedBy), ['pinned-sha256']);
  assert.equal(server.requests.length, before + 1);
});
