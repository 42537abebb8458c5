// Proves that the integer market parameters are exact: hand-computed values for the demo markets, values near the
// limits (18-decimal assets, 2^53 - 1 lots, 20-digit sizes) checked against bigint arithmetic, and a seeded
// random check that ticks x lots x quoteMinorPerTickLot equals the decimal price x quantity in minor units.

import { describe, expect, it } from 'vitest';
import {
  configLimits,
  decimalToMinor,
  deriveMarketParameters,
  loadDemoTenantConfig,
  lotsToQuantity,
  minorToDecimal,
  parseTenantConfig,
  priceToTicks,
  quantityToLots,
  ticksToPrice,
  type MarketParameters,
  type TenantConfigInput,
} from './index.js';

const demoParameters = deriveMarketParameters(await loadDemoTenantConfig());

function marketOf(parameters: ReadonlyMap<string, MarketParameters>, symbol: string): MarketParameters {
  const market = parameters.get(symbol);
  if (market === undefined) throw new Error(`no market ${symbol}`);
  return market;
}

/** A one-market config with the given assets and market fields. */
function singleMarket(
  base: { code: string; decimals: number },
  quote: { code: string; decimals: number },
  market: Partial<TenantConfigInput['markets'][number]>,
): TenantConfigInput {
  return {
    tenant: { id: 'limits', name: 'Limits' },
    branding: {
      name: 'Limits',
      primaryColor: '#000000',
      accentColor: '#ffffff',
      defaultMarket: base.code + quote.code,
    },
    assets: [
      { ...base, name: base.code },
      { ...quote, name: quote.code },
    ],
    markets: [
      {
        base: base.code,
        quote: quote.code,
        tickSize: '1',
        stepSize: '1',
        minQty: '1',
        maxQty: '1',
        minNotional: '0',
        priceBandPct: '100',
        ...market,
      },
    ],
    fees: { defaultTier: 'default', tiers: { default: { makerBps: 0, takerBps: 0 } } },
  };
}

describe('deriveMarketParameters', () => {
  it('derives the demo markets exactly', () => {
    expect(marketOf(demoParameters, 'BTCUSDT')).toMatchObject({
      priceTicksPerUnit: 100n,
      priceMinorPerTick: 1_000_000n, // 0.01 USDT with 8 decimals
      quoteMinorPerTickLot: 10n, // 0.01 x 0.00001 = 0.0000001 USDT
      baseMinorPerLot: 1_000n, // 0.00001 BTC
      minQtyLots: 1n,
      maxQtyLots: 900_000_000n, // 9000 / 0.00001
      minNotionalMinor: 500_000_000n, // 5 USDT
      priceBandBps: 1000,
    });
    expect(marketOf(demoParameters, 'ETHUSDT')).toMatchObject({
      quoteMinorPerTickLot: 100n,
      baseMinorPerLot: 10_000n,
      maxQtyLots: 1_000_000_000n,
    });
    expect(marketOf(demoParameters, 'ETHBTC')).toMatchObject({
      priceTicksPerUnit: 100_000n,
      priceMinorPerTick: 1_000n,
      quoteMinorPerTickLot: 1n, // 0.00001 x 0.001 BTC = exactly one satoshi
      baseMinorPerLot: 100_000n,
      minNotionalMinor: 10_000n,
    });
  });

  it('is exact for 18-decimal assets, far beyond safe integers', () => {
    const config = parseTenantConfig(
      singleMarket(
        { code: 'TKN', decimals: 18 },
        { code: 'DAI', decimals: 18 },
        {
          tickSize: '0.000000000000000001',
          stepSize: '1',
          minQty: '1',
          maxQty: String(Number.MAX_SAFE_INTEGER),
          minNotional: '0.000000000000000001',
          priceBandPct: '0.01',
        },
      ),
    );
    expect(marketOf(deriveMarketParameters(config), 'TKNDAI')).toMatchObject({
      priceTicksPerUnit: 10n ** 18n,
      priceMinorPerTick: 1n,
      quoteMinorPerTickLot: 1n,
      baseMinorPerLot: 10n ** 18n,
      maxQtyLots: configLimits.quantityLotsMax,
      minNotionalMinor: 1n,
      priceBandBps: 1,
    });
  });

  it('accepts maxQty of exactly 2^53 - 1 lots and rejects one lot more', () => {
    const base = { code: 'BTC', decimals: 8 };
    const quote = { code: 'USDT', decimals: 8 };
    const atLimit = singleMarket(base, quote, { stepSize: '0.00000001', maxQty: '90071992.54740991' });
    expect(marketOf(deriveMarketParameters(parseTenantConfig(atLimit)), 'BTCUSDT').maxQtyLots).toBe(
      9_007_199_254_740_991n,
    );
    const beyond = singleMarket(base, quote, { stepSize: '0.00000001', maxQty: '90071992.54740992' });
    expect(() => parseTenantConfig(beyond)).toThrow(/markets\[0\]\.maxQty: .*at most 9007199254740991 lots/);
  });

  it('handles 20-digit sizes with coarse steps exactly', () => {
    const config = parseTenantConfig(
      singleMarket(
        { code: 'SHIB', decimals: 0 },
        { code: 'USD', decimals: 2 },
        {
          tickSize: '0.01',
          stepSize: '100000',
          minQty: '100000',
          maxQty: '99999999999999900000',
          minNotional: '12345678901234567.89',
        },
      ),
    );
    expect(marketOf(deriveMarketParameters(config), 'SHIBUSD')).toMatchObject({
      quoteMinorPerTickLot: 100_000n, // 0.01 x 100000 = 1000 USD = 100000 cents
      baseMinorPerLot: 100_000n,
      maxQtyLots: 999_999_999_999_999n,
      minNotionalMinor: 1_234_567_890_123_456_789n,
    });
  });

  it('settles random trades without rounding (seeded)', () => {
    const seed = 0x5eed;
    let state = seed;
    // xorshift32: deterministic, so a failure reproduces from the printed seed.
    const next = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 32;
    };
    const randomBelow = (limit: number) => BigInt(Math.floor(next() * limit));
    for (const market of demoParameters.values()) {
      for (let trial = 0; trial < 200; trial += 1) {
        const priceTicks = 1n + randomBelow(10_000_000);
        const quantityLots = market.minQtyLots + randomBelow(1_000_000);
        const price = ticksToPrice(market, priceTicks);
        const quantity = lotsToQuantity(market, quantityLots);
        // Independent route: the decimal product of the strings, scaled to quote minor units.
        const [priceWhole = '', priceFraction = ''] = price.split('.');
        const [quantityWhole = '', quantityFraction = ''] = quantity.split('.');
        const productUnits = BigInt(priceWhole + priceFraction) * BigInt(quantityWhole + quantityFraction);
        const productScale = priceFraction.length + quantityFraction.length;
        const expectedMinor = (productUnits * 10n ** BigInt(market.quoteDecimals)) / 10n ** BigInt(productScale);
        expect((productUnits * 10n ** BigInt(market.quoteDecimals)) % 10n ** BigInt(productScale), `seed ${seed}`).toBe(
          0n,
        );
        expect(priceTicks * quantityLots * market.quoteMinorPerTickLot, `seed ${seed}`).toBe(expectedMinor);
        expect(quantityLots * market.baseMinorPerLot, `seed ${seed}`).toBe(
          decimalToMinor(quantity, market.baseDecimals),
        );
      }
    }
  });
});

describe('edge conversions', () => {
  const btcusdt = marketOf(demoParameters, 'BTCUSDT');

  it.each([
    ['43210.57', 4_321_057n],
    ['43210.5700', 4_321_057n],
    ['1', 100n],
    ['0.01', 1n],
    ['43210.575', undefined],
    ['1e3', undefined],
    ['-1', undefined],
  ])('price %j -> %s ticks', (price, ticks) => {
    expect(priceToTicks(btcusdt, price)).toBe(ticks);
  });

  it.each([
    ['0.0012', 120n],
    ['0.00120000', 120n],
    ['9000', 900_000_000n],
    ['0.000015', undefined],
  ])('quantity %j -> %s lots', (quantity, lots) => {
    expect(quantityToLots(btcusdt, quantity)).toBe(lots);
  });

  it('formats ticks, lots and minor units as shortest decimal strings', () => {
    expect(ticksToPrice(btcusdt, 4_321_057n)).toBe('43210.57');
    expect(ticksToPrice(btcusdt, 100n)).toBe('1');
    expect(lotsToQuantity(btcusdt, 120n)).toBe('0.0012');
    expect(minorToDecimal(150_000_000n, 8)).toBe('1.5');
    expect(minorToDecimal(-5n, 2)).toBe('-0.05');
    expect(minorToDecimal(0n, 8)).toBe('0');
    expect(decimalToMinor('1.5', 8)).toBe(150_000_000n);
    expect(decimalToMinor('0.000000001', 8)).toBeUndefined();
    expect(() => ticksToPrice(btcusdt, -1n)).toThrow(/negative/);
  });
});
