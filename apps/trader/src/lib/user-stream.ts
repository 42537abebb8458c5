// The signed-in user's live account: a listenKey from POST /api/v3/userDataStream (the session cookie
// authenticates it), the socket at /ws/<listenKey>, a keepalive PUT every 30 minutes, and on every (re)connect a
// resync from REST so nothing is missed while the socket was down: the account, every open order, and the recent
// orders and trades of the markets in view. Events that arrive while the resync reads are held back and handed
// on after the snapshot (the state's merges are monotonic, so an event the snapshot already contains is harmless).
// A dropped socket or a failed read reconnects with jittered backoff; a refused session stops everything until the
// user logs in again. Nothing polls: the keepalive is the protocol's, everything else is events.
//
// Balances need one more step: an outboundAccountPosition that arrived while the account was being read, with a
// time not after the read's, may or may not be in it. Then the account is read again (at most
// resyncAccountReadsMax times), because an event that arrived before a read was sent is certainly in it.
import { reconnectDelayMs } from './backoff';
import type { SocketLike } from './market-stream';
import { PrivateRestError, type PrivateRest } from './private-rest';
import type { AccountPosition, AccountSnapshot, ResyncSnapshot, UserDataEvent } from './trading-state';

export type UserStreamStatus =
  | { status: 'connecting' }
  | { status: 'live' }
  | { status: 'reconnecting'; attempt: number; retryAtMs: number; reason: string }
  /** The session was refused: stopped until the user logs in again. */
  | { status: 'expired' }
  | { status: 'closed' };

/** What a resync reads besides the account. */
export interface ResyncScope {
  /** Every open order (the trade page); the wallet needs only balances. */
  openOrders: boolean;
  /** Markets whose recent orders and trades are read. */
  historySymbols: readonly string[];
}

export interface UserStreamListener {
  /** A resync begins: what the state holds from now on is at least as new as the snapshot that follows. */
  onResyncStart(): void;
  onSnapshot(snapshot: Omit<ResyncSnapshot, 'startedAtVersion'>): void;
  onEvent(event: UserDataEvent): void;
  onStatus(status: UserStreamStatus): void;
}

export interface UserStreamOptions {
  rest: Pick<
    PrivateRest,
    'account' | 'openOrders' | 'allOrders' | 'myTrades' | 'createListenKey' | 'keepAliveListenKey'
  >;
  /** ws:// or wss:// base of the gateway, without a path. */
  wsUrl: string;
  scope: ResyncScope;
  listener: UserStreamListener;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  now?: () => number;
}

/** Binance closes a listenKey 60 minutes after the last keepalive and advises one every 30. */
export const keepAliveIntervalMs = 30 * 60_000;
/** Account reads per resync when balance events keep racing the read. */
export const resyncAccountReadsMax = 3;
/** Events held back during one resync; beyond this the resync starts over (a flood means the snapshot is stale). */
export const heldEventsMax = 10_000;
const socketOpen = 1;

export class UserStream {
  private socket: SocketLike | null = null;
  private listenKey: string | null = null;
  private state: UserStreamStatus = { status: 'connecting' };
  private attempt = 0;
  /** Bumped on every new connection and on close: async work of an older generation is dropped. */
  private generation = 0;
  /** Events held back while a resync reads; null when live. */
  private held: UserDataEvent[] | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private keepAliveTimer: ReturnType<typeof setInterval> | null = null;
  private scope: ResyncScope;
  private readonly createSocket: (url: string) => SocketLike;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: UserStreamOptions) {
    this.scope = options.scope;
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    void this.connect();
  }

  get status(): UserStreamStatus {
    return this.state;
  }

  /** Changes what resyncs read; markets new to the history are read at once when live. */
  setScope(scope: ResyncScope): void {
    const added = scope.historySymbols.filter((symbol) => !this.scope.historySymbols.includes(symbol));
    this.scope = scope;
    if (added.length === 0 || this.state.status !== 'live') return;
    const generation = this.generation;
    this.readHistory(added).then(
      (history) => {
        if (generation === this.generation) this.options.listener.onSnapshot(history);
      },
      (error: unknown) => {
        if (generation === this.generation) this.fail(error);
      },
    );
  }

  /** Drop the socket and connect again now (the browser came back online, or the user asked). */
  reconnectNow(): void {
    if (this.state.status === 'closed') return;
    this.attempt = 0;
    this.reset();
    void this.connect();
  }

  close(): void {
    this.reset();
    this.setStatus({ status: 'closed' });
  }

  private reset(): void {
    this.generation++;
    this.held = null;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.keepAliveTimer !== null) clearInterval(this.keepAliveTimer);
    this.retryTimer = null;
    this.keepAliveTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close();
    }
  }

  private async connect(): Promise<void> {
    const generation = this.generation;
    if (this.attempt === 0) this.setStatus({ status: 'connecting' });
    let listenKey: string;
    try {
      // Binance hands out the user's current key again (extending it), so every tab shares one.
      listenKey = await this.options.rest.createListenKey();
    } catch (error) {
      if (generation === this.generation) this.fail(error);
      return;
    }
    if (generation !== this.generation) return;
    this.listenKey = listenKey;
    const socket = this.createSocket(`${this.options.wsUrl.replace(/\/+$/, '')}/ws/${listenKey}`);
    this.socket = socket;
    socket.onopen = () => {
      if (generation !== this.generation) return;
      this.startKeepAlive(generation);
      void this.resync(generation);
    };
    socket.onmessage = (message) => {
      if (generation === this.generation) this.receive(message.data);
    };
    socket.onclose = () => {
      if (generation === this.generation) this.scheduleReconnect('the live connection was lost');
    };
    socket.onerror = () => {
      // A close event follows; reconnecting happens there.
    };
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let event: UserDataEvent;
    try {
      event = JSON.parse(raw) as UserDataEvent;
    } catch {
      return;
    }
    if (typeof event !== 'object' || event === null || typeof event.e !== 'string') return;
    if (event.e === 'listenKeyExpired') {
      // The key lapsed (a keepalive was missed, e.g. a sleeping laptop): start over with a fresh one.
      this.reconnectNow();
      return;
    }
    if (this.held !== null) {
      this.held.push(event);
      if (this.held.length > heldEventsMax) this.reconnectNow();
      return;
    }
    this.options.listener.onEvent(event);
  }

  private async resync(generation: number): Promise<void> {
    this.held = [];
    this.options.listener.onResyncStart();
    const scope = this.scope;
    try {
      const [account, openOrders, history] = await Promise.all([
        this.readAccount(generation),
        scope.openOrders ? this.options.rest.openOrders() : Promise.resolve(undefined),
        this.readHistory(scope.historySymbols),
      ]);
      if (generation !== this.generation || account === null) return;
      const held = this.held ?? [];
      this.held = null;
      this.options.listener.onSnapshot({
        account,
        ...(openOrders === undefined ? {} : { openOrders }),
        ...history,
      });
      for (const event of held) this.options.listener.onEvent(event);
      this.attempt = 0;
      if (this.socket?.readyState === socketOpen) this.setStatus({ status: 'live' });
      // Markets added to the scope while this resync read.
      const missed = this.scope.historySymbols.filter((symbol) => !scope.historySymbols.includes(symbol));
      if (missed.length > 0) {
        const more = await this.readHistory(missed);
        if (generation === this.generation) this.options.listener.onSnapshot(more);
      }
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
  }

  /** Reads the account until no balance event that arrived during the read could be missing from it. */
  private async readAccount(generation: number): Promise<AccountSnapshot | null> {
    let account: AccountSnapshot | null = null;
    for (let read = 0; read < resyncAccountReadsMax; read++) {
      const heldBefore = this.held?.length ?? 0;
      account = await this.options.rest.account();
      if (generation !== this.generation) return null;
      const during = (this.held ?? []).slice(heldBefore);
      const updateTime = account.updateTime;
      const racing = during.some(
        (event) => event.e === 'outboundAccountPosition' && (event as AccountPosition).u <= updateTime,
      );
      if (!racing) break;
    }
    return account;
  }

  private async readHistory(symbols: readonly string[]): Promise<Pick<ResyncSnapshot, 'orders' | 'trades'>> {
    if (symbols.length === 0) return {};
    const reads = await Promise.all(
      symbols.map((symbol) => Promise.all([this.options.rest.allOrders(symbol), this.options.rest.myTrades(symbol)])),
    );
    return { orders: reads.flatMap(([orders]) => orders), trades: reads.flatMap(([, trades]) => trades) };
  }

  private startKeepAlive(generation: number): void {
    if (this.keepAliveTimer !== null) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = setInterval(() => {
      const listenKey = this.listenKey;
      if (listenKey === null) return;
      this.options.rest.keepAliveListenKey(listenKey).catch((error: unknown) => {
        if (generation !== this.generation) return;
        // -1125: the key is gone (the gateway restarted): a new one, and a resync.
        if (error instanceof PrivateRestError && (error.kind === 'session' || error.code === -1125)) this.fail(error);
        // Otherwise the network is down, and the socket's close reconnects.
      });
    }, keepAliveIntervalMs);
  }

  private fail(error: unknown): void {
    if (error instanceof PrivateRestError && error.kind === 'session') {
      this.reset();
      this.setStatus({ status: 'expired' });
      return;
    }
    const reason =
      error instanceof PrivateRestError ? error.message : error instanceof Error ? error.message : String(error);
    this.scheduleReconnect(reason);
  }

  private scheduleReconnect(reason: string): void {
    this.reset();
    if (this.state.status === 'closed' || this.state.status === 'expired') return;
    this.attempt++;
    const delayMs = reconnectDelayMs(this.attempt, this.random);
    this.setStatus({ status: 'reconnecting', attempt: this.attempt, retryAtMs: this.now() + delayMs, reason });
    const generation = this.generation;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (generation === this.generation) void this.connect();
    }, delayMs);
  }

  private setStatus(state: UserStreamStatus): void {
    this.state = state;
    this.options.listener.onStatus(state);
  }
}
