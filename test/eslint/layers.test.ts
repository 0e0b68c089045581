// Tests of the layer rule (eslint/layers.js and its table), through the real config: banned
// imports fail with a message that lists what is allowed and names the replacement, and
// allowed imports pass.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIXTURE, lint, lintRule } from './lint.js';

const layers = (path: string, code: string): Promise<string[]> => lintRule('local/layers', path, code);

test('a core/engine/common file importing node:fs (or fs) fails, naming what to use instead', async () => {
  const expected =
    'common/ may not import the Node builtin "node:fs"; common/ may import: common/ and portable packages. ' +
    'Instead: plain TS in common/ (e.g. core/base/common/byteSource.ts for files); put Node code in a node/ folder beside it.';
  assert.deepEqual(await layers(`core/engine/common/${FIXTURE}`, "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"), [expected]);
  const bare = await layers(`core/engine/common/${FIXTURE}`, "import { join } from 'path';\nexport const j = join;\n");
  assert.equal(bare.length, 1);
  assert.match(bare[0], /^common\/ may not import the Node builtin "path"/);
});

test('core/engine importing core/rag fails, and the reverse too', async () => {
  assert.deepEqual(await layers(`core/engine/${FIXTURE}`, "import type { Chunk } from '../rag/common/chunk.js';\nexport type C = Chunk;\n"), [
    'core/engine may not import core/rag (core/rag/common/chunk.js); core/engine may import: core/base. ' +
      'Instead: the engine and the index never import each other: pass what is shared through core/base or wire them in core/assistant.',
  ]);
  const reverse = await layers(`core/rag/common/${FIXTURE}`, "export { createSampler } from '../../engine/common/sampling/sampler.js';\n");
  assert.equal(reverse.length, 1);
  assert.match(reverse[0], /^core\/rag may not import core\/engine .*Instead: rag knows the engine only as the Embedder interface/);
});

test('core/rag may import core/models (the remote embedder wraps its client)', async () => {
  assert.deepEqual(await layers(`core/rag/common/${FIXTURE}`, "export { apiBaseOf } from '../../models/openai/common/settings.js';\n"), []);
});

test('upward imports fail with the allowed layers listed', async () => {
  assert.deepEqual(await layers(`core/base/common/${FIXTURE}`, "import { x } from '../../assistant/common/answer.js';\nexport const y = x;\n"), [
    'core/base may not import core/assistant (core/assistant/common/answer.js); core/base may import: nothing outside itself. ' +
      'Instead: move the shared code down to one of: none.',
  ]);
  const engine = await layers(`core/engine/${FIXTURE}`, "import { x } from '../service/index.js';\nexport const y = x;\n");
  assert.match(engine[0], /^core\/engine may not import core\/service \(core\/service\/index\.js\); core\/engine may import: core\/base\./);
});

test('core importing vscode or electron fails, whatever the form of the import', async () => {
  assert.deepEqual(await layers(`core/assistant/${FIXTURE}`, "import * as vscode from 'vscode';\nexport const v = vscode;\n"), [
    'core/ may not import "vscode". Instead: the Host interface that the extension implements (core never imports vscode).',
  ]);
  const forms = [
    "export async function f(): Promise<unknown> { return import('electron'); }\n",
    "export type App = import('electron').App;\n",
    "export * from 'electron/main';\n",
  ];
  for (const code of forms) {
    const messages = await layers(`core/service/${FIXTURE}`, code);
    assert.equal(messages.length, 1, code);
    assert.match(messages[0], /^core\/ may not import "electron.*Host interface that the desktop shell implements/);
  }
});

test('a shell importing core/engine directly fails; only core/service\'s entry is allowed', async () => {
  const expected =
    'extension may not import core/engine/common/sampling/sampler.js; extension may import: core/service/index.ts, ui. ' +
    'Instead: import core/service (its entry, core/service/index.ts): shells reach the core only through the service protocol.';
  assert.deepEqual(
    await layers('extension/src/chat.ts', "import { createSampler } from '../../core/engine/common/sampling/sampler.js';\nexport const s = createSampler;\n"),
    [expected],
  );
  assert.deepEqual(
    await layers('extension/src/chat.ts', "import { createSampler } from '@pinpoint/core/engine/common/sampling/sampler.js';\nexport const s = createSampler;\n"),
    [expected],
  );
  const inside = await layers('ui/src/view.ts', "import type { Request } from '../../core/service/protocol/core.js';\nexport type R = Request;\n");
  assert.match(inside[0], /^ui may not import core\/service\/protocol\/core\.js; ui may import: core\/service\/index\.ts\./);
});

test('common/ importing node/ code fails; node/ and browser/ importing common/ pass', async () => {
  assert.deepEqual(await layers(`core/engine/common/${FIXTURE}`, "import { open } from '../node/openModel.js';\nexport const o = open;\n"), [
    'common/ may not import node/ code (core/engine/node/openModel.js); common/ may import: common/. ' +
      'Instead: declare an interface in common/ and pass the node/ implementation in from the caller.',
  ]);
  const browser = await layers('ui/browser/view.ts', "import { x } from '../node/server.js';\nexport const y = x;\n");
  assert.match(browser[0], /^browser\/ may not import node\/ code \(ui\/node\/server\.js\); browser\/ may import: common\/, browser\/\./);
});

test('allowed imports pass', async () => {
  const allowed: [string, string][] = [
    [`core/engine/node/${FIXTURE}`, "import { readFile } from 'node:fs/promises';\nimport { ArgumentError } from '../../base/common/errors.js';\nexport const a = [readFile, ArgumentError];\n"],
    [`core/engine/common/${FIXTURE}`, "import { ArgumentError } from '../../base/common/errors.js';\nimport { createSampler } from './sampling/sampler.js';\nexport const a = [ArgumentError, createSampler];\n"],
    [`core/assistant/${FIXTURE}`, "import { createSampler } from '../engine/common/sampling/sampler.js';\nexport const a = createSampler;\n"],
    [`core/cli/${FIXTURE}`, "import { parseCommand } from './args.js';\nimport { x } from '../service/index.js';\nimport { y } from '../engine/node/openModel.js';\nexport const a = [parseCommand, x, y];\n"],
    ['extension/src/chat.ts', "import * as vscode from 'vscode';\nimport { Core } from '../../core/service/index.js';\nimport { y } from '@pinpoint/core/service';\nexport const a = [vscode, Core, y];\n"],
    ['desktop/electron-main/main.ts', "import { app } from 'electron';\nimport { join } from 'node:path';\nimport { Core } from '../../core/service/index.js';\nexport const a = [app, join, Core];\n"],
    ['test/core/engine/anything.test.ts', "import { readFileSync } from 'node:fs';\nimport { x } from '../../../core/rag/common/y.js';\nexport const a = [readFileSync, x];\n"],
  ];
  for (const [path, code] of allowed) {
    assert.deepEqual(await lint(path, code), [], path);
  }
});
