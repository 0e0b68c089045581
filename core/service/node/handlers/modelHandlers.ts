// Handlers of `models/*`: the model manager of core/models behind the protocol. A pull streams
// `models/progress` events and stops on cancel (the partial download is kept for a resume).
// models/import takes a path outside the indexed roots by design: it names a model file or folder,
// which importModel checks to be one (GGUF header, model folder), and no content is returned.

import type { CatalogEntry } from '../../../models/common/catalog.js';
import { importModel } from '../../../models/node/importModel.js';
import { catalogOf, listModels, modelsFolder, removeModel, type ModelListEntry } from '../../../models/node/modelStore.js';
import { pullModel } from '../../../models/node/pullModel.js';
import { ServiceError } from '../../common/errors.js';
import type { AvailableModel, InstalledModel, ModelsListResult } from '../../common/messages/models.js';
import type { OnRequest, ServiceContext } from './context.js';

type Installed = Extract<ModelListEntry, { status: 'installed' }>;

function installedOf(entry: Installed): InstalledModel {
  const { id, displayName, kind, format, path, bytes, installedAt } = entry;
  return { id, displayName, kind, format, path, bytes, source: entry.source.type, installedAt };
}

function availableOf(entry: CatalogEntry): AvailableModel {
  const { id, displayName, kind, sizeBytes, license, description } = entry;
  return { id, displayName, kind, sizeBytes, ramBytes: entry.memory.ramBytes, license, ...(description ? { description } : {}) };
}

async function list(context: ServiceContext): Promise<ModelsListResult> {
  const entries = await listModels(context.models);
  const catalog = await catalogOf(context.models);
  const installed = entries.filter((e): e is Installed => e.status === 'installed');
  return {
    modelsFolder: modelsFolder(context.models),
    installed: installed.map(installedOf),
    incomplete: entries.filter((e) => e.status === 'incomplete').map((e) => ({ id: e.id, bytes: e.bytes })),
    available: catalog.models.filter((m) => !installed.some((e) => e.id === m.id)).map(availableOf),
  };
}

/** Registers models/list, models/pull, models/import and models/remove. */
export function registerModelHandlers(on: OnRequest, context: ServiceContext): void {
  on('models/list', () => list(context));
  on('models/pull', async (request, { signal, emit }) => {
    const result = await pullModel(request.id, {
      ...context.models,
      signal,
      force: request.force,
      onProgress: ({ id, file, fileIndex, fileCount, bytes, total, rate, etaSeconds }) =>
        emit({ type: 'models/progress', data: { id, file, fileIndex, fileCount, bytes, rate, ...(total !== undefined ? { total } : {}), ...(etaSeconds !== undefined ? { etaSeconds } : {}) } }),
    });
    const unverified = result.files.filter((f) => f.verifiedBy === 'none').map((f) => f.path);
    return { id: result.id, path: result.path, bytes: result.bytes, alreadyInstalled: result.alreadyInstalled, unverified };
  });
  on('models/import', async (request) => {
    const entry = await importModel(request.path, { ...context.models, id: request.id, kind: request.kind, mode: request.copy ? 'copy' : 'auto' });
    return installedOf(entry);
  });
  on('models/remove', async (request) => {
    const entries = await listModels(context.models);
    if (!entries.some((e) => e.id === request.id)) {
      const ids = entries.map((e) => e.id);
      throw new ServiceError('not-found', `No model "${request.id}" in the cache. Installed: ${ids.length > 0 ? ids.join(', ') : 'none'}.`);
    }
    const removed = await removeModel(request.id, context.models);
    return { id: removed.id, bytes: removed.bytes };
  });
}
