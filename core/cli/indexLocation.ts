// Where the CLI keeps indexes: --db, else PINPOINT_INDEX_DIR, else <cache>/index; and the
// corpus name (default "default").

import { resolve } from 'node:path';
import { join } from 'node:path';
import { cacheDirectory } from '../models/node/cacheDir.js';

/** The database folder for a command's --db flag. */
export function indexDirectory(flag: string | undefined): string {
  if (flag) return resolve(flag);
  const fromEnv = process.env.PINPOINT_INDEX_DIR;
  return fromEnv ? resolve(fromEnv) : join(cacheDirectory(), 'index');
}

export const DEFAULT_CORPUS = 'default';
