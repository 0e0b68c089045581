// Gitignore semantics over a folder tree: one layer of rules per ignore file, each matched
// against paths relative to its own folder, the highest-priority layer with a matching rule
// deciding (as git does across nested .gitignore files), the last matching rule deciding within a
// layer. Patterns are compiled by the `ignore` package.
//
// A layer judges a path by its own rules only. `ignore`'s ignores()/test() also fold in the
// verdict on every parent folder, which is right inside one file but wrong across layers: a
// folder of the default excludes re-included by `!build/` in .pinpointignore would still ignore
// everything in it. The walker never enters an ignored folder, so parents need no check here.

import ignoreModule from 'ignore';
import { BugIndicatingError } from '../../../base/common/errors.js';

// `ignore` is CommonJS with a `default` property; its types declare an ES default export.
const ignore = ignoreModule.default;

/** One compiled pattern: `ignore`'s rule object (regex over the relative path, "/" after folders). */
interface Rule {
  readonly regex: RegExp;
  readonly negative: boolean;
}

/** The rules of one ignore file (or of the defaults, or of settings). */
export interface IgnoreLayer {
  /** Folder the patterns are relative to ("" for the root). */
  readonly base: string;
  /** Where the rules come from, for messages: ".gitignore in src", "the default excludes". */
  readonly source: string;
  readonly rules: readonly Rule[];
  /** All rules in one expression: most paths match none, and are settled by one test. */
  readonly any: RegExp;
}

/** Compiles gitignore-syntax text or patterns into a layer. */
export function ignoreLayer(base: string, source: string, patterns: string | readonly string[], ignoreCase: boolean): IgnoreLayer {
  const text = typeof patterns === 'string' ? patterns.replace(/^\uFEFF/, '') : patterns;
  const compiled = ignore({ ignorecase: ignoreCase }).add(text) as unknown as { _rules?: Rule[] };
  const rules = compiled._rules;
  if (!Array.isArray(rules) || rules.some((r) => !(r.regex instanceof RegExp))) {
    throw new BugIndicatingError('the `ignore` package no longer exposes its compiled rules (_rules): check its version');
  }
  const any = new RegExp(rules.map((r) => `(?:${r.regex.source})`).join('|') || '(?!)', ignoreCase ? 'i' : '');
  return { base, source, rules, any };
}

/**
 * The layer's own verdict on a path relative to the root (parents not considered): true when
 * ignored, false when re-included by a `!` rule, undefined when no rule matches.
 */
export function layerVerdict(layer: IgnoreLayer, path: string, isDirectory: boolean): boolean | undefined {
  const relative = layer.base === '' ? path : path.slice(layer.base.length + 1);
  const subject = isDirectory ? `${relative}/` : relative;
  if (!layer.any.test(subject)) return undefined;
  for (let i = layer.rules.length - 1; i >= 0; i--) {
    if (layer.rules[i].regex.test(subject)) return !layer.rules[i].negative;
  }
  return undefined;
}

/**
 * The ignore layers in effect in one folder, lowest priority first, plus a top layer (settings)
 * that outranks them all. Immutable: `with` returns the rules of a subfolder.
 */
export class IgnoreRules {
  constructor(
    private readonly layers: readonly IgnoreLayer[],
    private readonly top?: IgnoreLayer,
  ) {}

  /** These rules plus `added` (the ignore files of a subfolder), which outrank the current ones. */
  with(added: readonly IgnoreLayer[]): IgnoreRules {
    return added.length === 0 ? this : new IgnoreRules([...this.layers, ...added], this.top);
  }

  /**
   * The layer that ignores `path` (relative to the root, "/" separators), or undefined when the
   * path is included: the highest-priority layer with a matching rule decides.
   */
  ignoredBy(path: string, isDirectory: boolean): IgnoreLayer | undefined {
    if (this.top) {
      const verdict = layerVerdict(this.top, path, isDirectory);
      if (verdict !== undefined) return verdict ? this.top : undefined;
    }
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const verdict = layerVerdict(this.layers[i], path, isDirectory);
      if (verdict !== undefined) return verdict ? this.layers[i] : undefined;
    }
    return undefined;
  }
}
