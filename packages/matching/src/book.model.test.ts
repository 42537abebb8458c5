// Proves the fast book behaves exactly like the naive reference book, and that snapshots capture the whole
// state. How: seeded random streams of every command kind (CommandGenerator) go to both books; after every
// command the two event streams must be identical, both books must pass validateInternalState(), and their
// state hashes must agree. A second run snapshots mid-stream, restores into the other implementation, and
// must continue exactly like a run that never snapshotted. Failures name the seed and the command index.
import { describe, expect, it } from 'vitest';
import { createOrderBook, restoreOrderBook } from './book.js';
import { EventCollector } from './events.js';
import { CommandGenerator, SeededRandom, describeEvent, randomRules } from './internal/testing.js';
import { RejectReason, type BookImplementation, type Command, type MarketRules, type OrderBook } from './types.js';

const SEEDS = Array.from({ length: 24 }, (_, index) => index + 1);
const COMMANDS_PER_SEED = 1500;

function streamFor(seed: number): { rules: Partial<MarketRules>; commands: Command[] } {
  const random = new SeededRandom(seed);
  const rules = randomRules(random);
  // Every third seed spreads orders over hundreds of ticks (many levels, emptied deep in the book); every
  // fourth starts its ids just below 2^32.
  const generator = new CommandGenerator(random, {
    spreadTicks: seed % 3 === 0 ? 300 : 6,
    firstOrderId: seed % 4 === 0 ? 2 ** 32 - 300 : 1,
  });
  return { rules, commands: Array.from({ length: COMMANDS_PER_SEED }, () => generator.next()) };
}

function run(book: OrderBook, command: Command): string[] {
  const collector = new EventCollector();
  book.apply(command, collector);
  return collector.events.map(describeEvent);
}

describe('fast book vs naive book on random command streams', () => {
  it.each(SEEDS)('seed %i: identical events, state hashes and valid state after every command', (seed) => {
    const { rules, commands } = streamFor(seed);
    const fast = createOrderBook({ implementation: 'fast', rules });
    const naive = createOrderBook({ implementation: 'naive', rules });
    let trades = 0;
    commands.forEach((command, index) => {
      const where = `seed ${seed}, command #${index}: ${JSON.stringify(command)}`;
      const fastEvents = run(fast, command);
      const naiveEvents = run(naive, command);
      expect(fastEvents, where).toEqual(naiveEvents);
      trades += fastEvents.filter((event) => event.startsWith('trade')).length;
      expect(() => fast.validateInternalState(), where).not.toThrow();
      expect(() => naive.validateInternalState(), where).not.toThrow();
      expect(fast.stateHash(), where).toBe(naive.stateHash());
      expect(fast.bestBidTicks(), where).toBe(naive.bestBidTicks());
      expect(fast.bestAskTicks(), where).toBe(naive.bestAskTicks());
    });
    expect(fast.snapshot(), `seed ${seed}`).toEqual(naive.snapshot());
    expect(fast.counts(), `seed ${seed}`).toEqual(naive.counts());
    expect(fast.depth(0, 50), `seed ${seed}`).toEqual(naive.depth(0, 50));
    expect(fast.depth(1, 50), `seed ${seed}`).toEqual(naive.depth(1, 50));
    // A stream that never trades would prove little.
    expect(trades, `seed ${seed}`).toBeGreaterThan(50);
  });

  it('many levels emptied deep in the book (ladder compaction) keep the books identical', () => {
    const fast = createOrderBook({ implementation: 'fast' });
    const naive = createOrderBook({ implementation: 'naive' });
    const limit = (orderId: number, side: 0 | 1, priceTicks: number): Command => ({
      kind: 'place',
      orderId,
      ownerId: 1,
      side,
      type: 1,
      priceTicks,
      quantityLots: 2,
    });
    const commands: Command[] = [];
    for (let index = 0; index < 400; index++) commands.push(limit(index + 1, 0, 1000 - index));
    // Cancel most levels below the best, scattered, which leaves hundreds of emptied levels and compacts.
    for (let index = 399; index >= 3; index--)
      if (index % 7 !== 0) commands.push({ kind: 'cancel', orderId: index + 1 });
    // Reuse some emptied prices, then sweep the whole side.
    for (let index = 0; index < 50; index++) commands.push(limit(1000 + index, 0, 990 - index * 3));
    commands.push({ kind: 'place', orderId: 5000, ownerId: 2, side: 1, type: 2, quantityLots: 10_000 });
    commands.forEach((command, index) => {
      const where = `command #${index}`;
      expect(run(fast, command), where).toEqual(run(naive, command));
      fast.validateInternalState();
      naive.validateInternalState();
      expect(fast.counts(), where).toEqual(naive.counts());
      expect(fast.depth(0, 20), where).toEqual(naive.depth(0, 20));
    });
    expect(fast.bestBidTicks()).toBeNull();
  });

  it('the streams exercise every event kind and most reasons', () => {
    const seen = new Set<string>();
    for (const seed of SEEDS.slice(0, 8)) {
      const { rules, commands } = streamFor(seed);
      const book = createOrderBook({ rules });
      for (const command of commands) {
        for (const event of run(book, command))
          seen.add(
            event
              .split(' ')
              .slice(0, event.startsWith('done') || event.startsWith('rejected') ? 3 : 1)
              .filter((word, index) => index !== 1)
              .join(' '),
          );
      }
    }
    for (const expected of [
      'accepted',
      'trade',
      'triggered',
      'amended',
      'delta',
      'done FILLED',
      'done CANCELLED',
      'done EXPIRED',
      'done FOK_NOT_FILLABLE',
      'done STP',
      'done OCO',
      'done CAP',
      'rejected POST_ONLY_WOULD_TRADE',
      'rejected DUPLICATE_ID',
      'rejected UNKNOWN_ORDER',
      'rejected ORDER_NOT_AMENDABLE',
      'rejected STOP_WOULD_TRIGGER',
      'rejected OCO_INVALID',
      'rejected INVALID_ORDER',
    ]) {
      expect(seen, expected).toContain(expected);
    }
  });
});

describe('snapshot and restore', () => {
  const pairs: [BookImplementation, BookImplementation][] = [
    ['fast', 'fast'],
    ['fast', 'naive'],
    ['naive', 'fast'],
    ['naive', 'naive'],
  ];

  it.each(SEEDS.slice(0, 8))('seed %i: restore then continue equals never snapshotting', (seed) => {
    const { rules, commands } = streamFor(seed);
    for (const [from, to] of pairs) {
      const reference = createOrderBook({ implementation: 'fast', rules });
      let book = createOrderBook({ implementation: from, rules });
      const snapshotEvery = 97 + seed;
      commands.forEach((command, index) => {
        const where = `seed ${seed}, ${from} -> ${to}, command #${index}`;
        if (index % snapshotEvery === 0) {
          // Through JSON, as it would be stored.
          const stored = JSON.parse(JSON.stringify(book.snapshot()));
          book = restoreOrderBook(stored, to);
          expect(book.stateHash(), where).toBe(reference.stateHash());
        }
        expect(run(book, command), where).toEqual(run(reference, command));
      });
      expect(book.stateHash(), `seed ${seed}`).toBe(reference.stateHash());
    }
  });

  it('restore rejects a snapshot with a broken invariant', () => {
    const book = createOrderBook();
    const collector = new EventCollector();
    book.apply(
      { kind: 'place', orderId: 1, ownerId: 1, side: 0, type: 1, priceTicks: 100, quantityLots: 5 },
      collector,
    );
    book.apply(
      { kind: 'place', orderId: 2, ownerId: 1, side: 1, type: 1, priceTicks: 101, quantityLots: 5 },
      collector,
    );
    const snapshot = book.snapshot();
    for (const implementation of ['fast', 'naive'] as const) {
      // A bid above the ask: a crossed book can never be at rest.
      const crossed = { ...snapshot, orders: [...snapshot.orders] };
      crossed.orders[7] = 102;
      expect(() => restoreOrderBook(crossed, implementation)).toThrow(/crossed/);
      const duplicated = { ...snapshot, orders: [...snapshot.orders, ...snapshot.orders.slice(0, 15)] };
      expect(() => restoreOrderBook(duplicated, implementation)).toThrow(/duplicate/);
      expect(() => restoreOrderBook({ ...snapshot, orders: [1, 2, 3] }, implementation)).toThrow(/length/);
    }
  });

  it('restoring with new rules keeps orders placed under the old ones', () => {
    for (const implementation of ['fast', 'naive'] as const) {
      const book = createOrderBook({ implementation });
      const collector = new EventCollector();
      book.apply(
        { kind: 'place', orderId: 1, ownerId: 1, side: 1, type: 1, priceTicks: 500, quantityLots: 1 },
        collector,
      );
      const rules = { ...book.rules(), priceTicksMax: 200, quantityLotsMin: 5 };
      book.restore({ ...book.snapshot(), rules });
      expect(book.order(1)?.priceTicks).toBe(500);
      expect(book.rules().priceTicksMax).toBe(200);
      book.apply(
        { kind: 'place', orderId: 2, ownerId: 1, side: 1, type: 1, priceTicks: 300, quantityLots: 5 },
        collector,
      );
      expect(collector.events.at(-1)).toEqual({ type: 'rejected', orderId: 2, reason: RejectReason.PRICE_ABOVE_MAX });
    }
  });

  it('the state hash differs when the state differs and is stable across replays', () => {
    const hashes = SEEDS.slice(0, 6).map((seed) => {
      const { rules, commands } = streamFor(seed);
      const first = createOrderBook({ rules });
      const second = createOrderBook({ rules });
      for (const command of commands) {
        first.apply(command, new EventCollector());
        second.apply(command, new EventCollector());
      }
      expect(first.stateHash()).toBe(second.stateHash());
      expect(first.stateHash()).toMatch(/^[0-9a-f]{16}$/);
      return first.stateHash();
    });
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});
