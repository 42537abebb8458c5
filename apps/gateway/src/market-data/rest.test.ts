// Proves the REST endpoints speak Binance's parameters: every market data path is mounted with security NONE; a
// missing mandatory parameter is -1102 naming it, an unknown symbol -1121, a bad interval -1120, symbol with
// symbols -1128, fromId with a time range -1128, an aggTrades range over an hour -1127, bad windowSize/timeZone/type
// -1130; limits default and clamp as Binance's; request weights follow Binance's tables; single symbol answers an
// object, symbols or none an array; and isValidStream accepts exactly Binance's stream names.
import { beforeAll, describe, expect, it } from 'vitest';
import { BinanceError } from '../binance/errors.js';
import type { MarketFormat } from '../binance/format.js';
import type { Endpoint } from '../http/types.js';
import { MarketData } from './market-data.js';
import { commandsOf, committedBatch, demoMarkets, restRequest, type TestTrade } from './testing.js';

let markets: Map<string, MarketFormat>;
let market: MarketData;
let endpoints: Map<string, Endpoint>;
const nowMs = Date.parse('2024-05-01T12:00:00Z');

beforeAll(async () => {
  markets = await demoMarkets();
  market = new MarketData({ markets: [...markets.values()], clock: () => nowMs, publish: () => {} });
  const trades: TestTrade[] = [];
  for (let id = 1; id <= 30; id++) {
    trades.push({
      symbol: 'BTCUSDT',
      tradeId: id,
      seq: id,
      timeMs: nowMs - 60_000 + id * 1_000,
      priceTicks: 6_000_000 + id,
      quantityLots: id,
      takerSide: id % 2 === 0 ? 'BUY' : 'SELL',
      takerOrderId: id,
      makerOrderId: 100 + id,
    });
  }
  market.applyCommitted(committedBatch(commandsOf(markets.get('BTCUSDT')!, trades)));
  // One ETHUSDT trade two hours ago: its 1s klines are flat since, enough to fill any limit.
  const eth: TestTrade = { ...trades[0]!, symbol: 'ETHUSDT', seq: 100, timeMs: nowMs - 7_200_000, tradeId: 1 };
  market.applyCommitted(committedBatch(commandsOf(markets.get('ETHUSDT')!, [eth])));
  endpoints = new Map(market.endpoints().map((endpoint) => [endpoint.path, endpoint]));
});

const call = async (path: string, params: Record<string, string | number> = {}) => {
  const endpoint = endpoints.get(path);
  if (endpoint === undefined) throw new Error(`no endpoint ${path}`);
  return (await endpoint.handler(restRequest(path, params))).body;
};

const failure = async (path: string, params: Record<string, string | number> = {}) => {
  try {
    await call(path, params);
  } catch (error) {
    if (error instanceof BinanceError) return error.toJSON();
    throw error;
  }
  throw new Error(`${path} ${JSON.stringify(params)} did not fail`);
};

const weight = (path: string, params: Record<string, string | number> = {}) =>
  endpoints.get(path)!.weight(restRequest(path, params).params);

describe('market data REST endpoints', () => {
  it('mounts every path as public GET', () => {
    expect([...endpoints.keys()].sort()).toEqual(
      [
        '/api/v3/depth',
        '/api/v3/trades',
        '/api/v3/historicalTrades',
        '/api/v3/aggTrades',
        '/api/v3/klines',
        '/api/v3/uiKlines',
        '/api/v3/avgPrice',
        '/api/v3/ticker/24hr',
        '/api/v3/ticker',
        '/api/v3/ticker/tradingDay',
        '/api/v3/ticker/price',
        '/api/v3/ticker/bookTicker',
      ].sort(),
    );
    for (const endpoint of endpoints.values()) expect([endpoint.method, endpoint.security]).toEqual(['GET', 'NONE']);
  });

  it('answers bad parameters with Binance codes', async () => {
    const missing = (name: string) => ({
      code: -1102,
      msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
    });
    const badSymbol = { code: -1121, msg: 'Invalid symbol.' };
    for (const path of ['/api/v3/depth', '/api/v3/trades', '/api/v3/aggTrades', '/api/v3/klines', '/api/v3/avgPrice']) {
      expect(await failure(path, {})).toEqual(missing('symbol'));
      expect(await failure(path, { symbol: 'NOPE', interval: '1m' })).toEqual(badSymbol);
    }
    expect(await failure('/api/v3/klines', { symbol: 'BTCUSDT' })).toEqual(missing('interval'));
    expect(await failure('/api/v3/uiKlines', { symbol: 'BTCUSDT', interval: '2m' })).toEqual({
      code: -1120,
      msg: 'Invalid interval.',
    });
    expect(await failure('/api/v3/klines', { symbol: 'BTCUSDT', interval: '1m', timeZone: '15' })).toMatchObject({
      code: -1130,
    });
    expect(await failure('/api/v3/klines', { symbol: 'BTCUSDT', interval: '1m', startTime: 'x' })).toMatchObject({
      code: -1100,
    });
    expect(await failure('/api/v3/klines', { symbol: 'BTCUSDT', interval: '1m', limit: 0 })).toMatchObject({
      code: -1130,
    });
    expect(await failure('/api/v3/aggTrades', { symbol: 'BTCUSDT', startTime: 0, endTime: 3_600_001 })).toEqual({
      code: -1127,
      msg: 'Lookup interval is too big.',
    });
    expect(await failure('/api/v3/aggTrades', { symbol: 'BTCUSDT', fromId: 1, startTime: 0 })).toMatchObject({
      code: -1128,
    });
    expect(await failure('/api/v3/ticker/24hr', { symbol: 'BTCUSDT', symbols: '["BTCUSDT"]' })).toMatchObject({
      code: -1128,
    });
    expect(await failure('/api/v3/ticker/24hr', { symbols: '["BTCUSDT","NOPE"]' })).toEqual(badSymbol);
    expect(await failure('/api/v3/ticker/24hr', { symbols: 'BTCUSDT' })).toMatchObject({ code: -1100 });
    expect(await failure('/api/v3/ticker/24hr', { type: 'HALF' })).toMatchObject({ code: -1130 });
    expect(await failure('/api/v3/ticker', {})).toEqual(missing('symbol'));
    expect(await failure('/api/v3/ticker', { symbol: 'BTCUSDT', windowSize: '8d' })).toMatchObject({ code: -1130 });
    expect(await failure('/api/v3/ticker/tradingDay', { symbol: 'BTCUSDT', timeZone: '-13' })).toMatchObject({
      code: -1130,
    });
    expect(await failure('/api/v3/ticker/price', { symbol: 'btcusdt' })).toEqual(badSymbol);
  });

  it('defaults and clamps limits as Binance does', async () => {
    expect(await call('/api/v3/trades', { symbol: 'BTCUSDT' })).toHaveLength(30);
    expect(await call('/api/v3/trades', { symbol: 'BTCUSDT', limit: 5 })).toHaveLength(5);
    expect(await call('/api/v3/trades', { symbol: 'BTCUSDT', limit: 99_999 })).toHaveLength(30);
    const klines = (await call('/api/v3/klines', { symbol: 'ETHUSDT', interval: '1s' })) as unknown[];
    expect(klines).toHaveLength(500);
    expect(await call('/api/v3/klines', { symbol: 'ETHUSDT', interval: '1s', limit: 5_000 })).toHaveLength(1_000);
    expect(await call('/api/v3/klines', { symbol: 'BTCUSDT', interval: '1s', limit: 5_000 })).toHaveLength(60);
  });

  it('answers in Binance shapes: one object for symbol, an array otherwise', async () => {
    const full = (await call('/api/v3/ticker/24hr', { symbol: 'BTCUSDT' })) as Record<string, unknown>;
    expect(Object.keys(full)).toEqual([
      'symbol',
      'priceChange',
      'priceChangePercent',
      'weightedAvgPrice',
      'prevClosePrice',
      'lastPrice',
      'lastQty',
      'bidPrice',
      'bidQty',
      'askPrice',
      'askQty',
      'openPrice',
      'highPrice',
      'lowPrice',
      'volume',
      'quoteVolume',
      'openTime',
      'closeTime',
      'firstId',
      'lastId',
      'count',
    ]);
    expect(full).toMatchObject({ firstId: 1, lastId: 30, count: 30, lastPrice: '60000.30000000' });
    for (const [key, value] of Object.entries(full)) {
      expect(typeof value, key).toBe(
        ['openTime', 'closeTime', 'firstId', 'lastId', 'count'].includes(key) ? 'number' : 'string',
      );
    }
    const all = (await call('/api/v3/ticker/24hr', { type: 'MINI' })) as Record<string, unknown>[];
    expect(all.map((ticker) => ticker.symbol)).toEqual([...markets.keys()]);
    expect(Object.keys(all[0]!)).toEqual([
      'symbol',
      'openPrice',
      'highPrice',
      'lowPrice',
      'lastPrice',
      'volume',
      'quoteVolume',
      'openTime',
      'closeTime',
      'firstId',
      'lastId',
      'count',
    ]);
    expect(await call('/api/v3/ticker/price', { symbols: '["ETHUSDT","BTCUSDT"]' })).toEqual([
      { symbol: 'ETHUSDT', price: '60000.01000000' },
      { symbol: 'BTCUSDT', price: '60000.30000000' },
    ]);
    expect(await call('/api/v3/ticker/bookTicker', { symbol: 'BTCUSDT' })).toEqual({
      symbol: 'BTCUSDT',
      bidPrice: '0.00000000',
      bidQty: '0.00000000',
      askPrice: '0.00000000',
      askQty: '0.00000000',
    });
    expect(await call('/api/v3/ticker', { symbols: '["BTCUSDT"]', windowSize: '2m' })).toMatchObject([
      { symbol: 'BTCUSDT', count: 30, priceChange: expect.any(String) },
    ]);
    expect(await call('/api/v3/ticker/tradingDay', { symbol: 'BTCUSDT', timeZone: '8' })).toMatchObject({
      symbol: 'BTCUSDT',
      openTime: Date.parse('2024-05-01T16:00:00Z') - 86_400_000,
    });
    expect(await call('/api/v3/avgPrice', { symbol: 'BTCUSDT' })).toEqual({
      mins: 5,
      price: expect.stringMatching(/^60000\.\d{8}$/),
      closeTime: nowMs - 30_000,
    });
    const [trade] = (await call('/api/v3/historicalTrades', { symbol: 'BTCUSDT', fromId: 3, limit: 1 })) as object[];
    expect(trade).toEqual({
      id: 3,
      price: '60000.03000000',
      qty: '0.00003000',
      quoteQty: '1.80000090',
      time: nowMs - 57_000,
      isBuyerMaker: true,
      isBestMatch: true,
    });
    const [aggregate] = (await call('/api/v3/aggTrades', { symbol: 'BTCUSDT', limit: 1 })) as object[];
    expect(aggregate).toEqual({
      a: 30,
      p: '60000.30000000',
      q: '0.00030000',
      f: 30,
      l: 30,
      T: nowMs - 30_000,
      m: false,
      M: true,
    });
    const [kline] = (await call('/api/v3/uiKlines', { symbol: 'BTCUSDT', interval: '1M' })) as unknown[][];
    expect(kline!.map((value) => typeof value)).toEqual([
      'number',
      'string',
      'string',
      'string',
      'string',
      'string',
      'number',
      'string',
      'number',
      'string',
      'string',
      'string',
    ]);
  });

  it('weighs requests as Binance does', () => {
    const symbols = (count: number) => JSON.stringify(Array.from({ length: count }, (_, i) => `S${i}`));
    expect(weight('/api/v3/trades')).toBe(25);
    expect(weight('/api/v3/historicalTrades')).toBe(25);
    expect(weight('/api/v3/aggTrades')).toBe(4);
    expect(weight('/api/v3/klines')).toBe(2);
    expect(weight('/api/v3/uiKlines')).toBe(2);
    expect(weight('/api/v3/avgPrice')).toBe(2);
    expect(weight('/api/v3/ticker/24hr', { symbol: 'BTCUSDT' })).toBe(2);
    expect(weight('/api/v3/ticker/24hr', { symbols: symbols(20) })).toBe(2);
    expect(weight('/api/v3/ticker/24hr', { symbols: symbols(21) })).toBe(40);
    expect(weight('/api/v3/ticker/24hr', { symbols: symbols(101) })).toBe(80);
    expect(weight('/api/v3/ticker/24hr')).toBe(80);
    expect(weight('/api/v3/ticker', { symbol: 'BTCUSDT' })).toBe(4);
    expect(weight('/api/v3/ticker', { symbols: symbols(50) })).toBe(200);
    expect(weight('/api/v3/ticker', { symbols: symbols(51) })).toBe(200);
    expect(weight('/api/v3/ticker', { symbols: symbols(3) })).toBe(12);
    expect(weight('/api/v3/ticker/tradingDay', { symbols: symbols(2) })).toBe(8);
    expect(weight('/api/v3/ticker/price', { symbol: 'BTCUSDT' })).toBe(2);
    expect(weight('/api/v3/ticker/price')).toBe(4);
    expect(weight('/api/v3/ticker/bookTicker', { symbols: symbols(2) })).toBe(4);
    expect(weight('/api/v3/depth', { limit: 'garbage' })).toBe(5);
  });
});

describe('stream names', () => {
  it('accepts exactly Binance spot stream names for served markets', () => {
    const valid = [
      'btcusdt@trade',
      'btcusdt@aggTrade',
      'btcusdt@bookTicker',
      'btcusdt@depth',
      'btcusdt@depth@100ms',
      'btcusdt@depth5',
      'btcusdt@depth10@100ms',
      'btcusdt@depth20',
      'btcusdt@kline_1s',
      'btcusdt@kline_1M',
      'ethbtc@kline_3d',
      'btcusdt@miniTicker',
      'btcusdt@ticker',
      'btcusdt@ticker_1h',
      'btcusdt@ticker_4h',
      'btcusdt@ticker_1d',
      'btcusdt@avgPrice',
      '!miniTicker@arr',
      '!ticker@arr',
      '!ticker_1h@arr',
      '!ticker_4h@arr',
      '!ticker_1d@arr',
    ];
    const invalid = [
      'BTCUSDT@trade',
      'btcusdt@Trade',
      'xrpusdt@trade',
      'btcusdt@depth15',
      'btcusdt@depth@250ms',
      'btcusdt@kline_2m',
      'btcusdt@kline_1mo',
      'btcusdt@ticker_2h',
      'btcusdt',
      '@trade',
      '!ticker_2d@arr',
      '!bookTicker',
      '',
    ];
    for (const name of valid) expect(market.isValidStream(name), name).toBe(true);
    for (const name of invalid) expect(market.isValidStream(name), name).toBe(false);
  });
});
