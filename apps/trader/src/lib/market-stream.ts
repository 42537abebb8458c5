// One WebSocket per browser tab to the gateway's combined-stream endpoint (`/stream`), shared by every widget:
// widgets subscribe to stream names, the client batches SUBSCRIBE/UNSUBSCRIBE requests (the gateway accepts 10
// incoming messages a second per socket), reconnects with jittered backoff when the socket drops, and re-subscribes
// everything on the new socket. Each subscriber hears `onSubscribed` whenever its stream becomes live on a socket
// (first time and after every reconnect), which is where a stateful view (the order book, the chart) resyncs.
import { reconnectDelayMs } from './backoff';

/** The part of the browser's WebSocket this client uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}

export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'open' }
  | { status: 'reconnecting'; attempt: number; retryAtMs: number }
  | { status: 'closed' };

export interface StreamHandlers<T = unknown> {
  onData(data: T): void;
  /** The stream is live on a (new) socket: data from now on is continuous until the next call. */
  onSubscribed?(): void;
}

export interface MarketStreamOptions {
  /** ws:// or wss:// base of the gateway, without a path. */
  url: string;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  now?: () => number;
}

/** Wait this long to gather subscription changes into one request. */
export const subscribeBatchDelayMs = 50;
/** Most stream names in one SUBSCRIBE request. */
export const streamsPerRequestMax = 200;
const socketOpen = 1;

export class MarketStream {
  private readonly handlers = new Map<string, Set<StreamHandlers>>();
  /** Streams the current socket is subscribed to (or asked for). */
  private readonly live = new Set<string>();
  /** Request id -> the streams it subscribes, to tell their handlers when the gateway confirmed. */
  private readonly pending = new Map<number, string[]>();
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  private socket: SocketLike | null = null;
  private state: ConnectionState = { status: 'connecting' };
  private attempt = 0;
  private nextRequestId = 1;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly createSocket: (url: string) => SocketLike;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: MarketStreamOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.connect();
  }

  get connection(): ConnectionState {
    return this.state;
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  subscribe<T>(stream: string, handlers: StreamHandlers<T>): () => void {
    let set = this.handlers.get(stream);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(stream, set);
    }
    const entry = handlers as StreamHandlers;
    set.add(entry);
    // Already live: this subscriber joins a continuous stream now.
    if (this.live.has(stream) && !this.isPending(stream)) entry.onSubscribed?.();
    this.scheduleFlush();
    return () => {
      const current = this.handlers.get(stream);
      current?.delete(entry);
      if (current?.size === 0) this.handlers.delete(stream);
      this.scheduleFlush();
    };
  }

  /** Close for good (the page is leaving). */
  close(): void {
    this.stopped = true;
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = null;
    this.setState({ status: 'closed' });
  }

  /** Drop the socket and reconnect now (a view found the data inconsistent, or the tab came back online). */
  reconnectNow(): void {
    if (this.stopped) return;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.dropSocket();
    this.connect();
  }

  private connect(): void {
    const socket = this.createSocket(`${this.options.url.replace(/\/+$/, '')}/stream`);
    this.socket = socket;
    this.setState(this.attempt === 0 ? { status: 'connecting' } : this.state);
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.attempt = 0;
      this.live.clear();
      this.pending.clear();
      this.setState({ status: 'open' });
      this.flush();
    };
    socket.onmessage = (event) => {
      if (socket === this.socket) this.receive(event.data);
    };
    socket.onclose = () => {
      if (socket === this.socket) this.scheduleReconnect();
    };
    socket.onerror = () => {
      // A close event always follows an error; reconnecting happens there.
    };
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.live.clear();
    this.pending.clear();
    if (socket !== null) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close();
    }
  }

  private scheduleReconnect(): void {
    this.dropSocket();
    if (this.stopped) return;
    this.attempt++;
    const delayMs = reconnectDelayMs(this.attempt, this.random);
    this.setState({ status: 'reconnecting', attempt: this.attempt, retryAtMs: this.now() + delayMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delayMs);
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    if ('id' in message && typeof message.id === 'number') {
      this.confirm(message.id, 'error' in message);
      return;
    }
    if ('stream' in message && typeof message.stream === 'string' && 'data' in message) {
      for (const handler of this.handlers.get(message.stream) ?? []) handler.onData(message.data);
    }
  }

  private confirm(id: number, failed: boolean): void {
    const streams = this.pending.get(id);
    this.pending.delete(id);
    if (streams === undefined) return;
    for (const stream of streams) {
      if (failed) {
        this.live.delete(stream);
        continue;
      }
      for (const handler of this.handlers.get(stream) ?? []) handler.onSubscribed?.();
    }
  }

  private isPending(stream: string): boolean {
    for (const streams of this.pending.values()) if (streams.includes(stream)) return true;
    return false;
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null || this.stopped) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, subscribeBatchDelayMs);
  }

  /** Bring the socket's subscriptions in line with the wanted streams, in as few requests as possible. */
  private flush(): void {
    const socket = this.socket;
    if (socket === null || socket.readyState !== socketOpen) return;
    const wanted = [...this.handlers.keys()];
    const added = wanted.filter((stream) => !this.live.has(stream));
    const removed = [...this.live].filter((stream) => !this.handlers.has(stream));
    for (let i = 0; i < removed.length; i += streamsPerRequestMax) {
      const params = removed.slice(i, i + streamsPerRequestMax);
      for (const stream of params) this.live.delete(stream);
      socket.send(JSON.stringify({ method: 'UNSUBSCRIBE', params, id: this.nextRequestId++ }));
    }
    for (let i = 0; i < added.length; i += streamsPerRequestMax) {
      const params = added.slice(i, i + streamsPerRequestMax);
      const id = this.nextRequestId++;
      for (const stream of params) this.live.add(stream);
      this.pending.set(id, params);
      socket.send(JSON.stringify({ method: 'SUBSCRIBE', params, id }));
    }
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
