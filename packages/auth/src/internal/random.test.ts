// Proves API keys and secrets are drawn fairly: the right length, only [A-Za-z0-9], every character equally
// likely (bytes at or above 248 are dropped rather than folded, which would favour the first 8 characters), and a
// broken source of random bytes is a crash, never a short or predictable key.
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../testing/seeded-random.js';
import { ALPHANUMERIC, randomAlphanumeric } from './random.js';

describe('randomAlphanumeric', () => {
  it('draws from crypto.randomBytes by default: 64 characters of [A-Za-z0-9], different each time', () => {
    const drawn = new Set(Array.from({ length: 100 }, () => randomAlphanumeric(64)));
    expect(drawn.size).toBe(100);
    for (const text of drawn) expect(text).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  it('maps bytes below 248 to characters and drops the rest (no modulo bias)', () => {
    const bytes = [0, 61, 62, 247, 248, 255, 1];
    const source = () => Uint8Array.from(bytes.splice(0, bytes.length));
    expect(randomAlphanumeric(5, source)).toBe('A9A9B');
    // 0 -> A, 61 -> 9, 62 -> A again (62 % 62), 247 -> 9 (247 % 62 = 61); 248 and 255 dropped; 1 -> B.
  });

  it('is uniform over a large seeded sample (chi-squared, seed 11)', () => {
    const random = new SeededRandom(11);
    const counts = new Map<string, number>();
    const samples = 62 * 2_000;
    const text = randomAlphanumeric(samples, random.source);
    for (const character of text) counts.set(character, (counts.get(character) ?? 0) + 1);
    expect(counts.size).toBe(ALPHANUMERIC.length);
    const expected = samples / ALPHANUMERIC.length;
    const chiSquared = [...counts.values()].reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 61 degrees of freedom: the 0.999 quantile is about 100.9.
    expect(chiSquared).toBeLessThan(101);
  });

  it('crashes on a source that yields nothing usable', () => {
    expect(() => randomAlphanumeric(64, (size) => new Uint8Array(size).fill(255))).toThrow(/usable bytes/);
    expect(() => randomAlphanumeric(64, () => new Uint8Array(0))).toThrow(/usable bytes/);
  });
});
