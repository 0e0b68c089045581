// Entry of the service off the caller's thread: in a worker thread (config in workerData, messages
// on parentPort) or in a child process (config as JSON in argv[2], messages on the IPC channel).
// It starts the service, says "ready", and when the host asks it to close (or goes away) it
// disposes everything and ends.

import { parentPort, workerData } from 'node:worker_threads';
import { BugIndicatingError } from '../../base/common/errors.js';
import type { Transport } from '../common/messenger/wire.js';
import type { ServiceConfig } from './handlers/context.js';
import { parentPortTransport, processTransport, type ControlMessage } from './nodeTransports.js';
import { createServiceMessenger, startService, type RunningService } from './startService.js';

function configOf(value: unknown): ServiceConfig {
  const config = value as Partial<ServiceConfig> | undefined;
  const optional = (field: unknown) => field === undefined || typeof field === 'string';
  if (typeof config?.dbDir !== 'string' || !optional(config.cacheDir) || !optional(config.reranker)) {
    throw new BugIndicatingError(`the service was started without a valid configuration: ${JSON.stringify(value)}`);
  }
  return { dbDir: config.dbDir, cacheDir: config.cacheDir, reranker: config.reranker, hostedIn: parentPort ? 'worker' : 'child-process' };
}

const config = configOf(parentPort ? (workerData as { config?: unknown } | undefined)?.config : JSON.parse(process.argv[2] ?? 'null'));
const base = parentPort ? parentPortTransport(parentPort) : processTransport();
const started: { service?: RunningService } = {};

async function shutdown(): Promise<void> {
  await started.service?.dispose();
  process.exit(0);
}

// The messenger takes the transport's close listener; the entry adds its shutdown after it.
const transport: Transport = { ...base, onClose: (listener) => base.onClose((error) => (listener(error), void shutdown())) };
started.service = startService(createServiceMessenger(transport), config);
const ready: ControlMessage = { control: 'ready' };
if (parentPort) parentPort.postMessage(ready);
else process.send?.(ready);
