// Schema check of a model catalog, run when it is loaded: every field's type and range, unknown
// fields (typos), unique ids, safe file paths, sizes that add up, URLs pinned to the stated
// revision. All problems are reported at once, each as `<path>: <problem>`, e.g.
// `models[2].files[0].sha256: should be 64 lowercase hex characters or null; found "abc"`.

import { ModelFileError } from '../../base/common/errors.js';
import type { Catalog } from './catalog.js';
import { isModelId } from './modelId.js';

/** Checks one value; returns the problem ("should be ...") or undefined. */
type Rule = (value: unknown) => string | undefined;

interface Field {
  readonly rule: Rule;
  readonly optional?: boolean;
}

type Shape = Readonly<Record<string, Field>>;
type Json = Record<string, unknown>;

function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (pattern?: RegExp, what = 'a non-empty string'): Rule => (value) =>
  typeof value === 'string' && value.trim() !== '' && (!pattern || pattern.test(value)) ? undefined : `should be ${what}; found ${show(value)}`;
const oneOf = (...values: string[]): Rule => (value) =>
  typeof value === 'string' && values.includes(value) ? undefined : `should be one of ${values.join(', ')}; found ${show(value)}`;
const integer = (min: number): Rule => (value) =>
  Number.isSafeInteger(value) && (value as number) >= min ? undefined : `should be an integer >= ${min}; found ${show(value)}`;
const orNull = (rule: Rule): Rule => (value) => (value === null ? undefined : rule(value)?.replace(/;/, ' or null;'));
const string: Rule = (value) => (typeof value === 'string' ? undefined : `should be a string; found ${show(value)}`);
const anything: Rule = () => undefined;

const SHA256 = /^[0-9a-f]{64}$/;
const FILE_PATH = /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._\-/]+$/;

const FILE_SHAPE: Shape = {
  path: { rule: text(FILE_PATH, 'a relative path with / separators, without . or .. parts') },
  url: { rule: text(/^https?:\/\/[^\s/]+\/\S*$/, 'an http(s) URL') },
  size: { rule: orNull(integer(0)) },
  sha256: { rule: orNull(text(SHA256, '64 lowercase hex characters')) },
};

const MEMORY_SHAPE: Shape = {
  contextTokens: { rule: integer(1) },
  weightsBytes: { rule: integer(0) },
  kvCacheBytes: { rule: integer(0) },
  ramBytes: { rule: integer(1) },
};

const EMBEDDING_SHAPE: Shape = {
  dimensions: { rule: integer(1) },
  pooling: { rule: oneOf('cls', 'mean') },
  maxTokens: { rule: integer(1) },
  dtype: { rule: text() },
  queryPrefix: { rule: string },
  documentPrefix: { rule: string },
};

const ENTRY_SHAPE: Shape = {
  id: { rule: (value) => (typeof value === 'string' && isModelId(value) ? undefined : `should be a model id (lowercase letters, digits, . _ -); found ${show(value)}`) },
  displayName: { rule: text() },
  kind: { rule: oneOf('chat', 'embedding') },
  format: { rule: oneOf('gguf', 'folder') },
  license: { rule: text() },
  licenseUrl: { rule: text(/^https:\/\//, 'an https URL'), optional: true },
  repository: { rule: text(/^[\w.-]+\/[\w.-]+$/, 'owner/name'), optional: true },
  revision: { rule: text(/^[\w.-]+$/, 'a commit or branch name'), optional: true },
  parameters: { rule: text(), optional: true },
  quantization: { rule: text(), optional: true },
  contextLength: { rule: integer(1), optional: true },
  description: { rule: text(), optional: true },
  files: { rule: (value) => (Array.isArray(value) && value.length > 0 ? undefined : `should be a non-empty list of files; found ${show(value)}`) },
  sizeBytes: { rule: orNull(integer(0)) },
  memory: { rule: anything },
  embedding: { rule: anything, optional: true },
};

/** Checks the fields of an object against a shape; returns the object when it is one. */
function checkShape(value: unknown, path: string, shape: Shape, problems: string[]): Json | undefined {
  if (!isObject(value)) {
    problems.push(`${path}: should be an object; found ${show(value)}`);
    return undefined;
  }
  for (const [key, field] of Object.entries(shape)) {
    if (field.optional && value[key] === undefined) continue;
    const problem = field.rule(value[key]);
    if (problem) problems.push(`${path}.${key}: ${problem}`);
  }
  for (const key of Object.keys(value)) {
    if (!(key in shape)) problems.push(`${path}.${key}: unknown field; known fields are ${Object.keys(shape).join(', ')}`);
  }
  return value;
}

/** Checks one file; returns its size (null when unknown, undefined when malformed). */
function checkFile(file: unknown, path: string, revision: unknown, problems: string[]): number | null | undefined {
  const checked = checkShape(file, path, FILE_SHAPE, problems);
  if (!checked) return undefined;
  const url = typeof checked.url === 'string' ? checked.url : '';
  const pinned = /\/resolve\/([^/]+)\//.exec(url);
  if (pinned && typeof revision === 'string' && pinned[1] !== revision) {
    problems.push(`${path}.url: is pinned to "${pinned[1]}" but the entry's revision is "${revision}"`);
  }
  return Number.isSafeInteger(checked.size) ? (checked.size as number) : checked.size === null ? null : undefined;
}

/** Cross-field checks of one entry: files, total size, format, kind and memory. */
function checkEntry(entry: Json, path: string, problems: string[]): void {
  const files = Array.isArray(entry.files) ? entry.files : [];
  const sizes = files.map((file, i) => checkFile(file, `${path}.files[${i}]`, entry.revision, problems));
  const paths = files.map((file) => (isObject(file) ? file.path : undefined));
  paths.forEach((p, i) => {
    if (typeof p === 'string' && paths.indexOf(p) !== i) problems.push(`${path}.files[${i}].path: "${p}" is listed twice`);
  });
  if (!sizes.includes(undefined)) {
    const known = sizes.every((size) => size !== null);
    const sum = known ? (sizes as number[]).reduce((a, b) => a + b, 0) : null;
    if (entry.sizeBytes !== sum) problems.push(`${path}.sizeBytes: should be ${sum === null ? 'null (a file size is unknown)' : `${sum}, the sum of the file sizes`}; found ${show(entry.sizeBytes)}`);
  }
  if (entry.format === 'gguf' && (files.length !== 1 || !(typeof paths[0] === 'string' && paths[0].toLowerCase().endsWith('.gguf')))) {
    problems.push(`${path}.files: a gguf model should have exactly one file ending in .gguf`);
  }
  if (entry.kind === 'embedding') {
    if (entry.embedding === undefined) problems.push(`${path}.embedding: is required for an embedding model`);
    else checkShape(entry.embedding, `${path}.embedding`, EMBEDDING_SHAPE, problems);
  } else if (entry.embedding !== undefined) {
    problems.push(`${path}.embedding: is only for embedding models (kind is ${show(entry.kind)})`);
  }
  const memory = checkShape(entry.memory, `${path}.memory`, MEMORY_SHAPE, problems);
  if (memory && Number(memory.ramBytes) < Number(memory.weightsBytes) + Number(memory.kvCacheBytes)) {
    problems.push(`${path}.memory.ramBytes: should be at least weightsBytes + kvCacheBytes`);
  }
}

/**
 * Checks that `value` (parsed JSON) is a valid catalog and returns it typed.
 * @param source the file it came from, for the error message.
 * @throws ModelFileError listing every problem, each with its path in the file.
 */
export function validateCatalog(value: unknown, source: string): Catalog {
  const problems: string[] = [];
  if (!isObject(value)) problems.push(`should be an object {"schemaVersion": 1, "models": [...]}; found ${show(value)}`);
  else {
    if (value.schemaVersion !== 1) problems.push(`schemaVersion: should be 1; found ${show(value.schemaVersion)}`);
    if (!Array.isArray(value.models)) problems.push(`models: should be a list; found ${show(value.models)}`);
    for (const key of Object.keys(value)) if (key !== 'schemaVersion' && key !== 'models') problems.push(`${key}: unknown field`);
  }
  const models = isObject(value) && Array.isArray(value.models) ? value.models : [];
  const seen = new Set<string>();
  models.forEach((model, i) => {
    const path = `models[${i}]`;
    const entry = checkShape(model, path, ENTRY_SHAPE, problems);
    if (!entry) return;
    if (typeof entry.id === 'string') {
      if (seen.has(entry.id)) problems.push(`${path}.id: "${entry.id}" is used by an earlier entry`);
      seen.add(entry.id);
    }
    checkEntry(entry, path, problems);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 25).map((p) => `\n  - ${p}`).join('');
    const more = problems.length > 25 ? `\n  ... and ${problems.length - 25} more` : '';
    throw new ModelFileError(source, `invalid model catalog (${problems.length} problem${problems.length > 1 ? 's' : ''}):${shown}${more}`);
  }
  return value as Catalog;
}
