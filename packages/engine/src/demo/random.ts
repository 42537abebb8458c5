// The demo's seeded pseudo-random generator: sfc32, seeded through splitmix32. Math.random cannot be seeded, and
// a printed seed that replays the same order flow is what makes a surprising demo run reproducible.

/** Seeds are unsigned 32-bit integers, so any seed printed by the demo can be typed back in. */
export const SEED_MAX = 0xffff_ffff;

/** `below(n)` multiplies a 32-bit draw by n in a double; up to 2^21 the product stays an exact integer. */
const BELOW_BOUND_MAX = 2 ** 21;

/** Outputs thrown away after seeding, so that nearby seeds do not start with correlated draws. */
const WARM_UP_DRAWS = 16;

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > SEED_MAX) {
      throw new Error(`Random: seed must be an integer from 0 to ${SEED_MAX}, got ${seed}`);
    }
    let state = seed | 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    for (let i = 0; i < WARM_UP_DRAWS; i++) this.uint32();
  }

  /** A uniform integer in [0, 2^32). */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform integer in [0, n), for 1 <= n <= 2^21. */
  /** A uniform float in [0, 1). */
  unit(): number {
    return this.uint32() / 2 ** 32;
  }

  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > BELOW_BOUND_MAX) {
      throw new Error(`Random.below: n must be an integer from 1 to ${BELOW_BOUND_MAX}, got ${n}`);
    }
    return Math.floor((this.uint32() * n) / 2 ** 32);
  }

  /** A uniform integer in [low, high], both included. */
  between(low: number, high: number): number {
    if (high < low) throw new Error(`Random.between: empty range ${low}..${high}`);
    return low + this.below(high - low + 1);
  }

  /** True with probability numerator / denominator. */
  chance(numerator: number, denominator: number): boolean {
    return this.below(denominator) < numerator;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: no items');
    return items[this.below(items.length)]!;
  }
}
