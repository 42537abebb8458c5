// The local order book, kept by Binance's documented diff-depth procedure
// (https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams#how-to-manage-a-local-order-book-correctly):
// buffer `<symbol>@depth@100ms` events from the moment the stream is subscribed, fetch a REST snapshot, drop the
// buffered events it already contains, then apply events only while their ids chain (U = previous u + 1). Any gap
// means an event was lost and the book can no longer be trusted: the caller starts again from a fresh snapshot.
// This module is pure (no sockets, no fetch, no timers); DepthFeed drives it.
import { units } from './decimal';

export interface DepthSnapshot {
  lastUpdateId: number;
  bids: [string, string][];
  asks: [string, string][];
}

export interface DepthEvent {
  /** First and last update ids the event covers. */
  U: number;
  u: number;
  b: [string, string][];
  a: [string, string][];
}

export interface BookLevel {
  price: string;
  quantity: string;
  priceUnits: bigint;
  quantityUnits: bigint;
}

/** What an event or snapshot did to the book; 'resync' means: reset and fetch a new snapshot. */
export type SyncResult =
  | { status: 'buffered' }
  | { status: 'applied' }
  | { status: 'ignored' }
  | { status: 'stale-snapshot' }
  | { status: 'resync'; reason: 'gap' | 'buffer-overflow' };

/** Events held while the snapshot is in flight; past this the stream is far ahead and we start over. */
export const depthBufferEventsMax = 2_000;

type Side = Map<string, BookLevel>;

export class OrderBookSync {
  private readonly bids: Side = new Map();
  private readonly asks: Side = new Map();
  private buffer: DepthEvent[] = [];
  private lastUpdateId: number | null = null;
  /** Bumped on every change, so a view can skip re-sorting an unchanged book. */
  version = 0;

  get synced(): boolean {
    return this.lastUpdateId !== null;
  }

  get updateId(): number | null {
    return this.lastUpdateId;
  }

  /** Forget everything: the next snapshot starts a new sync (after a gap, a reconnect or a resubscription). */
  reset(): void {
    this.bids.clear();
    this.asks.clear();
    this.buffer = [];
    this.lastUpdateId = null;
    this.version++;
  }

  applyEvent(event: DepthEvent): SyncResult {
    if (event.u < event.U) throw new Error(`depth event with u ${event.u} < U ${event.U}`);
    if (this.lastUpdateId === null) {
      if (this.buffer.length >= depthBufferEventsMax) {
        this.reset();
        return { status: 'resync', reason: 'buffer-overflow' };
      }
      const previous = this.buffer.at(-1);
      if (previous !== undefined && event.U !== previous.u + 1) {
        // The stream itself skipped ids before we even synced: start the buffer again from here.
        this.reset();
        return { status: 'resync', reason: 'gap' };
      }
      this.buffer.push(event);
      return { status: 'buffered' };
    }
    if (event.u <= this.lastUpdateId) return { status: 'ignored' };
    if (event.U > this.lastUpdateId + 1) {
      this.reset();
      return { status: 'resync', reason: 'gap' };
    }
    this.applyLevels(event);
    this.lastUpdateId = event.u;
    this.version++;
    return { status: 'applied' };
  }

  /**
   * A REST snapshot taken after the stream was subscribed. 'stale-snapshot': it is older than the first buffered
   * event (Binance: fetch it again, keep the buffer). 'resync': the buffer does not continue it.
   */
  applySnapshot(snapshot: DepthSnapshot): SyncResult {
    const first = this.buffer[0];
    if (first !== undefined && snapshot.lastUpdateId + 1 < first.U) return { status: 'stale-snapshot' };
    this.bids.clear();
    this.asks.clear();
    for (const [price, quantity] of snapshot.bids) setLevel(this.bids, price, quantity);
    for (const [price, quantity] of snapshot.asks) setLevel(this.asks, price, quantity);
    this.lastUpdateId = snapshot.lastUpdateId;
    this.version++;
    const buffered = this.buffer;
    this.buffer = [];
    for (const event of buffered) {
      const result = this.applyEvent(event);
      if (result.status === 'resync') return result;
    }
    return { status: 'applied' };
  }

  /** Bids best (highest) first. */
  bidLevels(): BookLevel[] {
    return [...this.bids.values()].sort((x, y) => compareDescending(x.priceUnits, y.priceUnits));
  }

  /** Asks best (lowest) first. */
  askLevels(): BookLevel[] {
    return [...this.asks.values()].sort((x, y) => compareDescending(y.priceUnits, x.priceUnits));
  }

  private applyLevels(event: DepthEvent): void {
    for (const [price, quantity] of event.b) setLevel(this.bids, price, quantity);
    for (const [price, quantity] of event.a) setLevel(this.asks, price, quantity);
  }
}

function setLevel(side: Side, price: string, quantity: string): void {
  const priceUnits = units(price);
  const quantityUnits = units(quantity);
  // Keyed by the exact value, so "1.50" and "1.5" are one level.
  const key = priceUnits.toString();
  if (quantityUnits === 0n) side.delete(key);
  else side.set(key, { price, quantity, priceUnits, quantityUnits });
}

function compareDescending(a: bigint, b: bigint): number {
  return a > b ? -1 : a < b ? 1 : 0;
}
