// Transports between threads and processes: a worker thread (the host's Worker, the worker's
// parentPort) and a child process (the host's ChildProcess, the child's own process channel).
// Besides the envelopes, two control messages travel here: "ready" (the service is listening)
// and "close" (the other end asks this one to stop), so a host can stop a service cleanly.

import type { ChildProcess } from 'node:child_process';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { Transport, WireMessage } from '../common/messenger/wire.js';

/** A control message of the node transports (not an envelope). */
export type ControlMessage = { readonly control: 'ready' } | { readonly control: 'close' };

/** True for a control message. */
export function isControl(value: unknown, control: ControlMessage['control']): boolean {
  return typeof value === 'object' && value !== null && (value as { control?: unknown }).control === control;
}

/** The events and sending of an endpoint, whatever it is. */
interface Endpoint {
  send(message: WireMessage | ControlMessage): void;
  on(event: 'message', listener: (value: unknown) => void): void;
  /** Registers what runs once when the endpoint is gone. */
  onGone(listener: (error?: Error) => void): void;
}

function transportOver(endpoint: Endpoint, closeEnd: () => void): Transport {
  let receive: ((message: unknown) => void) | undefined;
  let closed: ((error?: Error) => void) | undefined;
  let open = true;
  const gone = (error?: Error): void => {
    if (!open) return;
    open = false;
    closed?.(error);
  };
  endpoint.on('message', (value) => {
    if (isControl(value, 'close')) gone();
    else if (!isControl(value, 'ready')) receive?.(value);
  });
  endpoint.onGone(gone);
  return {
    post: (message) => open && endpoint.send(message),
    onMessage: (listener) => void (receive = listener),
    onClose: (listener) => void (closed = listener),
    close(): void {
      if (!open) return;
      open = false;
      closeEnd();
    },
  };
}

/** The host's end of a worker thread running the service. `close` asks the worker to stop. */
export function workerTransport(worker: Worker): Transport {
  return transportOver(
    {
      send: (message) => worker.postMessage(message),
      on: (event, listener) => void worker.on(event, listener),
      onGone: (listener) => {
        worker.once('error', (error) => listener(error));
        worker.once('exit', (code) => listener(new Error(`the service worker exited (code ${code})`)));
      },
    },
    () => worker.postMessage({ control: 'close' } satisfies ControlMessage),
  );
}

/** The worker's end (its parentPort). `close` tells the host the service stopped. */
export function parentPortTransport(port: MessagePort): Transport {
  return transportOver(
    { send: (message) => port.postMessage(message), on: (event, listener) => void port.on(event, listener), onGone: (listener) => void port.once('close', () => listener()) },
    () => port.close(),
  );
}

/** The host's end of a child process running the service (forked with an IPC channel, advanced serialization). */
export function childTransport(child: ChildProcess): Transport {
  return transportOver(
    {
      send: (message) => void child.send(message),
      on: (event, listener) => void child.on(event, listener),
      onGone: (listener) => {
        child.once('error', (error) => listener(error));
        child.once('exit', (code, signal) => listener(new Error(`the service process exited (${signal ?? `code ${code}`})`)));
      },
    },
    () => child.connected && child.send({ control: 'close' } satisfies ControlMessage),
  );
}

/** The child process's end (its own IPC channel). `close` disconnects it. */
export function processTransport(): Transport {
  return transportOver(
    {
      send: (message) => void process.send?.(message),
      on: (event, listener) => void process.on(event, listener),
      onGone: (listener) => void process.once('disconnect', () => listener()),
    },
    () => process.disconnect?.(),
  );
}
