// Proves the depth semantics Binance clients (ccxt, Binance's "how to manage a local order book correctly")
// rely on, under seeded random streams of level changes applied batch by batch with the 100 ms tick between:
// - each diff stream (@depth@100ms, @depth) chains without gaps: U = previous u + 1, and u - U + 1 counts changes;
// - a REST snapshot taken at any moment, plus the buffered events applied per Binance's procedure, reproduces the
//   final book exactly (and the mirror equals a naive book);
// - when a stream loses and regains subscribers, events still chain for every continuous subscription;
// - partial depth streams are the top N levels and bookTicker follows the best levels with the current update id.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MarketFormat } from '../binance/format.js';
import { MarketData } from './market-data.js';
import { bookDeltaEvent, committedBatch, demoMarkets, testSeeds, withSeed, type TestCommand } from './testing.js';

interface DiffEvent {
  e: string;
  E: number;
  s: string;
  U: number;
  u: number;
  b: [string, string][];
  a: [string, string][];
}

interface Published {
  stream: string;
  payload: unknown;
}

let btc: MarketFormat;
beforeAll(async () => {
  btc = (await demoMarkets()).get('BTCUSDT')!;
});

/** A client's local book: price string -> quantity string per side. */
type LocalBook = { bids: Map<string, string>; asks: Map<string, string> };

const fromSnapshot = (snapshot: { bids: [string, string][]; asks: [string, string][] }): LocalBook => ({
  bids: new Map(snapshot.bids),
  asks: new Map(snapshot.asks),
});

const applyDiff = (book: LocalBook, event: DiffEvent): void => {
  for (const [side, levels] of [
    [book.bids, event.b],
    [book.asks, event.a],
  ] as const) {
    for (const [price, quantity] of levels) {
      if (Number(quantity) === 0) side.delete(price);
      else side.set(price, quantity);
    }
  }
};

/** Binance's procedure: drop events with u <= lastUpdateId; the first kept must straddle lastUpdateId + 1. */
function replay(
  snapshot: { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] },
  events: DiffEvent[],
) {
  const book = fromSnapshot(snapshot);
  let previousU: number | undefined;
  for (const event of events) {
    if (event.u <= snapshot.lastUpdateId) continue;
    if (previousU === undefined) {
      expect(event.U).toBeLessThanOrEqual(snapshot.lastUpdateId + 1);
      expect(event.u).toBeGreaterThanOrEqual(snapshot.lastUpdateId + 1);
    } else expect(event.U).toBe(previousU + 1);
    previousU = event.u;
    applyDiff(book, event);
  }
  return book;
}

const sortedLevels = (side: Map<string, string>, descending: boolean): [string, string][] =>
  [...side.entries()].sort((a, b) => (descending ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));

const expectChained = (events: DiffEvent[]): void => {
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    expect(event.e).toBe('depthUpdate');
    expect(event.s).toBe('BTCUSDT');
    expect(event.U).toBeLessThanOrEqual(event.u);
    expect(Object.keys(event).sort()).toEqual(['E', 'U', 'a', 'b', 's', 'u', 'e'].sort());
    if (index > 0) expect(event.U).toBe(events[index - 1]!.u + 1);
  }
};

describe('depth streams and snapshots', () => {
  for (const seed of testSeeds()) {
    it(`chain without gaps and rebuild the book from any snapshot (seed ${seed})`, () =>
      withSeed(seed, (random) => {
        let nowMs = 1_700_000_000_000;
        const published: Published[] = [];
        const subscribed = new Set([
          'btcusdt@depth@100ms',
          'btcusdt@depth',
          'btcusdt@depth5',
          'btcusdt@depth10@100ms',
          'btcusdt@bookTicker',
        ]);
        const market = new MarketData({
          markets: [btc],
          clock: () => nowMs,
          publish: (stream, payload) => published.push({ stream, payload }),
          hasSubscribers: (stream) => subscribed.has(stream),
          initialUpdateId: 1_000,
        });
        const naive = { BUY: new Map<number, number>(), SELL: new Map<number, number>() };
        // The engine's book at startup.
        for (let level = 0; level < 50; level++) {
          naive.BUY.set(100_000 - level * random.between(1, 3), random.between(1, 1_000));
          naive.SELL.set(100_100 + level * random.between(1, 3), random.between(1, 1_000));
        }
        const levelsOf = (side: Map<number, number>) =>
          [...side.entries()].map(([priceTicks, quantityLots]) => ({ priceTicks, quantityLots }));
        market.loadBook('BTCUSDT', levelsOf(naive.BUY), levelsOf(naive.SELL));

        const snapshots: ReturnType<MarketData['depth']>[] = [market.depth('BTCUSDT', 5_000)];
        let seq = 1;
        let nextTickMs = nowMs + 100;
        for (let batchIndex = 0; batchIndex < 1_500; batchIndex++) {
          const commands: TestCommand[] = [];
          for (let command = random.between(1, 4); command > 0; command--) {
            const events = [];
            for (let change = random.between(0, 6); change > 0; change--) {
              const side = random.chance(0.5) ? 'BUY' : 'SELL';
              const priceTicks = side === 'BUY' ? random.between(99_800, 100_050) : random.between(100_050, 100_300);
              const quantityLots = random.chance(0.35) ? 0 : random.between(1, 5_000);
              if (quantityLots === 0) naive[side].delete(priceTicks);
              else naive[side].set(priceTicks, quantityLots);
              events.push(bookDeltaEvent('BTCUSDT', seq, side, priceTicks, quantityLots));
            }
            commands.push({ seq: seq++, timeMs: nowMs, events });
          }
          const before = published.length;
          market.applyCommitted(committedBatch(commands));
          // bookTicker, when published for this batch, shows the naive best levels and the current update id.
          const last = published.length > before ? published[published.length - 1] : undefined;
          if (last !== undefined) {
            expect(last.stream).toBe('btcusdt@bookTicker');
            const bestBid = Math.max(...naive.BUY.keys());
            const bestAsk = Math.min(...naive.SELL.keys());
            expect(last.payload).toEqual({
              u: market.depth('BTCUSDT', 1).lastUpdateId,
              s: 'BTCUSDT',
              b: btc.price(bestBid),
              B: btc.quantity(naive.BUY.get(bestBid)!),
              a: btc.price(bestAsk),
              A: btc.quantity(naive.SELL.get(bestAsk)!),
            });
          }
          if (random.chance(0.05)) snapshots.push(market.depth('BTCUSDT', 5_000));
          nowMs += random.between(0, 60);
          while (nowMs >= nextTickMs) {
            const tickStart = published.length;
            market.tick(nextTickMs);
            for (const { stream, payload } of published.slice(tickStart)) {
              if (stream === 'btcusdt@depth5' || stream === 'btcusdt@depth10@100ms') {
                const levels = stream === 'btcusdt@depth5' ? 5 : 10;
                expect(payload).toEqual(market.depth('BTCUSDT', levels));
              }
            }
            nextTickMs += 100;
          }
        }
        // Flush both windows.
        market.tick(nowMs + 10_000);
        market.tick(nowMs + 20_000);

        const fast = published.filter((p) => p.stream === 'btcusdt@depth@100ms').map((p) => p.payload as DiffEvent);
        const slow = published.filter((p) => p.stream === 'btcusdt@depth').map((p) => p.payload as DiffEvent);
        expectChained(fast);
        expectChained(slow);
        expect(fast.length).toBeGreaterThan(slow.length);
        const finalId = market.depth('BTCUSDT', 1).lastUpdateId;
        expect(fast[fast.length - 1]!.u).toBe(finalId);
        expect(slow[slow.length - 1]!.u).toBe(finalId);

        // The mirror equals the naive book, and every snapshot + diffs rebuilds it.
        const expected = {
          bids: [...naive.BUY.entries()].sort((a, b) => b[0] - a[0]).map(([p, q]) => [btc.price(p), btc.quantity(q)]),
          asks: [...naive.SELL.entries()].sort((a, b) => a[0] - b[0]).map(([p, q]) => [btc.price(p), btc.quantity(q)]),
        };
        const final = market.depth('BTCUSDT', 5_000);
        expect({ bids: final.bids, asks: final.asks }).toEqual(expected);
        for (const snapshot of snapshots) {
          for (const events of [fast, slow]) {
            const rebuilt = replay(snapshot, events);
            expect({ bids: sortedLevels(rebuilt.bids, true), asks: sortedLevels(rebuilt.asks, false) }).toEqual(
              expected,
            );
          }
        }
      }));

    it(`chains within every continuous subscription when subscribers come and go (seed ${seed})`, () =>
      withSeed(seed, (random) => {
        let nowMs = 1_700_000_000_000;
        const published: Published[] = [];
        const subscribed = new Set<string>();
        const market = new MarketData({
          markets: [btc],
          clock: () => nowMs,
          publish: (stream, payload) => published.push({ stream, payload }),
          hasSubscribers: (stream) => subscribed.has(stream),
        });
        /** Events of each continuous subscription to the fast stream. */
        const periods: DiffEvent[][] = [];
        let seq = 1;
        for (let batchIndex = 0; batchIndex < 2_000; batchIndex++) {
          if (random.chance(0.02)) {
            if (subscribed.delete('btcusdt@depth@100ms')) periods.push([]);
            else {
              subscribed.add('btcusdt@depth@100ms');
              periods.push([]);
            }
          }
          const events = [];
          for (let change = random.between(1, 4); change > 0; change--) {
            const side = random.chance(0.5) ? 'BUY' : 'SELL';
            events.push(bookDeltaEvent('BTCUSDT', seq, side, random.between(1_000, 1_100), random.between(0, 9)));
          }
          market.applyCommitted(committedBatch([{ seq: seq++, timeMs: nowMs, events }]));
          nowMs += 40;
          if (batchIndex % 3 === 0) {
            const before = published.length;
            market.tick(nowMs);
            const current = periods[periods.length - 1];
            for (const { stream, payload } of published.slice(before)) {
              if (stream === 'btcusdt@depth@100ms' && subscribed.has(stream)) current?.push(payload as DiffEvent);
            }
          }
        }
        const nonEmpty = periods.filter((events) => events.length > 1);
        expect(nonEmpty.length).toBeGreaterThan(0);
        for (const events of periods) expectChained(events);
      }));
  }

  it('answers REST depth with the limit clamped to 5000 and Binance weights', async () => {
    const market = new MarketData({ markets: [btc], clock: () => 0, publish: () => {}, initialUpdateId: 7 });
    market.loadBook(
      'BTCUSDT',
      [
        { priceTicks: 100, quantityLots: 5 },
        { priceTicks: 99, quantityLots: 1 },
      ],
      [{ priceTicks: 101, quantityLots: 100_000 }],
    );
    const depth = market.endpoints().find((endpoint) => endpoint.path === '/api/v3/depth')!;
    const response = await depth.handler({
      method: 'GET',
      path: '/api/v3/depth',
      params: new Map([
        ['symbol', 'BTCUSDT'],
        ['limit', '1'],
      ]),
      ip: '',
      headers: new Map(),
      receivedAtMs: 0,
    });
    expect(response.body).toEqual({
      lastUpdateId: 8,
      bids: [['1.00000000', '0.00005000']],
      asks: [['1.01000000', '1.00000000']],
    });
    const weight = (limit?: number) =>
      depth.weight(new Map<string, string>(limit === undefined ? [] : [['limit', String(limit)]]));
    expect([
      weight(),
      weight(1),
      weight(100),
      weight(101),
      weight(500),
      weight(501),
      weight(1000),
      weight(1001),
      weight(5000),
      weight(9999),
    ]).toEqual([5, 5, 5, 25, 25, 50, 50, 250, 250, 250]);
  });
});
