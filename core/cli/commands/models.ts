// `pinpoint models list|pull|import|rm`: the model cache from the command line. list shows the
// installed models (size, source), unfinished downloads and what the catalog offers; pull
// downloads a catalog model (resumable, verified, progress bar on a TTY); import brings in a
// local GGUF file or model folder; rm deletes one. --json prints one JSON object per command.

import { ArgumentError, CancelledError } from '../../base/common/errors.js';
import type { Catalog, CatalogEntry } from '../../models/common/catalog.js';
import { importModel } from '../../models/node/importModel.js';
import { catalogOf, listModels, modelsFolder, removeModel, type ModelListEntry } from '../../models/node/modelStore.js';
import { pullModel } from '../../models/node/pullModel.js';
import { defineCommand, flagName, type FlagValues } from '../args.js';
import { EXIT_OK } from '../exitCodes.js';
import { formatBytes, ProgressBar } from '../progressBar.js';
import { command, type CommandIo } from './command.js';

const ACTIONS = ['list', 'pull', 'import', 'rm'] as const;
type Action = (typeof ACTIONS)[number];

const spec = defineCommand({
  name: 'models',
  summary: 'Manage local models: list, pull (download from the catalog), import a local file or folder, rm.',
  positionals: [
    { name: 'ACTION', description: 'list | pull | import | rm', required: true },
    { name: 'TARGET', description: 'pull: a catalog id; import: a .gguf file or model folder; rm: an installed id' },
  ],
  flags: {
    json: { type: 'boolean', description: 'Print one JSON object instead of text.' },
    id: { type: 'string', valueName: 'ID', description: 'import: id of the model in the cache; without it, one is made from the file or folder name.' },
    kind: { type: 'enum', values: ['chat', 'embedding'], description: 'import: what the model is for; without it, guessed from its files.' },
    copy: { type: 'boolean', description: 'import: copy the files instead of hard-linking them.' },
    force: { type: 'boolean', description: 'pull: download again even if the model is installed.' },
    insecureNoChecksum: { type: 'boolean', description: 'pull: accept files that neither the catalog nor the server gives a sha256 for.' },
  },
});

type Flags = FlagValues<typeof spec.flags>;

/** Which flags belong to which action (json belongs to all). */
const ACTION_FLAGS: Readonly<Record<string, Action>> = { id: 'import', kind: 'import', copy: 'import', force: 'pull', insecureNoChecksum: 'pull' };

function checkArguments(action: string, target: string | undefined, flags: Flags): Action {
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new ArgumentError(`Unknown action "${action}" for "pinpoint models". Should be one of: ${ACTIONS.join(', ')}.`);
  }
  if (action === 'list' && target !== undefined) throw new ArgumentError(`Unexpected argument "${target}": "pinpoint models list" takes none.`);
  if (action !== 'list' && target === undefined) {
    const what = action === 'import' ? 'a .gguf file or model folder' : action === 'pull' ? 'a catalog id (see pinpoint models list)' : 'an installed model id';
    throw new ArgumentError(`Missing argument for "pinpoint models ${action}": ${what}.`);
  }
  for (const [key, owner] of Object.entries(ACTION_FLAGS)) {
    const value = (flags as Record<string, unknown>)[key];
    if (owner !== action && value !== undefined && value !== false) throw new ArgumentError(`${flagName(key)} is only for "pinpoint models ${owner}".`);
  }
  return action as Action;
}

function describeSource(entry: Extract<ModelListEntry, { status: 'installed' }>): string {
  const source = entry.source;
  if (source.type === 'import') return `import (${source.mode}) ${source.path}`;
  return source.repository ? `catalog ${source.repository}@${(source.revision ?? '').slice(0, 7)}` : 'catalog';
}

/** Size of a catalog entry: its size, `>known` when a file size is unknown, `?` when none is known. */
function catalogSize(entry: CatalogEntry): string {
  if (entry.sizeBytes !== null) return formatBytes(entry.sizeBytes);
  const known = entry.files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  return known > 0 ? `>${formatBytes(known)}` : '?';
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => `  ${r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')}`);
}

async function list(flags: Flags, io: CommandIo): Promise<void> {
  const entries = await listModels();
  const catalog: Catalog = await catalogOf({});
  const installed = entries.filter((e): e is Extract<ModelListEntry, { status: 'installed' }> => e.status === 'installed');
  const incomplete = entries.filter((e) => e.status === 'incomplete');
  const available = catalog.models.filter((m) => !installed.some((e) => e.id === m.id));
  if (flags.json) {
    io.stdout.write(JSON.stringify({ modelsFolder: modelsFolder(), installed, incomplete, available }) + '\n');
    return;
  }
  const lines = [`Installed in ${modelsFolder()}:`];
  if (installed.length === 0) lines.push('  (none)');
  else lines.push(...table([['ID', 'KIND', 'SIZE', 'SOURCE'], ...installed.map((e) => [e.id, e.kind, formatBytes(e.bytes), describeSource(e)])]));
  if (incomplete.length > 0) {
    lines.push('', 'Unfinished downloads (finish with: pinpoint models pull ID):');
    lines.push(...table(incomplete.map((e) => [e.id, formatBytes(e.bytes)])));
  }
  if (available.length > 0) {
    lines.push('', 'Available in the catalog (download with: pinpoint models pull ID):');
    lines.push(...table([['ID', 'KIND', 'SIZE', 'RAM', 'LICENSE'], ...available.map((m) => [m.id, m.kind, catalogSize(m), `~${formatBytes(m.memory.ramBytes)}`, m.license])]));
  }
  io.stdout.write(lines.join('\n') + '\n');
}

async function pull(id: string, flags: Flags, io: CommandIo): Promise<void> {
  const bar = new ProgressBar(io.stderr, id);
  try {
    const result = await pullModel(id, {
      signal: io.signal,
      allowUnverified: flags.insecureNoChecksum,
      force: flags.force,
      onProgress: (p) => bar.update({ ...p, label: p.fileCount > 1 ? `${id} ${p.fileIndex + 1}/${p.fileCount}` : id }),
    });
    bar.clear();
    if (flags.json) {
      io.stdout.write(JSON.stringify(result) + '\n');
      return;
    }
    const unverified = result.files.filter((f) => f.verifiedBy === 'none').map((f) => f.path);
    const note = result.alreadyInstalled ? 'already installed' : unverified.length > 0 ? `UNVERIFIED: ${unverified.join(', ')}` : 'sha256 verified';
    io.stdout.write(`${id}: ${formatBytes(result.bytes)}, ${note}\n${result.path}\n`);
  } catch (error) {
    bar.clear();
    if (error instanceof CancelledError) io.stderr.write(`pinpoint: the partial download is kept; run "pinpoint models pull ${id}" again to resume\n`);
    throw error;
  }
}

async function run(action: Action, target: string, flags: Flags, io: CommandIo): Promise<void> {
  if (action === 'pull') return pull(target, flags, io);
  if (action === 'import') {
    const entry = await importModel(target, { ...(flags.id ? { id: flags.id } : {}), ...(flags.kind ? { kind: flags.kind } : {}), mode: flags.copy ? 'copy' : 'auto' });
    const how = entry.source.type === 'import' ? entry.source.mode : '';
    io.stdout.write(flags.json ? JSON.stringify(entry) + '\n' : `Imported ${target} as ${entry.id} (${entry.kind}, ${formatBytes(entry.bytes)}, ${how})\n${entry.path}\n`);
    return;
  }
  const removed = await removeModel(target);
  io.stdout.write(flags.json ? JSON.stringify(removed) + '\n' : `Removed ${removed.id} (${formatBytes(removed.bytes)})\n`);
}

/** `pinpoint models`: list, pull, import and rm models of the cache. */
export const modelsCommand = command(spec, async (flags, positionals, io) => {
  const [actionName, target] = positionals;
  const action = checkArguments(actionName, target, flags);
  if (action === 'list') await list(flags, io);
  else await run(action, target, flags, io);
  return EXIT_OK;
});
