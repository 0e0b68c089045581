// Tests of the full-text analysis: identifier parts and expansion, the describing text of code
// (signatures, docstrings, comments), the two indexed fields, and table names.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeQuery, describingText, expandIdentifier, identifierParts, searchFields } from '../../../../core/rag/store/common/analysis.js';
import { shortHash } from '../../../../core/rag/embed/common/embedderId.js';
import { chunkTableName, slug } from '../../../../core/rag/store/common/tableName.js';
import { filesCondition, sqlString } from '../../../../core/rag/store/common/schema.js';

test('identifiers split at case changes, underscores, dots and digits', () => {
  assert.deepEqual(identifierParts('getUserName'), ['get', 'User', 'Name']);
  assert.deepEqual(identifierParts('HTTPServerError'), ['HTTP', 'Server', 'Error']);
  assert.deepEqual(identifierParts('snake_case_name'), ['snake', 'case', 'name']);
  assert.deepEqual(identifierParts('os.path.join'), ['os', 'path', 'join']);
  assert.deepEqual(identifierParts('utf8Decode'), ['utf', '8', 'Decode']);
  assert.deepEqual(identifierParts('__init__'), ['init']);
  assert.deepEqual(identifierParts('plain'), ['plain']);
});

test('expansion keeps the whole identifier, adds its parts and its joined form', () => {
  assert.equal(expandIdentifier('getUserName'), 'getUserName get User Name getusername');
  assert.equal(expandIdentifier('get_user_name'), 'get_user_name get user name getusername');
  assert.equal(expandIdentifier('word'), 'word');
  assert.equal(analyzeQuery('how to call os.path.join?'), 'how to call os.path.join os path join ospathjoin?');
});

test('describing text of code: signatures, docstrings and comments', () => {
  const python = 'def is_iterable(obj):\n    """Tell whether obj\n    is iterable."""\n    # fast path\n    return hasattr(obj, "__iter__")  # duck typing\n';
  assert.equal(describingText(python), 'def is_iterable(obj):\nTell whether obj\n    is iterable.\nfast path\nduck typing');
  const ts = 'export async function readFile(path: string): Promise<string> {\n  /** Reads it.\n   * All of it. */\n  return x; // done\n}';
  assert.equal(describingText(ts), 'export async function readFile(path: string): Promise<string> {\nReads it.\nAll of it.\ndone');
});

test('search fields: prose gets its context as summary; code also its describing text', () => {
  const prose = searchFields({ text: 'Alpha beta.', context: 'Intro > Setup', language: 'markdown' });
  assert.deepEqual(prose, { body: 'Intro > Setup\nAlpha beta.', summary: 'Intro > Setup' });
  const code = searchFields({ text: 'def fooBar():\n    # compute it\n    pass', context: 'class Baz', language: 'python' });
  assert.equal(code.summary, 'class Baz\ndef fooBar foo Bar foobar():\ncompute it');
  assert.match(code.body, /^class Baz\ndef fooBar foo Bar foobar\(\):/);
});

test('table names are derived from corpus and embedder id, safe and distinct', () => {
  assert.equal(slug('My Project/src!'), 'my-project-src');
  assert.equal(shortHash('abc'), '1a47e90b');
  const name = chunkTableName('/home/me/My Project', 'static:glove:glove100d-top20k@a7fc?weighting=sif');
  assert.match(name, /^chunks__home-me-my-project__static-glove-glove100d-top20k-a7_[0-9a-f]{8}$/);
  assert.notEqual(name, chunkTableName('/home/me/My Project', 'static:glove:glove100d-top20k@a7fc?weighting=mean'));
});

test('SQL conditions quote their strings', () => {
  assert.equal(sqlString("it's"), "'it''s'");
  assert.equal(filesCondition([{ root: '/r', path: 'a' }, { root: '/r', path: "b'c" }]), "(root = '/r' AND path IN ('a', 'b''c'))");
  assert.equal(filesCondition([]), 'false');
});
