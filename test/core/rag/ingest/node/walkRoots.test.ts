// The walker: nested .gitignore with negations, .pinpointignore, default excludes, secrets,
// symbolic links (out of the root, loops, duplicates), unreadable and special files, binary
// sniffing, size limits without reading, deterministic order, and speed.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { ArgumentError, CancelledError } from '../../../../../core/base/common/errors.js';
import { nodeFileSystem, type WalkFileSystem } from '../../../../../core/rag/ingest/node/walkFileSystem.js';
import { walkRoots, type NodeWalkOptions } from '../../../../../core/rag/ingest/node/walkRoots.js';
import { collect, tempFolder, writeTree, type TreeNode } from '../support/tempTree.js';

const folders: (() => void)[] = [];
after(() => folders.forEach((remove) => remove()));

function tree(nodes: Record<string, TreeNode>): string {
  const folder = tempFolder();
  folders.push(folder.remove);
  writeTree(folder.path, nodes);
  return folder.path;
}

async function walk(root: string, options: NodeWalkOptions = {}) {
  return collect(walkRoots([root], options));
}

/** Node's file system, counting calls per path, failing where `fail` says. */
function spyFileSystem(fail: (call: string, path: string) => Error | undefined = () => undefined) {
  const calls: string[] = [];
  const wrap = <K extends keyof WalkFileSystem>(name: K): WalkFileSystem[K] =>
    (async (path: string, ...rest: unknown[]) => {
      calls.push(`${name} ${path}`);
      const error = fail(name, path);
      if (error) throw error;
      return (nodeFileSystem[name] as (...args: unknown[]) => unknown)(path, ...rest);
    }) as WalkFileSystem[K];
  const fileSystem: WalkFileSystem = {
    readdir: wrap('readdir'), stat: wrap('stat'), realpath: wrap('realpath'),
    readHead: wrap('readHead'), readFile: wrap('readFile'), readText: wrap('readText'),
  };
  return { fileSystem, calls };
}

const errno = (code: string): Error => Object.assign(new Error(`${code}: permission denied`), { code });

test('nested .gitignore files: negations, anchors, directory rules, deeper files win', async () => {
  const root = tree({
    '.gitignore': '*.log\nbuild/\n!important.log\n/root-only.txt\n# a comment\n',
    'app.ts': 'x', 'debug.log': 'x', 'important.log': 'x', 'root-only.txt': 'x',
    'build/out.js': 'x',
    'src/.gitignore': '!debug.log\ngen/\n*.snap\n!keep.snap\n',
    'src/debug.log': 'x', 'src/root-only.txt': 'x', 'src/a.snap': 'x', 'src/keep.snap': 'x',
    'src/gen/x.ts': 'x',
    'src/deep/.gitignore': '!gen/\n',
    'src/deep/gen/y.ts': 'x',
    'docs/.gitignore': '*\n!*.md\n!.gitignore\n',
    'docs/a.md': 'x', 'docs/b.txt': 'x', 'docs/sub/c.md': 'x',
  });
  const { files, skips } = await walk(root);
  assert.deepEqual(files, [
    '.gitignore', 'app.ts', 'important.log',
    'docs/.gitignore', 'docs/a.md',
    'src/.gitignore', 'src/debug.log', 'src/keep.snap', 'src/root-only.txt',
    'src/deep/.gitignore', 'src/deep/gen/y.ts',
  ]);
  assert.deepEqual(skips, []);
});

test('.git/info/exclude applies at the root like a .gitignore', async () => {
  const root = tree({ '.git/info/exclude': 'local-notes.md\n', 'local-notes.md': 'x', 'kept.md': 'x' });
  assert.deepEqual((await walk(root)).files, ['kept.md']);
  assert.deepEqual((await walk(root, { gitignore: false })).files, ['kept.md', 'local-notes.md']);
});

test('ignored files are reported only on request, naming the rule file', async () => {
  const root = tree({ '.gitignore': '*.log\n', 'src/.pinpointignore': 'drafts/\n', 'a.log': 'x', 'src/drafts/d.md': 'x' });
  const { skipped } = await walk(root, { reportIgnored: true });
  assert.deepEqual(skipped.map((s) => [s.path, s.reason, s.message]), [
    ['a.log', 'ignored', 'a.log: ignored by .gitignore'],
    ['src/drafts', 'ignored', 'src/drafts: ignored by .pinpointignore in src'],
  ]);
});

test('.pinpointignore outranks .gitignore and can bring back a default exclude', async () => {
  const root = tree({
    '.gitignore': 'build/\n',
    '.pinpointignore': '*.csv\nprivate/\n!build/\n',
    'a.csv': 'x', 'b.ts': 'x', 'private/p.md': 'x', 'build/gen.js': 'x', 'build/node_modules/m.js': 'x',
  });
  const { files } = await walk(root);
  assert.deepEqual(files, ['.gitignore', '.pinpointignore', 'b.ts', 'build/gen.js']);
  const { files: without } = await walk(root, { pinpointignore: false, gitignore: false });
  assert.ok(without.includes('a.csv') && without.includes('private/p.md') && !without.includes('build/gen.js'));
});

test('default excludes: VCS, dependencies, build outputs, caches, lock files, minified bundles', async () => {
  const excluded = [
    '.git/config', 'node_modules/x/index.js', 'web/node_modules/y.js', 'dist/a.js', 'build/b.js', 'out/c.js', 'target/d.rs',
    '.next/e.js', '__pycache__/f.txt', '.venv/lib/g.py', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'Cargo.lock',
    'poetry.lock', 'go.sum', 'app.min.js', 'style.min.css', 'app.js.map', 'coverage/lcov.info',
  ];
  const root = tree(Object.fromEntries([...excluded.map((p) => [p, 'x']), ['src/main.ts', 'x'], ['package.json', '{}']]));
  assert.deepEqual((await walk(root)).files, ['package.json', 'src/main.ts']);
  const all = await walk(root, { defaultExcludes: false });
  assert.equal(all.files.length, excluded.length + 2);
  const reported = await walk(root, { reportIgnored: true });
  assert.ok(reported.skipped.some((s) => s.path === 'node_modules' && s.message.endsWith('ignored by the default excludes')));
  assert.deepEqual((await walk(root, { exclude: ['*.json'] })).files, ['src/main.ts']);
});

test('secrets are skipped by default with reason "secret", never read; the list is configurable', async () => {
  const secrets = [
    '.env', '.env.local', 'config/.env.production', 'prod.env', 'server.pem', 'tls/server.key', 'id_rsa', 'id_ed25519.pub',
    '.npmrc', '.netrc', 'credentials.json', 'aws-credentials.json', 'secrets.yaml', 'keys/app.keystore', 'infra/main.tfstate',
  ];
  const root = tree(Object.fromEntries([...secrets.map((p) => [p, 'TOKEN=abc']), ['src/credentials.ts', 'export {}'], ['README.md', 'x']]));
  const spy = spyFileSystem();
  const { files, skipped } = await walk(root, { fileSystem: spy.fileSystem });
  assert.deepEqual(files, ['README.md', 'src/credentials.ts']);
  assert.deepEqual(skipped.map((s) => s.path).sort(), [...secrets].sort());
  assert.ok(skipped.every((s) => s.reason === 'secret'));
  assert.ok(!spy.calls.some((c) => c.startsWith('readHead') && c.includes('.env')), 'a secret file is never opened');
  assert.equal((await walk(root, { excludeSecrets: false })).files.length, secrets.length + 2);
  const custom = await walk(root, { secretPatterns: ['*.md'] });
  assert.deepEqual(custom.skipped.map((s) => s.path), ['README.md']);
});

test('symbolic links out of the root are skipped and reported; inside the root they are followed', async () => {
  const outside = tree({ 'secret.txt': 'outside', 'dir/x.txt': 'outside' });
  const root = tree({
    'real.txt': 'inside',
    'to-file.txt': { link: 'real.txt' },
    'out-file.txt': { link: join(outside, 'secret.txt') },
    'out-dir': { link: join(outside, 'dir') },
    'out-relative': { link: '../' },
    'broken.txt': { link: 'missing.txt' },
  });
  const { files, skipped } = await walk(root);
  assert.deepEqual(files, ['real.txt', 'to-file.txt']);
  assert.deepEqual(skipped.map((s) => `${s.path}: ${s.reason}`), [
    'broken.txt: broken-symlink',
    'out-dir: symlink-outside-root',
    'out-file.txt: symlink-outside-root',
    'out-relative: symlink-outside-root',
  ]);
  assert.ok(skipped[1].message.includes('outside the root'));
  const unfollowed = await walk(root, { followSymlinks: false });
  assert.deepEqual(unfollowed.files, ['real.txt']);
  assert.ok(unfollowed.skips.includes('out-dir: symlink-outside-root'), 'links out of the root are reported either way');
});

test('symbolic link loops are detected; a folder linked twice is walked once through links', async () => {
  const root = tree({
    'a/f.txt': 'x',
    'a/up': { link: '..' },
    'a/self': { link: '.' },
    'a/b/back': { link: '../../a' },
    'real/g.txt': 'x',
    'link1': { link: 'real' },
    'link2': { link: 'real' },
  });
  const { files, skips, entries } = await walk(root);
  assert.deepEqual(files, ['a/f.txt', 'link1/g.txt', 'real/g.txt']);
  assert.deepEqual(skips, ['a/self: symlink-loop', 'a/up: symlink-loop', 'a/b/back: symlink-loop', 'link2: symlink-duplicate']);
  for (const entry of entries) {
    assert.ok(!entry.path.split('/').includes('..'));
    assert.equal(entry.absolutePath, join(root, entry.path));
  }
});

test('an unreadable file or folder is reported and skipped, and the walk goes on', async () => {
  const root = tree({ 'locked.txt': 'x', 'private/p.txt': 'x', 'z.txt': 'x' });
  // Tests may run as root, which reads anything: the read errors are injected.
  const spy = spyFileSystem((call, path) => (
    (call === 'readHead' && path.endsWith('locked.txt')) || (call === 'readdir' && path.endsWith('private')) ? errno('EACCES') : undefined
  ));
  const { files, skipped } = await walk(root, { fileSystem: spy.fileSystem });
  assert.deepEqual(files, ['z.txt']);
  assert.deepEqual(skipped.map((s) => [s.path, s.reason]), [['locked.txt', 'unreadable'], ['private', 'unreadable']]);
  assert.match(skipped[0].message, /EACCES/);
});

test('chmod 000 makes a file unreadable (when not running as root)', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, async () => {
  const root = tree({ 'locked.txt': 'x' });
  chmodSync(join(root, 'locked.txt'), 0o000);
  const { skipped } = await walk(root);
  assert.deepEqual(skipped.map((s) => s.reason), ['unreadable']);
});

test('a FIFO is skipped as not a regular file, without opening it (the walk does not hang)', async () => {
  const root = tree({ 'a.txt': 'x' });
  execFileSync('mkfifo', [join(root, 'pipe')]);
  const spy = spyFileSystem();
  const { files, skips } = await walk(root, { fileSystem: spy.fileSystem });
  assert.deepEqual(files, ['a.txt']);
  assert.deepEqual(skips, ['pipe: not-regular-file']);
  assert.ok(!spy.calls.some((c) => c.endsWith('pipe') && (c.startsWith('readHead') || c.startsWith('readFile'))));
});

test('binary files: by extension without reading, by sniffing NULs and non-text bytes', async () => {
  const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('hello\nworld', 'utf16le')]);
  const root = tree({
    'image.png': 'looks like text but is named png',
    'blob.dat': new Uint8Array([1, 2, 0, 3, 4, 5]),
    'noise': new Uint8Array(Array.from({ length: 2000 }, (_, i) => 0x80 + ((i * 7919) % 127))),
    'utf16.txt': utf16,
    'latin1.txt': new Uint8Array(Buffer.from('caf\xe9 cr\xe8me', 'latin1')),
    'bundle.js': `var a=1;${'f(a,b);'.repeat(2000)}`,
    'ok.ts': 'const a = 1;\n',
  });
  const spy = spyFileSystem();
  const { files, skipped } = await walk(root, { fileSystem: spy.fileSystem });
  assert.deepEqual(files, ['latin1.txt', 'ok.ts', 'utf16.txt']);
  assert.deepEqual(skipped.map((s) => `${s.path}: ${s.reason}`), ['blob.dat: binary', 'bundle.js: minified', 'image.png: binary', 'noise: binary']);
  assert.ok(!spy.calls.some((c) => c.startsWith('readHead') && c.endsWith('image.png')));
  const unsniffed = await walk(root, { sniffContent: false });
  assert.ok(unsniffed.files.includes('blob.dat') && !unsniffed.files.includes('image.png'));
});

test('a 200 MB file is skipped by size without being read; PDFs have their own limit', async () => {
  const root = tree({ 'small.txt': 'x' });
  for (const [name, size] of [['huge.log', 200 * 1024 * 1024], ['big.txt', 12 * 1024 * 1024], ['big.pdf', 12 * 1024 * 1024]] as const) {
    writeFileSync(join(root, name), '');
    truncateSync(join(root, name), size); // sparse: no disk used
  }
  const spy = spyFileSystem();
  const { files, skipped } = await walk(root, { fileSystem: spy.fileSystem });
  assert.deepEqual(files, ['big.pdf', 'small.txt']);
  assert.deepEqual(skipped.map((s) => [s.path, s.reason, s.message]), [
    ['big.txt', 'too-large', 'big.txt: 12 MB, over the 10 MB limit for text files'],
    ['huge.log', 'too-large', 'huge.log: 200 MB, over the 10 MB limit for text files'],
  ]);
  assert.ok(!spy.calls.some((c) => c.endsWith('huge.log') && !c.startsWith('stat')), 'only stat touches the big file');
  const tight = await walk(root, { maxFileBytes: 0, maxDocumentBytes: 1024 });
  assert.deepEqual(tight.files, []);
});

test('entries carry root, paths, size, time, kind and language; order is deterministic', async () => {
  const root = tree({ 'b.md': '# B', 'a.py': 'print(1)', 'Z/z.txt': 'z', 'c/d.ts': 'let d', 'tool': '#!/usr/bin/env node\nx()', 'e.ipynb': '{}' });
  const first = await walk(root);
  assert.deepEqual(first.files, ['a.py', 'b.md', 'e.ipynb', 'tool', 'Z/z.txt', 'c/d.ts']);
  assert.deepEqual(first.entries.map((e) => [e.kind, e.language]), [
    ['code', 'python'], ['markdown', undefined], ['notebook', undefined], ['code', 'javascript'], ['text', undefined], ['code', 'typescript'],
  ]);
  const entry = first.entries[0];
  assert.equal(entry.root, root);
  assert.equal(entry.absolutePath, join(root, 'a.py'));
  assert.equal(entry.size, 8);
  assert.ok(entry.mtimeMs > 0);
  assert.deepEqual((await walk(root)).entries, first.entries);
});

test('several roots in order; a missing root or a file as root is an ArgumentError', async () => {
  const one = tree({ 'a.txt': 'x' });
  const two = tree({ 'b.txt': 'x' });
  const { entries } = await collect(walkRoots([two, one]));
  assert.deepEqual(entries.map((e) => [e.root, e.path]), [[two, 'b.txt'], [one, 'a.txt']]);
  await assert.rejects(collect(walkRoots([join(one, 'nope')])), (e: unknown) => e instanceof ArgumentError && e.message.includes('nope'));
  await assert.rejects(collect(walkRoots([join(one, 'a.txt')])), (e: unknown) => e instanceof ArgumentError && e.message.includes('not a folder'));
  await assert.rejects(collect(walkRoots([one], { maxFileBytes: -1 })), ArgumentError);
});

test('an aborted signal stops the walk with CancelledError', async () => {
  const root = tree({ 'a/1.txt': 'x', 'b/2.txt': 'x' });
  const controller = new AbortController();
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const item of walkRoots([root], {}, controller.signal)) {
      seen.push(item.path);
      controller.abort();
    }
  }, CancelledError);
  assert.deepEqual(seen, ['a/1.txt']);
});

test('a tree of 5,000+ files (the repository\'s node_modules) walks with stat and sniff only', async (t) => {
  const root = resolve('node_modules'); // the repository's own dependencies
  const cpu = process.cpuUsage();
  const { files } = await walk(root);
  // Its cost is reported, not asserted (timed assertions flake on a shared machine; the index bench measures speed).
  t.diagnostic(`${files.length} files: ${((process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000).toFixed(0)} ms CPU`);
  assert.ok(files.length >= 5000, `${files.length} files`);
});
