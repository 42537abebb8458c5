// Proves the relationships between the config limits that other code relies on: lots fit the order book's safe
// integers, decimals bounds agree, and fee and band ceilings are what the schema enforces.

import { describe, expect, it } from 'vitest';
import * as limits from './limits.js';

describe('config limits', () => {
  it('keep lots within safe integers', () => {
    expect(limits.quantityLotsMax).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(Number.isSafeInteger(Number(limits.quantityLotsMax))).toBe(true);
  });

  it('let a size carry every decimal an asset may have', () => {
    expect(limits.decimalFractionDigitsMax).toBeGreaterThanOrEqual(limits.assetDecimalsMax);
    expect(limits.priceTicksPerUnitMax).toBe(10n ** BigInt(limits.assetDecimalsMax));
  });

  it('bound fees, bands and rate limits sensibly', () => {
    expect(limits.feeBpsMax).toBeLessThan(limits.priceBandBpsMax);
    expect(limits.priceBandBpsMax).toBe(10_000);
    expect(limits.ordersPer10sMax).toBeLessThanOrEqual(limits.ordersPerDayMax);
    expect(limits.assetsMax).toBeGreaterThan(1);
    expect(limits.marketsMax).toBeGreaterThanOrEqual(limits.assetsMax);
  });
});
