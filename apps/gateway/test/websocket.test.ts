// Proves the WebSocket endpoints behave as Binance's: SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS replies, raw and
// combined payloads, a diff-depth stream that keeps a local book equal to the REST book by Binance's documented
// procedure through a seeded random order flow, the listenKey user data stream and the WebSocket API's
// userDataStream.subscribe.signature and order.place, including refused signatures.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BinanceRestClient } from '../src/client/rest-client.js';
import { startTestExchange, type TestExchange } from '../src/testing/test-exchange.js';

let exchange: TestExchange;
let alice: BinanceRestClient;
let bob: BinanceRestClient;

beforeAll(async () => {
  exchange = await startTestExchange();
  alice = exchange.client(exchange.keys.alice);
  bob = exchange.client(exchange.keys.bob);
});
afterAll(async () => {
  await exchange?.close();
});

/**
 * A received JSON message. Tests read whatever fields they assert on, so it is typed loosely on purpose.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Message = any;

/** A client socket that queues every message and lets a test wait for the next one matching a predicate. */
class TestSocket {
  readonly messages: unknown[] = [];
  private waiters: { predicate: (message: Message) => boolean; resolve: (message: Message) => void }[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as unknown;
      const waiter = this.waiters.find((entry) => entry.predicate(message));
      if (waiter !== undefined) {
        this.waiters = this.waiters.filter((entry) => entry !== waiter);
        waiter.resolve(message);
      } else {
        this.messages.push(message);
      }
    });
  }

  static open(url: string): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new TestSocket(socket)));
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  next<T = Message>(predicate: (message: Message) => boolean, timeoutMs = 5_000): Promise<T> {
    const index = this.messages.findIndex(predicate);
    if (index >= 0) return Promise.resolve(this.messages.splice(index, 1)[0] as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message as T);
        },
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

const limit = (side: 'BUY' | 'SELL', price: string, quantity: string, symbol = 'BTCUSDT') => ({
  symbol,
  side,
  type: 'LIMIT',
  timeInForce: 'GTC',
  price,
  quantity,
});

describe('market streams', () => {
  it('answers SUBSCRIBE, LIST_SUBSCRIPTIONS and UNSUBSCRIBE with their ids, and refuses unknown streams', async () => {
    const socket = await TestSocket.open(`${exchange.wsUrl}/ws/0`);
    try {
      socket.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade', 'ethusdt@depth@100ms'], id: 1 });
      expect(await socket.next((message) => message.id === 1)).toEqual({ result: null, id: 1 });
      socket.send({ method: 'LIST_SUBSCRIPTIONS', id: 2 });
      const listed = await socket.next<{ result: string[] }>((message) => message.id === 2);
      expect([...listed.result].sort()).toEqual(['btcusdt@trade', 'ethusdt@depth@100ms']);
      socket.send({ method: 'UNSUBSCRIBE', params: ['btcusdt@trade'], id: 3 });
      expect(await socket.next((message) => message.id === 3)).toEqual({ result: null, id: 3 });
      socket.send({ method: 'SUBSCRIBE', params: ['dogeusdt@trade'], id: 4 });
      expect(await socket.next((message) => message.id === 4)).toMatchObject({ code: 2 });
    } finally {
      socket.close();
    }
  });

  it('sends trades raw on /ws/<stream> and wrapped on /stream?streams=', async () => {
    const raw = await TestSocket.open(`${exchange.wsUrl}/ws/btcusdt@trade`);
    const combined = await TestSocket.open(`${exchange.wsUrl}/stream?streams=btcusdt@trade/btcusdt@aggTrade`);
    try {
      await alice.signed('POST', '/api/v3/order', limit('SELL', '44000', '0.01'));
      const taken = await bob.signed<{ fills: { tradeId: number }[] }>('POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '0.01',
      });
      const tradeId = taken.fills[0]!.tradeId;
      const trade = await raw.next((message) => message.e === 'trade' && message.t === tradeId);
      expect(trade).toMatchObject({
        e: 'trade',
        s: 'BTCUSDT',
        p: '44000.00000000',
        q: '0.01000000',
        m: false,
        M: true,
      });
      expect(Object.keys(trade).sort()).toEqual(['E', 'M', 'T', 'e', 'm', 'p', 'q', 's', 't']);
      const wrapped = await combined.next(
        (message) => message.stream === 'btcusdt@trade' && message.data.t === tradeId,
      );
      expect(wrapped.data).toEqual(trade);
      const aggregate = await combined.next(
        (message) => message.stream === 'btcusdt@aggTrade' && message.data.f === tradeId,
      );
      expect(aggregate.data).toMatchObject({
        e: 'aggTrade',
        s: 'BTCUSDT',
        p: '44000.00000000',
        q: '0.01000000',
        l: tradeId,
      });
    } finally {
      raw.close();
      combined.close();
    }
  });

  it("keeps a local book equal to the REST book by Binance's diff-depth procedure", async () => {
    const socket = await TestSocket.open(`${exchange.wsUrl}/ws/ethusdt@depth@100ms`);
    try {
      // Seeded flow: resting orders on both sides, some crossing, some cancelled.
      let state = 42;
      const next = () => {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        return state / 2 ** 31;
      };
      const placeSome = async (count: number) => {
        for (let i = 0; i < count; i++) {
          const side = next() < 0.5 ? 'BUY' : 'SELL';
          const price = (side === 'BUY' ? 2250 + Math.floor(next() * 60) : 2290 + Math.floor(next() * 60)).toFixed(2);
          const client = next() < 0.5 ? alice : bob;
          const placed = await client.signed<{ orderId: number }>(
            'POST',
            '/api/v3/order',
            limit(side, price, (0.01 + Math.floor(next() * 50) / 100).toFixed(2), 'ETHUSDT'),
          );
          if (next() < 0.2)
            await client
              .signed('DELETE', '/api/v3/order', { symbol: 'ETHUSDT', orderId: placed.orderId })
              .catch(() => undefined);
        }
      };
      await placeSome(30);
      const snapshot = await alice.get<{ lastUpdateId: number; bids: [string, string][]; asks: [string, string][] }>(
        '/api/v3/depth',
        { symbol: 'ETHUSDT', limit: 5000 },
      );
      await placeSome(60);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const book = { bids: new Map(snapshot.bids), asks: new Map(snapshot.asks) };
      const events = socket.messages.splice(0) as {
        U: number;
        u: number;
        b: [string, string][];
        a: [string, string][];
      }[];
      let previous = snapshot.lastUpdateId;
      let applied = 0;
      for (const event of events) {
        if (event.u <= snapshot.lastUpdateId) continue;
        if (applied === 0)
          expect(event.U <= snapshot.lastUpdateId + 1 && event.u >= snapshot.lastUpdateId + 1).toBe(true);
        else expect(event.U).toBe(previous + 1);
        previous = event.u;
        applied++;
        for (const [side, levels] of [
          [book.bids, event.b],
          [book.asks, event.a],
        ] as const) {
          for (const [price, quantity] of levels) {
            if (Number(quantity) === 0) side.delete(price);
            else side.set(price, quantity);
          }
        }
      }
      expect(applied).toBeGreaterThan(0);
      const now = await alice.get<{ lastUpdateId: number; bids: [string, string][]; asks: [string, string][] }>(
        '/api/v3/depth',
        { symbol: 'ETHUSDT', limit: 5000 },
      );
      expect(now.lastUpdateId).toBe(previous);
      const sorted = (map: Map<string, string>, descending: boolean) =>
        [...map.entries()].sort((a, b) => (descending ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));
      expect(sorted(book.bids, true)).toEqual(now.bids);
      expect(sorted(book.asks, false)).toEqual(now.asks);
    } finally {
      socket.close();
    }
  });
});

describe('user data', () => {
  it('streams executionReport and outboundAccountPosition on /ws/<listenKey>', async () => {
    const { listenKey } = await alice.keyed<{ listenKey: string }>('POST', '/api/v3/userDataStream');
    const socket = await TestSocket.open(`${exchange.wsUrl}/ws/${listenKey}`);
    try {
      const placed = await alice.signed<{ orderId: number }>('POST', '/api/v3/order', {
        ...limit('BUY', '40000', '0.01'),
        newClientOrderId: 'uds-1',
      });
      const report = await socket.next((message) => message.e === 'executionReport' && message.i === placed.orderId);
      expect(report).toMatchObject({
        s: 'BTCUSDT',
        c: 'uds-1',
        S: 'BUY',
        o: 'LIMIT',
        f: 'GTC',
        q: '0.01000000',
        p: '40000.00000000',
        x: 'NEW',
        X: 'NEW',
        z: '0.00000000',
      });
      const position = await socket.next((message) => message.e === 'outboundAccountPosition');
      expect(position.B).toContainEqual({ a: 'USDT', f: expect.any(String), l: expect.any(String) });
      await alice.signed('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: placed.orderId });
      expect(await socket.next((message) => message.e === 'executionReport' && message.x === 'CANCELED')).toMatchObject(
        { i: placed.orderId, X: 'CANCELED', C: 'uds-1' },
      );
    } finally {
      socket.close();
    }
  });

  it('streams balanceUpdate for deposits and listStatus for OCO lists', async () => {
    const { listenKey } = await bob.keyed<{ listenKey: string }>('POST', '/api/v3/userDataStream');
    const socket = await TestSocket.open(`${exchange.wsUrl}/ws/${listenKey}`);
    try {
      await exchange.fund(exchange.keys.bob.userId, 'ETH', '2.5');
      expect(await socket.next((message) => message.e === 'balanceUpdate')).toMatchObject({
        a: 'ETH',
        d: '2.50000000',
      });
      const list = await bob.signed<{ orderListId: number; orders: { orderId: number }[] }>(
        'POST',
        '/api/v3/orderList/oco',
        {
          symbol: 'BTCUSDT',
          side: 'SELL',
          quantity: '0.01',
          aboveType: 'LIMIT_MAKER',
          abovePrice: '46000',
          belowType: 'STOP_LOSS_LIMIT',
          belowStopPrice: '41000',
          belowPrice: '40900',
          belowTimeInForce: 'GTC',
          listClientOrderId: 'oco-1',
        },
      );
      expect(list.orders).toHaveLength(2);
      const status = await socket.next((message) => message.e === 'listStatus');
      expect(status).toMatchObject({
        s: 'BTCUSDT',
        g: list.orderListId,
        c: 'OCO',
        l: 'EXEC_STARTED',
        L: 'EXECUTING',
        C: 'oco-1',
      });
      await bob.signed('DELETE', '/api/v3/orderList', { symbol: 'BTCUSDT', orderListId: list.orderListId });
      expect(await socket.next((message) => message.e === 'listStatus' && message.l === 'ALL_DONE')).toMatchObject({
        g: list.orderListId,
      });
    } finally {
      socket.close();
    }
  });

  it('refuses a socket for an unknown listenKey', async () => {
    await expect(TestSocket.open(`${exchange.wsUrl}/ws/${'k'.repeat(60)}`)).rejects.toThrow(/400/);
  });

  it('subscribes with userDataStream.subscribe.signature and places orders over the WebSocket API', async () => {
    const { apiKey, secret } = exchange.keys.bob;
    const sign = (params: Record<string, string | number>) => {
      const payload = Object.keys(params)
        .sort()
        .map((name) => `${name}=${params[name]}`)
        .join('&');
      return { ...params, signature: createHmac('sha256', secret).update(payload).digest('hex') };
    };
    const socket = await TestSocket.open(`${exchange.wsUrl}/ws-api/v3`);
    try {
      socket.send({
        id: 'bad',
        method: 'userDataStream.subscribe.signature',
        params: { ...sign({ apiKey, timestamp: Date.now() }), signature: 'ab'.repeat(32) },
      });
      expect(await socket.next((message) => message.id === 'bad')).toMatchObject({
        status: 400,
        error: { code: -1022 },
      });
      socket.send({
        id: 'sub',
        method: 'userDataStream.subscribe.signature',
        params: sign({ apiKey, timestamp: Date.now() }),
      });
      expect(await socket.next((message) => message.id === 'sub')).toEqual({
        id: 'sub',
        status: 200,
        result: { subscriptionId: 0 },
      });
      socket.send({
        id: 'place',
        method: 'order.place',
        params: sign({
          apiKey,
          timestamp: Date.now(),
          symbol: 'BTCUSDT',
          side: 'SELL',
          type: 'LIMIT',
          timeInForce: 'GTC',
          price: '46000',
          quantity: '0.01',
          newClientOrderId: 'wsapi-1',
        }),
      });
      const placed = await socket.next((message) => message.id === 'place');
      expect(placed).toMatchObject({
        status: 200,
        result: { symbol: 'BTCUSDT', clientOrderId: 'wsapi-1', status: 'NEW' },
      });
      const event = await socket.next(
        (message) => message.subscriptionId === 0 && message.event?.e === 'executionReport',
      );
      expect(event.event).toMatchObject({ c: 'wsapi-1', x: 'NEW', i: placed.result.orderId });
    } finally {
      socket.close();
    }
  });
});
