// The settings of an ONNX embedding model — pooling, normalization, prefixes — resolved from, in
// order of precedence: explicit options; the model's sentence-transformers files (modules.json,
// 1_Pooling/config.json, config_sentence_transformers.json prompts); the known-models table;
// defaults (mean pooling, normalized, no prefixes). Modules that would change the vectors in
// ways not done here (Dense projections, max or sqrt-length pooling) are refused at load time.

import { ModelFileError } from '../../../base/common/errors.js';
import { findKnownModel, type Pooling } from './knownModels.js';

/** How an ONNX model's output becomes the embedder's vectors. */
export interface OnnxSettings {
  readonly pooling: Pooling;
  readonly normalize: boolean;
  readonly queryPrefix: string;
  readonly documentPrefix: string;
}

/** The sentence-transformers files of a model, parsed (undefined when absent). */
export interface SentenceTransformersFiles {
  /** modules.json */
  readonly modules?: unknown;
  /** The Pooling module's config.json (usually 1_Pooling/config.json). */
  readonly pooling?: unknown;
  /** config_sentence_transformers.json */
  readonly config?: unknown;
}

/** Name of the modules file, for errors. */
const MODULES_FILE = 'modules.json';

/** Path of the Pooling module's folder named by modules.json (its config is `<path>/config.json`). */
export function poolingModulePath(modules: unknown): string | undefined {
  if (!Array.isArray(modules)) return undefined;
  const pooling = modules.find((m: { type?: unknown }) => String(m?.type ?? '').endsWith('.Pooling')) as { path?: unknown } | undefined;
  return typeof pooling?.path === 'string' ? pooling.path : undefined;
}

/** Resolves the settings of the model called `name` (hub id or folder name) in `folder`. */
export function resolveOnnxSettings(name: string, files: SentenceTransformersFiles, overrides: Partial<OnnxSettings>, folder = name): OnnxSettings {
  const known = findKnownModel(name);
  const fromFiles = settingsFromFiles(files, folder);
  return {
    pooling: overrides.pooling ?? fromFiles.pooling ?? known?.pooling ?? 'mean',
    normalize: overrides.normalize ?? fromFiles.normalize ?? known?.normalize ?? true,
    queryPrefix: overrides.queryPrefix ?? fromFiles.queryPrefix ?? known?.queryPrefix ?? '',
    documentPrefix: overrides.documentPrefix ?? fromFiles.documentPrefix ?? known?.documentPrefix ?? '',
  };
}

/** The module types of modules.json, with the path of the Pooling module. */
function readModules(modules: unknown, folder: string): { types: string[]; poolingPath?: string } | undefined {
  if (modules === undefined) return undefined;
  if (!Array.isArray(modules)) throw new ModelFileError(`${folder}/${MODULES_FILE}`, 'is not a list of modules');
  const types = modules.map((m: { type?: unknown }) => String(m?.type ?? '').split('.').pop() ?? '');
  return { types, poolingPath: poolingModulePath(modules) };
}

function settingsFromFiles(files: SentenceTransformersFiles, folder: string): Partial<OnnxSettings> {
  const out: { -readonly [K in keyof OnnxSettings]?: OnnxSettings[K] } = {};
  const modules = readModules(files.modules, folder);
  if (modules) {
    const unsupported = modules.types.filter((t) => !['Transformer', 'Pooling', 'Normalize', ''].includes(t));
    if (unsupported.length) {
      throw new ModelFileError(`${folder}/${MODULES_FILE}`, `has modules Pinpoint does not run: ${unsupported.join(', ')} (supported: Transformer, Pooling, Normalize)`);
    }
    out.normalize = modules.types.includes('Normalize');
  }
  if (files.pooling !== undefined) out.pooling = poolingFromConfig(files.pooling, `${folder}/${modules?.poolingPath ?? '1_Pooling'}/config.json`);
  const prompts = (files.config as { prompts?: Record<string, unknown> } | undefined)?.prompts;
  if (prompts && typeof prompts === 'object') {
    const text = (key: string) => (typeof prompts[key] === 'string' ? (prompts[key] as string) : undefined);
    out.queryPrefix = text('query');
    out.documentPrefix = text('document') ?? text('passage') ?? text('corpus') ?? (out.queryPrefix !== undefined ? '' : undefined);
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/** The pooling named by a sentence-transformers Pooling config. */
function poolingFromConfig(config: unknown, file: string): Pooling {
  const c = (config ?? {}) as Record<string, unknown>;
  const modes: [string, Pooling | undefined][] = [
    ['pooling_mode_cls_token', 'cls'],
    ['pooling_mode_mean_tokens', 'mean'],
    ['pooling_mode_lasttoken', 'last'],
    ['pooling_mode_max_tokens', undefined],
    ['pooling_mode_mean_sqrt_len_tokens', undefined],
    ['pooling_mode_weightedmean_tokens', undefined],
  ];
  const on = modes.filter(([key]) => c[key] === true);
  if (on.length !== 1 || on[0][1] === undefined) {
    const names = on.map(([key]) => key).join(', ') || 'none';
    throw new ModelFileError(file, `pooling modes ${names}: Pinpoint needs exactly one of pooling_mode_cls_token, pooling_mode_mean_tokens, pooling_mode_lasttoken`);
  }
  return on[0][1];
}
