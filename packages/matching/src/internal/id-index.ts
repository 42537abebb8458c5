// Order id -> slot, for the fast book: open addressing with linear probing over one Int32Array of
// (low 32 bits of the id, slot + 1) pairs, 8 bytes a bucket, so a probe touches one cache line and the table
// stays small enough to live in cache. The full id is confirmed against the id the book keeps for the slot
// (ids above 2^32 differ from others in the high bits only). Compared with a Map it hashes no heap objects.
// A slot + 1 of zero marks an empty bucket; deletion shifts later entries back (no tombstones), so lookups
// never slow down as orders come and go.
import { assert } from './assert.js';

const INITIAL_BUCKETS = 1024;
const EMPTY = 0;

export class IdIndex {
  size = 0;
  /**
   * The largest id ever added (it never decreases). Callers hand out ids mostly in increasing order, so a new
   * order's duplicate check is usually answered by one comparison with this, with no probe and no cache miss.
   */
  private idMax = 0;
  /** entries[2 * bucket] = low 32 bits of the id, entries[2 * bucket + 1] = slot + 1 (0 = empty). */
  private entries: Int32Array<ArrayBuffer>;
  private mask: number;
  /** 32 - log2(bucket count): Fibonacci hashing keeps the top bits of the product. */
  private hashShift: number;
  /** The book's ids: slot s's id is at orderIds[s * stride]; replaced whenever the book grows its arrays. */
  private orderIds: Float64Array;
  private readonly stride: number;

  constructor(orderIds: Float64Array, stride = 1, buckets = INITIAL_BUCKETS) {
    assert(buckets >= 2 && (buckets & (buckets - 1)) === 0, 'IdIndex: bucket count must be a power of two');
    this.entries = new Int32Array(buckets * 2);
    this.mask = buckets - 1;
    this.hashShift = 32 - Math.log2(buckets);
    this.orderIds = orderIds;
    this.stride = stride;
  }

  /** The book grew its slot arrays: confirm ids against the new one. */
  useOrderIds(orderIds: Float64Array): void {
    this.orderIds = orderIds;
  }

  /** The slot of a live id, or -1 (also for zero, negative, fractional or NaN ids: they are never added). */
  get(id: number): number {
    if (id > this.idMax) return -1;
    const entries = this.entries;
    const mask = this.mask;
    const low = id | 0;
    let bucket = this.home(low);
    for (;;) {
      const slotPlusOne = entries[(bucket << 1) + 1]!;
      if (slotPlusOne === EMPTY) return -1;
      if (entries[bucket << 1] === low && this.orderIds[(slotPlusOne - 1) * this.stride] === id) return slotPlusOne - 1;
      bucket = (bucket + 1) & mask;
    }
  }

  has(id: number): boolean {
    return this.get(id) !== -1;
  }

  /** Adds an id that is not present; the book has already stored it as the slot's id. */
  add(id: number, slot: number): void {
    assert(id > 0 && Number.isSafeInteger(id), 'IdIndex: ids are positive safe integers');
    assert(this.orderIds[slot * this.stride] === id, 'IdIndex: the slot does not hold this id');
    // At most half full, so probe runs stay short.
    if ((this.size + 1) * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    const entries = this.entries;
    const mask = this.mask;
    const low = id | 0;
    let bucket = this.home(low);
    for (;;) {
      const slotPlusOne = entries[(bucket << 1) + 1]!;
      if (slotPlusOne === EMPTY) break;
      assert(
        entries[bucket << 1] !== low || this.orderIds[(slotPlusOne - 1) * this.stride] !== id,
        'IdIndex: id added twice',
      );
      bucket = (bucket + 1) & mask;
    }
    entries[bucket << 1] = low;
    entries[(bucket << 1) + 1] = slot + 1;
    this.size += 1;
    if (id > this.idMax) this.idMax = id;
  }

  /** Removes an id; returns whether it was present. */
  delete(id: number): boolean {
    const entries = this.entries;
    const mask = this.mask;
    const low = id | 0;
    let hole = this.home(low);
    for (;;) {
      const slotPlusOne = entries[(hole << 1) + 1]!;
      if (slotPlusOne === EMPTY) return false;
      if (entries[hole << 1] === low && this.orderIds[(slotPlusOne - 1) * this.stride] === id) break;
      hole = (hole + 1) & mask;
    }
    // Backward-shift deletion: move later entries of the probe run into the hole when their home bucket
    // allows it, so every entry stays reachable from its home without tombstones.
    let next = hole;
    for (;;) {
      next = (next + 1) & mask;
      const slotPlusOne = entries[(next << 1) + 1]!;
      if (slotPlusOne === EMPTY) break;
      const key = entries[next << 1]!;
      if (((next - this.home(key)) & mask) >= ((next - hole) & mask)) {
        entries[hole << 1] = key;
        entries[(hole << 1) + 1] = slotPlusOne;
        hole = next;
      }
    }
    entries[hole << 1] = 0;
    entries[(hole << 1) + 1] = EMPTY;
    this.size -= 1;
    return true;
  }

  forEach(visit: (id: number, slot: number) => void): void {
    for (let bucket = 0; bucket <= this.mask; bucket++) {
      const slotPlusOne = this.entries[(bucket << 1) + 1]!;
      if (slotPlusOne !== EMPTY) visit(this.orderIds[(slotPlusOne - 1) * this.stride]!, slotPlusOne - 1);
    }
  }

  private home(low: number): number {
    return Math.imul(low, 0x9e3779b1) >>> this.hashShift;
  }

  private rehash(buckets: number): void {
    const old = this.entries;
    this.entries = new Int32Array(buckets * 2);
    this.mask = buckets - 1;
    this.hashShift = 32 - Math.log2(buckets);
    const entries = this.entries;
    for (let index = 0; index < old.length; index += 2) {
      const slotPlusOne = old[index + 1]!;
      if (slotPlusOne === EMPTY) continue;
      const low = old[index]!;
      let bucket = this.home(low);
      while (entries[(bucket << 1) + 1] !== EMPTY) bucket = (bucket + 1) & this.mask;
      entries[bucket << 1] = low;
      entries[(bucket << 1) + 1] = slotPlusOne;
    }
  }
}
