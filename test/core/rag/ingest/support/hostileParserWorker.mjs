// A parser worker for ParserPool tests: hostile parsers picked by file name, real ones otherwise.
// Registers tsx first (worker threads do not inherit it on Node 20).

import { register } from 'tsx/esm/api';

register();
await import('./hostileParsers.ts');
