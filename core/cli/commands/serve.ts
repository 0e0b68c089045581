// `pinpoint serve`: the service over HTTP on 127.0.0.1 for other local tools. The core runs in a
// worker thread (createServiceHost); the server admits only loopback clients that name it by
// 127.0.0.1/localhost and carry the bearer token made at start, printed once (and written to a
// 0600 file with --token-file). Ctrl-C or SIGTERM cancels what is in flight and stops cleanly.

import { open, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createServiceHost } from '../../service/node/createServiceHost.js';
import { createToken } from '../../service/node/http/auth.js';
import { startHttpServer } from '../../service/node/http/httpServer.js';
import { defineCommand } from '../args.js';
import { EXIT_INTERNAL, EXIT_OK } from '../exitCodes.js';
import { indexDirectory } from '../indexLocation.js';
import { checkRerankerFolder, RERANKER_FLAG } from '../rerankerFlag.js';
import { command, type CommandIo } from './command.js';

const spec = defineCommand({
  name: 'serve',
  summary: 'Serve the core over HTTP on 127.0.0.1 (bearer token, JSON requests, server-sent events).',
  flags: {
    port: { type: 'int', default: 0, min: 0, max: 65535, description: 'Port on 127.0.0.1 (default 0: a free port, printed).' },
    db: { type: 'string', valueName: 'DIR', description: 'Index folder (default: $PINPOINT_INDEX_DIR or <cache>/index).' },
    tokenFile: { type: 'string', valueName: 'FILE', description: 'Also write the token to FILE (created with mode 0600; removed on exit).' },
    reranker: { ...RERANKER_FLAG, description: `${RERANKER_FLAG.description} Applies to every search and question; requests cannot name another.` },
    json: { type: 'boolean', description: 'Print {"url", "port", "token", "tokenFile"} as one JSON line.' },
  },
});

/** Writes the token to a new file only its owner can read (an old file is replaced, never reused with its mode). */
async function writeTokenFile(path: string, token: string): Promise<void> {
  await rm(path, { force: true });
  const file = await open(path, 'wx', 0o600);
  try {
    await file.writeFile(token + '\n');
  } finally {
    await file.close();
  }
}

/** Resolves on Ctrl-C (the command's signal) or SIGTERM; `dispose` removes the listeners. */
function stopSignals(io: CommandIo): { readonly stopped: Promise<string>; dispose(): void } {
  let done: (why: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (done = resolve));
  const onTerm = (): void => done('SIGTERM');
  const onInt = (): void => done('SIGINT');
  process.once('SIGTERM', onTerm);
  io.signal.addEventListener('abort', onInt, { once: true });
  if (io.signal.aborted) onInt();
  return {
    stopped,
    dispose: () => {
      process.off('SIGTERM', onTerm);
      io.signal.removeEventListener('abort', onInt);
    },
  };
}

/** `pinpoint serve`: runs until Ctrl-C or SIGTERM. */
export const serveCommand = command(spec, async (flags, _positionals, io) => {
  const dbDir = indexDirectory(flags.db);
  const reranker = await checkRerankerFolder(flags.reranker);
  const host = await createServiceHost({ dbDir, reranker });
  const log = (line: string): void => void io.stderr.write(`pinpoint serve: ${line}\n`);
  host.messenger.onError((error) => log(`service error: ${error.message}`));
  const token = createToken();
  const tokenFile = flags.tokenFile ? resolve(flags.tokenFile) : undefined;
  try {
    const server = await startHttpServer({ messenger: host.messenger, token, port: flags.port, log });
    try {
      if (tokenFile) await writeTokenFile(tokenFile, token);
      if (flags.json) io.stdout.write(JSON.stringify({ url: server.url, port: server.port, token, ...(tokenFile ? { tokenFile } : {}) }) + '\n');
      else io.stdout.write(`Pinpoint service on ${server.url} (index: ${dbDir}${reranker ? `; reranker: ${reranker}` : ''})\nToken: ${token}\n${tokenFile ? `Token file: ${tokenFile}\n` : ''}`);
      const signals = stopSignals(io);
      const why = await Promise.race([signals.stopped, host.exited.then(() => 'died')]).finally(() => signals.dispose());
      if (why === 'died') {
        log('the service stopped unexpectedly; stopping the server');
        return EXIT_INTERNAL;
      }
      log(`${why}: stopping`);
    } finally {
      await server.close();
      if (tokenFile) await rm(tokenFile, { force: true });
    }
  } finally {
    await host.dispose();
  }
  return EXIT_OK;
});
