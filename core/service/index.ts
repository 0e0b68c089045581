// The one door of the core for shells (eslint/layerTable.js SHELL_ENTRY): the protocol's types,
// the messenger, the validators, and the host factory that runs the service off the caller's
// thread. A shell imports nothing else from core.

export type * from './common/protocol.js';
export type * from './common/messages/ask.js';
export type * from './common/messages/indexing.js';
export type * from './common/messages/models.js';
export type * from './common/messages/search.js';
export type * from './common/messages/system.js';
export type { Disposable, IMessenger, RequestContext, RequestHandler, RequestOptions } from './common/messenger/IMessenger.js';
export type { Transport, WireMessage } from './common/messenger/wire.js';
export { Messenger, type MessengerOptions } from './common/messenger/Messenger.js';
export { createInProcessMessengers, createTransportPair } from './common/messenger/inProcess.js';
export { ServiceError, errorCodeOf } from './common/errors.js';
export { PROTOCOL_VERSION, STREAMED_REQUESTS, isStreamed } from './common/messageTypes.js';
export { REQUEST_TYPES, VALIDATORS, validateRequest } from './common/validation/validators.js';
export { createServiceHost, type ServiceHost, type ServiceHostOptions } from './node/createServiceHost.js';
export { startInProcessService } from './node/startService.js';
