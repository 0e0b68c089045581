// HTTP status of each protocol error code (the code and message travel in the body too).

import type { ServiceErrorCode } from '../../common/protocol.js';

/** Status by code; 499 is nginx's "client closed request" for a cancelled one. */
export const HTTP_STATUS = {
  'bad-request': 400,
  'not-found': 404,
  forbidden: 403,
  cancelled: 499,
  'model-file': 422,
  limit: 429,
  network: 502,
  integrity: 502,
  internal: 500,
} as const satisfies Record<ServiceErrorCode, number>;
