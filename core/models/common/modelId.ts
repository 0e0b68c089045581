// Model ids: the names of models in the catalog and of their folders in the cache, so they must
// be safe as a single path component on every OS.

/** Lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 100 long. */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** True when `id` can name a model (and its cache folder). */
export function isModelId(id: string): boolean {
  return MODEL_ID_PATTERN.test(id) && !id.includes('..');
}

/** A model id made from a file or folder name: `Qwen2.5-0.5B-Instruct-Q4_K_M.gguf` -> `qwen2.5-0.5b-instruct-q4_k_m`. */
export function modelIdFromName(name: string): string {
  const id = name
    .replace(/\.gguf$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[._-]+$/, '')
    .slice(0, 100);
  return id === '' ? 'model' : id;
}
