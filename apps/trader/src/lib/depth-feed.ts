// The I/O shell around OrderBookSync: subscribes `<symbol>@depth@100ms`, and every time the stream becomes live
// (first subscription, every reconnect) or the ids show a gap, it resets the book and fetches a fresh REST snapshot.
// Snapshot fetches are serialised (one in flight) and retried with the same backoff as the socket.
import { reconnectDelayMs } from './backoff';
import type { MarketStream } from './market-stream';
import { OrderBookSync, type DepthEvent, type DepthSnapshot } from './order-book';

export type DepthFeedStatus = 'syncing' | 'live';

export interface DepthFeedOptions {
  stream: Pick<MarketStream, 'subscribe'>;
  symbol: string;
  fetchSnapshot: (symbol: string) => Promise<DepthSnapshot>;
  /** Called after every change of the book or of the status (the view throttles its own rendering). */
  onChange: (book: OrderBookSync, status: DepthFeedStatus) => void;
  random?: () => number;
}

/** Levels asked of the REST snapshot: enough for every grouping a view offers. */
export const snapshotLevels = 1000;
/** Consecutive failed or stale snapshots before giving up until the stream next becomes live. */
export const snapshotAttemptsMax = 8;

export class DepthFeed {
  readonly book = new OrderBookSync();
  private status: DepthFeedStatus = 'syncing';
  /** Increases on every restart, so a snapshot answering an older restart is dropped. */
  private generation = 0;
  private fetching = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: () => void;
  private closed = false;
  /** Why the book was last resynced (for the view and for tests). */
  resyncs = 0;

  constructor(private readonly options: DepthFeedOptions) {
    this.unsubscribe = options.stream.subscribe<DepthEvent>(`${options.symbol.toLowerCase()}@depth@100ms`, {
      onSubscribed: () => this.restart(),
      onData: (event) => this.receive(event),
    });
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
  }

  private receive(event: DepthEvent): void {
    const result = this.book.applyEvent(event);
    switch (result.status) {
      case 'buffered':
      case 'ignored':
        return;
      case 'applied':
        this.emit();
        return;
      case 'stale-snapshot':
        return;
      case 'resync':
        this.resyncs++;
        this.restart();
        return;
    }
  }

  private restart(): void {
    this.book.reset();
    this.generation++;
    this.setStatus('syncing');
    this.fetch(1);
  }

  private fetch(attempt: number): void {
    if (this.closed || this.fetching) return;
    this.fetching = true;
    const generation = this.generation;
    const retry = () => {
      if (attempt >= snapshotAttemptsMax) return;
      const delayMs = reconnectDelayMs(attempt, this.options.random ?? Math.random);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.fetch(attempt + 1);
      }, delayMs);
    };
    this.options
      .fetchSnapshot(this.options.symbol)
      .then((snapshot) => {
        this.fetching = false;
        if (this.closed) return;
        // A restart happened meanwhile: its buffer began after this snapshot was asked for; ask again.
        if (generation !== this.generation) return this.fetch(1);
        const result = this.book.applySnapshot(snapshot);
        if (result.status === 'stale-snapshot') return retry();
        if (result.status === 'resync') {
          this.resyncs++;
          return this.restart();
        }
        this.setStatus('live');
      })
      .catch(() => {
        this.fetching = false;
        if (!this.closed) retry();
      });
  }

  private setStatus(status: DepthFeedStatus): void {
    this.status = status;
    this.emit();
  }

  private emit(): void {
    this.options.onChange(this.book, this.status);
  }
}
