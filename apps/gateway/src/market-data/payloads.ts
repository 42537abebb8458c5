// Binance's JSON shapes for market data, field for field: decimals as strings (each with its asset's decimals),
// ids and times as integers. Nothing here adds a field Binance Spot does not send.
import type { MarketFormat } from '../binance/format.js';
import { quoteTickLotsOf, takerBuyLotsOf, takerBuyQuoteTickLotsOf, volumeLotsOf, type Candle } from './candle.js';
import type { DiffWindow } from './book-mirror.js';
import type { PriceLevels } from './price-levels.js';
import { slotCloseTime, type KlineInterval } from './intervals.js';
import {
  formatPercentChange,
  formatQuoteVolume,
  formatVolume,
  formatWeightedAverage,
  type WindowStats,
} from './window-stats.js';
import type { TapeTrade } from './trade-tape.js';

export type PriceQuantity = [price: string, quantity: string];

export interface DepthSnapshot {
  lastUpdateId: number;
  bids: PriceQuantity[];
  asks: PriceQuantity[];
}

export const levelsJson = (format: MarketFormat, levels: PriceLevels, limit: number): PriceQuantity[] => {
  const out: PriceQuantity[] = [];
  levels.forEachBest(limit, (priceTicks, quantityLots) =>
    out.push([format.price(priceTicks), format.quantity(quantityLots)]),
  );
  return out;
};

/** A diff window's levels, bids best first and asks best first. */
export function diffEvent(format: MarketFormat, window: DiffWindow, eventTimeMs: number): object {
  const side = (levels: Map<number, number>, descending: boolean): PriceQuantity[] =>
    [...levels.entries()]
      .sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]))
      .map(([priceTicks, quantityLots]) => [format.price(priceTicks), format.quantity(quantityLots)]);
  return {
    e: 'depthUpdate',
    E: eventTimeMs,
    s: format.symbol,
    U: window.firstUpdateId,
    u: window.lastUpdateId,
    b: side(window.bids, true),
    a: side(window.asks, false),
  };
}

/** The quote amount of a trade, exact: priceTicks * quantityLots tick-lots. */
export const tradeQuoteQuantity = (format: MarketFormat, priceTicks: number, quantityLots: number): string =>
  format.quoteAmount(BigInt(priceTicks) * BigInt(quantityLots) * format.parameters.quoteMinorPerTickLot);

/** GET /api/v3/trades and historicalTrades. */
export const tradeJson = (format: MarketFormat, trade: TapeTrade): object => ({
  id: trade.tradeId,
  price: format.price(trade.priceTicks),
  qty: format.quantity(trade.quantityLots),
  quoteQty: tradeQuoteQuantity(format, trade.priceTicks, trade.quantityLots),
  time: trade.timeMs,
  isBuyerMaker: trade.isBuyerMaker,
  isBestMatch: true,
});

export interface AggregateTrade {
  /** The id of its first trade. */
  aggregateId: number;
  priceTicks: number;
  quantityLots: number;
  firstTradeId: number;
  lastTradeId: number;
  timeMs: number;
  isBuyerMaker: boolean;
}

/** GET /api/v3/aggTrades. */
export const aggTradeJson = (format: MarketFormat, aggregate: AggregateTrade): object => ({
  a: aggregate.aggregateId,
  p: format.price(aggregate.priceTicks),
  q: format.quantity(aggregate.quantityLots),
  f: aggregate.firstTradeId,
  l: aggregate.lastTradeId,
  T: aggregate.timeMs,
  m: aggregate.isBuyerMaker,
  M: true,
});

/** `<symbol>@aggTrade`. */
export const aggTradeEvent = (format: MarketFormat, aggregate: AggregateTrade, eventTimeMs: number): object => ({
  e: 'aggTrade',
  E: eventTimeMs,
  s: format.symbol,
  a: aggregate.aggregateId,
  p: format.price(aggregate.priceTicks),
  q: format.quantity(aggregate.quantityLots),
  f: aggregate.firstTradeId,
  l: aggregate.lastTradeId,
  T: aggregate.timeMs,
  m: aggregate.isBuyerMaker,
  M: true,
});

/**
 * Groups trades (ascending ids) into aggregates. Trades before the first aggregate start belong to an aggregate
 * that began earlier and are skipped. The last aggregate is dropped unless `lastComplete` (it may go on).
 */
export function groupAggregates(trades: readonly TapeTrade[], lastComplete: boolean): AggregateTrade[] {
  const out: AggregateTrade[] = [];
  let open: AggregateTrade | undefined;
  for (const trade of trades) {
    if (trade.startsAggregate) {
      if (open !== undefined) out.push(open);
      open = {
        aggregateId: trade.tradeId,
        priceTicks: trade.priceTicks,
        quantityLots: trade.quantityLots,
        firstTradeId: trade.tradeId,
        lastTradeId: trade.tradeId,
        timeMs: trade.timeMs,
        isBuyerMaker: trade.isBuyerMaker,
      };
    } else if (open !== undefined) {
      open.quantityLots += trade.quantityLots;
      open.lastTradeId = trade.tradeId;
    }
  }
  if (open !== undefined && lastComplete) out.push(open);
  return out;
}

/** One kline row: [openTime, o, h, l, c, v, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, "0"]. */
export type KlineRow = [number, string, string, string, string, string, number, string, number, string, string, string];

export function klineRow(format: MarketFormat, interval: KlineInterval, candle: Candle, offsetMs = 0): KlineRow {
  return [
    candle.openTimeMs,
    format.price(candle.openTicks),
    format.price(candle.highTicks),
    format.price(candle.lowTicks),
    format.price(candle.closeTicks),
    formatVolume(format, volumeLotsOf(candle)),
    slotCloseTime(interval, candle.openTimeMs, offsetMs),
    formatQuoteVolume(format, quoteTickLotsOf(candle)),
    candle.tradeCount,
    formatVolume(format, takerBuyLotsOf(candle)),
    formatQuoteVolume(format, takerBuyQuoteTickLotsOf(candle)),
    '0',
  ];
}

/** `<symbol>@kline_<interval>`; a candle without trades has first and last trade id -1. */
export function klineEvent(
  format: MarketFormat,
  interval: KlineInterval,
  candle: Candle,
  closed: boolean,
  eventTimeMs: number,
): object {
  const empty = candle.tradeCount === 0;
  return {
    e: 'kline',
    E: eventTimeMs,
    s: format.symbol,
    k: {
      t: candle.openTimeMs,
      T: slotCloseTime(interval, candle.openTimeMs),
      s: format.symbol,
      i: interval,
      f: empty ? -1 : candle.firstTradeId,
      L: empty ? -1 : candle.lastTradeId,
      o: format.price(candle.openTicks),
      c: format.price(candle.closeTicks),
      h: format.price(candle.highTicks),
      l: format.price(candle.lowTicks),
      v: formatVolume(format, volumeLotsOf(candle)),
      n: candle.tradeCount,
      x: closed,
      q: formatQuoteVolume(format, quoteTickLotsOf(candle)),
      V: formatVolume(format, takerBuyLotsOf(candle)),
      Q: formatQuoteVolume(format, takerBuyQuoteTickLotsOf(candle)),
      B: '0',
    },
  };
}

/** A slot without trades: every price the previous close, volumes 0 (what Binance shows for quiet slots). */
export const flatCandle = (openTimeMs: number, closeTicks: number): Candle => ({
  openTimeMs,
  openTicks: closeTicks,
  highTicks: closeTicks,
  lowTicks: closeTicks,
  closeTicks,
  firstTradeId: -1,
  lastTradeId: -1,
  tradeCount: 0,
  volumeLots: 0,
  volumeLotsBig: 0n,
  quoteTickLots: 0,
  quoteTickLotsBig: 0n,
  takerBuyLots: 0,
  takerBuyLotsBig: 0n,
  takerBuyQuoteTickLots: 0,
  takerBuyQuoteTickLotsBig: 0n,
});

/**
 * A window's statistics with every price defined: a window without trades shows the last price (`lastTicks`,
 * 0 before any trade) as open, high, low and close.
 */
export interface TickerValues {
  openTimeMs: number;
  closeTimeMs: number;
  openTicks: number;
  highTicks: number;
  lowTicks: number;
  closeTicks: number;
  previousCloseTicks: number;
  volumeLots: bigint;
  quoteTickLots: bigint;
  firstTradeId: number;
  lastTradeId: number;
  tradeCount: number;
}

export function tickerValues(stats: WindowStats, lastTicks: number): TickerValues {
  const empty = stats.tradeCount === 0;
  return {
    openTimeMs: stats.openTimeMs,
    closeTimeMs: stats.closeTimeMs,
    openTicks: empty ? lastTicks : stats.openTicks!,
    highTicks: empty ? lastTicks : stats.highTicks!,
    lowTicks: empty ? lastTicks : stats.lowTicks!,
    closeTicks: empty ? lastTicks : stats.closeTicks!,
    previousCloseTicks: stats.previousCloseTicks ?? (empty ? lastTicks : 0),
    volumeLots: stats.volumeLots,
    quoteTickLots: stats.quoteTickLots,
    firstTradeId: stats.firstTradeId,
    lastTradeId: stats.lastTradeId,
    tradeCount: stats.tradeCount,
  };
}

export interface BookTop {
  bidTicks: number;
  bidLots: number;
  askTicks: number;
  askLots: number;
}

/** GET /api/v3/ticker/24hr, type FULL. */
export function ticker24hrJson(
  format: MarketFormat,
  values: TickerValues,
  lastLots: number,
  top: BookTop,
): Record<string, string | number> {
  return {
    symbol: format.symbol,
    priceChange: format.price(values.closeTicks - values.openTicks),
    priceChangePercent: formatPercentChange(values.openTicks, values.closeTicks),
    weightedAvgPrice: formatWeightedAverage(format, values.quoteTickLots, values.volumeLots),
    prevClosePrice: format.price(values.previousCloseTicks),
    lastPrice: format.price(values.closeTicks),
    lastQty: format.quantity(lastLots),
    bidPrice: format.price(top.bidTicks),
    bidQty: format.quantity(top.bidLots),
    askPrice: format.price(top.askTicks),
    askQty: format.quantity(top.askLots),
    openPrice: format.price(values.openTicks),
    highPrice: format.price(values.highTicks),
    lowPrice: format.price(values.lowTicks),
    volume: formatVolume(format, values.volumeLots),
    quoteVolume: formatQuoteVolume(format, values.quoteTickLots),
    openTime: values.openTimeMs,
    closeTime: values.closeTimeMs,
    firstId: values.firstTradeId,
    lastId: values.lastTradeId,
    count: values.tradeCount,
  };
}

/** GET /api/v3/ticker/24hr, ticker and ticker/tradingDay with type MINI. */
export const tickerMiniJson = (format: MarketFormat, values: TickerValues): Record<string, string | number> => ({
  symbol: format.symbol,
  openPrice: format.price(values.openTicks),
  highPrice: format.price(values.highTicks),
  lowPrice: format.price(values.lowTicks),
  lastPrice: format.price(values.closeTicks),
  volume: formatVolume(format, values.volumeLots),
  quoteVolume: formatQuoteVolume(format, values.quoteTickLots),
  openTime: values.openTimeMs,
  closeTime: values.closeTimeMs,
  firstId: values.firstTradeId,
  lastId: values.lastTradeId,
  count: values.tradeCount,
});

/** GET /api/v3/ticker and ticker/tradingDay with type FULL. */
export const tickerWindowJson = (format: MarketFormat, values: TickerValues): Record<string, string | number> => ({
  symbol: format.symbol,
  priceChange: format.price(values.closeTicks - values.openTicks),
  priceChangePercent: formatPercentChange(values.openTicks, values.closeTicks),
  weightedAvgPrice: formatWeightedAverage(format, values.quoteTickLots, values.volumeLots),
  openPrice: format.price(values.openTicks),
  highPrice: format.price(values.highTicks),
  lowPrice: format.price(values.lowTicks),
  lastPrice: format.price(values.closeTicks),
  volume: formatVolume(format, values.volumeLots),
  quoteVolume: formatQuoteVolume(format, values.quoteTickLots),
  openTime: values.openTimeMs,
  closeTime: values.closeTimeMs,
  firstId: values.firstTradeId,
  lastId: values.lastTradeId,
  count: values.tradeCount,
});

/** `<symbol>@miniTicker`. */
export const miniTickerEvent = (format: MarketFormat, values: TickerValues, eventTimeMs: number): object => ({
  e: '24hrMiniTicker',
  E: eventTimeMs,
  s: format.symbol,
  c: format.price(values.closeTicks),
  o: format.price(values.openTicks),
  h: format.price(values.highTicks),
  l: format.price(values.lowTicks),
  v: formatVolume(format, values.volumeLots),
  q: formatQuoteVolume(format, values.quoteTickLots),
});

/** `<symbol>@ticker`. */
export const tickerEvent = (
  format: MarketFormat,
  values: TickerValues,
  lastLots: number,
  top: BookTop,
  eventTimeMs: number,
): object => ({
  e: '24hrTicker',
  E: eventTimeMs,
  s: format.symbol,
  p: format.price(values.closeTicks - values.openTicks),
  P: formatPercentChange(values.openTicks, values.closeTicks),
  w: formatWeightedAverage(format, values.quoteTickLots, values.volumeLots),
  x: format.price(values.previousCloseTicks),
  c: format.price(values.closeTicks),
  Q: format.quantity(lastLots),
  b: format.price(top.bidTicks),
  B: format.quantity(top.bidLots),
  a: format.price(top.askTicks),
  A: format.quantity(top.askLots),
  o: format.price(values.openTicks),
  h: format.price(values.highTicks),
  l: format.price(values.lowTicks),
  v: formatVolume(format, values.volumeLots),
  q: formatQuoteVolume(format, values.quoteTickLots),
  O: values.openTimeMs,
  C: values.closeTimeMs,
  F: values.firstTradeId,
  L: values.lastTradeId,
  n: values.tradeCount,
});

/** `<symbol>@ticker_<window>` (event type "1hTicker", "4hTicker", "1dTicker"). */
export const rollingTickerEvent = (
  format: MarketFormat,
  window: string,
  values: TickerValues,
  eventTimeMs: number,
): object => ({
  e: `${window}Ticker`,
  E: eventTimeMs,
  s: format.symbol,
  p: format.price(values.closeTicks - values.openTicks),
  P: formatPercentChange(values.openTicks, values.closeTicks),
  o: format.price(values.openTicks),
  h: format.price(values.highTicks),
  l: format.price(values.lowTicks),
  c: format.price(values.closeTicks),
  w: formatWeightedAverage(format, values.quoteTickLots, values.volumeLots),
  v: formatVolume(format, values.volumeLots),
  q: formatQuoteVolume(format, values.quoteTickLots),
  O: values.openTimeMs,
  C: values.closeTimeMs,
  F: values.firstTradeId,
  L: values.lastTradeId,
  n: values.tradeCount,
});
