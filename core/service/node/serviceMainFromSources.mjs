// Starts serviceMain.ts (in a worker thread or a child process) when Pinpoint runs from
// TypeScript sources (tests under tsx): Node 20 does not carry the tsx loader into worker
// threads, so it is registered here. The built CLI starts core/dist/serviceMain.js directly.

import { register } from 'tsx/esm/api';

register();
await import('./serviceMain.ts');
