// @exbox/api: tRPC routers for the trader portal (and, later, the admin console). See README.md.

export { traderRouter, createTraderCaller, type TraderRouter } from './root.js';
export {
  createTraderContext,
  type CreateTraderContextOptions,
  type SessionCookieJar,
  type TraderContext,
} from './context.js';
export { handleTrpcRequest, type HandleTrpcRequestOptions } from './http.js';
export { toTrpcError, trpcCodeOf } from './errors.js';
