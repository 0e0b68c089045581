// The service itself: a messenger that validates every request on arrival, with the handlers of
// every area registered on it. Runs wherever it is put: in a worker thread or child process
// (serviceMain.ts, through createServiceHost) or on the caller's thread (tests, tools).

import { createInProcessMessengers } from '../common/messenger/inProcess.js';
import type { IMessenger } from '../common/messenger/IMessenger.js';
import { Messenger } from '../common/messenger/Messenger.js';
import type { Transport } from '../common/messenger/wire.js';
import type { NoRequests, ToService } from '../common/protocol.js';
import { validateRequest } from '../common/validation/validators.js';
import { registerAskHandlers } from './handlers/askHandlers.js';
import { ServiceContext, type OnRequest, type ServiceConfig } from './handlers/context.js';
import { registerIndexHandlers } from './handlers/indexHandlers.js';
import { registerModelHandlers } from './handlers/modelHandlers.js';
import { registerSearchHandlers } from './handlers/searchHandlers.js';
import { registerSystemHandlers } from './handlers/systemHandlers.js';

/** A running service. */
export interface RunningService {
  /** Stops it: requests in flight are cancelled, workers and embedders disposed. */
  dispose(): Promise<void>;
}

/** The service's end of a transport: every request is checked by its validator before a handler sees it. */
export function createServiceMessenger(transport: Transport): Messenger<ToService, NoRequests> {
  return new Messenger<ToService, NoRequests>(transport, { validate: validateRequest, idPrefix: 's' });
}

/** Registers every area's handlers on `messenger`. */
export function startService(messenger: IMessenger<ToService, NoRequests>, config: ServiceConfig): RunningService {
  const context = new ServiceContext(config);
  const on: OnRequest = (type, handler) => {
    messenger.on(type, handler);
    context.answered.add(type);
  };
  registerSystemHandlers(on, context);
  registerIndexHandlers(on, context);
  registerSearchHandlers(on, context);
  registerModelHandlers(on, context);
  registerAskHandlers(on, context);
  return {
    async dispose(): Promise<void> {
      messenger.dispose();
      await context.dispose();
    },
  };
}

/**
 * The service on the caller's thread, behind an in-process messenger (structured-cloned messages,
 * as over a worker). For tests and tools: a shell uses createServiceHost, which never blocks it.
 */
export function startInProcessService(config: Omit<ServiceConfig, 'hostedIn'>): { readonly messenger: IMessenger<NoRequests, ToService>; dispose(): Promise<void> } {
  const { client, service } = createInProcessMessengers<ToService>({ validate: validateRequest, idPrefix: 's' });
  const running = startService(service, { ...config, hostedIn: 'in-process' });
  return {
    messenger: client,
    async dispose(): Promise<void> {
      client.dispose();
      await running.dispose();
    },
  };
}
