// POST/PUT/DELETE /api/v3/userDataStream: listenKeys for clients of the older user data stream (/ws/<listenKey>).
// API-key only (USER_STREAM security), as Binance; a key can only extend or close its own user's listenKeys.
import { errors } from '../binance/errors.js';
import { requiredString } from '../binance/params.js';
import type { Endpoint, RestRequest } from '../http/types.js';
import type { ListenKeys } from './user-data.js';

export const userStreamEndpoints = (options: { listenKeys: ListenKeys; clock: () => number }): Endpoint[] => {
  const { listenKeys, clock } = options;
  const userOf = (request: RestRequest): number => {
    if (request.userId === undefined) throw errors.unauthorized();
    return request.userId;
  };
  return [
    {
      method: 'POST',
      path: '/api/v3/userDataStream',
      security: 'USER_STREAM',
      weight: () => 2,
      handler: (request) => ({ body: { listenKey: listenKeys.create(userOf(request), clock()) } }),
    },
    {
      method: 'PUT',
      path: '/api/v3/userDataStream',
      security: 'USER_STREAM',
      weight: () => 2,
      handler: (request) => {
        if (!listenKeys.keepAlive(requiredString(request.params, 'listenKey'), userOf(request), clock())) {
          throw errors.invalidListenKey();
        }
        return { body: {} };
      },
    },
    {
      method: 'DELETE',
      path: '/api/v3/userDataStream',
      security: 'USER_STREAM',
      weight: () => 2,
      handler: (request) => {
        if (!listenKeys.close(requiredString(request.params, 'listenKey'), userOf(request)))
          throw errors.invalidListenKey();
        return { body: {} };
      },
    },
  ];
};
