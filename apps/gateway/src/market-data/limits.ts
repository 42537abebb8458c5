// Every bound market data relies on, named once. limits.test.ts checks how they relate (the memory kept serves
// every request Binance allows from memory, a restart reloads at least what memory keeps, and the memory one busy
// market can hold stays within a budget).
import { DEPTH_LEVELS_MAX } from '@exbox/matching';

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** GET /api/v3/depth `limit`: Binance's default and maximum (larger values are truncated to the maximum). */
export const depthLimitDefault = 100;
export const depthLimitMax = DEPTH_LEVELS_MAX;

/** The levels of the partial book depth streams (`<symbol>@depth<levels>`). */
export const partialDepthLevels = [5, 10, 20] as const;

/** GET /api/v3/trades, historicalTrades and aggTrades `limit`. */
export const tradesLimitDefault = 500;
export const tradesLimitMax = 1_000;

/** Trades kept in memory per market (the recent trades list, and aggTrades/historicalTrades without the database). */
export const recentTradesKept = 4_096;

/** Trades one aggTrades request may read (from memory or the database) to assemble its aggregates. */
export const aggTradesScanTradesMax = 20_000;

/** aggTrades: startTime and endTime at most this far apart (Binance: one hour). */
export const aggTradesWindowMsMax = HOUR_MS;

/** GET /api/v3/klines `limit`. */
export const klineLimitDefault = 500;
export const klineLimitMax = 1_000;

/** Candles kept in memory per market and interval (only intervals with trades take room), except 1m below. */
export const klineCandlesKept = 1_000;

/** Rolling-window tickers (GET /api/v3/ticker windowSize) reach this far back; Binance's largest window is 7d. */
export const rollingWindowMsMax = 7 * DAY_MS;

/**
 * One-minute candles kept per market: the rolling windows are computed from them, and a window's open time is
 * rounded down to the minute, so a 7-day window spans 7 days and one minute.
 */
export const minuteCandlesKept = rollingWindowMsMax / MINUTE_MS + 1;

/** GET /api/v3/avgPrice and `<symbol>@avgPrice`: the average over this many minutes (Binance: 5). */
export const avgPriceMinutes = 5;

/** GET /api/v3/ticker and ticker/tradingDay: at most this many `symbols` (Binance: 100). */
export const tickerSymbolsMax = 100;

/** Database reads REST handlers may run at once (older trades and klines); more are refused as -1008. */
export const databaseReadsInFlightMax = 4;

/** loadHistory waits at most this long for the trades projection to reach the requested sequence. */
export const projectionWaitMsDefault = 120_000;
export const projectionPollMs = 100;

/**
 * What loadHistory reads back per market, as candle granularities aggregated by PostgreSQL (the rows shipped
 * are candles, never raw trades, except the last `recentTradesKept` trades). Each covers the intervals built from
 * it: seconds -> 1s; minutes -> 1m..30m and the rolling windows; hours -> 1h..12h; days -> 1d, 3d, 1w, 1M.
 */
export const historySecondCandles = klineCandlesKept;
export const historyMinuteCandles = Math.max(30 * klineCandlesKept, minuteCandlesKept);
export const historyHourCandles = 12 * klineCandlesKept;
/** 1000 months of days: the whole history of any real market (one scan of its trades at startup). */
export const historyDayCandles = 31 * klineCandlesKept;

/** Stream cadences (the server calls tick() every 100 ms). */
export const tickPeriodMs = 100;
export const depthFastPeriodMs = 100;
export const depthSlowPeriodMs = SECOND_MS;
export const tickerPeriodMs = SECOND_MS;
export const klineSecondPeriodMs = SECOND_MS;
export const klinePeriodMs = 2 * SECOND_MS;

/** A budget, in bytes, for what one market keeps in memory at most (checked against an estimate in the tests). */
export const marketMemoryBytesMax = 16 * 1024 * 1024;
