// Candles for the chart: REST klines rows and `@kline_<interval>` stream events turned into one shape. Prices stay
// decimal strings here; the chart converts them to plot numbers at the last moment.

export const chartIntervals = ['1m', '5m', '15m', '1h', '4h', '1d', '1w'] as const;
export type ChartInterval = (typeof chartIntervals)[number];

/** Candles loaded when the chart opens or resyncs (Binance's default page). */
export const chartCandlesLoaded = 500;

export interface Candle {
  /** Open time, seconds since the epoch (lightweight-charts' UTCTimestamp). */
  timeSec: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/** One row of REST /api/v3/klines: [openTime, open, high, low, close, volume, closeTime, ...]. */
export type KlineRow = [number, string, string, string, string, string, ...unknown[]];

export interface KlineEvent {
  k: { t: number; i: string; o: string; h: string; l: string; c: string; v: string; x: boolean };
}

export function candleFromRow(row: KlineRow): Candle {
  return {
    timeSec: Math.floor(row[0] / 1000),
    open: row[1],
    high: row[2],
    low: row[3],
    close: row[4],
    volume: row[5],
  };
}

export function candleFromEvent(event: KlineEvent): Candle {
  const { k } = event;
  return { timeSec: Math.floor(k.t / 1000), open: k.o, high: k.h, low: k.l, close: k.c, volume: k.v };
}

/**
 * Merges a live candle into the loaded ones: replaces the candle with the same open time or appends a newer
 * one; an older one (a late event after a resync) is ignored. Returns whether the candles changed.
 */
export function mergeCandle(candles: Candle[], candle: Candle): 'replaced' | 'appended' | 'ignored' {
  const last = candles.at(-1);
  if (last === undefined || candle.timeSec > last.timeSec) {
    candles.push(candle);
    return 'appended';
  }
  if (candle.timeSec === last.timeSec) {
    candles[candles.length - 1] = candle;
    return 'replaced';
  }
  return 'ignored';
}
