// Starts indexWorker.ts in a worker thread when Pinpoint runs from TypeScript sources (tests under
// tsx): Node 20 does not carry the tsx loader into worker threads, so it is registered here.
// The built CLI starts core/dist/indexWorker.js directly and never loads this file.

import { register } from 'tsx/esm/api';

register();
await import('./indexWorker.ts');
