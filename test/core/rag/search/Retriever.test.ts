// Tests of the Retriever on a small code-and-docs table: identifier-aware BM25, dense and hybrid
// modes with score parts, path and language filters, merged adjacent chunks, and the reranker
// hook's plumbing (with a plain scoring function; a real cross-encoder model through the
// Retriever: CrossEncoderReranker.test.ts).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ArgumentError } from '../../../../core/base/common/errors.js';
import type { Chunk } from '../../../../core/rag/common/chunk.js';
import { Retriever, userCondition } from '../../../../core/rag/search/node/Retriever.js';
import type { Reranker } from '../../../../core/rag/search/common/reranker.js';
import { textToEmbed, type FileChunks } from '../../../../core/rag/store/common/schema.js';
import { ChunkStore } from '../../../../core/rag/store/node/ChunkStore.js';
import { hashEmbedder, tempDir } from '../store/storeFixtures.js';

const temp = tempDir('pinpoint-retriever-');
const embedder = hashEmbedder('hash:32', 32);
let store: ChunkStore;

const FILES: Record<string, { language: string; chunks: [number, number, string, string][] }> = {
  'src/user/account.ts': {
    language: 'typescript',
    chunks: [
      [1, 12, 'class Account', 'export function getUserName(account: Account): string {\n  return account.profile.displayName;\n}'],
      [13, 20, 'class Account', 'export function setUserName(account: Account, name: string) {\n  account.profile.displayName = name;\n}'],
      [40, 60, 'class Account', 'function parseDate(text: string) { return new Date(text); }'],
    ],
  },
  'src/net/http_client.py': {
    language: 'python',
    chunks: [[1, 15, 'class HttpClient', 'def send_request(self, url):\n    """Send an HTTP request and return the response body."""\n    return self.session.get(url).text']],
  },
  'docs/guide.md': {
    language: 'markdown',
    chunks: [
      [1, 8, 'Guide > Users', 'Each user has a display name shown in the sidebar.'],
      [9, 16, 'Guide > Users', 'Names can be changed in the account settings.'],
    ],
  },
};

before(async () => {
  store = await ChunkStore.open({ dir: temp.dir, corpus: 'code', embedder });
  const files: FileChunks[] = [];
  for (const [path, spec] of Object.entries(FILES)) {
    const chunks: Chunk[] = spec.chunks.map(([startLine, endLine, context, text], ordinal) => ({ root: '/repo', path, language: spec.language, startLine, endLine, text, context, ordinal }));
    files.push({ root: '/repo', path, contentHash: path, mtimeMs: 1, chunks, vectors: await embedder.embedDocuments(chunks.map(textToEmbed)) });
  }
  const empty: FileChunks = { root: '/repo', path: 'src/__init__.py', contentHash: 'e', mtimeMs: 1, chunks: [], vectors: [] };
  await store.replaceFiles([...files, empty]);
  await store.maintain();
});
after(async () => {
  await store.close();
  temp.remove();
});

test('BM25 finds identifiers from plain words and from other spellings', async () => {
  const retriever = new Retriever(store);
  for (const query of ['get user name', 'get_user_name', 'getUserName', 'GetUsername']) {
    const [top] = await retriever.search(query, { mode: 'bm25', k: 1, mergeAdjacent: false });
    assert.equal(`${top.path}:${top.startLine}`, 'src/user/account.ts:1', query);
    assert.ok(top.scores.bm25! > 0 && top.scores.bm25Rank === 1 && top.scores.dense === undefined);
  }
  const [http] = await retriever.search('http request response', { mode: 'bm25', k: 1 });
  assert.equal(http.path, 'src/net/http_client.py');
});

test('results carry score parts and line ranges in every mode', async () => {
  const retriever = new Retriever(store, { embedder });
  const dense = await retriever.search('display name', { mode: 'dense', k: 3, mergeAdjacent: false });
  assert.ok(dense.every((r) => r.scores.dense !== undefined && r.scores.bm25 === undefined && r.score === r.scores.dense));
  const all = await retriever.search('display name', { mode: 'dense', k: 50, mergeAdjacent: false });
  assert.equal(all.length, 6, 'every chunk, never the marker row of the empty file');
  const hybrid = await retriever.search('display name', { mode: 'hybrid', k: 3, mergeAdjacent: false });
  assert.ok(hybrid.every((r) => r.scores.fused === r.score && r.scores.denseWeight !== undefined));
  assert.ok(hybrid.some((r) => r.scores.bm25 !== undefined && r.scores.dense !== undefined));
  for (const r of hybrid) assert.ok(r.startLine >= 1 && r.endLine >= r.startLine);
});

test('filters by path glob, language and root run inside the query', async () => {
  const retriever = new Retriever(store);
  const md = await retriever.search('name', { mode: 'bm25', filter: { paths: ['*.md'] } });
  assert.ok(md.length > 0 && md.every((r) => r.path === 'docs/guide.md'));
  const src = await retriever.search('name', { mode: 'bm25', filter: { paths: ['src/**'], languages: ['typescript'] } });
  assert.ok(src.length > 0 && src.every((r) => r.path === 'src/user/account.ts'));
  assert.deepEqual(await retriever.search('name', { mode: 'bm25', filter: { roots: ['/elsewhere'] } }), []);
  assert.equal(userCondition({ paths: ["it's/*"], languages: ['go'] }), "(regexp_like(path, '^it''s/[^/]*$')) AND language IN ('go')");
  assert.equal(userCondition({}), undefined);
});

test('adjacent chunks of a file come back as one result spanning both', async () => {
  const retriever = new Retriever(store);
  const merged = await retriever.search('user name account', { mode: 'bm25', k: 10 });
  const account = merged.filter((r) => r.path === 'src/user/account.ts');
  assert.ok(account.some((r) => r.startLine === 1 && r.endLine === 20 && r.ordinals.join() === '0,1'), JSON.stringify(account.map((r) => [r.startLine, r.endLine])));
  const guide = merged.find((r) => r.path === 'docs/guide.md');
  assert.deepEqual([guide?.startLine, guide?.endLine], [1, 16]);
});

test('a reranker reorders the fused candidates and its score is kept as a part', async () => {
  const byLength: Reranker = { id: 'length', score: async (_q, passages) => passages.map((p) => -p.length), dispose: async () => {} };
  const retriever = new Retriever(store, { reranker: byLength });
  const results = await retriever.search('name', { mode: 'bm25', k: 3, mergeAdjacent: false });
  assert.ok(results.every((r) => r.scores.rerank === r.score));
  assert.ok(results[0].score >= results[1].score && results[1].score >= results[2].score);
  const plain = await retriever.search('name', { mode: 'bm25', k: 3, mergeAdjacent: false, rerank: false });
  assert.ok(plain.every((r) => r.scores.rerank === undefined));
});

test('dense search needs an embedder of the table', async () => {
  await assert.rejects(new Retriever(store).search('x', { mode: 'dense' }), ArgumentError);
  assert.throws(() => new Retriever(store, { embedder: hashEmbedder('hash:other', 32) }), /cannot search a table of hash:32/);
  await assert.rejects(new Retriever(store).search('x', { k: 0 }), /k should be a positive integer/);
});
