// Proves live candles merge into the loaded ones: the open candle is replaced, a new one appended, a late one
// from before a resync ignored; REST rows and stream events give the same candle.
import { describe, expect, it } from 'vitest';
import { candleFromEvent, candleFromRow, mergeCandle, type Candle } from './klines';

describe('klines', () => {
  it('reads REST rows and stream events alike', () => {
    const row = candleFromRow([60_000, '1', '3', '0.5', '2', '10', 119_999, '20', 3]);
    const live = candleFromEvent({ k: { t: 60_000, i: '1m', o: '1', h: '3', l: '0.5', c: '2', v: '10', x: false } });
    expect(live).toEqual(row);
    expect(row.timeSec).toBe(60);
  });

  it('replaces the open candle, appends the next, ignores older ones', () => {
    const candle = (timeSec: number, close: string): Candle => ({
      timeSec,
      open: '1',
      high: '2',
      low: '1',
      close,
      volume: '0',
    });
    const candles = [candle(60, '1')];
    expect(mergeCandle(candles, candle(60, '1.5'))).toBe('replaced');
    expect(mergeCandle(candles, candle(120, '1.7'))).toBe('appended');
    expect(mergeCandle(candles, candle(60, '9'))).toBe('ignored');
    expect(candles.map((item) => item.close)).toEqual(['1.5', '1.7']);
  });
});
