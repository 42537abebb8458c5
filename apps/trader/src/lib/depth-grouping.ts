// Depth grouping for the order book view: levels merged into price buckets that are multiples of the tick size
// (0.01, 0.1, 1, 10 ...), bids rounded down and asks rounded up, as Binance and Kraken show them. Exact: bucket
// prices and summed quantities are bigint units.
import { ceilToStep, floorToStep, formatUnits, fractionDigits, units } from './decimal';
import type { BookLevel } from './order-book';

export interface GroupedLevel {
  priceUnits: bigint;
  quantityUnits: bigint;
  /** Running total from the best level outwards, for the depth bars. */
  cumulativeUnits: bigint;
}

/** Grouping choices offered for a tick size: the tick and three wider multiples of ten. */
export function groupingSteps(tickSize: string): string[] {
  const tick = units(tickSize);
  const digits = fractionDigits(tickSize);
  return [1n, 10n, 100n, 1000n].map((factor) =>
    formatUnits(tick * factor, Math.max(0, digits - String(factor).length + 1)),
  );
}

/**
 * The best `count` buckets of one side. `levels` must be best first (OrderBookSync's order); a bid bucket holds
 * the levels at or above its price, an ask bucket those at or below it.
 */
export function groupLevels(
  levels: readonly BookLevel[],
  side: 'bid' | 'ask',
  step: string,
  count: number,
): GroupedLevel[] {
  const stepUnits = units(step);
  if (stepUnits <= 0n) throw new Error(`grouping step must be positive: ${step}`);
  const groups: GroupedLevel[] = [];
  let cumulativeUnits = 0n;
  for (const level of levels) {
    const bucket = side === 'bid' ? floorToStep(level.priceUnits, stepUnits) : ceilToStep(level.priceUnits, stepUnits);
    const last = groups.at(-1);
    cumulativeUnits += level.quantityUnits;
    if (last !== undefined && last.priceUnits === bucket) {
      last.quantityUnits += level.quantityUnits;
      last.cumulativeUnits = cumulativeUnits;
      continue;
    }
    if (groups.length === count) break;
    groups.push({ priceUnits: bucket, quantityUnits: level.quantityUnits, cumulativeUnits });
  }
  return groups;
}
