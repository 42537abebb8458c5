// Proves depth grouping buckets bids down and asks up to multiples of the step, sums quantities exactly, keeps a
// running total for depth bars and stops at the requested number of buckets; and that the steps offered for a
// tick size are the tick and its multiples of ten, printed without noise digits.
import { describe, expect, it } from 'vitest';
import { formatUnits, units } from './decimal';
import { groupLevels, groupingSteps } from './depth-grouping';
import type { BookLevel } from './order-book';

const level = (price: string, quantity: string): BookLevel => ({
  price,
  quantity,
  priceUnits: units(price),
  quantityUnits: units(quantity),
});
const show = (groups: ReturnType<typeof groupLevels>) =>
  groups.map((group) => [
    formatUnits(group.priceUnits, 2),
    formatUnits(group.quantityUnits, 3),
    formatUnits(group.cumulativeUnits, 3),
  ]);

describe('groupLevels', () => {
  it('rounds bids down to the step and sums them', () => {
    const bids = [level('100.09', '0.1'), level('100.01', '0.2'), level('99.99', '0.3'), level('99.00', '1')];
    expect(show(groupLevels(bids, 'bid', '0.1', 10))).toEqual([
      ['100.00', '0.300', '0.300'],
      ['99.90', '0.300', '0.600'],
      ['99.00', '1.000', '1.600'],
    ]);
    expect(show(groupLevels(bids, 'bid', '1', 10))).toEqual([
      ['100.00', '0.300', '0.300'],
      ['99.00', '1.300', '1.600'],
    ]);
  });

  it('rounds asks up to the step and stops at the count', () => {
    const asks = [level('100.01', '0.1'), level('100.10', '0.2'), level('100.11', '0.3'), level('105', '1')];
    expect(show(groupLevels(asks, 'ask', '0.1', 2))).toEqual([
      ['100.10', '0.300', '0.300'],
      ['100.20', '0.300', '0.600'],
    ]);
    expect(show(groupLevels(asks, 'ask', '0.01', 10))).toHaveLength(4);
  });

  it('offers the tick and wider multiples of ten', () => {
    expect(groupingSteps('0.01000000')).toEqual(['0.01', '0.1', '1', '10']);
    expect(groupingSteps('0.00001')).toEqual(['0.00001', '0.0001', '0.001', '0.01']);
    expect(groupingSteps('1')).toEqual(['1', '10', '100', '1000']);
  });
});
