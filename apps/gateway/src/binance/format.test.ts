// Proves the gateway's fast decimal paths agree exactly with the config package's general decimal arithmetic:
// parsing prices and quantities (whole ticks and lots, or refusal) and formatting ticks, lots and minor units,
// over seeded random values including edge cases (trailing zeros, too many decimals, huge values).
import { priceToTicks, quantityToLots, ticksToPrice, lotsToQuantity } from '@exbox/config';
import { describe, expect, it } from 'vitest';
import { demoMarkets } from '../testing/markets.js';
import { formatMinor } from './format.js';
import { seededRandom } from '../internal/random.js';

const markets = [...(await demoMarkets()).values()];

const randomDecimal = (next: () => number): string => {
  const whole = String(Math.floor(next() * 10 ** Math.floor(next() * 18)));
  const places = Math.floor(next() * 12);
  const fraction = Array.from({ length: places }, () => Math.floor(next() * 10)).join('');
  return places === 0 ? whole : `${whole}.${fraction}`;
};

describe('MarketFormat parsing', () => {
  it.each([1, 2, 3])('parses exactly as the general decimal path (seed %i)', (seed) => {
    const next = seededRandom(seed);
    for (let i = 0; i < 20_000; i++) {
      const market = markets[i % markets.length]!;
      // Half random, half exact multiples of a tick or a lot, so both outcomes are exercised.
      const text =
        next() < 0.5
          ? randomDecimal(next)
          : i % 2
            ? ticksToPrice(market.parameters, BigInt(Math.floor(next() * 1e9)))
            : lotsToQuantity(market.parameters, BigInt(Math.floor(next() * 1e9)));
      expect(market.parsePrice(text), `seed ${seed} price ${text}`).toBe(priceToTicks(market.parameters, text));
      expect(market.parseQuantity(text), `seed ${seed} quantity ${text}`).toBe(quantityToLots(market.parameters, text));
    }
  });

  it('formats ticks and lots as the general path, with the asset decimals', () => {
    const btc = markets[0]!;
    expect(btc.price(4_321_050)).toBe('43210.50000000');
    expect(btc.quantity(1)).toBe('0.00001000');
    expect(Number(btc.price(123_456))).toBe(Number(ticksToPrice(btc.parameters, 123_456n)));
    expect(formatMinor(5n, 8)).toBe('0.00000005');
    expect(formatMinor(-150_000_000n, 8)).toBe('-1.50000000');
    expect(formatMinor(7, 0)).toBe('7');
  });
});
