// Embedder specs: the strings a user or a setting names an embedder with (`--embedder ID`).
//
//   static:glove100d                 the bundled GloVe vectors (the default: no download)
//   static:glove:<folder>            GloVe vectors in a folder (vectors.f16.bin + vocab.txt)
//   static:model2vec:<folder>        a model2vec model folder
//   onnx:<folder>                    a local ONNX model folder laid out as on the hub
//   hub:<owner/name>[@revision]      a hub model, downloaded by transformers.js (needs network)
//   openai:<model>?baseUrl=<url>     a model on an OpenAI-compatible server (Ollama, LM Studio,
//                                    vLLM, llama-server); the API key comes from the environment
//
// Options follow a `?`, as in a URL query: `static:glove100d?weighting=mean`,
// `onnx:/models/bge-small-en-v1.5?dtype=q8&batchSize=32&queryPrefix=query%3A%20`,
// `openai:nomic-embed-text?baseUrl=http%3A%2F%2F127.0.0.1%3A11434%2Fv1`.

import { ArgumentError } from '../../../base/common/errors.js';
import { apiBaseOf } from '../../../models/openai/common/settings.js';

/** The spec used when none is given. */
export const DEFAULT_EMBEDDER_SPEC = 'static:glove100d';

/** Options a spec may carry; each kind accepts the subset in SPEC_OPTIONS. */
export interface SpecOptions {
  weighting?: 'mean' | 'sif';
  a?: number;
  maxTokens?: number;
  normalize?: boolean;
  pooling?: 'mean' | 'cls' | 'last';
  dtype?: string;
  batchSize?: number;
  maxLength?: number;
  threads?: number;
  queryPrefix?: string;
  documentPrefix?: string;
  /** openai: the server's root URL (required). */
  baseUrl?: string;
  /** openai: the vector length asked of the server (the `dimensions` parameter). */
  dimensions?: number;
  /** openai: how the server sends vectors (`encoding_format`); the same floats either way. */
  encoding?: 'float' | 'base64';
}

/** A parsed spec. */
export type EmbedderSpec =
  | { readonly kind: 'glove'; readonly folder?: string; readonly options: SpecOptions }
  | { readonly kind: 'model2vec'; readonly folder: string; readonly options: SpecOptions }
  | { readonly kind: 'onnx'; readonly folder: string; readonly options: SpecOptions }
  | { readonly kind: 'hub'; readonly id: string; readonly revision?: string; readonly options: SpecOptions }
  | { readonly kind: 'openai'; readonly model: string; readonly baseUrl: string; readonly options: SpecOptions };

const ONNX_OPTIONS = ['pooling', 'normalize', 'dtype', 'batchSize', 'maxLength', 'threads', 'queryPrefix', 'documentPrefix'] as const;

/** The options each kind accepts. */
const SPEC_OPTIONS: Readonly<Record<EmbedderSpec['kind'], readonly (keyof SpecOptions)[]>> = {
  glove: ['weighting', 'a', 'maxTokens'],
  model2vec: ['maxTokens', 'normalize'],
  onnx: ONNX_OPTIONS,
  hub: ONNX_OPTIONS,
  openai: ['baseUrl', 'batchSize', 'dimensions', 'encoding', 'maxTokens', 'queryPrefix', 'documentPrefix'],
};

/** The accepted forms, for error messages. */
const SPEC_FORMS = 'static:glove100d, static:glove:<folder>, static:model2vec:<folder>, onnx:<folder>, hub:<owner/name>[@revision], openai:<model>?baseUrl=<url>';

const DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'];

function parseValue(key: keyof SpecOptions, value: string): SpecOptions[keyof SpecOptions] {
  const bad = (allowed: string) => new ArgumentError(`bad embedder option ${key}=${value}. Should be ${allowed}`);
  const choice = (allowed: string[]) => {
    if (!allowed.includes(value)) throw bad(`one of: ${allowed.join(', ')}`);
    return value;
  };
  switch (key) {
    case 'weighting': return choice(['mean', 'sif']) as SpecOptions['weighting'];
    case 'pooling': return choice(['mean', 'cls', 'last']) as SpecOptions['pooling'];
    case 'dtype': return choice(DTYPES);
    case 'encoding': return choice(['float', 'base64']) as SpecOptions['encoding'];
    case 'normalize': return choice(['true', 'false']) === 'true';
    case 'a': {
      const number = Number(value);
      if (!(number > 0)) throw bad('a positive number');
      return number;
    }
    case 'queryPrefix':
    case 'documentPrefix':
      return value;
    case 'baseUrl':
      try {
        apiBaseOf(value);
      } catch (error) {
        // The URL is not echoed: it may hold credentials (the message says so without them).
        throw new ArgumentError(`bad embedder option baseUrl: ${(error as Error).message}`);
      }
      return value;
    default: {
      const number = Number(value);
      if (!Number.isSafeInteger(number) || number <= 0) throw bad('a positive integer');
      return number;
    }
  }
}

function parseOptions(kind: EmbedderSpec['kind'], query: string | undefined): SpecOptions {
  const options: Record<string, unknown> = {};
  if (!query) return options;
  const allowed = SPEC_OPTIONS[kind];
  for (const pair of query.split('&').filter(Boolean)) {
    const at = pair.indexOf('=');
    const key = decodeURIComponent(at < 0 ? pair : pair.slice(0, at)) as keyof SpecOptions;
    if (!allowed.includes(key)) throw new ArgumentError(`unknown option "${key}" for a ${kind} embedder. Should be one of: ${allowed.join(', ')}`);
    options[key] = parseValue(key, decodeURIComponent(at < 0 ? '' : pair.slice(at + 1)));
  }
  return options;
}

/** Parses an embedder spec (see the top of this file); errors list the accepted forms. */
export function parseEmbedderSpec(spec: string): EmbedderSpec {
  const text = spec.trim() || DEFAULT_EMBEDDER_SPEC;
  const question = text.indexOf('?');
  const head = question < 0 ? text : text.slice(0, question);
  const query = question < 0 ? undefined : text.slice(question + 1);
  const rest = (prefix: string) => head.slice(prefix.length);
  if (head === 'default' || head === 'static:glove100d') return { kind: 'glove', options: parseOptions('glove', query) };
  if (head.startsWith('static:glove:') && rest('static:glove:')) return { kind: 'glove', folder: rest('static:glove:'), options: parseOptions('glove', query) };
  if (head.startsWith('static:model2vec:') && rest('static:model2vec:')) return { kind: 'model2vec', folder: rest('static:model2vec:'), options: parseOptions('model2vec', query) };
  if (head.startsWith('onnx:') && rest('onnx:')) return { kind: 'onnx', folder: rest('onnx:'), options: parseOptions('onnx', query) };
  if (head.startsWith('hub:') && rest('hub:')) {
    const [id, revision] = rest('hub:').split('@');
    return { kind: 'hub', id, revision: revision || undefined, options: parseOptions('hub', query) };
  }
  if (head.startsWith('openai:')) return parseRemoteSpec(rest('openai:').trim(), query);
  throw new ArgumentError(`unknown embedder "${spec}". Should be one of: ${SPEC_FORMS} (options after "?")`);
}

/** `openai:<model>?baseUrl=...`: the model must be named, the server too. */
function parseRemoteSpec(model: string, query: string | undefined): EmbedderSpec {
  const example = 'e.g. openai:nomic-embed-text?baseUrl=http%3A%2F%2F127.0.0.1%3A11434';
  if (!model) throw new ArgumentError(`an openai embedder needs a model name: openai:<model>?baseUrl=<url>, ${example}`);
  const { baseUrl, ...options } = parseOptions('openai', query);
  if (baseUrl === undefined) throw new ArgumentError(`the openai embedder "${model}" needs its server: add ?baseUrl=<url, URL-encoded>, ${example}`);
  return { kind: 'openai', model, baseUrl, options };
}
