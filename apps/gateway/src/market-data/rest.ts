// The public market data REST endpoints (security NONE): Binance's parameters, validation errors, defaults,
// limits and request weights, each handler reading MarketData's queries.
import { errors } from '../binance/errors.js';
import {
  limitParam,
  optionalEnum,
  optionalInteger,
  optionalString,
  optionalSymbolList,
  requiredString,
  type Params,
} from '../binance/params.js';
import type { Endpoint, RestRequest, RestResponse } from '../http/types.js';
import { isKlineInterval, parseTimeZone, parseWindowSize, type KlineInterval } from './intervals.js';
import {
  aggTradesWindowMsMax,
  depthLimitDefault,
  depthLimitMax,
  klineLimitDefault,
  klineLimitMax,
  tickerSymbolsMax,
  tradesLimitDefault,
  tradesLimitMax,
} from './limits.js';
import type { MarketData } from './market-data.js';

const ok = (body: unknown): RestResponse => ({ body });

/** A `symbol` parameter naming a served market: -1102 when missing, -1121 when unknown. */
function symbolParam(market: MarketData, params: Params): string {
  const symbol = requiredString(params, 'symbol');
  if (!market.hasMarket(symbol)) throw errors.badSymbol();
  return symbol;
}

/**
 * `symbol` or `symbols` (not both: -1128), or neither (every market) when `required` is false. Returns the
 * symbols and whether the answer is one object (symbol) rather than an array.
 */
function symbolsParam(
  market: MarketData,
  params: Params,
  required: boolean,
  max = Infinity,
): { symbols: string[]; single: boolean } {
  const symbol = optionalString(params, 'symbol');
  const list = optionalSymbolList(params);
  if (symbol !== undefined && list !== undefined) throw errors.badCombination();
  if (symbol !== undefined) {
    if (!market.hasMarket(symbol)) throw errors.badSymbol();
    return { symbols: [symbol], single: true };
  }
  if (list === undefined) {
    if (required) throw errors.mandatoryMissing('symbol');
    return { symbols: market.symbols(), single: false };
  }
  if (list.length > max) throw errors.invalidParameter('symbols');
  for (const item of list) if (!market.hasMarket(item)) throw errors.badSymbol();
  return { symbols: [...new Set(list)], single: false };
}

/** How many symbols a request names, for weights (which must not throw: a bad request still costs its base). */
function symbolCount(params: Params): number | undefined {
  if (params.has('symbol')) return 1;
  const text = params.get('symbols');
  if (text === undefined) return undefined;
  try {
    const list = JSON.parse(text) as unknown;
    return Array.isArray(list) ? list.length : 1;
  } catch {
    return 1;
  }
}

const leniently = (read: () => number | undefined, fallback: number): number => {
  try {
    return read() ?? fallback;
  } catch {
    return fallback;
  }
};

const tickerType = (params: Params): 'FULL' | 'MINI' =>
  optionalEnum(params, 'type', ['FULL', 'MINI'] as const, () => errors.invalidParameter('type')) ?? 'FULL';

const intervalParam = (params: Params): KlineInterval => {
  const interval = requiredString(params, 'interval');
  if (!isKlineInterval(interval)) throw errors.badInterval();
  return interval;
};

const timeZoneParam = (params: Params): number => {
  const text = optionalString(params, 'timeZone');
  if (text === undefined) return 0;
  const offsetMs = parseTimeZone(text);
  if (offsetMs === undefined) throw errors.invalidParameter('timeZone');
  return offsetMs;
};

const get = (
  path: string,
  weight: (params: Params) => number,
  handler: (request: RestRequest) => RestResponse | Promise<RestResponse>,
): Endpoint => ({ method: 'GET', path, security: 'NONE', weight, handler });

export function marketDataEndpoints(market: MarketData): Endpoint[] {
  const klines = async (request: RestRequest): Promise<RestResponse> => {
    const params = request.params;
    const symbol = symbolParam(market, params);
    const interval = intervalParam(params);
    const startTime = optionalInteger(params, 'startTime', { min: 0 });
    const endTime = optionalInteger(params, 'endTime', { min: 0 });
    const limit = limitParam(params, klineLimitDefault, klineLimitMax);
    const timeZoneOffsetMs = timeZoneParam(params);
    if (startTime !== undefined && endTime !== undefined && startTime > endTime) return ok([]);
    return ok(
      await market.klines(symbol, interval, {
        limit,
        timeZoneOffsetMs,
        ...(startTime === undefined ? {} : { startTime }),
        ...(endTime === undefined ? {} : { endTime }),
      }),
    );
  };

  const tickers = (params: Params, required: boolean, max: number, one: (symbol: string) => unknown): RestResponse => {
    const { symbols, single } = symbolsParam(market, params, required, max);
    return ok(single ? one(symbols[0]!) : symbols.map(one));
  };

  return [
    get(
      '/api/v3/depth',
      (params) => {
        const limit = leniently(() => optionalInteger(params, 'limit'), depthLimitDefault);
        return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
      },
      (request) => {
        const symbol = symbolParam(market, request.params);
        return ok(market.depth(symbol, limitParam(request.params, depthLimitDefault, depthLimitMax)));
      },
    ),
    get(
      '/api/v3/trades',
      () => 25,
      (request) => {
        const symbol = symbolParam(market, request.params);
        return ok(market.recentTrades(symbol, limitParam(request.params, tradesLimitDefault, tradesLimitMax)));
      },
    ),
    get(
      '/api/v3/historicalTrades',
      () => 25,
      async (request) => {
        const params = request.params;
        const symbol = symbolParam(market, params);
        const limit = limitParam(params, tradesLimitDefault, tradesLimitMax);
        const fromId = optionalInteger(params, 'fromId', { min: 0 });
        return ok(await market.historicalTrades(symbol, limit, fromId));
      },
    ),
    get(
      '/api/v3/aggTrades',
      () => 4,
      async (request) => {
        const params = request.params;
        const symbol = symbolParam(market, params);
        const fromId = optionalInteger(params, 'fromId', { min: 0 });
        const startTime = optionalInteger(params, 'startTime', { min: 0 });
        const endTime = optionalInteger(params, 'endTime', { min: 0 });
        const limit = limitParam(params, tradesLimitDefault, tradesLimitMax);
        if (fromId !== undefined && (startTime !== undefined || endTime !== undefined)) throw errors.badCombination();
        if (startTime !== undefined && endTime !== undefined) {
          if (endTime < startTime) return ok([]);
          if (endTime - startTime > aggTradesWindowMsMax) throw errors.lookupTooBig();
        }
        return ok(
          await market.aggTrades(symbol, {
            limit,
            ...(fromId === undefined ? {} : { fromId }),
            ...(startTime === undefined ? {} : { startTime }),
            ...(endTime === undefined ? {} : { endTime }),
          }),
        );
      },
    ),
    get('/api/v3/klines', () => 2, klines),
    get('/api/v3/uiKlines', () => 2, klines),
    get(
      '/api/v3/avgPrice',
      () => 2,
      (request) => ok(market.avgPrice(symbolParam(market, request.params))),
    ),
    get(
      '/api/v3/ticker/24hr',
      (params) => {
        const count = symbolCount(params);
        if (params.has('symbol')) return 2;
        if (count === undefined) return 80;
        return count <= 20 ? 2 : count <= 100 ? 40 : 80;
      },
      (request) => {
        const type = tickerType(request.params);
        return tickers(request.params, false, Infinity, (symbol) => market.ticker24hr(symbol, type));
      },
    ),
    get(
      '/api/v3/ticker',
      (params) => {
        const count = symbolCount(params) ?? 1;
        return count > 50 ? 200 : 4 * count;
      },
      (request) => {
        const params = request.params;
        const type = tickerType(params);
        const text = optionalString(params, 'windowSize') ?? '1d';
        const windowMs = parseWindowSize(text);
        if (windowMs === undefined) throw errors.invalidParameter('windowSize');
        return tickers(params, true, tickerSymbolsMax, (symbol) => market.rollingTicker(symbol, windowMs, type));
      },
    ),
    get(
      '/api/v3/ticker/tradingDay',
      (params) => {
        const count = symbolCount(params) ?? 1;
        return count > 50 ? 200 : 4 * count;
      },
      (request) => {
        const params = request.params;
        const type = tickerType(params);
        const offsetMs = timeZoneParam(params);
        return tickers(params, true, tickerSymbolsMax, (symbol) => market.tradingDayTicker(symbol, offsetMs, type));
      },
    ),
    get(
      '/api/v3/ticker/price',
      (params) => (params.has('symbol') ? 2 : 4),
      (request) => tickers(request.params, false, Infinity, (symbol) => market.priceTicker(symbol)),
    ),
    get(
      '/api/v3/ticker/bookTicker',
      (params) => (params.has('symbol') ? 2 : 4),
      (request) => tickers(request.params, false, Infinity, (symbol) => market.bookTicker(symbol)),
    ),
  ];
}
