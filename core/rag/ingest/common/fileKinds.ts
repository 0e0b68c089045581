// What a file is, from its name (and its first line for scripts): the DocumentKind that picks its
// parser, and the language of source code. Languages use the ids of VS Code's language modes.

import type { DocumentKind } from '../../common/document.js';

/** Source-code languages by lower-case extension (without the dot). */
const CODE_EXTENSIONS: Readonly<Record<string, string>> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescriptreact',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascriptreact',
  py: 'python', pyi: 'python', pyw: 'python',
  go: 'go', rs: 'rust', java: 'java', kt: 'kotlin', kts: 'kotlin', scala: 'scala', groovy: 'groovy',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hh: 'cpp', hpp: 'cpp', hxx: 'cpp', ipp: 'cpp',
  cs: 'csharp', fs: 'fsharp', vb: 'vb', swift: 'swift', m: 'objective-c', mm: 'objective-cpp',
  rb: 'ruby', php: 'php', pl: 'perl', pm: 'perl', lua: 'lua', r: 'r', jl: 'julia', dart: 'dart',
  ex: 'elixir', exs: 'elixir', erl: 'erlang', hrl: 'erlang', hs: 'haskell', ml: 'ocaml', mli: 'ocaml',
  clj: 'clojure', cljs: 'clojure', elm: 'elm', zig: 'zig', nim: 'nim', v: 'v', sol: 'solidity',
  sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', fish: 'fish', ps1: 'powershell', psm1: 'powershell',
  bat: 'bat', cmd: 'bat', sql: 'sql', graphql: 'graphql', gql: 'graphql', proto: 'proto',
  vue: 'vue', svelte: 'svelte', astro: 'astro', css: 'css', scss: 'scss', sass: 'sass', less: 'less',
  json: 'json', jsonc: 'jsonc', json5: 'json5', yaml: 'yaml', yml: 'yaml', toml: 'toml', ini: 'ini',
  xml: 'xml', xsd: 'xml', xsl: 'xml', svg: 'xml', plist: 'xml', gradle: 'groovy', cmake: 'cmake',
  tf: 'terraform', hcl: 'hcl', nix: 'nix', wgsl: 'wgsl', glsl: 'glsl', hlsl: 'hlsl', cu: 'cuda',
  asm: 'asm', s: 'asm', tex: 'latex', mk: 'makefile',
};

/** Languages of files known by their whole name. */
const CODE_NAMES: Readonly<Record<string, string>> = {
  makefile: 'makefile', gnumakefile: 'makefile', dockerfile: 'dockerfile', containerfile: 'dockerfile',
  cmakelists: 'cmake', rakefile: 'ruby', gemfile: 'ruby', vagrantfile: 'ruby', jenkinsfile: 'groovy',
  justfile: 'just', '.bashrc': 'shellscript', '.zshrc': 'shellscript', '.profile': 'shellscript',
};

/** Document kinds by lower-case extension. */
const DOCUMENT_EXTENSIONS: Readonly<Record<string, DocumentKind>> = {
  md: 'markdown', markdown: 'markdown', mdx: 'markdown', mdown: 'markdown', mkd: 'markdown',
  html: 'html', htm: 'html', xhtml: 'html',
  pdf: 'pdf', docx: 'docx', ipynb: 'notebook',
};

/** Interpreters named on a `#!` line, and the language of their scripts. */
const INTERPRETERS: Readonly<Record<string, string>> = {
  sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', dash: 'shellscript', ksh: 'shellscript',
  fish: 'fish', node: 'javascript', deno: 'typescript', bun: 'javascript', 'ts-node': 'typescript', tsx: 'typescript',
  python: 'python', python2: 'python', python3: 'python', ruby: 'ruby', perl: 'perl', php: 'php',
  lua: 'lua', Rscript: 'r', julia: 'julia', pwsh: 'powershell',
};

/**
 * Extensions of formats that are binary whatever their content: skipped without being read.
 * (PDF and DOCX are binary too, but have parsers.)
 */
export const BINARY_EXTENSIONS: ReadonlySet<string> = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'icns', 'webp', 'avif', 'tif', 'tiff', 'psd', 'heic',
  'mp3', 'wav', 'flac', 'ogg', 'm4a', 'aac', 'mp4', 'm4v', 'mov', 'avi', 'mkv', 'webm',
  'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'tar', 'jar', 'war', 'apk', 'dmg', 'iso',
  'exe', 'dll', 'so', 'dylib', 'a', 'lib', 'o', 'obj', 'class', 'pyc', 'pyo', 'wasm', 'node', 'bin',
  'woff', 'woff2', 'ttf', 'otf', 'eot', 'doc', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'ods', 'odp',
  'sqlite', 'sqlite3', 'db', 'gguf', 'safetensors', 'onnx', 'pt', 'pth', 'ckpt', 'npy', 'npz',
  'parquet', 'arrow', 'lance', 'pkl', 'blend', 'fbx', 'glb',
]);

/** The lower-case extension of the last path segment ("" when it has none; ".bashrc" has none). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The last path segment, lower case, without its extension (`CMakeLists.txt` -> "cmakelists"). */
function stemOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The language a `#!` first line names (`#!/usr/bin/env -S python3 -u` -> "python"). */
export function languageOfShebang(firstLine: string): string | undefined {
  if (!firstLine.startsWith('#!')) return undefined;
  const words = firstLine.slice(2).trim().split(/\s+/);
  let program = words[0]?.slice(words[0].lastIndexOf('/') + 1) ?? '';
  if (program === 'env') program = words.slice(1).find((w) => !w.startsWith('-')) ?? '';
  return INTERPRETERS[program] ?? INTERPRETERS[program.replace(/[\d.]+$/, '')];
}

/** Kind and language of a file, from its path and, for files without a known name, its first line. */
export interface FileType {
  readonly kind: DocumentKind;
  readonly language?: string;
}

/** Guesses a file's kind and language from its path and (optionally) its first line. */
export function fileTypeOf(path: string, firstLine = ''): FileType {
  const extension = extensionOf(path);
  const documentKind = DOCUMENT_EXTENSIONS[extension];
  if (documentKind) return { kind: documentKind };
  const byExtension = CODE_EXTENSIONS[extension];
  if (byExtension) return { kind: 'code', language: byExtension };
  const stem = stemOf(path);
  const byName = CODE_NAMES[stem] ?? CODE_NAMES[path.slice(path.lastIndexOf('/') + 1).toLowerCase()];
  if (byName && (extension === '' || extension === 'txt' || stem === 'dockerfile')) return { kind: 'code', language: byName };
  const byShebang = languageOfShebang(firstLine);
  if (byShebang) return { kind: 'code', language: byShebang };
  return { kind: 'text' };
}
