// One demo market in the integer units the engine uses (ticks, lots, minor units), with the arithmetic the order
// flow needs to stay inside the market's filters: minimum quantity and notional, the price band, affordability.
// Decimals appear only in the format* methods, for printing.
import { priceToTicks, type MarketParameters } from '@exbox/config';
import { PRICE_TICKS_MAX, unitsToDecimal } from '@exbox/matching';

const BASIS_POINTS = 10_000;

/**
 * The flow prices orders inside this share of the market's price band (800 of 1000 = 80%), so that rounding the
 * band's edges can never make an order it meant to be inside fall just outside.
 */
const BAND_SAFETY_PER_1000 = 800;

export class DemoMarket {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly referencePriceTicks: number;
  readonly quoteMinorPerTickLot: bigint;
  readonly baseMinorPerLot: bigint;
  readonly minQuantityLots: number;
  readonly maxQuantityLots: number;
  /** The minimum notional in tick x lot units, rounded up exactly as the engine gives it to the book. */
  readonly minNotionalTickLots: number;
  readonly priceBandBps: number;
  private readonly bandSafetyBps: number;
  private readonly baseUnit: string;
  private readonly quoteUnit: string;

  constructor(
    readonly parameters: MarketParameters,
    referencePrice: string,
  ) {
    const referenceTicks = priceToTicks(parameters, referencePrice);
    if (referenceTicks === undefined || referenceTicks < 1n || referenceTicks > BigInt(PRICE_TICKS_MAX)) {
      throw new Error(`demo: reference price ${referencePrice} is not a valid price of ${parameters.symbol}`);
    }
    const minNotionalTickLots =
      (parameters.minNotionalMinor + parameters.quoteMinorPerTickLot - 1n) / parameters.quoteMinorPerTickLot;
    if (minNotionalTickLots > BigInt(Number.MAX_SAFE_INTEGER) || parameters.maxQtyLots > BigInt(PRICE_TICKS_MAX)) {
      throw new Error(`demo: ${parameters.symbol}'s filters are too large for the demo's order sizes`);
    }
    this.symbol = parameters.symbol;
    this.base = parameters.base;
    this.quote = parameters.quote;
    this.referencePriceTicks = Number(referenceTicks);
    this.quoteMinorPerTickLot = parameters.quoteMinorPerTickLot;
    this.baseMinorPerLot = parameters.baseMinorPerLot;
    this.minQuantityLots = Number(parameters.minQtyLots);
    this.maxQuantityLots = Number(parameters.maxQtyLots);
    this.minNotionalTickLots = Number(minNotionalTickLots);
    this.priceBandBps = parameters.priceBandBps;
    this.bandSafetyBps = Math.floor((parameters.priceBandBps * BAND_SAFETY_PER_1000) / 1_000);
    this.baseUnit = unitOf(parameters.baseDecimals);
    this.quoteUnit = unitOf(parameters.quoteDecimals);
  }

  /** `bps` basis points of a price, in whole ticks, at least one tick. */
  ticksOfBps(priceTicks: number, bps: number): number {
    return Math.max(1, Math.floor((priceTicks * bps) / BASIS_POINTS));
  }

  /** The smallest order at this price that passes both the minimum quantity and the minimum notional. */
  minimumLots(priceTicks: number): number {
    const forNotional = Math.ceil(this.minNotionalTickLots / priceTicks);
    return Math.max(this.minQuantityLots, forNotional);
  }

  /** `multiple` times the smallest order at this price, capped at the market's largest order. */
  lotsOf(priceTicks: number, multiple: number): number {
    return Math.min(this.maxQuantityLots, this.minimumLots(priceTicks) * multiple);
  }

  /** Quote minor units of `quantityLots` at `priceTicks` (what a buy limit order holds). */
  quoteMinor(priceTicks: number, quantityLots: number): bigint {
    return BigInt(priceTicks) * BigInt(quantityLots) * this.quoteMinorPerTickLot;
  }

  baseMinor(quantityLots: number): bigint {
    return BigInt(quantityLots) * this.baseMinorPerLot;
  }

  /**
   * The prices the flow may use given the last trade price: the price band with a safety margin, or every valid
   * price before the first trade (the band is measured from the last trade, so it is off until there is one).
   */
  priceRange(lastPriceTicks: number | null): { lowTicks: number; highTicks: number } {
    if (lastPriceTicks === null || this.priceBandBps === 0) return { lowTicks: 1, highTicks: PRICE_TICKS_MAX };
    const marginTicks = Math.floor((lastPriceTicks * this.bandSafetyBps) / BASIS_POINTS);
    return {
      lowTicks: Math.max(1, lastPriceTicks - marginTicks),
      highTicks: Math.min(PRICE_TICKS_MAX, lastPriceTicks + marginTicks),
    };
  }

  formatPrice(priceTicks: number | null): string {
    return priceTicks === null ? '-' : unitsToDecimal(priceTicks, this.parameters.tickSize);
  }

  formatQuantity(quantityLots: bigint): string {
    return unitsToDecimal(quantityLots, this.parameters.stepSize);
  }

  formatBaseMinor(amountMinor: bigint): string {
    return unitsToDecimal(amountMinor, this.baseUnit);
  }

  formatQuoteMinor(amountMinor: bigint): string {
    return unitsToDecimal(amountMinor, this.quoteUnit);
  }
}

/** The minor unit of an asset with `decimals` as a decimal string: 8 -> "0.00000001". */
export const unitOf = (decimals: number): string => (decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`);
