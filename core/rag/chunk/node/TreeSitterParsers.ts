// web-tree-sitter, loaded once per process: the runtime is initialized once, each grammar is read,
// upgraded (see common/wasmDylink.ts) and loaded once, and one parser per grammar is reused. A
// grammar that fails to load is remembered as failed (files in it are chunked by lines).

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { upgradeDylinkSection } from '../common/wasmDylink.js';
import { resolveTreeSitterPaths, type TreeSitterPaths } from './treeSitterPaths.js';

/** Longest a parse may run before it is cancelled and the file chunked by lines (ms). */
export const DEFAULT_PARSE_TIMEOUT_MS = 10_000;

let runtime: Promise<TreeSitterPaths> | undefined;

/** Initializes web-tree-sitter once per process, from the resolved runtime file. */
function initRuntime(dir: string | undefined): Promise<TreeSitterPaths> {
  runtime ??= (async () => {
    const paths = resolveTreeSitterPaths(dir);
    await Parser.init({ locateFile: () => paths.runtime });
    return paths;
  })();
  return runtime;
}

/** Where TreeSitterParsers finds its files and how long a parse may take. */
export interface TreeSitterParsersOptions {
  /** Folder with web-tree-sitter.wasm and the grammars; default: resolved (treeSitterPaths.ts). */
  readonly dir?: string;
  /** Folder with the tree-sitter-<grammar>.wasm files only; default: the resolved one. */
  readonly grammarDir?: string;
  /** Longest a parse may run before it is cancelled; default DEFAULT_PARSE_TIMEOUT_MS. */
  readonly parseTimeoutMs?: number;
}

/**
 * Parsers by grammar name (the stem of tree-sitter-<grammar>.wasm). The runtime is one per
 * process: the first instance to load a grammar initializes it from its `dir`.
 */
export class TreeSitterParsers {
  private readonly parsers = new Map<string, Promise<Parser>>();
  /** Why a grammar could not be loaded, by grammar name. */
  readonly failures = new Map<string, string>();

  constructor(private readonly options: TreeSitterParsersOptions = {}) {}

  /** The parser of a grammar, or undefined when the grammar cannot be loaded (see `failures`). */
  async parser(grammar: string): Promise<Parser | undefined> {
    let parser = this.parsers.get(grammar);
    if (!parser) {
      parser = this.load(grammar);
      this.parsers.set(grammar, parser);
    }
    try {
      return await parser;
    } catch (error) {
      this.failures.set(grammar, error instanceof Error ? error.message || error.name : String(error));
      return undefined;
    }
  }

  /** The syntax tree of `text`, or undefined (no grammar, cancelled after the timeout, or a parser fault). */
  async parse(text: string, grammar: string): Promise<Tree | undefined> {
    const parser = await this.parser(grammar);
    if (!parser) return undefined;
    const deadline = performance.now() + (this.options.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS);
    try {
      const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
      if (!tree) parser.reset();
      return tree ?? undefined;
    } catch {
      parser.reset();
      return undefined;
    }
  }

  private async load(grammar: string): Promise<Parser> {
    const paths = await initRuntime(this.options.dir);
    const file = join(this.options.grammarDir ?? paths.grammarDir, `tree-sitter-${grammar}.wasm`);
    let bytes: Uint8Array;
    try {
      bytes = upgradeDylinkSection(new Uint8Array(await readFile(file)));
    } catch (error) {
      throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    let language: Language;
    try {
      // Compiled and instantiated on this thread: the async path waits on V8's background
      // compile threads, seconds on a busy machine, for a module that compiles lazily in ms.
      language = Language.loadSync(new WebAssembly.Module(bytes));
    } catch (error) {
      throw new Error(`${file}: not a loadable grammar (${error instanceof Error ? error.message || 'load failed' : String(error)})`, { cause: error });
    }
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  }
}

let shared: TreeSitterParsers | undefined;

/** The process-wide parsers (grammars load once however many chunkers are made). */
export function sharedTreeSitterParsers(): TreeSitterParsers {
  shared ??= new TreeSitterParsers();
  return shared;
}
