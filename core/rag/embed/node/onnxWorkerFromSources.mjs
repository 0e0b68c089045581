// Starts onnxWorker.ts in a worker thread when Pinpoint runs from TypeScript sources (tests under
// tsx): Node 20 does not carry the tsx loader into worker threads, so it is registered here.
// A built bundle starts its compiled onnxWorker.js directly and never loads this file.

import { register } from 'tsx/esm/api';

register();
await import('./onnxWorker.ts');
