// A market's trading rules as exchangeInfo lists them (PRICE_FILTER, LOT_SIZE, MARKET_LOT_SIZE, NOTIONAL,
// PERCENT_PRICE_BY_SIDE), read once into exact units so the order form can check them as the user types.
import { fractionDigits, parseUnits, units } from './decimal';

export interface ExchangeInfoSymbol {
  symbol: string;
  status: string;
  baseAsset: string;
  quoteAsset: string;
  quoteAssetPrecision: number;
  orderTypes: string[];
  filters: Record<string, unknown>[];
}

export interface MarketRules {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  trading: boolean;
  orderTypes: readonly string[];
  tickSize: string;
  stepSize: string;
  tickUnits: bigint;
  minPriceUnits: bigint;
  maxPriceUnits: bigint;
  stepUnits: bigint;
  minQtyUnits: bigint;
  maxQtyUnits: bigint;
  marketMinQtyUnits: bigint;
  marketMaxQtyUnits: bigint;
  minNotionalUnits: bigint;
  /** Fraction digits to show: prices at the tick, quantities at the step, quote amounts at the quote precision. */
  priceDigits: number;
  quantityDigits: number;
  quoteDigits: number;
}

function filter(symbol: ExchangeInfoSymbol, type: string): Record<string, unknown> | undefined {
  return symbol.filters.find((candidate) => candidate['filterType'] === type);
}

function field(entry: Record<string, unknown> | undefined, name: string, fallback: string): string {
  const value = entry?.[name];
  return typeof value === 'string' && parseUnits(value) !== null ? value : fallback;
}

export function marketRulesFrom(symbol: ExchangeInfoSymbol): MarketRules {
  const price = filter(symbol, 'PRICE_FILTER');
  const lot = filter(symbol, 'LOT_SIZE');
  const marketLot = filter(symbol, 'MARKET_LOT_SIZE') ?? lot;
  const notional = filter(symbol, 'NOTIONAL') ?? filter(symbol, 'MIN_NOTIONAL');
  const tickSize = field(price, 'tickSize', '0.00000001');
  const stepSize = field(lot, 'stepSize', '0.00000001');
  const quoteDigits = Math.min(symbol.quoteAssetPrecision, 18);
  return {
    symbol: symbol.symbol,
    baseAsset: symbol.baseAsset,
    quoteAsset: symbol.quoteAsset,
    trading: symbol.status === 'TRADING',
    orderTypes: symbol.orderTypes,
    tickSize,
    stepSize,
    tickUnits: units(tickSize),
    minPriceUnits: units(field(price, 'minPrice', '0')),
    maxPriceUnits: units(field(price, 'maxPrice', '0')),
    stepUnits: units(stepSize),
    minQtyUnits: units(field(lot, 'minQty', '0')),
    maxQtyUnits: units(field(lot, 'maxQty', '0')),
    marketMinQtyUnits: units(field(marketLot, 'minQty', '0')),
    marketMaxQtyUnits: units(field(marketLot, 'maxQty', '0')),
    minNotionalUnits: units(field(notional, 'minNotional', '0')),
    priceDigits: fractionDigits(tickSize),
    quantityDigits: fractionDigits(stepSize),
    quoteDigits,
  };
}
