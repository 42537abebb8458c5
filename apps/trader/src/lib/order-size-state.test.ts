// Proves the sizes the form derives never exceed the balance and land on what the market accepts: for random
// balances, prices and percentages (seeded) a buy's quantity x price stays within the share of the quote balance
// and one more step would not, a sell's quantity is a step multiple within the share of the base balance, and a
// quote amount keeps the quote asset's decimals.
import { describe, expect, it } from 'vitest';
import { formatUnits, isMultipleOf, multiplyUnits, units } from './decimal';
import { divideUnits, quantityForTotal, sizeForPercent, sizePercents } from './order-size-state';

const rules = { stepUnits: units('0.00001'), quantityDigits: 5, quoteDigits: 8 };

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('order sizes', () => {
  it('examples', () => {
    expect(
      sizeForPercent({
        percent: 50,
        side: 'SELL',
        sizeMode: 'quantity',
        availableUnits: units('1.234567'),
        priceUnits: null,
        rules,
      }),
    ).toEqual({ quantity: '0.61728' });
    expect(
      sizeForPercent({
        percent: 100,
        side: 'BUY',
        sizeMode: 'quantity',
        availableUnits: units('1000'),
        priceUnits: units('43000'),
        rules,
      }),
    ).toEqual({ quantity: '0.02325' });
    expect(
      sizeForPercent({
        percent: 25,
        side: 'BUY',
        sizeMode: 'quote',
        availableUnits: units('1000.123456789'),
        priceUnits: null,
        rules,
      }),
    ).toEqual({ quoteAmount: '250.03086419' });
    expect(
      sizeForPercent({
        percent: 25,
        side: 'BUY',
        sizeMode: 'quantity',
        availableUnits: units('1000'),
        priceUnits: null,
        rules,
      }),
    ).toBeNull();
    expect(() =>
      sizeForPercent({ percent: 0, side: 'BUY', sizeMode: 'quote', availableUnits: 1n, priceUnits: null, rules }),
    ).toThrow(/percent/);
    // Selling 50% of 1.234567 BTC for USDT at a bid of 40000: 0.61728 BTC fetch 24691.2 USDT.
    expect(
      sizeForPercent({
        percent: 50,
        side: 'SELL',
        sizeMode: 'quote',
        availableUnits: units('1.234567'),
        priceUnits: units('40000'),
        rules,
      }),
    ).toEqual({ quoteAmount: '24691.20000000' });
    expect(
      sizeForPercent({
        percent: 50,
        side: 'SELL',
        sizeMode: 'quote',
        availableUnits: units('1'),
        priceUnits: null,
        rules,
      }),
    ).toBeNull();
    expect(quantityForTotal(units('100'), units('40000'), rules.stepUnits)).toBe(units('0.0025'));
    expect(divideUnits(units('1'), units('3'))).toBe(333_333_333_333_333_333n);
  });

  it('never exceeds the share of the balance, and one more step would (seeded)', () => {
    const random = seeded(2024);
    for (let run = 0; run < 2_000; run++) {
      const availableUnits = BigInt(Math.floor(random() * 1e9)) * 10n ** BigInt(9 + Math.floor(random() * 4));
      const priceUnits = BigInt(1 + Math.floor(random() * 1e8)) * 10n ** 14n;
      const percent = sizePercents[Math.floor(random() * sizePercents.length)]!;
      const shareUnits = (availableUnits * BigInt(percent)) / 100n;
      const context = `run ${run}: ${formatUnits(availableUnits, 18)} at ${formatUnits(priceUnits, 18)}, ${percent}%`;

      const buy = sizeForPercent({ percent, side: 'BUY', sizeMode: 'quantity', availableUnits, priceUnits, rules });
      const quantity = units((buy as { quantity: string }).quantity);
      expect(isMultipleOf(quantity, rules.stepUnits) || quantity === 0n, context).toBe(true);
      expect(multiplyUnits(quantity, priceUnits) <= shareUnits, context).toBe(true);
      expect(multiplyUnits(quantity + rules.stepUnits, priceUnits) > shareUnits, context).toBe(true);

      const sell = sizeForPercent({ percent, side: 'SELL', sizeMode: 'quantity', availableUnits, priceUnits, rules });
      const sold = units((sell as { quantity: string }).quantity);
      expect(sold <= shareUnits && sold + rules.stepUnits > shareUnits, context).toBe(true);

      const sellForQuote = sizeForPercent({
        percent,
        side: 'SELL',
        sizeMode: 'quote',
        availableUnits,
        priceUnits,
        rules,
      });
      const fetched = units((sellForQuote as { quoteAmount: string }).quoteAmount);
      expect(
        fetched <= multiplyUnits(sold, priceUnits) && fetched + 10n ** 10n > multiplyUnits(sold, priceUnits),
        context,
      ).toBe(true);

      const quote = sizeForPercent({ percent, side: 'BUY', sizeMode: 'quote', availableUnits, priceUnits, rules });
      const quoteAmount = (quote as { quoteAmount: string }).quoteAmount;
      expect(quoteAmount.split('.')[1]?.length, context).toBe(8);
      expect(units(quoteAmount) <= shareUnits && units(quoteAmount) + 10n ** 10n > shareUnits, context).toBe(true);
    }
  });
});
