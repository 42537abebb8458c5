// Proves market data's limits fit together: memory serves every request size Binance allows (a page of trades,
// klines, a 7-day window), a restart reloads at least what memory keeps for every interval, the stream cadences
// fit the server's 100 ms tick, and what one market keeps stays within its memory budget (its mirrored book is
// bounded by the engine's own orders-per-book limit, not here).
import { DEPTH_LEVELS_MAX } from '@exbox/matching';
import { describe, expect, it } from 'vitest';
import * as limits from './limits.js';

const MINUTE_MS = 60_000;

/** Generous sizes: a candle object with boxed doubles and bigint fields, a trade in the typed-array ring. */
const CANDLE_BYTES = 320;
const TAPE_TRADE_BYTES = 5 * 8 + 1;

describe('market data limits', () => {
  it('keep enough in memory for every Binance request size', () => {
    expect(limits.depthLimitMax).toBe(DEPTH_LEVELS_MAX);
    expect(limits.depthLimitDefault).toBeLessThanOrEqual(limits.depthLimitMax);
    expect(Math.max(...limits.partialDepthLevels)).toBeLessThanOrEqual(limits.depthLimitDefault);
    expect(limits.tradesLimitDefault).toBeLessThanOrEqual(limits.tradesLimitMax);
    expect(limits.recentTradesKept).toBeGreaterThanOrEqual(limits.tradesLimitMax);
    expect(limits.aggTradesScanTradesMax).toBeGreaterThanOrEqual(2 * limits.tradesLimitMax);
    expect(limits.klineLimitDefault).toBeLessThanOrEqual(limits.klineLimitMax);
    expect(limits.klineCandlesKept).toBeGreaterThanOrEqual(limits.klineLimitMax);
    expect(limits.minuteCandlesKept).toBeGreaterThanOrEqual(limits.klineCandlesKept);
    // A window opens on the minute: the 7-day window spans up to 7 days and one minute of candles.
    expect((limits.minuteCandlesKept - 1) * MINUTE_MS).toBeGreaterThanOrEqual(limits.rollingWindowMsMax);
    expect(limits.avgPriceMinutes * MINUTE_MS).toBeLessThanOrEqual(limits.rollingWindowMsMax);
    expect(limits.tickerSymbolsMax).toBeGreaterThanOrEqual(1);
  });

  it('reload at least what memory keeps after a restart', () => {
    expect(limits.historySecondCandles).toBeGreaterThanOrEqual(limits.klineCandlesKept); // 1s
    expect(limits.historyMinuteCandles).toBeGreaterThanOrEqual(30 * limits.klineCandlesKept); // 30m
    expect(limits.historyMinuteCandles).toBeGreaterThanOrEqual(limits.minuteCandlesKept); // 7-day windows
    expect(limits.historyHourCandles).toBeGreaterThanOrEqual(12 * limits.klineCandlesKept); // 12h
    expect(limits.historyDayCandles).toBeGreaterThanOrEqual(31 * limits.klineCandlesKept); // 1M
  });

  it('fit the stream cadences to the server tick', () => {
    expect(limits.depthFastPeriodMs).toBe(limits.tickPeriodMs);
    // One per-second pass serves the slow depth, tickers and 1s klines.
    expect(limits.tickerPeriodMs).toBe(limits.depthSlowPeriodMs);
    expect(limits.klineSecondPeriodMs).toBe(limits.depthSlowPeriodMs);
    expect(limits.depthSlowPeriodMs % limits.tickPeriodMs).toBe(0);
    expect(limits.klinePeriodMs % limits.tickPeriodMs).toBe(0);
    expect(limits.projectionWaitMsDefault).toBeGreaterThan(limits.projectionPollMs);
    expect(limits.databaseReadsInFlightMax).toBeGreaterThanOrEqual(1);
  });

  it('bound the memory of one market', () => {
    const candles = 15 * limits.klineCandlesKept + limits.minuteCandlesKept;
    const bytes = candles * CANDLE_BYTES + limits.recentTradesKept * TAPE_TRADE_BYTES;
    expect(bytes).toBeLessThanOrEqual(limits.marketMemoryBytesMax);
  });
});
