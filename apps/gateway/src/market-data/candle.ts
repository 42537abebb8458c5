// One candle: the trades of one time slot folded into open/high/low/close and exact volume sums. Candles are
// associative (two adjacent candles merge into one), which is how history, time zones and coarser intervals are
// built from finer candles.
//
// Volumes are exact. Sums are kept as a double below 2^52 plus a bigint for what overflowed, so the hot path (one
// trade updating 17 candles) adds doubles and a bigint is touched only past 4.5e15 units. Quote volume is counted
// in tick-lots (priceTicks * quantityLots); quote minor units are that times the market's quoteMinorPerTickLot.
import { slotStart, type KlineInterval } from './intervals.js';

/** Doubles stay exact integers below 2^53; sums fold into the bigint part at 2^52 so one more addend still fits. */
const SMALL_MAX = 2 ** 52;

export interface Candle {
  openTimeMs: number;
  openTicks: number;
  highTicks: number;
  lowTicks: number;
  closeTicks: number;
  firstTradeId: number;
  lastTradeId: number;
  tradeCount: number;
  volumeLots: number;
  volumeLotsBig: bigint;
  quoteTickLots: number;
  quoteTickLotsBig: bigint;
  takerBuyLots: number;
  takerBuyLotsBig: bigint;
  takerBuyQuoteTickLots: number;
  takerBuyQuoteTickLotsBig: bigint;
}

/** The fields of a trade that candles and tickers use. */
export interface CandleTrade {
  tradeId: number;
  timeMs: number;
  priceTicks: number;
  quantityLots: number;
  /** The taker bought (Binance's "taker buy" volumes; `m` = buyer is maker = not this). */
  takerBuys: boolean;
}

export function newCandle(openTimeMs: number, trade: CandleTrade): Candle {
  const candle: Candle = {
    openTimeMs,
    openTicks: trade.priceTicks,
    highTicks: trade.priceTicks,
    lowTicks: trade.priceTicks,
    closeTicks: trade.priceTicks,
    firstTradeId: trade.tradeId,
    lastTradeId: trade.tradeId,
    tradeCount: 0,
    volumeLots: 0,
    volumeLotsBig: 0n,
    quoteTickLots: 0,
    quoteTickLotsBig: 0n,
    takerBuyLots: 0,
    takerBuyLotsBig: 0n,
    takerBuyQuoteTickLots: 0,
    takerBuyQuoteTickLotsBig: 0n,
  };
  addVolumes(candle, trade);
  return candle;
}

/** Folds a trade later than every trade already in the candle into it. */
export function addTrade(candle: Candle, trade: CandleTrade): void {
  if (trade.tradeId <= candle.lastTradeId) {
    throw new Error(`candle: trade ${trade.tradeId} is not after ${candle.lastTradeId}`);
  }
  if (trade.priceTicks > candle.highTicks) candle.highTicks = trade.priceTicks;
  if (trade.priceTicks < candle.lowTicks) candle.lowTicks = trade.priceTicks;
  candle.closeTicks = trade.priceTicks;
  candle.lastTradeId = trade.tradeId;
  addVolumes(candle, trade);
}

function addVolumes(candle: Candle, trade: CandleTrade): void {
  const lots = trade.quantityLots;
  const notional = trade.priceTicks * lots;
  candle.tradeCount += 1;
  candle.volumeLots += lots;
  if (candle.volumeLots >= SMALL_MAX) {
    candle.volumeLotsBig += BigInt(candle.volumeLots);
    candle.volumeLots = 0;
  }
  // A product at or above 2^52 may have been rounded: redo it exactly.
  if (notional < SMALL_MAX) {
    candle.quoteTickLots += notional;
    if (candle.quoteTickLots >= SMALL_MAX) {
      candle.quoteTickLotsBig += BigInt(candle.quoteTickLots);
      candle.quoteTickLots = 0;
    }
  } else {
    candle.quoteTickLotsBig += BigInt(trade.priceTicks) * BigInt(lots);
  }
  if (!trade.takerBuys) return;
  candle.takerBuyLots += lots;
  if (candle.takerBuyLots >= SMALL_MAX) {
    candle.takerBuyLotsBig += BigInt(candle.takerBuyLots);
    candle.takerBuyLots = 0;
  }
  if (notional < SMALL_MAX) {
    candle.takerBuyQuoteTickLots += notional;
    if (candle.takerBuyQuoteTickLots >= SMALL_MAX) {
      candle.takerBuyQuoteTickLotsBig += BigInt(candle.takerBuyQuoteTickLots);
      candle.takerBuyQuoteTickLots = 0;
    }
  } else {
    candle.takerBuyQuoteTickLotsBig += BigInt(trade.priceTicks) * BigInt(lots);
  }
}

/**
 * Folds `later` (all of whose trades come after `into`'s) into `into`, keeping `into`'s open time. Used to merge
 * history with live candles of one slot and to build coarse candles from fine ones.
 */
export function mergeInto(into: Candle, later: Candle): void {
  if (later.firstTradeId <= into.lastTradeId) {
    throw new Error(`candle: merging trades ${later.firstTradeId}.. after ${into.lastTradeId}`);
  }
  if (later.highTicks > into.highTicks) into.highTicks = later.highTicks;
  if (later.lowTicks < into.lowTicks) into.lowTicks = later.lowTicks;
  into.closeTicks = later.closeTicks;
  into.lastTradeId = later.lastTradeId;
  into.tradeCount += later.tradeCount;
  into.volumeLots += later.volumeLots;
  into.volumeLotsBig += later.volumeLotsBig;
  into.quoteTickLots += later.quoteTickLots;
  into.quoteTickLotsBig += later.quoteTickLotsBig;
  into.takerBuyLots += later.takerBuyLots;
  into.takerBuyLotsBig += later.takerBuyLotsBig;
  into.takerBuyQuoteTickLots += later.takerBuyQuoteTickLots;
  into.takerBuyQuoteTickLotsBig += later.takerBuyQuoteTickLotsBig;
  normalise(into);
}

/** Moves double parts at or above 2^52 into the bigint parts (both parts below 2^52 sum exactly). */
function normalise(candle: Candle): void {
  if (candle.volumeLots >= SMALL_MAX) {
    candle.volumeLotsBig += BigInt(candle.volumeLots);
    candle.volumeLots = 0;
  }
  if (candle.quoteTickLots >= SMALL_MAX) {
    candle.quoteTickLotsBig += BigInt(candle.quoteTickLots);
    candle.quoteTickLots = 0;
  }
  if (candle.takerBuyLots >= SMALL_MAX) {
    candle.takerBuyLotsBig += BigInt(candle.takerBuyLots);
    candle.takerBuyLots = 0;
  }
  if (candle.takerBuyQuoteTickLots >= SMALL_MAX) {
    candle.takerBuyQuoteTickLotsBig += BigInt(candle.takerBuyQuoteTickLots);
    candle.takerBuyQuoteTickLots = 0;
  }
}

export const copyCandle = (candle: Candle, openTimeMs = candle.openTimeMs): Candle => ({ ...candle, openTimeMs });

/** Exact totals of a candle's sums. */
export const volumeLotsOf = (candle: Candle): bigint => candle.volumeLotsBig + BigInt(candle.volumeLots);
export const quoteTickLotsOf = (candle: Candle): bigint => candle.quoteTickLotsBig + BigInt(candle.quoteTickLots);
export const takerBuyLotsOf = (candle: Candle): bigint => candle.takerBuyLotsBig + BigInt(candle.takerBuyLots);
export const takerBuyQuoteTickLotsOf = (candle: Candle): bigint =>
  candle.takerBuyQuoteTickLotsBig + BigInt(candle.takerBuyQuoteTickLots);

/** A candle from totals (the database's aggregates). */
export function candleFromTotals(fields: {
  openTimeMs: number;
  openTicks: number;
  highTicks: number;
  lowTicks: number;
  closeTicks: number;
  firstTradeId: number;
  lastTradeId: number;
  tradeCount: number;
  volumeLots: bigint;
  quoteTickLots: bigint;
  takerBuyLots: bigint;
  takerBuyQuoteTickLots: bigint;
}): Candle {
  return {
    openTimeMs: fields.openTimeMs,
    openTicks: fields.openTicks,
    highTicks: fields.highTicks,
    lowTicks: fields.lowTicks,
    closeTicks: fields.closeTicks,
    firstTradeId: fields.firstTradeId,
    lastTradeId: fields.lastTradeId,
    tradeCount: fields.tradeCount,
    volumeLots: 0,
    volumeLotsBig: fields.volumeLots,
    quoteTickLots: 0,
    quoteTickLotsBig: fields.quoteTickLots,
    takerBuyLots: 0,
    takerBuyLotsBig: fields.takerBuyLots,
    takerBuyQuoteTickLots: 0,
    takerBuyQuoteTickLotsBig: fields.takerBuyQuoteTickLots,
  };
}

/**
 * Folds candles (sorted, each within one slot of `interval` in time zone `offsetMs`) into that interval's
 * candles. The inputs are not modified.
 */
export function foldCandles(candles: readonly Candle[], interval: KlineInterval, offsetMs = 0): Candle[] {
  const out: Candle[] = [];
  for (const candle of candles) {
    const openTimeMs = slotStart(interval, candle.openTimeMs, offsetMs);
    const last = out[out.length - 1];
    if (last !== undefined && last.openTimeMs === openTimeMs) mergeInto(last, candle);
    else if (last !== undefined && last.openTimeMs > openTimeMs) {
      throw new Error(`candles: folding ${interval} out of order at ${candle.openTimeMs}`);
    } else out.push(copyCandle(candle, openTimeMs));
  }
  return out;
}
