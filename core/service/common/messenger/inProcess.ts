// In-process messengers: two Transports joined back to back on one thread. Each envelope is
// structured-cloned and delivered on a microtask, so in-process code sees what it would see over
// a worker boundary (no shared objects, no synchronous re-entry), only without the thread.

import type { NoRequests, RequestMap } from '../protocol.js';
import { Messenger, type MessengerOptions } from './Messenger.js';
import type { Transport, WireMessage } from './wire.js';

interface End {
  receive?: (message: unknown) => void;
  closed?: (error?: Error) => void;
  open: boolean;
}

function transportOf(self: End, other: End): Transport {
  return {
    post(message: WireMessage): void {
      if (!self.open || !other.open) return;
      const copy = structuredClone(message);
      queueMicrotask(() => other.open && other.receive?.(copy));
    },
    onMessage: (listener) => void (self.receive = listener),
    onClose: (listener) => void (self.closed = listener),
    close(): void {
      if (!self.open) return;
      self.open = false;
      queueMicrotask(() => other.closed?.());
    },
  };
}

/** Two transports joined to each other. */
export function createTransportPair(): [Transport, Transport] {
  const a: End = { open: true }, b: End = { open: true };
  return [transportOf(a, b), transportOf(b, a)];
}

/**
 * Two in-process messengers joined: `service` answers the requests of `P` (checked by
 * `options.validate`), `client` sends them.
 */
export function createInProcessMessengers<P extends RequestMap>(options: MessengerOptions = {}): {
  readonly client: Messenger<NoRequests, P>;
  readonly service: Messenger<P, NoRequests>;
} {
  const [clientEnd, serviceEnd] = createTransportPair();
  return { client: new Messenger<NoRequests, P>(clientEnd, { idPrefix: 'c' }), service: new Messenger<P, NoRequests>(serviceEnd, options) };
}
