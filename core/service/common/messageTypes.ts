// Runtime facts about the message types that the protocol's types cannot carry: the protocol
// version and which requests stream events (kept equal to the event types of ToService by a
// compile-time check, so the HTTP server's choice of server-sent events cannot drift).

import type { EventOf, RequestType, ToService } from './protocol.js';

/** Version of the protocol: a major change breaks shells of the previous major. */
export const PROTOCOL_VERSION = '1.0';

/** The request types whose events are not `never`. */
type StreamedType = { [K in RequestType]: [EventOf<ToService, K>] extends [never] ? never : K }[RequestType];

/** The requests that stream events while they run. */
export const STREAMED_REQUESTS = ['index/start', 'ask/question', 'models/pull'] as const satisfies readonly StreamedType[];

/** Fails to compile when a streamed type is missing from STREAMED_REQUESTS. */
const everyStreamedListed: [Exclude<StreamedType, (typeof STREAMED_REQUESTS)[number]>] extends [never] ? true : false = true;
void everyStreamedListed;

/** True when requests of `type` stream events. */
export function isStreamed(type: string): boolean {
  return (STREAMED_REQUESTS as readonly string[]).includes(type);
}
