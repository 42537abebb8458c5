// Order sizes the form derives for the user: a share of the available balance (the 25/50/75/100% buttons) and
// the amount that a typed total buys at a price. Exact bigint units throughout, always rounded down to what the
// market accepts (the step for amounts, the quote asset's decimals for quote amounts), so a 100% order never asks
// for more than the balance holds.
import { floorToStep, formatUnits, multiplyUnits, unitScale } from './decimal';
import type { MarketRules } from './market-rules';
import type { OrderSide, SizeMode } from './order-draft';

const unitsPerOne = 10n ** BigInt(unitScale);

/** The percentages the form offers. */
export const sizePercents = [25, 50, 75, 100] as const;

/** `value` / `divisor` at the unit scale, truncated (price units per base unit -> base units). */
export function divideUnits(value: bigint, divisor: bigint): bigint {
  if (divisor <= 0n) throw new Error('divideUnits: divisor must be positive');
  return (value * unitsPerOne) / divisor;
}

/** Base quantity (units) that `totalUnits` of quote buys at `priceUnits`, rounded down to the step. */
export function quantityForTotal(totalUnits: bigint, priceUnits: bigint, stepUnits: bigint): bigint {
  return floorToStep(divideUnits(totalUnits, priceUnits), stepUnits);
}

export interface PercentSizeInput {
  percent: number;
  side: OrderSide;
  sizeMode: SizeMode;
  /** Free balance of the asset the order spends: quote for a buy, base for a sell. */
  availableUnits: bigint;
  /**
   * The price the other asset is computed at: for a buy sized in base, the limit price or the best ask; for a sell
   * sized in quote, the best bid. Unused otherwise.
   */
  priceUnits: bigint | null;
  rules: Pick<MarketRules, 'stepUnits' | 'quantityDigits' | 'quoteDigits'>;
}

/**
 * The field values for `percent` of the available balance: `{ quantity }` or `{ quoteAmount }` as decimal
 * strings; null when it cannot be computed (a buy in base, or a sell in quote, without a price).
 */
export function sizeForPercent(input: PercentSizeInput): { quantity: string } | { quoteAmount: string } | null {
  if (!Number.isInteger(input.percent) || input.percent < 1 || input.percent > 100)
    throw new Error(`sizeForPercent: percent must be 1..100, got ${input.percent}`);
  const shareUnits = (input.availableUnits * BigInt(input.percent)) / 100n;
  const { rules } = input;
  const quoteStepUnits = 10n ** BigInt(unitScale - rules.quoteDigits);
  if (input.side === 'SELL') {
    const quantityUnits = floorToStep(shareUnits, rules.stepUnits);
    if (input.sizeMode === 'quantity') return { quantity: formatUnits(quantityUnits, rules.quantityDigits) };
    // Selling for a quote amount: what that much base fetches at the price (the best bid), rounded down.
    if (input.priceUnits === null || input.priceUnits <= 0n) return null;
    const quoteUnits = floorToStep(multiplyUnits(quantityUnits, input.priceUnits), quoteStepUnits);
    return { quoteAmount: formatUnits(quoteUnits, rules.quoteDigits) };
  }
  if (input.sizeMode === 'quote') {
    return { quoteAmount: formatUnits(floorToStep(shareUnits, quoteStepUnits), rules.quoteDigits) };
  }
  if (input.priceUnits === null || input.priceUnits <= 0n) return null;
  return {
    quantity: formatUnits(quantityForTotal(shareUnits, input.priceUnits, rules.stepUnits), rules.quantityDigits),
  };
}
