// The allowed-imports table of Pinpoint, written once as data (STYLE.md "Where code lives",
// DESIGN.md "Layers"). eslint/layers.js checks every import against it; nothing else repeats it.

/**
 * Layers, by path prefix from the repository root, each with the layers it may import (besides
 * itself). Core layers import only downward; shells reach the core only through SHELL_ENTRY.
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const LAYERS = {
  'core/base': [],
  'core/engine': ['core/base'],
  // rag uses core/models' remote clients (the OpenAI-compatible embedder); models never imports rag.
  'core/rag': ['core/base', 'core/models'],
  'core/models': ['core/base'],
  'core/assistant': ['core/base', 'core/engine', 'core/rag', 'core/models'],
  'core/service': ['core/base', 'core/engine', 'core/rag', 'core/models', 'core/assistant'],
  'core/cli': ['core/base', 'core/engine', 'core/rag', 'core/models', 'core/assistant', 'core/service'],
  extension: ['core/service', 'ui'],
  desktop: ['core/service', 'ui'],
  ui: ['core/service'],
};

/** Layers that are shells: from them, core/service is reachable only through its entry. */
export const SHELLS = ['extension', 'desktop', 'ui'];

/** The one door of the core for shells: the files a shell may import from core/service. */
export const SHELL_ENTRY = ['core/service/index.ts'];

/**
 * Runtime folders (a path segment) and the runtime folders each may import. A folder of no kind
 * is not checked here (its runtime is not stated).
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const RUNTIMES = {
  common: ['common'],
  browser: ['common', 'browser'],
  node: ['common', 'node'],
  'electron-main': ['common', 'node', 'electron-main'],
  'electron-preload': ['common', 'electron-preload'],
};

/** Runtime folders in which Node builtins (`node:*`, `fs`, ...) are banned. */
export const NO_NODE_BUILTINS = ['common', 'browser'];

/** What to use instead of a Node builtin in a folder that cannot have one. */
export const NODE_BUILTIN_REPLACEMENT =
  'plain TS in common/ (e.g. core/base/common/byteSource.ts for files); put Node code in a node/ folder beside it';

/**
 * Packages banned under a path prefix, with the replacement named in the message.
 * @type {readonly { readonly under: string; readonly module: RegExp; readonly instead: string }[]}
 */
export const BANNED_MODULES = [
  { under: 'core/', module: /^vscode$/, instead: 'the Host interface that the extension implements (core never imports vscode)' },
  { under: 'core/', module: /^electron(\/|$)/, instead: 'the Host interface that the desktop shell implements (core never imports electron)' },
];

/** The replacement for a banned layer-to-layer import, by "from -> to". */
export const LAYER_REPLACEMENTS = {
  'core/engine -> core/rag': 'the engine and the index never import each other: pass what is shared through core/base or wire them in core/assistant',
  'core/rag -> core/engine': 'rag knows the engine only as the Embedder interface: put the type in core/base, wire it in core/assistant',
  shell: 'import core/service (its entry, core/service/index.ts): shells reach the core only through the service protocol',
};

/** Globals that exist only in the DOM or only in Node: banned in common/ folders. */
export const NON_PORTABLE_GLOBALS = [
  ...['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'HTMLElement', 'self'].map((name) => ({
    name,
    message: `${name} is DOM-only: common/ code runs in Node too. Use it in a browser/ folder, or take what you need as a parameter.`,
  })),
  ...['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({
    name,
    message: `${name} is Node-only: common/ code runs in browsers too. Use it in a node/ folder${name === 'Buffer' ? ', or Uint8Array' : name === 'global' ? ', or globalThis' : ''}.`,
  })),
];
