// A small seeded PRNG (sfc32) for the model-based tests: one seed reproduces a whole run.

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 16; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, bound). */
  int(bound: number): number {
    if (!(bound > 0 && bound <= 2 ** 32)) throw new Error(`prng: bad bound ${bound}`);
    return Math.floor((this.nextUint32() / 2 ** 32) * bound);
  }

  chance(probability: number): boolean {
    return this.nextUint32() / 2 ** 32 < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('prng: pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Uniform bigint in [0, bound) for bound up to 2^64 (good enough for tests). */
  bigint(bound: bigint): bigint {
    if (bound <= 0n) throw new Error(`prng: bad bound ${bound}`);
    const wide = (BigInt(this.nextUint32()) << 32n) | BigInt(this.nextUint32());
    return wide % bound;
  }
}
