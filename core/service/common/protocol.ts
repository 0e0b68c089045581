// The typed protocol between shells and the core, one map per direction (STYLE.md "Core <->
// shells"): `ToService` maps each request `area/verb` to [request, result, streamed events], and
// `FromService` maps each event the service streams back to its data. Types only: the validators
// (validation/validators.ts) and the runtime lists (messageTypes.ts) are kept exhaustive against
// these maps by `satisfies`. README.md has the table and the checklist for adding a message.

import type { AskDeltaEvent, AskDoneEvent, AskPhaseEvent, AskQuestionRequest, AskQuestionResult, AskSourcesEvent } from './messages/ask.js';
import type {
  IndexControlRequest, IndexControlResult, IndexProgressEvent, IndexStartRequest, IndexStartResult, IndexStatusRequest, IndexStatusResult,
} from './messages/indexing.js';
import type {
  ModelsImportRequest, ModelsListRequest, ModelsListResult, ModelsProgressEvent, ModelsPullRequest, ModelsPullResult, ModelsRemoveRequest,
  ModelsRemoveResult, InstalledModel,
} from './messages/models.js';
import type { FilesReadRequest, FilesReadResult, SearchQueryRequest, SearchQueryResult } from './messages/search.js';
import type { CorporaListRequest, CorporaListResult, SystemInfoRequest, SystemInfoResult } from './messages/system.js';

/** Events the service streams back while a request runs, by name, with their data. */
export type FromService = {
  'index/progress': IndexProgressEvent;
  'ask/phase': AskPhaseEvent;
  'ask/sources': AskSourcesEvent;
  'ask/delta': AskDeltaEvent;
  'ask/done': AskDoneEvent;
  'models/progress': ModelsProgressEvent;
};

/** One streamed event: its name and data (a union over the names `E`). */
export type ServiceEvent<E extends keyof FromService = keyof FromService> = { [T in E]: { readonly type: T; readonly data: FromService[T] } }[E];

/** Requests a shell sends to the service: [request, result, the events it streams (never: none)]. */
export type ToService = {
  'index/start': [IndexStartRequest, IndexStartResult, ServiceEvent<'index/progress'>];
  'index/pause': [IndexControlRequest, IndexControlResult, never];
  'index/resume': [IndexControlRequest, IndexControlResult, never];
  'index/cancel': [IndexControlRequest, IndexControlResult, never];
  'index/status': [IndexStatusRequest, IndexStatusResult, never];
  'search/query': [SearchQueryRequest, SearchQueryResult, never];
  'files/read': [FilesReadRequest, FilesReadResult, never];
  'ask/question': [AskQuestionRequest, AskQuestionResult, ServiceEvent<'ask/phase' | 'ask/sources' | 'ask/delta' | 'ask/done'>];
  'models/list': [ModelsListRequest, ModelsListResult, never];
  'models/pull': [ModelsPullRequest, ModelsPullResult, ServiceEvent<'models/progress'>];
  'models/import': [ModelsImportRequest, InstalledModel, never];
  'models/remove': [ModelsRemoveRequest, ModelsRemoveResult, never];
  'corpora/list': [CorporaListRequest, CorporaListResult, never];
  'system/info': [SystemInfoRequest, SystemInfoResult, never];
};

/** The shape of a request map: each type to [request, result, event union]. */
export type RequestMap = { readonly [type: string]: readonly [unknown, unknown, unknown] };

/** A map with no requests: what a side that only calls (or only answers) handles. */
export type NoRequests = Record<never, never>;

/** A request type of the service protocol, e.g. "search/query". */
export type RequestType = keyof ToService & string;

/** The request, result and event union of `K` in the map `P`. */
export type RequestOf<P extends RequestMap, K extends keyof P> = P[K][0];
export type ResultOf<P extends RequestMap, K extends keyof P> = P[K][1];
export type EventOf<P extends RequestMap, K extends keyof P> = P[K][2];

/**
 * Stable error codes of the protocol (HTTP status in parentheses, see node/http/status.ts):
 * bad-request (400) a malformed message or an invalid field, named; not-found (404) an unknown
 * message type, corpus, model or file; forbidden (403) a path outside the indexed roots;
 * cancelled (499) the request was cancelled; model-file (422) a model that cannot be used; limit
 * (429) a limit or a busy resource; network (502) a remote peer failed; integrity (502) data fails
 * its checksum; internal (500) a bug in Pinpoint.
 */
export type ServiceErrorCode = 'bad-request' | 'not-found' | 'forbidden' | 'cancelled' | 'model-file' | 'limit' | 'network' | 'integrity' | 'internal';

/** An error as it travels: a stable code and a message for people. */
export interface ServiceErrorData {
  readonly code: ServiceErrorCode;
  readonly message: string;
}
