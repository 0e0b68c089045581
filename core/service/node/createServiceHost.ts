// The host factory shells call: starts the service off the caller's thread - a worker thread
// (default) or a child process - and hands back the calling end of the messenger. The caller's
// event loop never runs core work: indexing, search and generation all happen on the other side.
// `new Core(messenger, host)` is then the same line in every shell.

import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ArgumentError, BugIndicatingError } from '../../base/common/errors.js';
import type { IMessenger } from '../common/messenger/IMessenger.js';
import { Messenger } from '../common/messenger/Messenger.js';
import type { Transport } from '../common/messenger/wire.js';
import type { NoRequests, ToService } from '../common/protocol.js';
import type { ServiceConfig } from './handlers/context.js';
import { childTransport, isControl, workerTransport } from './nodeTransports.js';

/** Options of createServiceHost. */
export interface ServiceHostOptions {
  /** The index database folder. */
  readonly dbDir: string;
  /** Model cache folder; default the OS convention (or PINPOINT_CACHE_DIR). */
  readonly cacheDir?: string;
  /** Absolute cross-encoder model folder that reranks every search; default none (see ServiceConfig.reranker). */
  readonly reranker?: string;
  /** "worker" (a worker thread; default) or "child-process" (a separate Node process, own heap). */
  readonly isolation?: 'worker' | 'child-process';
  /** Milliseconds to wait for the service to start; default 30,000. */
  readonly startTimeoutMs?: number;
  /** Milliseconds dispose() waits for a clean stop before it kills the service; default 5,000. */
  readonly stopTimeoutMs?: number;
}

/** A running service host. */
export interface ServiceHost {
  /** The calling end: send requests of the protocol. */
  readonly messenger: IMessenger<NoRequests, ToService>;
  readonly hostedIn: 'worker' | 'child-process';
  /** Resolves when the service has ended: after dispose(), or when it died (its messenger then rejects every request). */
  readonly exited: Promise<void>;
  /** Stops the service: requests in flight are cancelled; killed if it does not stop in time. */
  dispose(): Promise<void>;
}

/** The entry the service runs: the bundled serviceMain.js, or the sources under tsx. */
function entryPath(): string {
  const fromSources = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(new URL(fromSources ? './serviceMainFromSources.mjs' : './serviceMain.js', import.meta.url));
  if (!existsSync(path)) throw new BugIndicatingError(`the service entry ${path} is missing: scripts/build.mjs should bundle core/service/node/serviceMain.ts`);
  return path;
}

interface Started {
  readonly transport: Transport;
  /** Resolves when the service has ended. */
  readonly exited: Promise<void>;
  readonly kill: () => void;
  /** Resolves on "ready"; rejects if the service fails first. */
  readonly ready: Promise<void>;
}

function readyOf(emitter: Worker | ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (value: unknown): void => {
      if (!isControl(value, 'ready')) return;
      emitter.off('message', onMessage);
      resolve();
    };
    emitter.on('message', onMessage);
    emitter.once('error', reject);
    emitter.once('exit', (code: number | null) => reject(new BugIndicatingError(`the ${what} exited before it was ready (code ${code})`)));
  });
}

function startWorker(config: ServiceConfig): Started {
  const worker = new Worker(entryPath(), { workerData: { config } });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return { transport: workerTransport(worker), exited, kill: () => void worker.terminate(), ready: readyOf(worker, 'service worker') };
}

function startChild(config: ServiceConfig): Started {
  const child = fork(entryPath(), [JSON.stringify(config)], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  return { transport: childTransport(child), exited, kill: () => void child.kill('SIGKILL'), ready: readyOf(child, 'service process') };
}

function timeout(ms: number, what: string): { promise: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new BugIndicatingError(`${what} took over ${ms} ms`)), ms)));
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * Starts the service in a worker thread (or a child process) and resolves once it is ready.
 * @throws BugIndicatingError when it fails to start or is not ready in time.
 */
export async function createServiceHost(options: ServiceHostOptions): Promise<ServiceHost> {
  const isolation = options.isolation ?? 'worker';
  if (options.reranker !== undefined && !isAbsolute(options.reranker)) throw new ArgumentError(`The reranker folder should be an absolute path, not ${JSON.stringify(options.reranker)}`);
  const config: ServiceConfig = { dbDir: options.dbDir, cacheDir: options.cacheDir, reranker: options.reranker, hostedIn: isolation };
  const started = isolation === 'worker' ? startWorker(config) : startChild(config);
  const limit = timeout(options.startTimeoutMs ?? 30_000, 'starting the service');
  try {
    await Promise.race([started.ready, limit.promise]);
  } catch (error) {
    started.kill();
    throw error;
  } finally {
    limit.clear();
  }
  const messenger = new Messenger<NoRequests, ToService>(started.transport, { idPrefix: 'h' });
  let disposed: Promise<void> | undefined;
  return {
    messenger,
    hostedIn: isolation,
    exited: started.exited,
    dispose(): Promise<void> {
      disposed ??= (async () => {
        messenger.dispose();
        const stop = timeout(options.stopTimeoutMs ?? 5000, 'stopping the service');
        await Promise.race([started.exited, stop.promise]).catch(() => started.kill());
        stop.clear();
        await started.exited;
      })();
      return disposed;
    },
  };
}
