// Proves the depth feed drives the local book through the whole cycle against a fake stream and REST: it fetches
// a snapshot only once the subscription is confirmed, goes live, refetches on a stale snapshot, resyncs from a new
// snapshot on a gap in the ids and after every resubscription (a reconnect), and ignores a snapshot that answers
// an older restart.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DepthFeed, type DepthFeedStatus } from './depth-feed';
import type { DepthEvent, DepthSnapshot } from './order-book';
import type { StreamHandlers } from './market-stream';

const event = (U: number, u: number, bid: string): DepthEvent => ({ U, u, b: [[bid, '1']], a: [] });

describe('DepthFeed', () => {
  let handlers: StreamHandlers<DepthEvent>;
  let snapshots: ((snapshot: DepthSnapshot) => void)[];
  let statuses: DepthFeedStatus[];
  let feed: DepthFeed;
  beforeEach(() => {
    vi.useFakeTimers();
    snapshots = [];
    statuses = [];
    feed = new DepthFeed({
      symbol: 'BTCUSDT',
      stream: {
        subscribe: <T>(name: string, given: StreamHandlers<T>) => {
          expect(name).toBe('btcusdt@depth@100ms');
          handlers = given as unknown as StreamHandlers<DepthEvent>;
          return () => {};
        },
      },
      fetchSnapshot: () => new Promise((resolve) => snapshots.push(resolve)),
      onChange: (_book, status) => statuses.push(status),
      random: () => 0,
    });
  });
  afterEach(() => {
    feed.close();
    vi.useRealTimers();
  });

  it('snapshots after the subscription is live, then applies events in order', async () => {
    expect(snapshots).toHaveLength(0);
    handlers.onSubscribed!();
    handlers.onData(event(11, 12, '1'));
    expect(snapshots).toHaveLength(1);
    snapshots[0]!({ lastUpdateId: 11, bids: [['2', '1']], asks: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)).toBe('live');
    handlers.onData(event(13, 13, '3'));
    expect(feed.book.bidLevels().map((level) => level.price)).toEqual(['3', '2', '1']);
  });

  it('fetches again when the snapshot is older than the buffered events', async () => {
    handlers.onSubscribed!();
    handlers.onData(event(50, 50, '1'));
    snapshots[0]!({ lastUpdateId: 10, bids: [], asks: [] });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(snapshots).toHaveLength(2);
    snapshots[1]!({ lastUpdateId: 49, bids: [], asks: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)).toBe('live');
    expect(feed.book.updateId).toBe(50);
  });

  it('resyncs from a new snapshot on a gap and on resubscription', async () => {
    handlers.onSubscribed!();
    snapshots[0]!({ lastUpdateId: 5, bids: [['1', '1']], asks: [] });
    await vi.advanceTimersByTimeAsync(0);
    handlers.onData(event(9, 9, '2'));
    expect(feed.resyncs).toBe(1);
    expect(statuses.at(-1)).toBe('syncing');
    expect(feed.book.bidLevels()).toEqual([]);
    expect(snapshots).toHaveLength(2);
    snapshots[1]!({ lastUpdateId: 9, bids: [['2', '1']], asks: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)).toBe('live');
    // A reconnect: the stream is live again on a new socket and the book starts over.
    handlers.onSubscribed!();
    expect(feed.book.synced).toBe(false);
    expect(snapshots).toHaveLength(3);
  });

  it('drops a snapshot that answers an older restart and asks again', async () => {
    handlers.onSubscribed!();
    handlers.onSubscribed!();
    expect(snapshots).toHaveLength(1);
    snapshots[0]!({ lastUpdateId: 1, bids: [], asks: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.book.synced).toBe(false);
    expect(snapshots).toHaveLength(2);
  });
});
