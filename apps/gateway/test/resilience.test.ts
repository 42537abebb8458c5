// Proves what survives a restart and what the server refuses to hold: after a clean stop and a restart on the
// same database, trades, klines, tickers, order history, open orders and balances read exactly as before and
// ids continue; a WebSocket client that stops reading is cut off at the send-queue bound while one that reads
// keeps receiving, so a slow consumer cannot grow the server's memory.
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestExchange, type TestExchange } from '../src/testing/test-exchange.js';

const opened: TestExchange[] = [];
afterAll(async () => {
  for (const exchange of opened.reverse()) await exchange.close().catch(() => undefined);
});

const limit = (side: 'BUY' | 'SELL', price: string, quantity: string) => ({
  symbol: 'BTCUSDT',
  side,
  type: 'LIMIT',
  timeInForce: 'GTC',
  price,
  quantity,
});

describe('restart', () => {
  it('serves the same trades, klines, tickers, orders and balances after a restart', async () => {
    const first = await startTestExchange({ keepDatabase: true });
    const alice = first.client(first.keys.alice);
    const bob = first.client(first.keys.bob);
    for (const [price, quantity] of [
      ['43000', '0.2'],
      ['43100', '0.1'],
      ['42900', '0.3'],
    ] as const) {
      await alice.signed('POST', '/api/v3/order', limit('SELL', price, quantity));
      await bob.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity });
    }
    const resting = await alice.signed<{ orderId: number }>('POST', '/api/v3/order', limit('BUY', '42000', '0.05'));
    const read = async (exchange: TestExchange) => {
      const client = exchange.client(exchange.keys.alice);
      const ticker = await client.get<Record<string, unknown>>('/api/v3/ticker/24hr', { symbol: 'BTCUSDT' });
      return {
        trades: await client.get('/api/v3/trades', { symbol: 'BTCUSDT' }),
        klines: await client.get('/api/v3/klines', { symbol: 'BTCUSDT', interval: '1m' }),
        hourly: await client.get('/api/v3/klines', { symbol: 'BTCUSDT', interval: '1h' }),
        ticker: { ...ticker, closeTime: undefined, openTime: undefined },
        allOrders: await client.signed('GET', '/api/v3/allOrders', { symbol: 'BTCUSDT' }),
        openOrders: await client.signed('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' }),
        myTrades: await client.signed('GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' }),
        balances: ((await client.signed('GET', '/api/v3/account')) as { balances: unknown[] }).balances,
        depth: await client
          .get('/api/v3/depth', { symbol: 'BTCUSDT' })
          .then((depth) => ({ ...(depth as object), lastUpdateId: 0 })),
      };
    };
    const before = await read(first);
    expect((before.trades as unknown[]).length).toBe(3);
    await first.close();
    const second = await startTestExchange({ restartFrom: first });
    opened.push(second);
    const after = await read(second);
    expect(after).toEqual(before);
    const next = await second
      .client(second.keys.alice)
      .signed<{ orderId: number }>('POST', '/api/v3/order', limit('BUY', '42001', '0.05'));
    expect(next.orderId).toBeGreaterThan(resting.orderId);
  });
});

describe('slow consumers', () => {
  /** A WebSocket client that completes the handshake and then never reads again. */
  const stalledClient = (url: URL): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: url.hostname, port: Number(url.port) });
      socket.on('connect', () =>
        socket.write(
          `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        ),
      );
      socket.once('data', (head) => {
        if (!head.toString('latin1').startsWith('HTTP/1.1 101')) reject(new Error(head.toString('latin1')));
        socket.pause();
        resolve(socket);
      });
      socket.on('error', () => undefined);
    });

  it('cuts off a client that stops reading, and keeps one that reads', async () => {
    const exchange = await startTestExchange({ sendQueueBytesMax: 64 * 1024 });
    opened.push(exchange);
    const stalled = await stalledClient(new URL(`${exchange.wsUrl}/ws/btcusdt@trade`));
    let received = 0;
    const healthy = new WebSocket(`${exchange.wsUrl}/ws/btcusdt@trade`);
    await new Promise((resolve) => healthy.once('open', resolve));
    healthy.on('message', () => received++);
    expect(exchange.gateway.sockets.socketCount).toBe(2);
    // 40 events of 1 MB: far beyond the kernel's socket buffers and the 64 KB queue bound.
    const big = { e: 'trade', filler: 'x'.repeat(1024 * 1024) };
    for (let i = 0; i < 40; i++) {
      exchange.gateway.sockets.publishMarket('btcusdt@trade', big);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const deadline = Date.now() + 5_000;
    while (exchange.gateway.sockets.socketCount > 1 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exchange.gateway.sockets.socketCount).toBe(1);
    while (received < 40 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toBe(40);
    healthy.close();
    stalled.destroy();
  });
});
