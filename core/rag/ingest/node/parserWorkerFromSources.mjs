// Starts parserWorker.ts in a worker thread when Pinpoint runs from TypeScript sources (tests under
// tsx): Node 20 does not carry the tsx loader into worker threads, so it is registered here.
// pdf.js and mammoth are imported first, by Node alone: through tsx's loader the same modules take
// about ten times longer to load; parserWorker.ts then finds them in the module cache.
// A bundled build starts parserWorker.js directly and never loads this file.

import { register } from 'tsx/esm/api';

await Promise.allSettled([import('pdfjs-dist/legacy/build/pdf.mjs'), import('pdfjs-dist/legacy/build/pdf.worker.mjs'), import('mammoth')]);
register();
await import('./parserWorker.ts');
