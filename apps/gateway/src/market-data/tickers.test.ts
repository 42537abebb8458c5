// Proves tickers equal a naive recomputation from the raw trades under seeded random trade streams spanning days:
// GET /api/v3/ticker/24hr (FULL and MINI), rolling windows of every size from 1m to 7d (opening on the minute, as
// Binance does), ticker/tradingDay in a time zone, avgPrice, ticker/price; and the ticker streams: individual
// streams every second, the !…@arr streams with only the markets whose ticker changed (a trade, or a trade
// leaving the window), each event with exactly Binance's fields.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MarketFormat } from '../binance/format.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, slotStart } from './intervals.js';
import { MarketData, windowOpenTime } from './market-data.js';
import {
  commandsOf,
  committedBatch,
  demoMarkets,
  naiveWindow,
  randomTrades,
  testSeeds,
  withSeed,
  type TestTrade,
} from './testing.js';

let markets: Map<string, MarketFormat>;
let btc: MarketFormat;
let eth: MarketFormat;
beforeAll(async () => {
  markets = await demoMarkets();
  btc = markets.get('BTCUSDT')!;
  eth = markets.get('ETHUSDT')!;
});

describe('REST tickers', () => {
  for (const seed of testSeeds()) {
    it(`equal a naive recomputation (seed ${seed})`, () =>
      withSeed(seed, (random) => {
        const startMs = Date.parse('2024-05-01T00:00:00Z') + random.below(DAY_MS);
        let nowMs = startMs;
        const market = new MarketData({ markets: [btc], clock: () => nowMs, publish: () => {} });
        const trades = randomTrades(random, { symbol: 'BTCUSDT', count: 4_000, startMs });
        const commands = commandsOf(btc, trades);
        const seen: TestTrade[] = [];
        let checks = 0;
        for (const command of commands) {
          // Query at a random moment before this command (between commits), sometimes far after the last trade.
          if (random.chance(0.05)) {
            nowMs = Math.max(nowMs, command.timeMs - random.below(Math.max(1, command.timeMs - nowMs)));
            checks += 1;
            const windowMs = [
              MINUTE_MS * random.between(1, 59),
              HOUR_MS * random.between(1, 23),
              DAY_MS * random.between(1, 7),
            ][random.below(3)]!;
            const day = naiveWindow(btc, seen, windowOpenTime(nowMs, DAY_MS), nowMs);
            const lastTrade = seen[seen.length - 1];
            expect(market.ticker24hr('BTCUSDT', 'FULL')).toEqual({
              symbol: 'BTCUSDT',
              priceChange: day.change,
              priceChangePercent: day.changePercent,
              weightedAvgPrice: day.weightedAverage,
              prevClosePrice: day.previousClose,
              lastPrice: day.last,
              lastQty: btc.quantity(lastTrade?.quantityLots ?? 0),
              bidPrice: '0.00000000',
              bidQty: '0.00000000',
              askPrice: '0.00000000',
              askQty: '0.00000000',
              openPrice: day.open,
              highPrice: day.high,
              lowPrice: day.low,
              volume: day.volume,
              quoteVolume: day.quoteVolume,
              openTime: windowOpenTime(nowMs, DAY_MS),
              closeTime: nowMs,
              firstId: day.firstId,
              lastId: day.lastId,
              count: day.count,
            });
            const rolling = naiveWindow(btc, seen, windowOpenTime(nowMs, windowMs), nowMs);
            const mini = {
              symbol: 'BTCUSDT',
              openPrice: rolling.open,
              highPrice: rolling.high,
              lowPrice: rolling.low,
              lastPrice: rolling.last,
              volume: rolling.volume,
              quoteVolume: rolling.quoteVolume,
              openTime: windowOpenTime(nowMs, windowMs),
              closeTime: nowMs,
              firstId: rolling.firstId,
              lastId: rolling.lastId,
              count: rolling.count,
            };
            expect(market.rollingTicker('BTCUSDT', windowMs, 'MINI')).toEqual(mini);
            expect(market.rollingTicker('BTCUSDT', windowMs, 'FULL')).toEqual({
              ...mini,
              priceChange: rolling.change,
              priceChangePercent: rolling.changePercent,
              weightedAvgPrice: rolling.weightedAverage,
            });
            const offsetMs = random.between(-12, 14) * HOUR_MS;
            const dayStart = slotStart('1d', nowMs, offsetMs);
            const tradingDay = naiveWindow(btc, seen, dayStart, nowMs);
            expect(market.tradingDayTicker('BTCUSDT', offsetMs, 'FULL')).toMatchObject({
              openPrice: tradingDay.open,
              lastPrice: tradingDay.last,
              volume: tradingDay.volume,
              count: tradingDay.count,
              openTime: dayStart,
              closeTime: dayStart + DAY_MS - 1,
            });
            const fiveMinutes = naiveWindow(btc, seen, windowOpenTime(nowMs, 5 * MINUTE_MS), nowMs);
            expect(market.avgPrice('BTCUSDT')).toEqual({
              mins: 5,
              price: fiveMinutes.count === 0 ? fiveMinutes.last : fiveMinutes.weightedAverage,
              closeTime: lastTrade?.timeMs ?? 0,
            });
            expect(market.priceTicker('BTCUSDT')).toEqual({ symbol: 'BTCUSDT', price: day.last });
          }
          nowMs = Math.max(nowMs, command.timeMs);
          market.applyCommitted(committedBatch([command]));
          for (const event of command.events) if (event.type === 'trade') seen.push(trades[seen.length]!);
        }
        expect(checks).toBeGreaterThan(20);
      }));
  }

  it('shows the last price, no volume and ids -1 when nothing traded in the window', () => {
    let nowMs = Date.parse('2024-05-01T00:00:00Z');
    const market = new MarketData({ markets: [btc], clock: () => nowMs, publish: () => {} });
    expect(market.ticker24hr('BTCUSDT', 'MINI')).toMatchObject({ lastPrice: '0.00000000', firstId: -1, count: 0 });
    const trade: TestTrade = {
      symbol: 'BTCUSDT',
      tradeId: 1,
      seq: 1,
      timeMs: nowMs,
      priceTicks: 4_200_000,
      quantityLots: 3,
      takerSide: 'SELL',
      takerOrderId: 1,
      makerOrderId: 2,
    };
    market.applyCommitted(committedBatch(commandsOf(btc, [trade])));
    nowMs += 2 * DAY_MS;
    expect(market.ticker24hr('BTCUSDT', 'FULL')).toMatchObject({
      priceChange: '0.00000000',
      priceChangePercent: '0.000',
      weightedAvgPrice: '0.00000000',
      prevClosePrice: '42000.00000000',
      lastPrice: '42000.00000000',
      lastQty: '0.00003000',
      openPrice: '42000.00000000',
      highPrice: '42000.00000000',
      volume: '0.00000000',
      firstId: -1,
      lastId: -1,
      count: 0,
    });
  });
});

describe('ticker streams', () => {
  it('push individual tickers every second and, in the arrays, only the markets that changed', () => {
    let nowMs = Date.parse('2024-05-01T00:00:00.050Z');
    const published: { stream: string; payload: unknown }[] = [];
    const subscribed = new Set([
      'btcusdt@miniTicker',
      'btcusdt@ticker',
      'btcusdt@ticker_1h',
      'btcusdt@avgPrice',
      '!miniTicker@arr',
      '!ticker@arr',
      '!ticker_1h@arr',
      '!ticker_4h@arr',
      '!ticker_1d@arr',
    ]);
    const market = new MarketData({
      markets: [btc, eth],
      clock: () => nowMs,
      publish: (stream, payload) => published.push({ stream, payload }),
      hasSubscribers: (stream) => subscribed.has(stream),
    });
    let tradeId = 0;
    const trade = (format: MarketFormat, priceTicks: number) => {
      tradeId += 1;
      market.applyCommitted(
        committedBatch(
          commandsOf(format, [
            {
              symbol: format.symbol,
              tradeId,
              seq: tradeId,
              timeMs: nowMs,
              priceTicks,
              quantityLots: 5,
              takerSide: 'BUY',
              takerOrderId: tradeId,
              makerOrderId: 1_000 + tradeId,
            },
          ]),
        ),
      );
    };
    const second = () => {
      nowMs += 1_000;
      published.length = 0;
      market.tick(nowMs);
      return new Map(published.map(({ stream, payload }) => [stream, payload]));
    };
    const symbolsIn = (payload: unknown) => (payload as { s: string }[]).map((event) => event.s).sort();

    trade(btc, 100);
    trade(eth, 200);
    let sent = second();
    expect(symbolsIn(sent.get('!miniTicker@arr'))).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(sent.get('btcusdt@ticker')).toMatchObject({ e: '24hrTicker', s: 'BTCUSDT', c: '1.00000000', n: 1 });
    expect(Object.keys(sent.get('btcusdt@ticker') as object).sort()).toEqual(
      [
        'e',
        'E',
        's',
        'p',
        'P',
        'w',
        'x',
        'c',
        'Q',
        'b',
        'B',
        'a',
        'A',
        'o',
        'h',
        'l',
        'v',
        'q',
        'O',
        'C',
        'F',
        'L',
        'n',
      ].sort(),
    );
    expect(Object.keys(sent.get('btcusdt@miniTicker') as object).sort()).toEqual(
      ['e', 'E', 's', 'c', 'o', 'h', 'l', 'v', 'q'].sort(),
    );
    expect(sent.get('btcusdt@ticker_1h')).toMatchObject({ e: '1hTicker', s: 'BTCUSDT', n: 1 });
    expect(Object.keys(sent.get('btcusdt@ticker_1h') as object).sort()).toEqual(
      ['e', 'E', 's', 'p', 'P', 'o', 'h', 'l', 'c', 'w', 'v', 'q', 'O', 'C', 'F', 'L', 'n'].sort(),
    );
    expect(sent.get('btcusdt@avgPrice')).toMatchObject({ e: 'avgPrice', s: 'BTCUSDT', i: '5m', w: '1.00000000' });

    // Nothing changed: the arrays stay quiet, the individual streams still push.
    sent = second();
    expect(sent.has('!miniTicker@arr')).toBe(false);
    expect(sent.has('btcusdt@miniTicker')).toBe(true);

    trade(eth, 210);
    sent = second();
    expect(symbolsIn(sent.get('!miniTicker@arr'))).toEqual(['ETHUSDT']);
    expect(symbolsIn(sent.get('!ticker_1d@arr'))).toEqual(['ETHUSDT']);

    // Two hours on, both markets' first trades left the 1h window (but not the 4h one).
    nowMs += 2 * HOUR_MS;
    sent = second();
    expect(symbolsIn(sent.get('!ticker_1h@arr'))).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(sent.has('!ticker_4h@arr')).toBe(false);
    expect(sent.get('btcusdt@ticker_1h')).toMatchObject({ n: 0, F: -1, L: -1 });
  });
});
