// Where Pinpoint keeps downloaded models, by each OS's convention for caches (data that can be
// fetched again): Linux $XDG_CACHE_HOME/pinpoint or ~/.cache/pinpoint, macOS
// ~/Library/Caches/Pinpoint, Windows %LOCALAPPDATA%\Pinpoint\Cache. PINPOINT_CACHE_DIR overrides
// all of them. Models live in <cache>/models/<id>/.

import { homedir } from 'node:os';
import { join, posix, resolve, win32 } from 'node:path';
import type { Environment } from '../common/proxy.js';

/** What the cache location depends on; tests pass their own. */
export interface CacheLocation {
  readonly env?: Environment;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
}

/** The cache folder of Pinpoint (not created here). */
export function cacheDirectory(location: CacheLocation = {}): string {
  const env = location.env ?? process.env;
  const platform = location.platform ?? process.platform;
  const home = location.home ?? homedir();
  if (env.PINPOINT_CACHE_DIR) return resolve(env.PINPOINT_CACHE_DIR);
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local');
    return win32.join(local, 'Pinpoint', 'Cache');
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Caches', 'Pinpoint');
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  return posix.join(xdg && xdg.startsWith('/') ? xdg : posix.join(home, '.cache'), 'pinpoint');
}

/** The folder that holds one folder per installed model. */
export function modelsDirectory(cacheDir: string): string {
  return join(cacheDir, 'models');
}
