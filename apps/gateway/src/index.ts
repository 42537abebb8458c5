// @exbox/gateway: the Binance-compatible REST and WebSocket edge with the engine in-process. See README.md.
export { Gateway, gatewayTickMs, type GatewayOptions } from './gateway.js';
export { loadNativeUws, NativeUwsUnavailableError, type Uws } from './uws.js';
export { keyStoreFrom } from './http/auth-key-store.js';
export type { ApiKeyGrant, KeyStore, Permission } from './http/request-auth.js';
export type { RateLimits } from './http/rate-limiter.js';
export { BinanceApiError, BinanceRestClient, type RestClientOptions } from './client/rest-client.js';
export { BinanceError, errors, orderRejectText } from './binance/errors.js';
export { MarketFormat, formatMinor } from './binance/format.js';
export { runExchangeDemo, type DemoCredentials, type ExchangeDemoOptions } from './demo/run-exchange-demo.js';
export { MarketMaker, type MarketMakerOptions } from './demo/market-maker.js';
