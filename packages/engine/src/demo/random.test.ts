// Proves the demo's generator is a pure function of its seed (what makes `--seed N` replay a run), that different
// seeds give different streams, and that its integer draws stay in range and are roughly uniform.
import { describe, expect, it } from 'vitest';
import { Random, SEED_MAX } from './random.js';

const draws = (seed: number, count: number) => {
  const random = new Random(seed);
  return Array.from({ length: count }, () => random.uint32());
};

describe('Random', () => {
  it('repeats the same stream for the same seed, and another for another seed', () => {
    expect(draws(42, 1_000)).toEqual(draws(42, 1_000));
    expect(draws(42, 1_000)).not.toEqual(draws(43, 1_000));
    expect(draws(0, 10)).not.toEqual(draws(SEED_MAX, 10));
  });

  it('keeps below() and between() in range and roughly uniform', () => {
    const random = new Random(7);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[random.below(10)]!++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 1_000; i++) {
      const value = random.between(-3, 3);
      expect(value).toBeGreaterThanOrEqual(-3);
      expect(value).toBeLessThanOrEqual(3);
    }
  });

  it('refuses seeds and bounds it cannot honour', () => {
    expect(() => new Random(-1)).toThrow(/seed/);
    expect(() => new Random(SEED_MAX + 1)).toThrow(/seed/);
    expect(() => new Random(1.5)).toThrow(/seed/);
    expect(() => new Random(1).below(0)).toThrow(/below/);
    expect(() => new Random(1).below(2 ** 22)).toThrow(/below/);
    expect(() => new Random(1).between(2, 1)).toThrow(/empty/);
  });
});
