// Handlers of `corpora/list` and `system/info`: what the database holds and what the service is.

import { readCorpora } from '../../../rag/index/node/corpusRegistry.js';
import { modelsFolder } from '../../../models/node/modelStore.js';
import { PROTOCOL_VERSION } from '../../common/messageTypes.js';
import type { OnRequest, ServiceContext } from './context.js';

/** Registers corpora/list and system/info. */
export function registerSystemHandlers(on: OnRequest, context: ServiceContext): void {
  on('corpora/list', async () => {
    const corpora = await readCorpora(context.config.dbDir);
    return { corpora: Object.entries(corpora).map(([name, record]) => ({ name, roots: record.roots, embedder: record.embedder })) };
  });
  on('system/info', () => ({
    protocolVersion: PROTOCOL_VERSION,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    dbDir: context.config.dbDir,
    modelsFolder: modelsFolder(context.models),
    hostedIn: context.config.hostedIn,
    ...(context.config.reranker !== undefined ? { reranker: context.config.reranker } : {}),
    requests: [...context.answered],
  }));
}
