// Proves the sorted price levels behind every mirrored book: under a seeded random stream of level changes
// (inserts, updates, removals, removals of absent levels) each side matches a naive map sorted on demand, stays a
// balanced AVL tree, and walks its best N levels in price order (bids descending, asks ascending).
import { describe, expect, it } from 'vitest';
import { PriceLevels } from './price-levels.js';
import { testSeeds, withSeed } from './testing.js';

const naiveTop = (levels: Map<number, number>, descending: boolean, limit: number) =>
  [...levels.entries()]
    .sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]))
    .slice(0, limit)
    .map(([priceTicks, quantityLots]) => ({ priceTicks, quantityLots }));

describe('PriceLevels', () => {
  for (const seed of testSeeds()) {
    for (const descending of [true, false]) {
      it(`matches a naive sorted map (${descending ? 'bids' : 'asks'}, seed ${seed})`, () =>
        withSeed(seed, (random) => {
          const levels = new PriceLevels(descending);
          const naive = new Map<number, number>();
          for (let step = 0; step < 20_000; step++) {
            const priceTicks = random.between(1, 2_000);
            const quantityLots = random.chance(0.4) ? 0 : random.between(1, 1_000_000);
            levels.set(priceTicks, quantityLots);
            if (quantityLots === 0) naive.delete(priceTicks);
            else naive.set(priceTicks, quantityLots);
            if (step % 1_000 === 0) levels.validate();
            if (step % 97 === 0) {
              const limit = random.between(1, 50);
              expect(levels.top(limit)).toEqual(naiveTop(naive, descending, limit));
            }
            expect(levels.get(priceTicks)).toBe(quantityLots);
          }
          levels.validate();
          expect(levels.size).toBe(naive.size);
          expect(levels.top(Infinity)).toEqual(naiveTop(naive, descending, Infinity));
          expect(levels.best()).toEqual(naiveTop(naive, descending, 1)[0]);
        }));
    }
  }

  it('refuses levels that are not positive safe integers', () => {
    const levels = new PriceLevels(true);
    expect(() => levels.set(0, 1)).toThrow();
    expect(() => levels.set(1, -1)).toThrow();
    expect(() => levels.set(1.5, 1)).toThrow();
    levels.set(7, 0); // removing an absent level is allowed
    expect(levels.size).toBe(0);
  });
});
