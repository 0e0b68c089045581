// What a `--model` value names: a local model (a .gguf file, a Hugging Face folder, or the id of
// an installed catalog model) or a model on an OpenAI-compatible server, written
// `openai:<baseUrl>#<model>`, e.g. `openai:http://127.0.0.1:11434#qwen2.5:1.5b` (Ollama) or
// `openai:http://127.0.0.1:8080/v1#default` (llama-server). The base URL follows the rules of the
// remote backend's settings (core/models/openai/README.md); the model name is everything after
// the first `#` (a base URL has no fragment of its own).

import { ArgumentError } from '../../base/common/errors.js';

/** The prefix of a remote model spec. */
export const REMOTE_MODEL_PREFIX = 'openai:';

/** A parsed `--model` value. */
export type ModelSpec =
  | { readonly kind: 'local'; /** A path, or an installed model's id. */ readonly idOrPath: string }
  | { readonly kind: 'remote'; readonly baseUrl: string; readonly model: string };

/** Parses a `--model` value; an ArgumentError shows the remote syntax when it is malformed. */
export function parseModelSpec(spec: string): ModelSpec {
  const value = spec.trim();
  if (value === '') throw new ArgumentError('The model is empty. Should be a .gguf file, a model folder, an installed model id, or openai:<baseUrl>#<model>.');
  if (!value.startsWith(REMOTE_MODEL_PREFIX)) return { kind: 'local', idOrPath: value };
  const rest = value.slice(REMOTE_MODEL_PREFIX.length);
  const hash = rest.indexOf('#');
  const baseUrl = hash < 0 ? rest : rest.slice(0, hash);
  const model = hash < 0 ? '' : rest.slice(hash + 1).trim();
  if (baseUrl === '' || model === '') {
    throw new ArgumentError(`Invalid remote model "${spec}". Should be openai:<baseUrl>#<model>, e.g. openai:http://127.0.0.1:11434#qwen2.5:1.5b.`);
  }
  return { kind: 'remote', baseUrl, model };
}
