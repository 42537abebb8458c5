// Proves the fast book's open-addressing id index behaves like a Map through growth and heavy deletion
// (backward-shift deletion is where such tables usually break). How: a seeded random mix of adds, deletes
// and lookups checked against a Map after every step, with ids chosen to collide.
import { describe, expect, it } from 'vitest';
import { IdIndex } from './id-index.js';
import { SeededRandom } from './testing.js';

describe('IdIndex', () => {
  it.each([1, 2, 3])('matches a Map on a random workload (seed %i)', (seed) => {
    const random = new SeededRandom(seed);
    const index = new IdIndex(8);
    const model = new Map<number, number>();
    const ids = Array.from({ length: 3000 }, (_, n) => (seed === 3 ? n * 1024 + 1 : random.between(1, 2 ** 53 - 1)));
    for (let step = 0; step < 20_000; step++) {
      const id = random.pick(ids);
      const where = `seed ${seed}, step ${step}, id ${id}`;
      if (random.chance(0.5) && !model.has(id)) {
        index.add(id, step);
        model.set(id, step);
      } else if (random.chance(0.5)) {
        expect(index.delete(id), where).toBe(model.delete(id));
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
    const index = new IdIndex();
    index.add(5, 1);
    for (const id of [0, -5, Number.NaN, 5.5]) {
      expect(index.get(id)).toBe(-1);
      expect(index.delete(id)).toBe(false);
    }
    expect(() => index.add(0, 1)).toThrow();
    expect(() => index.add(5, 2)).toThrow(/twice/);
  });
});
