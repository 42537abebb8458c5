// Binance-compatible public market data: books, trades, klines and tickers from committed engine batches, as
// WebSocket stream events and REST endpoints. See README.md.
export {
  MarketData,
  windowOpenTime,
  type AggTradesQuery,
  type BookLevel,
  type HistoryReport,
  type KlineQuery,
  type LoadHistoryOptions,
  type MarketDataOptions,
} from './market-data.js';
export { KLINE_INTERVALS, isKlineInterval, type KlineInterval } from './intervals.js';
export { ALL_MARKET_STREAMS, ROLLING_STREAM_WINDOWS, isValidStreamName, marketStreamNames } from './streams.js';
export type { DepthSnapshot, KlineRow, PriceQuantity } from './payloads.js';
export * as marketDataLimits from './limits.js';
