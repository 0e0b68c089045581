// Reads the model catalog: resources/models/catalog.json shipped with Pinpoint (found from the
// sources and from the bundled CLI in core/dist), or the file PINPOINT_MODEL_CATALOG names (a
// company mirror, a test server). Validated on load, so a bad file fails here with every problem
// listed, never in the middle of a download.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelFileError } from '../../base/common/errors.js';
import type { Catalog } from '../common/catalog.js';
import type { Environment } from '../common/proxy.js';
import { validateCatalog } from '../common/validateCatalog.js';

/** The shipped catalog file: from core/models/node/ in the sources, from core/dist/ when bundled. */
export function shippedCatalogPath(): string {
  const candidates = ['../../../resources/models/catalog.json', '../../resources/models/catalog.json'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((path) => existsSync(path)) ?? candidates[0];
}

/** The catalog file to use: PINPOINT_MODEL_CATALOG when set, else the shipped one. */
export function catalogPath(env: Environment = process.env): string {
  return env.PINPOINT_MODEL_CATALOG ? resolve(env.PINPOINT_MODEL_CATALOG) : shippedCatalogPath();
}

/**
 * Reads and validates a catalog file (default: catalogPath()).
 * @throws ModelFileError when the file is missing, not JSON, or fails the schema check.
 */
export async function loadCatalog(path: string = catalogPath()): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ModelFileError(path, `cannot read the model catalog (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(path, `the model catalog is not valid JSON: ${(error as Error).message}`);
  }
  return validateCatalog(value, path);
}
