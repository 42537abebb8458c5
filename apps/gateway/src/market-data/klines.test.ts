// Proves klines for every interval equal a naive recomputation from the raw trades, under seeded random trade
// streams with quiet gaps from seconds to days: REST klines (most recent, from startTime, up to endTime, any
// limit, with and without a time zone), slots without trades filled flat at the previous close and nothing before
// the first trade; and the kline streams: sent only when changed, and at a rollover the closed candle (x: true)
// then the new one. Interval arithmetic is checked on hand-worked dates.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MarketFormat } from '../binance/format.js';
import {
  KLINE_INTERVALS,
  parseTimeZone,
  parseWindowSize,
  slotAfter,
  slotBefore,
  slotStart,
  type KlineInterval,
} from './intervals.js';
import { MarketData } from './market-data.js';
import {
  commandsOf,
  committedBatch,
  demoMarkets,
  naiveKlineRow,
  naiveKlines,
  randomTrades,
  testSeeds,
  withSeedAsync,
  type TestTrade,
} from './testing.js';

let btc: MarketFormat;
beforeAll(async () => {
  btc = (await demoMarkets()).get('BTCUSDT')!;
});

const utc = (text: string) => Date.parse(text);

describe('interval arithmetic', () => {
  it('aligns slots to the epoch, to Mondays and to months, in a time zone', () => {
    const t = utc('2024-02-29T13:47:31.250Z'); // a Thursday
    expect(slotStart('1s', t)).toBe(utc('2024-02-29T13:47:31Z'));
    expect(slotStart('15m', t)).toBe(utc('2024-02-29T13:45:00Z'));
    expect(slotStart('4h', t)).toBe(utc('2024-02-29T12:00:00Z'));
    expect(slotStart('1d', t)).toBe(utc('2024-02-29T00:00:00Z'));
    expect(slotStart('1w', t)).toBe(utc('2024-02-26T00:00:00Z'));
    expect(slotStart('1M', t)).toBe(utc('2024-02-01T00:00:00Z'));
    expect(slotAfter('1M', utc('2024-02-01T00:00:00Z'))).toBe(utc('2024-03-01T00:00:00Z'));
    expect(slotBefore('1M', utc('2024-01-01T00:00:00Z'))).toBe(utc('2023-12-01T00:00:00Z'));
    // +08:00: the local day starts at 16:00 UTC the day before.
    const plus8 = parseTimeZone('8')!;
    expect(slotStart('1d', t, plus8)).toBe(utc('2024-02-28T16:00:00Z'));
    expect(slotStart('1M', utc('2024-02-29T17:00:00Z'), plus8)).toBe(utc('2024-02-29T16:00:00Z'));
    expect(slotStart('1w', utc('2024-02-25T17:00:00Z'), plus8)).toBe(utc('2024-02-25T16:00:00Z'));
    // +05:45 shifts hour slots by 15 minutes.
    expect(slotStart('1h', t, parseTimeZone('05:45')!)).toBe(utc('2024-02-29T13:15:00Z'));
  });

  it('parses Binance time zones and window sizes', () => {
    expect(parseTimeZone('0')).toBe(0);
    expect(parseTimeZone('-1:00')).toBe(-3_600_000);
    expect(parseTimeZone('+14:00')).toBe(14 * 3_600_000);
    expect(parseTimeZone('05:45')).toBe(345 * 60_000);
    for (const bad of ['15', '-13', '+14:01', '1:60', 'UTC', '', '1:5']) expect(parseTimeZone(bad)).toBeUndefined();
    expect(parseWindowSize('1m')).toBe(60_000);
    expect(parseWindowSize('59m')).toBe(59 * 60_000);
    expect(parseWindowSize('23h')).toBe(23 * 3_600_000);
    expect(parseWindowSize('7d')).toBe(7 * 86_400_000);
    for (const bad of ['0m', '60m', '24h', '8d', '1w', '01m', '1d2h', '']) expect(parseWindowSize(bad)).toBeUndefined();
  });
});

/** Feeds trades to a MarketData in batches of a few commands; the clock follows the trades. */
function feed(market: MarketData, format: MarketFormat, trades: readonly TestTrade[], setNow: (ms: number) => void) {
  const commands = commandsOf(format, trades);
  for (let index = 0; index < commands.length; index += 3) {
    const batch = commands.slice(index, index + 3);
    setNow(batch[batch.length - 1]!.timeMs);
    market.applyCommitted(committedBatch(batch));
  }
}

describe('REST klines', () => {
  for (const seed of testSeeds()) {
    it(`equal a naive recomputation for every interval (seed ${seed})`, () =>
      withSeedAsync(seed, async (random) => {
        const startMs = utc('2024-01-30T22:59:58Z') + random.below(86_400_000);
        let nowMs = startMs - 1;
        const market = new MarketData({ markets: [btc], clock: () => nowMs, publish: () => {} });
        // Fewer trades than candles kept per interval: memory alone holds all of them (the database path is
        // proven in history.test.ts).
        const trades = randomTrades(random, { symbol: 'BTCUSDT', count: 900, startMs });
        feed(market, btc, trades, (ms) => (nowMs = ms));
        nowMs += random.between(0, 5_000);
        const first = trades[0]!.timeMs;
        const last = trades[trades.length - 1]!.timeMs;
        for (const interval of KLINE_INTERVALS) {
          const queries: { startTime?: number; endTime?: number; limit: number; offsetMs?: number }[] = [
            { limit: 500 },
            { limit: 1 },
            { limit: 1_000, offsetMs: parseTimeZone('8')! },
            { limit: 1_000, offsetMs: parseTimeZone('-5:30')! },
            { startTime: 0, limit: 1_000 },
            { startTime: first + random.between(0, last - first), limit: random.between(1, 1_000) },
            { endTime: first + random.between(0, last - first), limit: random.between(1, 1_000) },
            {
              startTime: first - 10_000,
              endTime: first + random.between(0, last - first),
              limit: 1_000,
              offsetMs: parseTimeZone('05:45')!,
            },
          ];
          for (const query of queries) {
            const expected = naiveKlines(btc, trades, interval, query, nowMs);
            const actual = await market.klines('BTCUSDT', interval, {
              limit: query.limit,
              ...(query.startTime === undefined ? {} : { startTime: query.startTime }),
              ...(query.endTime === undefined ? {} : { endTime: query.endTime }),
              ...(query.offsetMs === undefined ? {} : { timeZoneOffsetMs: query.offsetMs }),
            });
            expect(actual, `${interval} ${JSON.stringify(query)}`).toEqual(expected);
          }
        }
      }));
  }

  it('keep exact volumes past 2^53 tick-lots', async () => {
    let nowMs = 1_000;
    const market = new MarketData({ markets: [btc], clock: () => nowMs, publish: () => {} });
    const trades: TestTrade[] = [];
    for (let id = 1; id <= 5_000; id++) {
      trades.push({
        symbol: 'BTCUSDT',
        tradeId: id,
        seq: id,
        timeMs: 1_000 + id,
        priceTicks: 2 ** 31 - 1 - id,
        quantityLots: 2 ** 31 - 1 - id,
        takerSide: id % 2 === 0 ? 'BUY' : 'SELL',
        takerOrderId: id,
        makerOrderId: 100_000 + id,
      });
    }
    feed(market, btc, trades, (ms) => (nowMs = ms));
    const [row] = await market.klines('BTCUSDT', '1d', { limit: 1 });
    expect(row).toEqual(naiveKlineRow(btc, '1d', 0, 0, trades, 0));
  });
});

describe('kline streams', () => {
  it('send the current candle when it changed and the closed candle at a rollover', () => {
    let nowMs = utc('2024-03-01T00:00:00Z');
    const published: { stream: string; payload: { k: Record<string, unknown> } }[] = [];
    const market = new MarketData({
      markets: [btc],
      clock: () => nowMs,
      publish: (stream, payload) => published.push({ stream, payload: payload as never }),
      hasSubscribers: (stream) => stream === 'btcusdt@kline_1m' || stream === 'btcusdt@kline_1s',
    });
    const trade = (id: number, timeMs: number, priceTicks: number): TestTrade => ({
      symbol: 'BTCUSDT',
      tradeId: id,
      seq: id,
      timeMs,
      priceTicks,
      quantityLots: 10,
      takerSide: 'BUY',
      takerOrderId: id,
      makerOrderId: 1_000 + id,
    });
    const minute = (stream = 'btcusdt@kline_1m') =>
      published.filter((p) => p.stream === stream).map((p) => p.payload.k);
    const at = (ms: number) => {
      nowMs = ms;
      market.tick(ms);
    };
    at(nowMs + 100);
    expect(published).toEqual([]); // nothing traded yet: nothing to show
    feed(market, btc, [trade(1, nowMs + 5_000, 500)], (ms) => (nowMs = ms));
    at(utc('2024-03-01T00:00:06Z'));
    expect(minute()).toMatchObject([{ t: utc('2024-03-01T00:00:00Z'), o: '5.00000000', n: 1, x: false, f: 1, L: 1 }]);
    at(utc('2024-03-01T00:00:08Z'));
    expect(minute()).toHaveLength(1); // unchanged: not sent again
    feed(market, btc, [trade(2, nowMs + 1, 700)], (ms) => (nowMs = ms));
    at(utc('2024-03-01T00:00:10Z'));
    expect(minute()[1]).toMatchObject({ c: '7.00000000', h: '7.00000000', n: 2, x: false });
    at(utc('2024-03-01T00:01:00Z'));
    expect(minute().slice(2)).toMatchObject([
      { t: utc('2024-03-01T00:00:00Z'), T: utc('2024-03-01T00:00:59.999Z'), n: 2, x: true },
      {
        t: utc('2024-03-01T00:01:00Z'),
        o: '7.00000000',
        c: '7.00000000',
        n: 0,
        f: -1,
        L: -1,
        v: '0.00000000',
        x: false,
      },
    ]);
    // 1s candles go out every second, 1m every two seconds.
    const seconds = minute('btcusdt@kline_1s').length;
    at(utc('2024-03-01T00:01:01Z'));
    expect(minute('btcusdt@kline_1s').length).toBeGreaterThan(seconds);
    expect(Object.keys(published[0]!.payload).sort()).toEqual(['E', 'e', 'k', 's']);
    expect(Object.keys(minute()[0]!).sort()).toEqual(
      ['t', 'T', 's', 'i', 'f', 'L', 'o', 'c', 'h', 'l', 'v', 'n', 'x', 'q', 'V', 'Q', 'B'].sort(),
    );
  });
});

/** Documents that interval lists agree with the stream names and the REST enum. */
it('knows the sixteen Binance intervals', () => {
  expect(KLINE_INTERVALS).toHaveLength(16);
  const intervals: readonly KlineInterval[] = KLINE_INTERVALS;
  expect(new Set(intervals).size).toBe(16);
});
