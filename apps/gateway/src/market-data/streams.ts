// Binance's market stream names, spelled exactly as Binance spells them: lower-case symbol, then the stream
// (`btcusdt@depth@100ms`, `btcusdt@kline_1M`), and the all-market arrays (`!ticker@arr`).
import { partialDepthLevels } from './limits.js';
import { KLINE_INTERVALS, type KlineInterval } from './intervals.js';

/** The rolling-window ticker streams Binance offers (`<symbol>@ticker_<w>`, `!ticker_<w>@arr`). */
export const ROLLING_STREAM_WINDOWS = ['1h', '4h', '1d'] as const;
export type RollingStreamWindow = (typeof ROLLING_STREAM_WINDOWS)[number];

export type PartialDepthLevels = (typeof partialDepthLevels)[number];

export interface MarketStreamNames {
  trade: string;
  aggTrade: string;
  bookTicker: string;
  /** Diff depth: `@depth@100ms` and `@depth` (1000 ms). */
  depthFast: string;
  depthSlow: string;
  /** Partial book depth: `@depth<n>@100ms` and `@depth<n>` (1000 ms). */
  partialFast: Readonly<Record<PartialDepthLevels, string>>;
  partialSlow: Readonly<Record<PartialDepthLevels, string>>;
  kline: Readonly<Record<KlineInterval, string>>;
  miniTicker: string;
  ticker: string;
  rolling: Readonly<Record<RollingStreamWindow, string>>;
  avgPrice: string;
}

const record = <K extends string | number, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> =>
  Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, V>;

/** Every stream name of one market (computed once, so the hot path never builds strings). */
export function marketStreamNames(symbol: string): MarketStreamNames {
  const base = symbol.toLowerCase();
  return {
    trade: `${base}@trade`,
    aggTrade: `${base}@aggTrade`,
    bookTicker: `${base}@bookTicker`,
    depthFast: `${base}@depth@100ms`,
    depthSlow: `${base}@depth`,
    partialFast: record(partialDepthLevels, (levels) => `${base}@depth${levels}@100ms`),
    partialSlow: record(partialDepthLevels, (levels) => `${base}@depth${levels}`),
    kline: record(KLINE_INTERVALS, (interval) => `${base}@kline_${interval}`),
    miniTicker: `${base}@miniTicker`,
    ticker: `${base}@ticker`,
    rolling: record(ROLLING_STREAM_WINDOWS, (window) => `${base}@ticker_${window}`),
    avgPrice: `${base}@avgPrice`,
  };
}

export const ALL_MINI_TICKERS_STREAM = '!miniTicker@arr';
export const ALL_TICKERS_STREAM = '!ticker@arr';
export const allRollingTickersStream = (window: RollingStreamWindow): string => `!ticker_${window}@arr`;

/** The all-market streams. */
export const ALL_MARKET_STREAMS: readonly string[] = [
  ALL_MINI_TICKERS_STREAM,
  ALL_TICKERS_STREAM,
  ...ROLLING_STREAM_WINDOWS.map(allRollingTickersStream),
];

/** What follows `<symbol>@` in a valid market stream name. */
const MARKET_STREAM_SUFFIXES: ReadonlySet<string> = (() => {
  const names = marketStreamNames('');
  const suffixes = new Set<string>();
  const add = (name: string) => suffixes.add(name.slice(1));
  for (const value of Object.values(names) as (string | Record<string, string>)[]) {
    if (typeof value === 'string') add(value);
    else for (const name of Object.values(value)) add(name);
  }
  return suffixes;
})();

/** Whether `name` is a stream Binance would accept for one of `symbols` (given upper-case, as markets are named). */
export function isValidStreamName(name: string, symbols: { has(symbol: string): boolean }): boolean {
  if (name.startsWith('!')) return ALL_MARKET_STREAMS.includes(name);
  const at = name.indexOf('@');
  if (at <= 0) return false;
  const symbol = name.slice(0, at);
  if (symbol !== symbol.toLowerCase()) return false;
  return symbols.has(symbol.toUpperCase()) && MARKET_STREAM_SUFFIXES.has(name.slice(at + 1));
}
