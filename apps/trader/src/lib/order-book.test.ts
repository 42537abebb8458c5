// Proves the local order book follows Binance's diff-depth procedure: events before the snapshot are buffered and
// the ones it already contains dropped; a snapshot older than the buffer is refused as stale; a gap in the U/u
// chain (before or after the snapshot) asks for a resync and empties the book; levels of "0" are removed; and a
// seeded random stream of changes applied through snapshot + diffs rebuilds the exact book the "server" holds.
import { describe, expect, it } from 'vitest';
import { OrderBookSync, depthBufferEventsMax, type DepthEvent } from './order-book';

const event = (U: number, u: number, b: [string, string][] = [], a: [string, string][] = []): DepthEvent => ({
  U,
  u,
  b,
  a,
});

describe('OrderBookSync', () => {
  it('buffers until the snapshot, drops what the snapshot holds and applies the rest in order', () => {
    const book = new OrderBookSync();
    expect(book.applyEvent(event(100, 101, [['10.00', '1']]))).toEqual({ status: 'buffered' });
    expect(book.applyEvent(event(102, 104, [['10.00', '2']], [['11.00', '3']]))).toEqual({ status: 'buffered' });
    expect(book.applyEvent(event(105, 105, [['9.50', '4']]))).toEqual({ status: 'buffered' });
    // The snapshot already includes everything through 103; the event 102..104 straddles it and applies.
    const result = book.applySnapshot({ lastUpdateId: 103, bids: [['10.00', '7']], asks: [['12.00', '1']] });
    expect(result).toEqual({ status: 'applied' });
    expect(book.updateId).toBe(105);
    expect(book.bidLevels().map((level) => [level.price, level.quantity])).toEqual([
      ['10.00', '2'],
      ['9.50', '4'],
    ]);
    expect(book.askLevels().map((level) => level.price)).toEqual(['11.00', '12.00']);
  });

  it('refuses a snapshot older than the first buffered event, keeping the buffer', () => {
    const book = new OrderBookSync();
    book.applyEvent(event(200, 201, [['1', '1']]));
    expect(book.applySnapshot({ lastUpdateId: 150, bids: [], asks: [] })).toEqual({ status: 'stale-snapshot' });
    expect(book.synced).toBe(false);
    expect(book.applySnapshot({ lastUpdateId: 199, bids: [], asks: [] })).toEqual({ status: 'applied' });
    expect(book.updateId).toBe(201);
  });

  it('syncs on a snapshot with an empty buffer and then checks the very next event', () => {
    const book = new OrderBookSync();
    book.applySnapshot({ lastUpdateId: 50, bids: [['5', '1']], asks: [] });
    expect(book.applyEvent(event(40, 50))).toEqual({ status: 'ignored' });
    expect(book.applyEvent(event(51, 52, [['5', '0']]))).toEqual({ status: 'applied' });
    expect(book.bidLevels()).toEqual([]);
  });

  it('asks for a resync and empties the book on a gap after the sync', () => {
    const book = new OrderBookSync();
    book.applySnapshot({ lastUpdateId: 10, bids: [['5', '1']], asks: [['6', '1']] });
    expect(book.applyEvent(event(11, 12))).toEqual({ status: 'applied' });
    expect(book.applyEvent(event(14, 15))).toEqual({ status: 'resync', reason: 'gap' });
    expect(book.synced).toBe(false);
    expect(book.bidLevels()).toEqual([]);
    // The next event starts a new buffer.
    expect(book.applyEvent(event(16, 16))).toEqual({ status: 'buffered' });
  });

  it('asks for a resync when buffered events do not chain, or the buffer overflows', () => {
    const gap = new OrderBookSync();
    gap.applyEvent(event(1, 2));
    expect(gap.applyEvent(event(4, 4))).toEqual({ status: 'resync', reason: 'gap' });
    const flood = new OrderBookSync();
    for (let i = 0; i < depthBufferEventsMax; i++) flood.applyEvent(event(i + 1, i + 1));
    expect(flood.applyEvent(event(depthBufferEventsMax + 1, depthBufferEventsMax + 1))).toEqual({
      status: 'resync',
      reason: 'buffer-overflow',
    });
  });

  it('asks for a resync when the snapshot is newer than the whole buffer and the stream then skips', () => {
    const book = new OrderBookSync();
    book.applyEvent(event(1, 1));
    expect(book.applySnapshot({ lastUpdateId: 5, bids: [], asks: [] })).toEqual({ status: 'applied' });
    expect(book.applyEvent(event(8, 9))).toEqual({ status: 'resync', reason: 'gap' });
  });

  it('rebuilds the server book exactly from a snapshot taken mid-stream (seeded)', () => {
    let seed = 0x5eed;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const server = { bids: new Map<string, string>(), asks: new Map<string, string>(), id: 1000 };
    const events: DepthEvent[] = [];
    let snapshot: { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] } | null = null;
    for (let step = 0; step < 400; step++) {
      const U = server.id + 1;
      const b: [string, string][] = [];
      const a: [string, string][] = [];
      for (let change = 0; change < 1 + Math.floor(random() * 4); change++) {
        const bid = random() < 0.5;
        const price = `${bid ? 100 - Math.floor(random() * 20) : 101 + Math.floor(random() * 20)}.00`;
        const quantity = random() < 0.3 ? '0' : `${1 + Math.floor(random() * 9)}.5`;
        const side = bid ? server.bids : server.asks;
        if (quantity === '0') side.delete(price);
        else side.set(price, quantity);
        (bid ? b : a).push([price, quantity]);
        server.id++;
      }
      events.push(event(U, server.id, b, a));
      if (step === 150) snapshot = { lastUpdateId: server.id, bids: [...server.bids], asks: [...server.asks] };
    }
    const book = new OrderBookSync();
    // The stream was subscribed at step 100; the snapshot answered at step 150, after 200 events were buffered.
    for (const item of events.slice(100, 200)) book.applyEvent(item);
    expect(book.applySnapshot(snapshot!).status).toBe('applied');
    for (const item of events.slice(200)) expect(book.applyEvent(item).status).toBe('applied');
    const sorted = (side: Map<string, string>, descending: boolean) =>
      [...side].sort(([x], [y]) => (descending ? Number(y) - Number(x) : Number(x) - Number(y)));
    expect(book.bidLevels().map((level) => [level.price, level.quantity])).toEqual(sorted(server.bids, true));
    expect(book.askLevels().map((level) => [level.price, level.quantity])).toEqual(sorted(server.asks, false));
    expect(book.updateId).toBe(server.id);
  });
});
