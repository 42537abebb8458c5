// GET /api/v3/ping, /time and /exchangeInfo: the markets, their filters and the rate limits, as Binance lists
// them. Clients derive every precision and limit from exchangeInfo (ccxt's loadMarkets), so each value comes
// from the tenant config through the same market parameters the engine enforces.
import type { Engine } from '@exbox/engine';
import { errors } from './binance/errors.js';
import type { MarketFormat } from './binance/format.js';
import { optionalSymbolList, optionalString } from './binance/params.js';
import type { RateLimits } from './http/rate-limiter.js';
import type { Endpoint } from './http/types.js';
import { defaultStpMode, orderTypes, stpModes } from './trading/order-request.js';

/** Binance's RAW_REQUESTS limit (requests per 5 minutes per IP), listed for clients that read it. */
export const rawRequestsPer5Minutes = 61_000;

const multiplier = (bps: number, sign: 1 | -1): string => {
  const scaled = 10_000 + sign * bps;
  return `${Math.floor(scaled / 10_000)}.${String(scaled % 10_000).padStart(4, '0')}`;
};

export const symbolInfo = (market: MarketFormat, engine: Engine) => {
  const state = engine.state.market(market.symbol);
  const rules = market.parameters;
  const maxPriceTicks = state?.definition.maxPriceTicks ?? Number.MAX_SAFE_INTEGER;
  const band = state?.definition.priceBandBps ?? rules.priceBandBps;
  const filters: Record<string, unknown>[] = [
    {
      filterType: 'PRICE_FILTER',
      minPrice: market.price(1),
      maxPrice: market.price(maxPriceTicks),
      tickSize: market.price(1),
    },
    {
      filterType: 'LOT_SIZE',
      minQty: market.quantity(Number(rules.minQtyLots)),
      maxQty: market.quantity(Number(rules.maxQtyLots)),
      stepSize: market.quantity(1),
    },
    {
      filterType: 'MARKET_LOT_SIZE',
      minQty: market.quantity(Number(rules.minQtyLots)),
      maxQty: market.quantity(Number(rules.maxQtyLots)),
      stepSize: market.quantity(1),
    },
    {
      filterType: 'NOTIONAL',
      minNotional: market.quoteAmount(rules.minNotionalMinor),
      applyMinToMarket: true,
      maxNotional: '9000000000.00000000',
      applyMaxToMarket: false,
      avgPriceMins: 5,
    },
  ];
  if (band > 0) {
    filters.push({
      filterType: 'PERCENT_PRICE_BY_SIDE',
      bidMultiplierUp: multiplier(band, 1),
      bidMultiplierDown: multiplier(band, -1),
      askMultiplierUp: multiplier(band, 1),
      askMultiplierDown: multiplier(band, -1),
      avgPriceMins: 0,
    });
  }
  return {
    symbol: market.symbol,
    status: state?.halted === true ? 'HALT' : 'TRADING',
    baseAsset: market.base,
    baseAssetPrecision: market.baseDecimals,
    quoteAsset: market.quote,
    quotePrecision: market.quoteDecimals,
    quoteAssetPrecision: market.quoteDecimals,
    baseCommissionPrecision: market.baseDecimals,
    quoteCommissionPrecision: market.quoteDecimals,
    orderTypes: [...orderTypes],
    icebergAllowed: false,
    ocoAllowed: true,
    otoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    pegInstructionsAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters,
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: defaultStpMode,
    allowedSelfTradePreventionModes: [...stpModes],
  };
};

export const generalEndpoints = (options: {
  engine: Engine;
  markets: ReadonlyMap<string, MarketFormat>;
  limits: RateLimits;
  clock: () => number;
}): Endpoint[] => {
  const { engine, markets, limits, clock } = options;
  return [
    { method: 'GET', path: '/api/v3/ping', security: 'NONE', weight: () => 1, handler: () => ({ body: {} }) },
    {
      method: 'GET',
      path: '/api/v3/time',
      security: 'NONE',
      weight: () => 1,
      handler: () => ({ body: { serverTime: clock() } }),
    },
    {
      method: 'GET',
      path: '/api/v3/exchangeInfo',
      security: 'NONE',
      weight: () => 20,
      handler: (request) => {
        const one = optionalString(request.params, 'symbol');
        const many = optionalSymbolList(request.params);
        if (one !== undefined && many !== undefined) throw errors.badCombination();
        const wanted = one !== undefined ? [one] : many;
        const chosen =
          wanted === undefined
            ? [...markets.values()]
            : wanted.map((symbol) => markets.get(symbol.toUpperCase()) ?? badSymbol());
        return {
          body: {
            timezone: 'UTC',
            serverTime: clock(),
            rateLimits: [
              {
                rateLimitType: 'REQUEST_WEIGHT',
                interval: 'MINUTE',
                intervalNum: 1,
                limit: limits.requestWeightPerMinute,
              },
              { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
              { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: limits.ordersPerDay },
              { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: rawRequestsPer5Minutes },
            ],
            exchangeFilters: [],
            symbols: chosen.map((market) => symbolInfo(market, engine)),
          },
        };
      },
    },
  ];
};

const badSymbol = (): never => {
  throw errors.badSymbol();
};
