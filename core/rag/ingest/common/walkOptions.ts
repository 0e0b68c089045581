// What the walker yields and the settings that shape it, each with its default, in one place.

import { ArgumentError } from '../../../base/common/errors.js';
import type { DocumentKind } from '../../common/document.js';
import { DEFAULT_SECRET_PATTERNS } from './defaultExcludes.js';

/** A file to index. */
export interface WalkEntry {
  readonly type: 'file';
  /** Absolute path of the root folder, as given (resolved, not through symbolic links). */
  readonly root: string;
  /** Path relative to the root, "/" separators; never contains "..". */
  readonly path: string;
  /** `root` joined with `path` (through any symbolic link inside the root). */
  readonly absolutePath: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Parser to use, guessed from the name (and the first line for scripts). */
  readonly kind: DocumentKind;
  /** Language of source code, when known. */
  readonly language?: string;
}

/** Settings of the walker. Every field is optional; defaults in DEFAULT_WALK_OPTIONS. */
export interface WalkOptions {
  /** Honor `.gitignore` files at every level and `.git/info/exclude`. Default true. */
  readonly gitignore?: boolean;
  /** Honor `.pinpointignore` files (gitignore syntax; they outrank `.gitignore`). Default true. */
  readonly pinpointignore?: boolean;
  /** Leave out DEFAULT_EXCLUDES (.git, node_modules, build outputs, lock files, minified). Default true. */
  readonly defaultExcludes?: boolean;
  /** More gitignore patterns, relative to each root; they outrank every ignore file. Default []. */
  readonly exclude?: readonly string[];
  /** Skip files that look like secrets (reported as "secret"). Default true. */
  readonly excludeSecrets?: boolean;
  /** Gitignore patterns of secret files. Default DEFAULT_SECRET_PATTERNS. */
  readonly secretPatterns?: readonly string[];
  /** Largest code, text, Markdown or HTML file, in bytes. Default 10 MiB. */
  readonly maxFileBytes?: number;
  /** Largest PDF, DOCX or notebook, in bytes. Default 64 MiB. */
  readonly maxDocumentBytes?: number;
  /** Read the first 8 KB of each file to skip binary content and minified bundles. Default true. */
  readonly sniffContent?: boolean;
  /** Follow symbolic links whose target is inside the root (others are always skipped). Default true. */
  readonly followSymlinks?: boolean;
  /** Report ignored files and folders as skips with reason "ignored". Default false. */
  readonly reportIgnored?: boolean;
  /** Match ignore patterns case-insensitively. Default: false on Linux, true on macOS and Windows. */
  readonly ignoreCase?: boolean;
}

/** WalkOptions with every field set. */
export type ResolvedWalkOptions = { readonly [K in keyof WalkOptions]-?: NonNullable<WalkOptions[K]> };

/** The defaults of WalkOptions (ignoreCase is decided by the platform's walker). */
export const DEFAULT_WALK_OPTIONS: Omit<ResolvedWalkOptions, 'ignoreCase'> = {
  gitignore: true,
  pinpointignore: true,
  defaultExcludes: true,
  exclude: [],
  excludeSecrets: true,
  secretPatterns: DEFAULT_SECRET_PATTERNS,
  maxFileBytes: 10 * 1024 * 1024,
  maxDocumentBytes: 64 * 1024 * 1024,
  sniffContent: true,
  followSymlinks: true,
  reportIgnored: false,
};

function checkSize(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new ArgumentError(`Walk option ${name} must be a number of bytes >= 0, got ${String(value)}`);
  }
}

/** Fills in defaults and checks the values. */
export function resolveWalkOptions(options: WalkOptions, ignoreCaseDefault: boolean): ResolvedWalkOptions {
  const resolved = { ...DEFAULT_WALK_OPTIONS, ignoreCase: ignoreCaseDefault };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) Object.assign(resolved, { [key]: value });
  checkSize('maxFileBytes', resolved.maxFileBytes);
  checkSize('maxDocumentBytes', resolved.maxDocumentBytes);
  return resolved;
}

/** Kinds measured against `maxDocumentBytes` rather than `maxFileBytes`. */
const DOCUMENT_KINDS: ReadonlySet<DocumentKind> = new Set(['pdf', 'docx', 'notebook']);

/** The size limit of a file of `kind`. */
export function sizeLimitOf(kind: DocumentKind, options: Pick<ResolvedWalkOptions, 'maxFileBytes' | 'maxDocumentBytes'>): number {
  return DOCUMENT_KINDS.has(kind) ? options.maxDocumentBytes : options.maxFileBytes;
}
