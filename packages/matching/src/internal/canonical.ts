// The canonical form of a book's state, shared by both implementations: the snapshot record layout and the
// state hash over it. Both books produce the same snapshot for the same state, so equal hashes across the
// fast and naive books (and across a replay) prove equal state.
import { ORDER_RECORD_FIELDS, type BookSnapshot } from '../types.js';

export const ORDER_RECORD_LENGTH = ORDER_RECORD_FIELDS.length;

/** Offsets of each field in an order record. */
export const Field = {
  orderId: 0,
  ownerId: 1,
  side: 2,
  type: 3,
  timeInForce: 4,
  stpMode: 5,
  pendingTrigger: 6,
  priceTicks: 7,
  stopPriceTicks: 8,
  remainingLots: 9,
  filledLots: 10,
  quantityLotsCapRoom: 11,
  notionalCapRoom: 12,
  sequence: 13,
  ocoSiblingOrderId: 14,
} as const;

const TWO_POW_32 = 2 ** 32;

// Two independent 32-bit lanes in the style of MurmurHash3's block mix, finalized and concatenated: a
// deterministic 64-bit digest with no BigInt work per word (a state can hold millions of numbers).
class StateHasher {
  private laneA = 0x9747b28c;
  private laneB = 0x5bd1e995;
  private words = 0;

  addNumber(value: number): void {
    // Every field is a non-negative safe integer; hash it as two 32-bit words.
    this.addWord(value % TWO_POW_32);
    this.addWord(Math.floor(value / TWO_POW_32));
  }

  private addWord(word: number): void {
    let k = Math.imul(word | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let a = this.laneA ^ k;
    a = (a << 13) | (a >>> 19);
    this.laneA = (Math.imul(a, 5) + 0xe6546b64) | 0;
    let b = this.laneB ^ Math.imul(k, 0x85ebca6b);
    b = (b << 17) | (b >>> 15);
    this.laneB = (Math.imul(b, 9) + 0x52dce729) | 0;
    this.words += 1;
  }

  digest(): string {
    const finalize = (h: number, other: number): number => {
      h ^= this.words;
      h ^= other;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    };
    const a = finalize(this.laneA, 0);
    const b = finalize(this.laneB, a);
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }
}

export function hashSnapshot(snapshot: BookSnapshot): string {
  const hasher = new StateHasher();
  const rules = snapshot.rules;
  hasher.addNumber(rules.quantityLotsMin);
  hasher.addNumber(rules.quantityLotsMax);
  hasher.addNumber(rules.priceTicksMin);
  hasher.addNumber(rules.priceTicksMax);
  hasher.addNumber(rules.notionalMin);
  hasher.addNumber(rules.priceBandBps);
  hasher.addNumber(snapshot.lastTradePriceTicks);
  hasher.addNumber(snapshot.nextSequence);
  hasher.addNumber(snapshot.orders.length);
  for (const value of snapshot.orders) hasher.addNumber(value);
  return hasher.digest();
}
