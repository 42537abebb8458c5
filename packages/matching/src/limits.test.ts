// Proves the named limits fit together: every quantity, price and total the books keep stays an exact
// integer in the storage chosen for it. How: one assertion per relationship the code relies on.
import { describe, expect, it } from 'vitest';
import {
  BASIS_POINTS_PER_UNIT,
  DECIMAL_DIGITS_MAX,
  DEPTH_LEVELS_MAX,
  NOTIONAL_MAX,
  ORDER_ID_MAX,
  ORDERS_PER_BOOK_MAX,
  OWNER_ID_MAX,
  PRICE_BAND_BPS_MAX,
  PRICE_TICKS_MAX,
  QUANTITY_LOTS_MAX,
  SEQUENCE_MAX,
} from './limits.js';

const INT32_MAX = 2 ** 31 - 1;

describe('limits', () => {
  it('prices fit the fast book Int32Array storage, with room for the unbounded market-buy limit', () => {
    expect(PRICE_TICKS_MAX).toBeLessThanOrEqual(INT32_MAX);
    expect(PRICE_TICKS_MAX + 1).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    // Asks are keyed by -price in the same Int32Array.
    expect(-PRICE_TICKS_MAX).toBeGreaterThanOrEqual(-(2 ** 31));
  });

  it('quantities match the workload format (below 2^31)', () => {
    expect(QUANTITY_LOTS_MAX).toBe(INT32_MAX);
  });

  it('a price level total stays exact even if every live order sits on one level at the largest quantity', () => {
    expect(ORDERS_PER_BOOK_MAX * QUANTITY_LOTS_MAX).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
  });

  it('slot and level indexes fit Int32Array links', () => {
    expect(ORDERS_PER_BOOK_MAX).toBeLessThan(INT32_MAX);
  });

  it('ids, owners, sequences and notionals are safe integers', () => {
    for (const limit of [ORDER_ID_MAX, OWNER_ID_MAX, SEQUENCE_MAX, NOTIONAL_MAX]) {
      expect(Number.isSafeInteger(limit)).toBe(true);
    }
  });

  it('price band arithmetic stays far below 2^53', () => {
    expect(PRICE_BAND_BPS_MAX).toBeLessThanOrEqual(BASIS_POINTS_PER_UNIT);
    expect(PRICE_TICKS_MAX * (BASIS_POINTS_PER_UNIT + PRICE_BAND_BPS_MAX)).toBeLessThan(2 ** 53);
  });

  it('a decimal string can spell every representable value', () => {
    expect(String(Number.MAX_SAFE_INTEGER).length).toBeLessThanOrEqual(DECIMAL_DIGITS_MAX);
  });

  it('depth queries are bounded', () => {
    expect(DEPTH_LEVELS_MAX).toBeGreaterThan(0);
    expect(DEPTH_LEVELS_MAX).toBeLessThanOrEqual(ORDERS_PER_BOOK_MAX);
  });
});
