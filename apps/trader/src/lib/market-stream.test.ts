// Proves the shared stream client: subscriptions made together go out as one SUBSCRIBE; handlers hear
// `onSubscribed` only once the gateway confirmed; data is routed by stream name; streams nobody wants are
// unsubscribed; a dropped socket is retried with backoff (state 'reconnecting') and every stream is subscribed
// again on the new socket, calling `onSubscribed` again so stateful views resync.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MarketStream, subscribeBatchDelayMs, type ConnectionState, type SocketLike } from './market-stream';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: { method: string; params: string[]; id: number }[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
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
  reply(id: number) {
    this.onmessage?.({ data: JSON.stringify({ result: null, id }) });
  }
  push(stream: string, data: unknown) {
    this.onmessage?.({ data: JSON.stringify({ stream, data }) });
  }
}

describe('MarketStream', () => {
  let sockets: FakeSocket[];
  let stream: MarketStream;
  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    stream = new MarketStream({
      url: 'ws://gateway:8080/',
      createSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      random: () => 0.5,
      now: () => 1_000,
    });
  });
  afterEach(() => {
    stream.close();
    vi.useRealTimers();
  });

  it('batches subscriptions, confirms them and routes data by stream', () => {
    const socket = sockets[0]!;
    expect(socket.url).toBe('ws://gateway:8080/stream');
    const trades: unknown[] = [];
    const subscribed = vi.fn();
    stream.subscribe('btcusdt@trade', { onData: (data) => trades.push(data), onSubscribed: subscribed });
    stream.subscribe('!miniTicker@arr', { onData: () => {} });
    socket.open();
    expect(socket.sent).toEqual([{ method: 'SUBSCRIBE', params: ['btcusdt@trade', '!miniTicker@arr'], id: 1 }]);
    expect(subscribed).not.toHaveBeenCalled();
    socket.reply(1);
    expect(subscribed).toHaveBeenCalledTimes(1);
    socket.push('btcusdt@trade', { p: '1' });
    socket.push('ethusdt@trade', { p: '2' });
    expect(trades).toEqual([{ p: '1' }]);
  });

  it('unsubscribes streams nobody listens to any more', () => {
    const socket = sockets[0]!;
    socket.open();
    const stop = stream.subscribe('btcusdt@trade', { onData: () => {} });
    vi.advanceTimersByTime(subscribeBatchDelayMs);
    stop();
    vi.advanceTimersByTime(subscribeBatchDelayMs);
    expect(socket.sent.map((request) => request.method)).toEqual(['SUBSCRIBE', 'UNSUBSCRIBE']);
    expect(socket.sent[1]!.params).toEqual(['btcusdt@trade']);
  });

  it('reconnects with backoff and subscribes everything again, so views resync', () => {
    const states: ConnectionState[] = [];
    stream.onConnectionChange((state) => states.push(state));
    const subscribed = vi.fn();
    stream.subscribe('btcusdt@depth@100ms', { onData: () => {}, onSubscribed: subscribed });
    sockets[0]!.open();
    sockets[0]!.reply(1);
    sockets[0]!.drop();
    expect(states.at(-1)).toEqual({ status: 'reconnecting', attempt: 1, retryAtMs: 1_250 });
    vi.advanceTimersByTime(249);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    // The second attempt fails too: the delay grows.
    sockets[1]!.drop();
    expect(states.at(-1)).toEqual({ status: 'reconnecting', attempt: 2, retryAtMs: 1_250 });
    vi.advanceTimersByTime(250);
    const third = sockets[2]!;
    third.open();
    expect(states.at(-1)).toEqual({ status: 'open' });
    expect(third.sent).toEqual([{ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 2 }]);
    third.reply(2);
    expect(subscribed).toHaveBeenCalledTimes(2);
  });

  it('tells a late subscriber of a live stream at once, and stops for good on close', () => {
    const socket = sockets[0]!;
    stream.subscribe('btcusdt@trade', { onData: () => {} });
    socket.open();
    socket.reply(1);
    const late = vi.fn();
    stream.subscribe('btcusdt@trade', { onData: () => {}, onSubscribed: late });
    expect(late).toHaveBeenCalledTimes(1);
    stream.close();
    socket.drop();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });
});
