// Proves the fast book's open-addressing id index behaves like a Map through growth and heavy deletion
// (backward-shift deletion is where such tables usually break), including ids above 2^32 that share their
// low 32 bits. How: a seeded random mix of adds, deletes and lookups checked against a Map after every step.
import { describe, expect, it } from 'vitest';
import { IdIndex } from './id-index.js';
import { SeededRandom } from './testing.js';

const SLOTS = 4096;

/** Ids to draw from: random safe integers, a stride that collides in the low bits, or equal low 32 bits. */
function idsFor(seed: number, random: SeededRandom): number[] {
  return Array.from({ length: 3000 }, (_, n) => {
    if (seed === 2) return n * 1024 + 1;
    if (seed === 3) return (n % 40) * 2 ** 32 + 7 + (n % 3);
    return random.between(1, 2 ** 53 - 1);
  });
}

describe('IdIndex', () => {
  it.each([1, 2, 3])('matches a Map on a random workload (seed %i)', (seed) => {
    const random = new SeededRandom(seed);
    const orderIdOfSlot = new Float64Array(SLOTS);
    const index = new IdIndex(orderIdOfSlot, 1, 8);
    const model = new Map<number, number>();
    const freeSlots = Array.from({ length: SLOTS }, (_, slot) => slot);
    const ids = idsFor(seed, random);
    for (let step = 0; step < 20_000; step++) {
      const id = random.pick(ids);
      const where = `seed ${seed}, step ${step}, id ${id}`;
      if (random.chance(0.5) && !model.has(id)) {
        const slot = freeSlots.pop() as number;
        orderIdOfSlot[slot] = id;
        index.add(id, slot);
        model.set(id, slot);
      } else if (random.chance(0.5)) {
        const slot = model.get(id);
        expect(index.delete(id), where).toBe(model.delete(id));
        if (slot !== undefined) freeSlots.push(slot);
      }
      expect(index.get(id), where).toBe(model.get(id) ?? -1);
      expect(index.size, where).toBe(model.size);
    }
    for (const [id, slot] of model) expect(index.get(id)).toBe(slot);
    let visited = 0;
    index.forEach((id, slot) => {
      expect(model.get(id)).toBe(slot);
      visited += 1;
    });
    expect(visited).toBe(model.size);
  });

  it('never finds ids that cannot exist', () => {
    const orderIdOfSlot = new Float64Array(4);
    const index = new IdIndex(orderIdOfSlot);
    orderIdOfSlot[1] = 5;
    index.add(5, 1);
    for (const id of [0, -5, Number.NaN, 5.5, 5 + 2 ** 32]) {
      expect(index.get(id)).toBe(-1);
      expect(index.delete(id)).toBe(false);
    }
    expect(() => index.add(0, 0)).toThrow();
    expect(() => index.add(5, 1)).toThrow(/twice/);
  });
});
