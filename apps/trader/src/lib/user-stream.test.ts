// Proves the user data stream client: it takes a listenKey with the session, opens /ws/<listenKey>, and on every
// (re)connect reads the account, the open orders and the history of the markets in scope before it hands on
// events, holding back (in order) the ones that arrive meanwhile; it reads the account again when a balance event
// raced the read; a dropped socket or failed read reconnects after the jittered backoff (seeded) and resyncs; a
// refused session stops it for good; the keepalive runs every 30 minutes and a lost key (-1125, listenKeyExpired)
// means a fresh key and a resync; and after close() nothing more happens.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reconnectDelayMs } from './backoff';
import type { SocketLike } from './market-stream';
import { PrivateRestError } from './private-rest';
import type { AccountSnapshot, OrderRecord, TradeRecord, UserDataEvent } from './trading-state';
import {
  keepAliveIntervalMs,
  resyncAccountReadsMax,
  UserStream,
  type UserStreamListener,
  type UserStreamStatus,
} from './user-stream';

class FakeSocket implements SocketLike {
  readyState = 0;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  constructor(readonly url: string) {}
  send() {}
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  push(event: unknown) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
}

/** A promise the test settles when it wants, to interleave replies and events. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** mulberry32, seeded. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class FakeRest {
  calls: string[] = [];
  keys = 0;
  accounts: ReturnType<typeof deferred<AccountSnapshot>>[] = [];
  openOrderReads: ReturnType<typeof deferred<OrderRecord[]>>[] = [];
  keyReply: () => Promise<string> = async () => `key${++this.keys}`;
  keepAliveReply: () => Promise<void> = async () => {};

  createListenKey = () => {
    this.calls.push('POST userDataStream');
    return this.keyReply();
  };
  keepAliveListenKey = (listenKey: string) => {
    this.calls.push(`PUT userDataStream ${listenKey}`);
    return this.keepAliveReply();
  };
  account = () => {
    this.calls.push('GET account');
    const reply = deferred<AccountSnapshot>();
    this.accounts.push(reply);
    return reply.promise;
  };
  openOrders = () => {
    this.calls.push('GET openOrders');
    const reply = deferred<OrderRecord[]>();
    this.openOrderReads.push(reply);
    return reply.promise;
  };
  allOrders = async (symbol: string): Promise<OrderRecord[]> => {
    this.calls.push(`GET allOrders ${symbol}`);
    return [];
  };
  myTrades = async (symbol: string): Promise<TradeRecord[]> => {
    this.calls.push(`GET myTrades ${symbol}`);
    return [];
  };
}

const account = (updateTime: number): AccountSnapshot => ({
  updateTime,
  balances: [{ asset: 'USDT', free: '100.00', locked: '0.00' }],
});
const position = (u: number): UserDataEvent => ({ e: 'outboundAccountPosition', E: u, u, B: [] });
const report = (orderId: number): UserDataEvent =>
  ({ e: 'executionReport', E: 1, i: orderId, s: 'BTCUSDT', x: 'NEW', X: 'NEW' }) as UserDataEvent;

describe('UserStream', () => {
  let sockets: FakeSocket[];
  let rest: FakeRest;
  let log: string[];
  let statuses: UserStreamStatus[];
  let stream: UserStream | null;
  const listener: UserStreamListener = {
    onResyncStart: () => log.push('resync'),
    onSnapshot: (snapshot) =>
      log.push(
        `snapshot${snapshot.account === undefined ? '' : ` account@${snapshot.account.updateTime}`}${
          snapshot.openOrders === undefined ? '' : ' open'
        }${snapshot.orders === undefined ? '' : ' history'}`,
      ),
    onEvent: (event) =>
      log.push(`event ${event.e === 'executionReport' ? event.i : `${event.e}@${'u' in event ? event.u : ''}`}`),
    onStatus: (status) => statuses.push(status),
  };
  const start = (options: { openOrders?: boolean; historySymbols?: string[]; seed?: number } = {}) => {
    stream = new UserStream({
      rest,
      wsUrl: 'ws://gateway:8080/',
      scope: { openOrders: options.openOrders ?? true, historySymbols: options.historySymbols ?? ['BTCUSDT'] },
      listener,
      createSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      random: seeded(options.seed ?? 42),
      now: () => 5_000,
    });
    return stream;
  };
  /** Lets pending promise callbacks run. */
  const settle = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  const lastStatus = () => statuses.at(-1)?.status;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    rest = new FakeRest();
    log = [];
    statuses = [];
    stream = null;
  });
  afterEach(() => {
    stream?.close();
    vi.useRealTimers();
  });

  it('connects with a listenKey, resyncs, and hands on events held during the resync after the snapshot', async () => {
    start({ historySymbols: ['BTCUSDT', 'ETHUSDT'] });
    expect(lastStatus()).toBe('connecting');
    await settle();
    expect(sockets[0]?.url).toBe('ws://gateway:8080/ws/key1');
    sockets[0]!.open();
    expect(rest.calls).toEqual([
      'POST userDataStream',
      'GET account',
      'GET openOrders',
      'GET allOrders BTCUSDT',
      'GET myTrades BTCUSDT',
      'GET allOrders ETHUSDT',
      'GET myTrades ETHUSDT',
    ]);
    sockets[0]!.push(report(1));
    sockets[0]!.push(report(2));
    rest.openOrderReads[0]!.resolve([]);
    rest.accounts[0]!.resolve(account(1_000));
    await settle();
    expect(log).toEqual(['resync', 'snapshot account@1000 open history', 'event 1', 'event 2']);
    expect(lastStatus()).toBe('live');
    sockets[0]!.push(report(3));
    expect(log.at(-1)).toBe('event 3');
  });

  it('the wallet scope reads only the account', async () => {
    start({ openOrders: false, historySymbols: [] });
    await settle();
    sockets[0]!.open();
    expect(rest.calls).toEqual(['POST userDataStream', 'GET account']);
    rest.accounts[0]!.resolve(account(1));
    await settle();
    expect(log).toEqual(['resync', 'snapshot account@1']);
  });

  it('reads the account again while balance events race the read, at most resyncAccountReadsMax times', async () => {
    start({ openOrders: false, historySymbols: [] });
    await settle();
    sockets[0]!.open();
    // Arrived before the first read was sent? No: during it, and not newer than the read: maybe missing.
    sockets[0]!.push(position(900));
    rest.accounts[0]!.resolve(account(1_000));
    await settle();
    expect(rest.calls.filter((call) => call === 'GET account')).toHaveLength(2);
    // During the second read only a newer event arrives: it is certainly not in the read, and it is applied.
    sockets[0]!.push(position(1_500));
    rest.accounts[1]!.resolve(account(1_200));
    await settle();
    expect(rest.calls.filter((call) => call === 'GET account')).toHaveLength(2);
    expect(log).toEqual([
      'resync',
      'snapshot account@1200',
      'event outboundAccountPosition@900',
      'event outboundAccountPosition@1500',
    ]);

    // A flood of racing events: the reads stop at the limit and the last one is used.
    stream!.reconnectNow();
    log = [];
    await settle();
    sockets[1]!.open();
    for (let read = 0; read < resyncAccountReadsMax; read++) {
      sockets[1]!.push(position(2_000 + read));
      rest.accounts.at(-1)!.resolve(account(3_000 + read));
      await settle();
    }
    expect(rest.calls.filter((call) => call === 'GET account')).toHaveLength(2 + resyncAccountReadsMax);
    expect(log[1]).toBe(`snapshot account@${3_000 + resyncAccountReadsMax - 1}`);
    expect(lastStatus()).toBe('live');
  });

  it('reconnects after the seeded backoff when the socket drops, with a new resync', async () => {
    start({ seed: 7 });
    await settle();
    sockets[0]!.open();
    rest.openOrderReads[0]!.resolve([]);
    rest.accounts[0]!.resolve(account(1));
    await settle();
    sockets[0]!.drop();
    const status = statuses.at(-1);
    const expectedDelay = reconnectDelayMs(1, seeded(7));
    expect(status).toEqual({
      status: 'reconnecting',
      attempt: 1,
      retryAtMs: 5_000 + expectedDelay,
      reason: 'the live connection was lost',
    });
    // An event on the dead socket is ignored.
    sockets[0]!.push(report(9));
    await vi.advanceTimersByTimeAsync(expectedDelay - 1);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    expect(sockets[1]!.url).toBe('ws://gateway:8080/ws/key2');
    sockets[1]!.open();
    rest.openOrderReads[1]!.resolve([]);
    rest.accounts[1]!.resolve(account(2));
    await settle();
    expect(log.filter((entry) => entry.startsWith('snapshot'))).toEqual([
      'snapshot account@1 open history',
      'snapshot account@2 open history',
    ]);
    expect(log).not.toContain('event 9');
    expect(lastStatus()).toBe('live');
  });

  it('a failed read during the resync drops the socket and retries; a second failure waits longer', async () => {
    start({ seed: 3 });
    await settle();
    sockets[0]!.open();
    rest.accounts[0]!.reject(new PrivateRestError('Cannot reach the exchange: check your connection.', 'network'));
    await settle();
    expect(sockets[0]!.closed).toBe(true);
    const random = seeded(3);
    const first = reconnectDelayMs(1, random);
    expect(statuses.at(-1)).toMatchObject({
      status: 'reconnecting',
      attempt: 1,
      reason: 'Cannot reach the exchange: check your connection.',
    });
    rest.keyReply = () =>
      Promise.reject(new PrivateRestError('Cannot reach the exchange: check your connection.', 'network'));
    await vi.advanceTimersByTimeAsync(first);
    expect(statuses.at(-1)).toMatchObject({
      status: 'reconnecting',
      attempt: 2,
      retryAtMs: 5_000 + reconnectDelayMs(2, random),
    });
    expect(log).toEqual(['resync']);
  });

  it('stops for good when the session is refused, wherever that happens', async () => {
    rest.keyReply = () =>
      Promise.reject(new PrivateRestError('Your session has expired — log in again', 'session', -2015));
    start();
    await settle();
    expect(lastStatus()).toBe('expired');
    expect(sockets).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(rest.calls).toEqual(['POST userDataStream']);

    stream!.close();
    rest = new FakeRest();
    statuses = [];
    start();
    await settle();
    sockets[0]!.open();
    rest.accounts[0]!.reject(new PrivateRestError('Your session has expired — log in again', 'session', -2015));
    await settle();
    expect(lastStatus()).toBe('expired');
    expect(sockets[0]!.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('keeps the listenKey alive every 30 minutes and starts over when the key is gone', async () => {
    start({ openOrders: false, historySymbols: [] });
    await settle();
    sockets[0]!.open();
    rest.accounts[0]!.resolve(account(1));
    await settle();
    await vi.advanceTimersByTimeAsync(keepAliveIntervalMs - 1);
    expect(rest.calls).not.toContain('PUT userDataStream key1');
    await vi.advanceTimersByTimeAsync(1);
    expect(rest.calls).toContain('PUT userDataStream key1');
    // The gateway restarted and forgot the key.
    rest.keepAliveReply = () =>
      Promise.reject(new PrivateRestError('This listenKey does not exist.', 'rejected', -1125));
    await vi.advanceTimersByTimeAsync(keepAliveIntervalMs);
    expect(sockets[0]!.closed).toBe(true);
    expect(lastStatus()).toBe('reconnecting');
    await vi.runOnlyPendingTimersAsync();
    expect(sockets[1]?.url).toBe('ws://gateway:8080/ws/key2');

    // listenKeyExpired on the socket: a fresh key at once.
    sockets[1]!.open();
    rest.accounts[1]!.resolve(account(2));
    await settle();
    sockets[1]!.push({ e: 'listenKeyExpired', E: 3, listenKey: 'key2' });
    await settle();
    expect(sockets[1]!.closed).toBe(true);
    expect(sockets[2]?.url).toBe('ws://gateway:8080/ws/key3');
  });

  it('reads the history of a market added to the scope, once', async () => {
    start({ historySymbols: ['BTCUSDT'] });
    await settle();
    sockets[0]!.open();
    rest.openOrderReads[0]!.resolve([]);
    rest.accounts[0]!.resolve(account(1));
    await settle();
    rest.calls = [];
    stream!.setScope({ openOrders: true, historySymbols: ['BTCUSDT', 'ETHUSDT'] });
    await settle();
    expect(rest.calls).toEqual(['GET allOrders ETHUSDT', 'GET myTrades ETHUSDT']);
    expect(log.at(-1)).toBe('snapshot history');
    stream!.setScope({ openOrders: true, historySymbols: ['ETHUSDT', 'BTCUSDT'] });
    await settle();
    expect(rest.calls).toHaveLength(2);
  });

  it('after close() nothing arrives and nothing reconnects', async () => {
    start();
    await settle();
    sockets[0]!.open();
    stream!.close();
    rest.openOrderReads[0]!.resolve([]);
    rest.accounts[0]!.resolve(account(1));
    sockets[0]!.push(report(1));
    await settle();
    await vi.advanceTimersByTimeAsync(keepAliveIntervalMs * 2);
    expect(log).toEqual(['resync']);
    expect(lastStatus()).toBe('closed');
    expect(sockets).toHaveLength(1);
    expect(rest.calls.filter((call) => call.startsWith('PUT'))).toEqual([]);
  });
});
