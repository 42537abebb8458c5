// Ticker statistics over a window of one-minute candles, and the exact arithmetic that formats them. A window
// opens on a minute (Binance: "openTime always starts on a minute ... the effective window might be up to 59999ms
// wider"), so the candles of the minutes it covers are exactly its trades. Prices and volumes stay integers until
// formatted; only the percentage is rounded (half away from zero, three decimals, as Binance prints it).
import type { MarketFormat } from '../binance/format.js';
import { formatMinor } from '../binance/format.js';
import type { CandleSeries } from './candle-series.js';

const SMALL_MAX = 2 ** 52;

export interface WindowStats {
  openTimeMs: number;
  closeTimeMs: number;
  /** -1 when the window has no trade. */
  firstTradeId: number;
  lastTradeId: number;
  tradeCount: number;
  /** Undefined when the window has no trade. */
  openTicks: number | undefined;
  highTicks: number | undefined;
  lowTicks: number | undefined;
  closeTicks: number | undefined;
  volumeLots: bigint;
  quoteTickLots: bigint;
  /** The last trade's price before the window (Binance's prevClosePrice), when memory knows it. */
  previousCloseTicks: number | undefined;
}

/** Statistics of the trades in the minute candles opening in [openTimeMs, closeTimeMs]. */
export function windowStats(minutes: CandleSeries, openTimeMs: number, closeTimeMs: number): WindowStats {
  const stats: WindowStats = {
    openTimeMs,
    closeTimeMs,
    firstTradeId: -1,
    lastTradeId: -1,
    tradeCount: 0,
    openTicks: undefined,
    highTicks: undefined,
    lowTicks: undefined,
    closeTicks: undefined,
    volumeLots: 0n,
    quoteTickLots: 0n,
    previousCloseTicks: minutes.closeBefore(openTimeMs).closeTicks,
  };
  let volumeSmall = 0;
  let quoteSmall = 0;
  let volumeBig = 0n;
  let quoteBig = 0n;
  const first = minutes.indexAtOrAfter(openTimeMs);
  for (let index = first; index < minutes.size; index++) {
    const candle = minutes.at(index)!;
    if (candle.openTimeMs > closeTimeMs) break;
    if (stats.openTicks === undefined) {
      stats.openTicks = candle.openTicks;
      stats.highTicks = candle.highTicks;
      stats.lowTicks = candle.lowTicks;
      stats.firstTradeId = candle.firstTradeId;
    } else {
      if (candle.highTicks > stats.highTicks!) stats.highTicks = candle.highTicks;
      if (candle.lowTicks < stats.lowTicks!) stats.lowTicks = candle.lowTicks;
    }
    stats.closeTicks = candle.closeTicks;
    stats.lastTradeId = candle.lastTradeId;
    stats.tradeCount += candle.tradeCount;
    volumeSmall += candle.volumeLots;
    quoteSmall += candle.quoteTickLots;
    if (volumeSmall >= SMALL_MAX) {
      volumeBig += BigInt(volumeSmall);
      volumeSmall = 0;
    }
    if (quoteSmall >= SMALL_MAX) {
      quoteBig += BigInt(quoteSmall);
      quoteSmall = 0;
    }
    if (candle.volumeLotsBig !== 0n) volumeBig += candle.volumeLotsBig;
    if (candle.quoteTickLotsBig !== 0n) quoteBig += candle.quoteTickLotsBig;
  }
  stats.volumeLots = volumeBig + BigInt(volumeSmall);
  stats.quoteTickLots = quoteBig + BigInt(quoteSmall);
  return stats;
}

/** The first and last trade ids of a window, without summing it: what tells whether a ticker changed. */
export function windowKey(minutes: CandleSeries, openTimeMs: number): string {
  const first = minutes.at(minutes.indexAtOrAfter(openTimeMs));
  const newest = minutes.newest();
  return first === undefined || newest === undefined ? '-' : `${first.firstTradeId}:${newest.lastTradeId}`;
}

/** Base volume of `lots` lots as a decimal string. */
export const formatVolume = (format: MarketFormat, lots: bigint): string =>
  format.baseAmount(lots * format.parameters.baseMinorPerLot);

/** Quote volume of `tickLots` tick-lots as a decimal string. */
export const formatQuoteVolume = (format: MarketFormat, tickLots: bigint): string =>
  format.quoteAmount(tickLots * format.parameters.quoteMinorPerTickLot);

/** quoteVolume / volume as a price (truncated to the quote asset's decimals); "0" when there is no volume. */
export function formatWeightedAverage(format: MarketFormat, quoteTickLots: bigint, volumeLots: bigint): string {
  if (volumeLots === 0n) return format.price(0);
  return formatMinor((quoteTickLots * format.parameters.priceMinorPerTick) / volumeLots, format.quoteDecimals);
}

/** (close - open) / open in percent with three decimals, rounded half away from zero; "0.000" without an open. */
export function formatPercentChange(openTicks: number, closeTicks: number): string {
  if (openTicks === 0) return '0.000';
  const numerator = BigInt(closeTicks - openTicks) * 100_000n;
  const denominator = BigInt(openTicks);
  let quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = remainder < 0n ? -2n * remainder : 2n * remainder;
  if (twice >= denominator) quotient += numerator < 0n ? -1n : 1n;
  return formatMinor(quotient, 3);
}
