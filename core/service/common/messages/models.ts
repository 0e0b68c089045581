// Protocol types of the `models/*` area: list the model cache and the catalog, pull a catalog
// model (progress streamed), import a local model file or folder, remove one. Types only.

/** What a model is for. */
export type ModelKind = 'chat' | 'embedding';

/** `models/list`: takes no fields. */
export type ModelsListRequest = Readonly<Record<string, never>>;

/** An installed model. */
export interface InstalledModel {
  readonly id: string;
  readonly displayName: string;
  readonly kind: ModelKind;
  readonly format: 'gguf' | 'folder';
  /** What a runtime opens: the GGUF file or the model's folder. */
  readonly path: string;
  readonly bytes: number;
  /** "catalog" (pulled) or "import". */
  readonly source: 'catalog' | 'import';
  /** ISO time. */
  readonly installedAt: string;
}

/** A catalog model that is not installed. */
export interface AvailableModel {
  readonly id: string;
  readonly displayName: string;
  readonly kind: ModelKind;
  /** Null when a file's size is unknown. */
  readonly sizeBytes: number | null;
  /** Estimated RAM to run it. */
  readonly ramBytes: number;
  readonly license: string;
  readonly description?: string;
}

/** The result of `models/list`. */
export interface ModelsListResult {
  readonly modelsFolder: string;
  readonly installed: readonly InstalledModel[];
  /** Unfinished downloads: `models/pull` of the id resumes them. */
  readonly incomplete: readonly { readonly id: string; readonly bytes: number }[];
  readonly available: readonly AvailableModel[];
}

/** `models/pull`: downloads a catalog model (resumable, verified). */
export interface ModelsPullRequest {
  /** A catalog id, e.g. "qwen2.5-0.5b-instruct-q4_k_m". */
  readonly id: string;
  /** Download again even when installed; default false. */
  readonly force?: boolean;
}

/** Event `models/progress`, streamed by `models/pull`. */
export interface ModelsProgressEvent {
  readonly id: string;
  /** The file in hand (path inside the model), its index from 0, and the file count. */
  readonly file: string;
  readonly fileIndex: number;
  readonly fileCount: number;
  readonly bytes: number;
  /** Absent when unknown. */
  readonly total?: number;
  /** Bytes per second. */
  readonly rate: number;
  readonly etaSeconds?: number;
}

/** The result of `models/pull`. */
export interface ModelsPullResult {
  readonly id: string;
  readonly path: string;
  readonly bytes: number;
  readonly alreadyInstalled: boolean;
  /** Files that no checksum verified (empty normally). */
  readonly unverified: readonly string[];
}

/** `models/import`: brings a local GGUF file or model folder into the cache. */
export interface ModelsImportRequest {
  /** Absolute path of a .gguf file or a model folder (checked to be a model; its content is never returned). */
  readonly path: string;
  /** Id in the cache; default made from the file or folder name. */
  readonly id?: string;
  readonly kind?: ModelKind;
  /** Copy instead of hard-linking; default false. */
  readonly copy?: boolean;
}

/** `models/remove`: deletes an installed model or an unfinished download. */
export interface ModelsRemoveRequest {
  readonly id: string;
}

/** The result of `models/remove`. */
export interface ModelsRemoveResult {
  readonly id: string;
  /** Bytes freed. */
  readonly bytes: number;
}
