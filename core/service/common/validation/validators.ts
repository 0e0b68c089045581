// The validator of every request type, run by the service on arrival before any handler sees the
// message. The table is exhaustive by construction (`satisfies` over ToService): a message added
// to the protocol without a validator does not compile. Checks of meaning that need the file
// system (is a path inside an indexed root?) come later, in the handlers (node/rootGuard.ts).

import { ServiceError } from '../errors.js';
import type { AskQuestionRequest } from '../messages/ask.js';
import type { IndexControlRequest, IndexStartRequest } from '../messages/indexing.js';
import type { ModelsImportRequest, ModelsPullRequest, ModelsRemoveRequest } from '../messages/models.js';
import type { FilesReadRequest, SearchFilters, SearchQueryRequest } from '../messages/search.js';
import type { RequestOf, RequestType, ToService } from '../protocol.js';
import { Fields, type StringRule } from './fields.js';

/** A corpus name: what corpora.json and table names accept. */
const CORPUS: StringRule = { max: 64, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, patternText: 'a corpus name (letters, digits, ".", "_", "-"; 1 to 64)' };
/** A model id of the cache. */
const MODEL_ID: StringRule = { max: 100, pattern: /^[a-z0-9][a-z0-9._-]*$/, patternText: 'a model id (lowercase letters, digits, ".", "_", "-")' };
/** An absolute path: POSIX "/..." or Windows "C:\..." / "\\server\...". */
const ABSOLUTE_PATH: StringRule = { pattern: /^(\/|[A-Za-z]:[\\/]|\\\\)/, patternText: 'an absolute path' };
/** A conversation id. */
const CONVERSATION_ID: StringRule = { max: 64, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'an id of letters, digits, "_" and "-" (1 to 64)' };

const SEARCH_MODES = ['bm25', 'dense', 'hybrid'] as const;
const MODEL_KINDS = ['chat', 'embedding'] as const;

/** A request that takes no fields: `{}` (or nothing). */
function empty(type: string) {
  return (value: unknown): Record<string, never> => {
    Fields.of(type, value ?? {}, []);
    return {};
  };
}

function indexStart(value: unknown): IndexStartRequest {
  const f = Fields.of('index/start', value, ['roots', 'corpus', 'embedder']);
  return { roots: f.stringList('roots', 1, 64, ABSOLUTE_PATH)!, corpus: f.optionalString('corpus', CORPUS), embedder: f.optionalString('embedder') };
}

function indexControl(type: string) {
  return (value: unknown): IndexControlRequest => ({ corpus: Fields.of(type, value ?? {}, ['corpus']).optionalString('corpus', CORPUS) });
}

function searchFilters(f: Fields): SearchFilters | undefined {
  const filters = f.optionalObject('filters', ['paths', 'languages', 'roots']);
  if (!filters) return undefined;
  return {
    paths: filters.stringList('paths', 0, 32, { max: 1000 }),
    languages: filters.stringList('languages', 0, 32, { max: 64 }),
    roots: filters.stringList('roots', 0, 64, ABSOLUTE_PATH),
  };
}

function searchQuery(value: unknown): SearchQueryRequest {
  const f = Fields.of('search/query', value, ['query', 'corpus', 'k', 'mode', 'filters']);
  return {
    query: f.string('query', { max: 2000 }),
    corpus: f.optionalString('corpus', CORPUS),
    k: f.optionalInteger('k', 1, 100),
    mode: f.optionalEnum('mode', SEARCH_MODES),
    filters: searchFilters(f),
  };
}

function filesRead(value: unknown): FilesReadRequest {
  const f = Fields.of('files/read', value, ['path', 'root', 'corpus', 'startLine', 'endLine']);
  const request = {
    path: f.string('path'),
    root: f.optionalString('root', ABSOLUTE_PATH),
    corpus: f.optionalString('corpus', CORPUS),
    startLine: f.optionalInteger('startLine', 1, 2 ** 31),
    endLine: f.optionalInteger('endLine', 1, 2 ** 31),
  };
  if (request.startLine !== undefined && request.endLine !== undefined && request.endLine < request.startLine) {
    f.fail('endLine', `a line at or after "startLine" (${request.startLine})`, request.endLine);
  }
  return request;
}

function askQuestion(value: unknown): AskQuestionRequest {
  const f = Fields.of('ask/question', value, ['question', 'corpus', 'model', 'conversationId', 'maxTokens', 'temperature', 'k']);
  return {
    question: f.string('question', { max: 8000 }),
    corpus: f.optionalString('corpus', CORPUS),
    model: f.string('model'),
    conversationId: f.optionalString('conversationId', CONVERSATION_ID),
    maxTokens: f.optionalInteger('maxTokens', 1, 32768),
    temperature: f.optionalNumber('temperature', 0, 2),
    k: f.optionalInteger('k', 1, 50),
  };
}

function modelsPull(value: unknown): ModelsPullRequest {
  const f = Fields.of('models/pull', value, ['id', 'force']);
  return { id: f.string('id', MODEL_ID), force: f.optionalBoolean('force') };
}

function modelsImport(value: unknown): ModelsImportRequest {
  const f = Fields.of('models/import', value, ['path', 'id', 'kind', 'copy']);
  return { path: f.string('path', ABSOLUTE_PATH), id: f.optionalString('id', MODEL_ID), kind: f.optionalEnum('kind', MODEL_KINDS), copy: f.optionalBoolean('copy') };
}

function modelsRemove(value: unknown): ModelsRemoveRequest {
  return { id: Fields.of('models/remove', value, ['id']).string('id', MODEL_ID) };
}

/** A validator per request type: checks an arriving message and returns it typed. */
export const VALIDATORS = {
  'index/start': indexStart,
  'index/pause': indexControl('index/pause'),
  'index/resume': indexControl('index/resume'),
  'index/cancel': indexControl('index/cancel'),
  'index/status': empty('index/status'),
  'search/query': searchQuery,
  'files/read': filesRead,
  'ask/question': askQuestion,
  'models/list': empty('models/list'),
  'models/pull': modelsPull,
  'models/import': modelsImport,
  'models/remove': modelsRemove,
  'corpora/list': empty('corpora/list'),
  'system/info': empty('system/info'),
} as const satisfies { readonly [K in RequestType]: (value: unknown) => RequestOf<ToService, K> };

/** Every request type, in protocol order. */
export const REQUEST_TYPES = Object.keys(VALIDATORS) as RequestType[];

/** True for a request type of the protocol. */
export function isRequestType(type: string): type is RequestType {
  return Object.hasOwn(VALIDATORS, type);
}

/**
 * Checks a request of `type` as it arrives.
 * @throws ServiceError not-found for an unknown type, bad-request for a bad field (named).
 */
export function validateRequest(type: string, value: unknown): unknown {
  if (!isRequestType(type)) throw new ServiceError('not-found', `Unknown request "${type}". Should be one of: ${REQUEST_TYPES.join(', ')}.`);
  return VALIDATORS[type](value);
}
