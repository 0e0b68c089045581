// GET /models of an OpenAI-compatible server: the models it serves ({data: [{id, owned_by, created}]}),
// e.g. to offer a choice in settings or to check that a configured model exists.

import { RemoteError } from './RemoteError.js';
import { resolveOpenAiSettings, type OpenAiSettings, type ResolvedOpenAiSettings } from './settings.js';
import { sendRequest } from './transport.js';

/** One model a server offers. */
export interface RemoteModelInfo {
  /** The name to use in requests, e.g. `qwen2.5:1.5b`. */
  readonly id: string;
  /** Owner as the server reports it (`library`, `organization_owner`...), if any. */
  readonly ownedBy?: string;
  /** Creation time in Unix seconds, if the server reports it. */
  readonly created?: number;
}

/**
 * The models the server lists, in its order.
 * @throws ArgumentError for bad settings; RemoteError (HTTP, connection, timeout, protocol); CancelledError.
 */
export async function listModels(settings: OpenAiSettings | ResolvedOpenAiSettings, signal?: AbortSignal): Promise<RemoteModelInfo[]> {
  const resolved = 'apiBase' in settings ? settings : resolveOpenAiSettings(settings);
  const response = await sendRequest(resolved, { method: 'GET', path: '/models', accept: 'application/json', signal });
  const value = await response.json();
  const data = typeof value === 'object' && value !== null ? (value as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) throw new RemoteError(response.endpoint, 'protocol', 'the model list has no "data" list');
  return data.map((item: unknown, i): RemoteModelInfo => {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof record.id !== 'string' || record.id === '') throw new RemoteError(response.endpoint, 'protocol', `the model list's item ${i} has no "id"`);
    const info: { id: string; ownedBy?: string; created?: number } = { id: record.id };
    if (typeof record.owned_by === 'string') info.ownedBy = record.owned_by;
    if (typeof record.created === 'number') info.created = record.created;
    return info;
  });
}
