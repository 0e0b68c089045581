// The legacy "dylink" section of tree-sitter-wasms grammars is rewritten as "dylink.0" with the
// same memory and table sizes; modules already in the new layout pass through unchanged.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { upgradeDylinkSection } from '../../../../../core/rag/chunk/common/wasmDylink.js';
import { resolveTreeSitterPaths } from '../../../../../core/rag/chunk/node/treeSitterPaths.js';

/** The WebAssembly API (the test project's libraries do not declare it; Node has it). */
interface WasmApi {
  readonly Module: {
    new (bytes: Uint8Array): object;
    customSections(module: object, name: string): ArrayBuffer[];
    imports(module: object): unknown[];
  };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function leb(bytes: Uint8Array, at: { i: number }): number {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[at.i++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return value;
}

test('every grammar of the eight languages gets a dylink.0 section with its memory info kept', () => {
  const { grammarDir } = resolveTreeSitterPaths();
  for (const grammar of ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java', 'c', 'cpp', 'c_sharp']) {
    const bytes = new Uint8Array(readFileSync(join(grammarDir, `tree-sitter-${grammar}.wasm`)));
    const legacy = wasm.Module.customSections(new wasm.Module(bytes), 'dylink');
    assert.equal(legacy.length, 1, `${grammar} ships the legacy section`);
    const upgraded = upgradeDylinkSection(bytes);
    const module = new wasm.Module(upgraded);
    assert.equal(wasm.Module.customSections(module, 'dylink').length, 0);
    const [section] = wasm.Module.customSections(module, 'dylink.0');
    const modern = new Uint8Array(section);
    const old = new Uint8Array(legacy[0]);
    assert.equal(modern[0], 1, 'memory-info subsection first');
    const at = { i: 1 };
    leb(modern, at);
    const fromOld = { i: 0 };
    for (let k = 0; k < 4; k++) assert.equal(leb(modern, at), leb(old, fromOld), `${grammar} memory field ${k}`);
    assert.deepEqual(wasm.Module.imports(module), wasm.Module.imports(new wasm.Module(bytes)));
    assert.equal(upgradeDylinkSection(upgraded), upgraded, 'already upgraded: unchanged');
  }
});

test('bytes that are not a legacy module come back unchanged', () => {
  const web = new Uint8Array(readFileSync(resolveTreeSitterPaths().runtime));
  assert.equal(upgradeDylinkSection(web), web);
  const short = new Uint8Array([0, 97, 115, 109]);
  assert.equal(upgradeDylinkSection(short), short);
});
