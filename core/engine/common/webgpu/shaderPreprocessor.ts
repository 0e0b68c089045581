// A small preprocessor for the WGSL files of shaders/: `#include "file.wgsl"` (once per file),
// `#ifdef NAME` / `#ifndef NAME` / `#else` / `#endif`, and integer defines emitted as `const NAME: u32`
// at the top (after any `enable` directive). It keeps, for every output line, the file and line
// it came from, so that a compile error names the kernel file and its own line.

import { ArgumentError } from '../../../base/common/errors.js';

/** Source text of a shader file by name (e.g. "gemv.wgsl"). */
export type ShaderLibrary = (file: string) => string;

/** Defines of one variant: `true` defines a symbol for #ifdef; an integer also becomes a const. */
export type ShaderDefines = Readonly<Record<string, true | number>>;

export interface PreprocessedShader {
  readonly code: string;
  /** origins[i] = where output line i + 1 came from. */
  readonly origins: readonly { readonly file: string; readonly line: number }[];
}

/** Expands `file` with `defines`. */
export function preprocess(library: ShaderLibrary, file: string, defines: ShaderDefines): PreprocessedShader {
  const lines: string[] = [];
  const origins: { file: string; line: number }[] = [];
  const enables: { text: string; file: string; line: number }[] = [];
  const included = new Set<string>();
  const expand = (name: string): void => {
    if (included.has(name)) return;
    included.add(name);
    const active: boolean[] = [];
    const on = () => active.every(Boolean);
    library(name).split('\n').forEach((text, index) => {
      const line = index + 1;
      const directive = /^\s*#(\w+)\s*(.*?)\s*$/.exec(text);
      if (directive) {
        const [, word, arg] = directive;
        if (word === 'ifdef' || word === 'ifndef') active.push((arg in defines) === (word === 'ifdef'));
        else if (word === 'else') active.push(!active.pop());
        else if (word === 'endif') active.pop();
        else if (word === 'include') { if (on()) expand(arg.replace(/^"|"$/g, '')); }
        else throw new ArgumentError(`${name}:${line}: unknown directive #${word}. Should be one of: include, ifdef, ifndef, else, endif.`);
        return;
      }
      if (!on()) return;
      if (/^\s*enable\s+\w+\s*;/.test(text)) enables.push({ text, file: name, line });
      else {
        lines.push(text);
        origins.push({ file: name, line });
      }
    });
    if (active.length !== 0) throw new ArgumentError(`${name}: #ifdef without #endif`);
  };
  expand(file);
  const header = enables.map((e) => ({ text: e.text, origin: { file: e.file, line: e.line } }));
  for (const [key, value] of Object.entries(defines)) {
    if (typeof value === 'number') header.push({ text: `const ${key}: u32 = ${value}u;`, origin: { file: `define ${key}`, line: 0 } });
  }
  return {
    code: [...header.map((h) => h.text), ...lines].join('\n'),
    origins: [...header.map((h) => h.origin), ...origins],
  };
}

/** A variant key: the file and its defines in a stable order ("gemv.wgsl|SUBGROUPS|TYPE_Q8_0"). */
export function variantKey(file: string, defines: ShaderDefines): string {
  const parts = Object.keys(defines).sort().map((k) => (defines[k] === true ? k : `${k}=${defines[k]}`));
  return [file, ...parts].join('|');
}
