// Order id -> slot, for the fast book: open addressing with linear probing over two typed arrays. Compared
// with a Map it hashes no heap objects and touches one or two cache lines per lookup. Ids are positive, so a
// zero key marks an empty bucket; deletion shifts later entries back (no tombstones), so lookups never slow
// down as orders come and go.
import { assert } from './assert.js';

const INITIAL_BUCKETS = 1024;
const TWO_POW_32 = 2 ** 32;

export class IdIndex {
  size = 0;
  private keys: Float64Array<ArrayBuffer>;
  private values: Int32Array<ArrayBuffer>;
  private mask: number;

  constructor(buckets = INITIAL_BUCKETS) {
    assert(buckets > 0 && (buckets & (buckets - 1)) === 0, 'IdIndex: bucket count must be a power of two');
    this.keys = new Float64Array(buckets);
    this.values = new Int32Array(buckets);
    this.mask = buckets - 1;
  }

  /** The slot of an id, or -1. */
  get(id: number): number {
    // Zero marks empty buckets, so it must never be looked up (NaN and negatives simply miss).
    if (!(id > 0)) return -1;
    const keys = this.keys;
    const mask = this.mask;
    let bucket = this.home(id);
    for (;;) {
      const key = keys[bucket]!;
      if (key === id) return this.values[bucket]!;
      if (key === 0) return -1;
      bucket = (bucket + 1) & mask;
    }
  }

  has(id: number): boolean {
    return this.get(id) !== -1;
  }

  /** Adds an id that is not present (the book checks duplicates before it indexes an order). */
  add(id: number, slot: number): void {
    assert(id > 0 && Number.isSafeInteger(id), 'IdIndex: ids are positive safe integers');
    if ((this.size + 1) * 2 > this.keys.length) this.rehash(this.keys.length * 2);
    const keys = this.keys;
    const mask = this.mask;
    let bucket = this.home(id);
    for (;;) {
      const key = keys[bucket]!;
      if (key === 0) break;
      assert(key !== id, 'IdIndex: id added twice');
      bucket = (bucket + 1) & mask;
    }
    keys[bucket] = id;
    this.values[bucket] = slot;
    this.size += 1;
  }

  /** Removes an id; returns whether it was present. */
  delete(id: number): boolean {
    if (!(id > 0)) return false;
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let hole = this.home(id);
    for (;;) {
      const key = keys[hole]!;
      if (key === id) break;
      if (key === 0) return false;
      hole = (hole + 1) & mask;
    }
    // Backward-shift deletion: move later entries of the probe run into the hole when their home bucket
    // allows it, so every entry stays reachable from its home without tombstones.
    let next = hole;
    for (;;) {
      next = (next + 1) & mask;
      const key = keys[next]!;
      if (key === 0) break;
      const home = this.home(key);
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        keys[hole] = key;
        values[hole] = values[next]!;
        hole = next;
      }
    }
    keys[hole] = 0;
    this.size -= 1;
    return true;
  }

  forEach(visit: (id: number, slot: number) => void): void {
    for (let bucket = 0; bucket < this.keys.length; bucket++) {
      const key = this.keys[bucket]!;
      if (key !== 0) visit(key, this.values[bucket]!);
    }
  }

  private home(id: number): number {
    // Ids are safe integers: fold the bits above 32 into the low word, then mix (Fibonacci hashing).
    const low = id >>> 0;
    const high = (id / TWO_POW_32) >>> 0;
    let hash = Math.imul(low ^ Math.imul(high, 0x27d4eb2d), 0x9e3779b1);
    hash ^= hash >>> 16;
    return hash & this.mask;
  }

  private rehash(buckets: number): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Float64Array(buckets);
    this.values = new Int32Array(buckets);
    this.mask = buckets - 1;
    this.size = 0;
    for (let bucket = 0; bucket < oldKeys.length; bucket++) {
      const key = oldKeys[bucket]!;
      if (key !== 0) this.add(key, oldValues[bucket]!);
    }
  }
}
