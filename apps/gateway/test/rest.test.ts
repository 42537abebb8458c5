// Proves the REST API behaves as Binance's does, end to end on a real database: order placement in every
// response type with fills and commissions, queries (order, openOrders, allOrders, myTrades, account) that
// agree with each other and with the trades, cancels and cancelReplace, and each error a client can cause with
// Binance's code and text: bad signatures, stale timestamps, missing permissions, foreign IPs, unknown symbols,
// filter failures, insufficient balance, post-only crossing, unknown orders, and another user's orders.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinanceApiError, type BinanceRestClient } from '../src/client/rest-client.js';
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

const failure = async (request: Promise<unknown>): Promise<{ status: number; code: number; msg: string }> => {
  try {
    await request;
  } catch (error) {
    if (error instanceof BinanceApiError) return { status: error.status, code: error.code, msg: error.message };
    throw error;
  }
  throw new Error('expected the request to fail');
};

interface Order {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  status: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  fills?: { price: string; qty: string; commission: string; commissionAsset: string; tradeId: number }[];
}

describe('public endpoints', () => {
  it('answers ping, time and exchangeInfo with the tenant markets and limits', async () => {
    expect(await alice.get('/api/v3/ping')).toEqual({});
    const { serverTime } = await alice.get<{ serverTime: number }>('/api/v3/time');
    expect(Math.abs(serverTime - Date.now())).toBeLessThan(5_000);
    const info = await alice.get<{
      symbols: { symbol: string; status: string; filters: Record<string, unknown>[] }[];
      rateLimits: unknown[];
    }>('/api/v3/exchangeInfo');
    expect(info.symbols.map((symbol) => symbol.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'ETHBTC']);
    const btc = info.symbols[0]!;
    expect(btc.status).toBe('TRADING');
    expect(btc.filters).toContainEqual({
      filterType: 'PRICE_FILTER',
      minPrice: '0.01000000',
      maxPrice: expect.any(String),
      tickSize: '0.01000000',
    });
    expect(btc.filters).toContainEqual({
      filterType: 'LOT_SIZE',
      minQty: '0.00001000',
      maxQty: '9000.00000000',
      stepSize: '0.00001000',
    });
    expect(info.rateLimits).toContainEqual({
      rateLimitType: 'REQUEST_WEIGHT',
      interval: 'MINUTE',
      intervalNum: 1,
      limit: 1_000_000,
    });
    const one = await alice.get<{ symbols: { symbol: string }[] }>('/api/v3/exchangeInfo', { symbol: 'ETHBTC' });
    expect(one.symbols.map((symbol) => symbol.symbol)).toEqual(['ETHBTC']);
    expect(await failure(alice.get('/api/v3/exchangeInfo', { symbol: 'DOGEUSDT' }))).toMatchObject({
      code: -1121,
      msg: 'Invalid symbol.',
    });
  });

  it('reports the used weight in X-MBX-USED-WEIGHT-1M', async () => {
    const first = await fetch(`${exchange.restUrl}/api/v3/ping`);
    const second = await fetch(`${exchange.restUrl}/api/v3/exchangeInfo`);
    expect(Number(second.headers.get('x-mbx-used-weight-1m')) - Number(first.headers.get('x-mbx-used-weight-1m'))).toBe(
      20,
    );
  });

  it('sends CORS headers to browsers (requests with an Origin) and answers preflights', async () => {
    const browser = await fetch(`${exchange.restUrl}/api/v3/ping`, { headers: { Origin: 'http://localhost:3000' } });
    expect(browser.headers.get('access-control-allow-origin')).toBe('*');
    const bot = await fetch(`${exchange.restUrl}/api/v3/ping`);
    expect(bot.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${exchange.restUrl}/api/v3/order`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-MBX-APIKEY');
  });

  it('answers unknown paths with 404 and a Binance error body', async () => {
    const response = await fetch(`${exchange.restUrl}/api/v3/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: expect.any(Number), msg: expect.any(String) });
  });
});

describe('orders', () => {
  it('places, matches and reports an order in every response type', async () => {
    const ack = await alice.signed<Record<string, unknown>>('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.5',
      price: '43000',
      newClientOrderId: 'alice-ask-1',
      newOrderRespType: 'ACK',
    });
    expect(Object.keys(ack).sort()).toEqual(['clientOrderId', 'orderId', 'orderListId', 'symbol', 'transactTime']);
    expect(ack).toMatchObject({ symbol: 'BTCUSDT', clientOrderId: 'alice-ask-1', orderListId: -1 });

    const result = await bob.signed<Order>('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.2',
      price: '43000',
      newOrderRespType: 'RESULT',
    });
    expect(result).toMatchObject({
      status: 'FILLED',
      executedQty: '0.20000000',
      cummulativeQuoteQty: '8600.00000000',
      price: '43000.00000000',
    });
    expect(result.fills).toBeUndefined();

    const full = await bob.signed<Order>('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.1',
    });
    expect(full.status).toBe('FILLED');
    expect(full.fills).toHaveLength(1);
    // Bob takes: 10 bps of the 0.1 BTC he receives.
    expect(full.fills![0]).toMatchObject({
      price: '43000.00000000',
      qty: '0.10000000',
      commission: '0.00010000',
      commissionAsset: 'BTC',
    });

    const order = await alice.signed<Order>('GET', '/api/v3/order', {
      symbol: 'BTCUSDT',
      origClientOrderId: 'alice-ask-1',
    });
    expect(order).toMatchObject({
      orderId: ack['orderId'],
      status: 'PARTIALLY_FILLED',
      executedQty: '0.30000000',
      cummulativeQuoteQty: '12900.00000000',
    });
    const open = await alice.signed<Order[]>('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
    expect(open.map((entry) => entry.orderId)).toContain(ack['orderId']);

    const trades = await alice.signed<
      { id: number; qty: string; isBuyer: boolean; isMaker: boolean; commission: string; commissionAsset: string }[]
    >('GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' });
    expect(
      trades.map((trade) => [trade.qty, trade.isBuyer, trade.isMaker, trade.commission, trade.commissionAsset]),
    ).toEqual([
      ['0.20000000', false, true, '8.60000000', 'USDT'],
      ['0.10000000', false, true, '4.30000000', 'USDT'],
    ]);
  });

  it('shows history after the projection caught up, from the tables', async () => {
    const placed = await alice.signed<Order>('POST', '/api/v3/order', {
      symbol: 'ETHUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'IOC',
      quantity: '1',
      price: '1000',
    });
    expect(placed.status).toBe('EXPIRED');
    await exchange.gateway.engine.settled();
    await new Promise((resolve) => setTimeout(resolve, 250)); // the tracker forgets projected orders on its tick
    const all = await alice.signed<Order[]>('GET', '/api/v3/allOrders', { symbol: 'ETHUSDT' });
    expect(all.map((order) => [order.orderId, order.status])).toContainEqual([placed.orderId, 'EXPIRED']);
    expect(
      await alice.signed<Order>('GET', '/api/v3/order', { symbol: 'ETHUSDT', orderId: placed.orderId }),
    ).toMatchObject({ status: 'EXPIRED' });
  });

  it("cancels by id, refuses unknown orders and other users' orders", async () => {
    const placed = await alice.signed<Order>('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '40000',
    });
    expect(
      await failure(bob.signed('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: placed.orderId })),
    ).toMatchObject({
      code: -2011,
      msg: 'Unknown order sent.',
    });
    expect(
      await failure(bob.signed('GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: placed.orderId })),
    ).toMatchObject({
      code: -2013,
      msg: 'Order does not exist.',
    });
    const cancelled = await alice.signed<Order & { origClientOrderId: string }>('DELETE', '/api/v3/order', {
      symbol: 'BTCUSDT',
      orderId: placed.orderId,
    });
    expect(cancelled).toMatchObject({
      orderId: placed.orderId,
      status: 'CANCELED',
      origClientOrderId: placed.clientOrderId,
    });
    expect(
      await failure(alice.signed('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: placed.orderId })),
    ).toMatchObject({ code: -2011 });
  });

  it('replaces an order atomically, and reports a partial failure as Binance does', async () => {
    const placed = await alice.signed<Order>('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '40000',
    });
    const replaced = await alice.signed<{ cancelResult: string; newOrderResult: string; newOrderResponse: Order }>(
      'POST',
      '/api/v3/order/cancelReplace',
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.02',
        price: '40100',
        cancelReplaceMode: 'STOP_ON_FAILURE',
        cancelOrderId: placed.orderId,
      },
    );
    expect([replaced.cancelResult, replaced.newOrderResult, replaced.newOrderResponse.price]).toEqual([
      'SUCCESS',
      'SUCCESS',
      '40100.00000000',
    ]);
    // A post-only order that would cross: the cancel happens, the new order fails.
    const partial = await failure(
      alice.signed('POST', '/api/v3/order/cancelReplace', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT_MAKER',
        quantity: '0.02',
        price: '43000',
        cancelReplaceMode: 'STOP_ON_FAILURE',
        cancelOrderId: replaced.newOrderResponse.orderId,
      }),
    );
    expect(partial).toMatchObject({ status: 409, code: -2021, msg: 'Order cancel-replace partially failed.' });
    const gone = await alice.signed<Order>('GET', '/api/v3/order', {
      symbol: 'BTCUSDT',
      orderId: replaced.newOrderResponse.orderId,
    });
    expect(gone.status).toBe('CANCELED');
  });

  it('cancels all open orders of a symbol', async () => {
    for (const price of ['39000', '39001']) {
      await bob.signed('POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.01',
        price,
      });
    }
    const cancelled = await bob.signed<Order[]>('DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
    expect(cancelled.length).toBeGreaterThanOrEqual(2);
    expect(cancelled.every((order) => order.status === 'CANCELED')).toBe(true);
    expect(await bob.signed<Order[]>('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).toEqual([]);
  });

  it('validates an order with order/test without placing it', async () => {
    const before = exchange.gateway.engine.lastSequence;
    expect(
      await alice.signed('POST', '/api/v3/order/test', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.01',
        price: '40000',
      }),
    ).toEqual({});
    expect(exchange.gateway.engine.lastSequence).toBe(before);
    expect(
      await failure(
        alice.signed('POST', '/api/v3/order/test', {
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: '0.00001',
          price: '1',
        }),
      ),
    ).toMatchObject({
      code: -1013,
      msg: 'Filter failure: NOTIONAL',
    });
  });

  it('reports balances in account that move with trades', async () => {
    type Account = {
      balances: { asset: string; free: string; locked: string }[];
      canTrade: boolean;
      accountType: string;
    };
    const before = await alice.signed<Account>('GET', '/api/v3/account');
    expect(before).toMatchObject({ canTrade: true, accountType: 'SPOT' });
    const usdt = (account: Account) => account.balances.find((balance) => balance.asset === 'USDT')!;
    await alice.signed('POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.1',
      price: '39500',
    });
    const after = await alice.signed<Account>('GET', '/api/v3/account');
    expect(Number(usdt(after).locked) - Number(usdt(before).locked)).toBeCloseTo(3950, 6);
    expect(Number(usdt(before).free) - Number(usdt(after).free)).toBeCloseTo(3950, 6);
  });
});

describe('refusals, with Binance codes and texts', () => {
  const limit = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '40000' };

  it('refuses a bad signature, a stale timestamp and a missing signature', async () => {
    const { apiKey, secret } = exchange.keys.alice;
    const send = async (query: string) => {
      const response = await fetch(`${exchange.restUrl}/api/v3/account?${query}`, {
        headers: { 'X-MBX-APIKEY': apiKey },
      });
      return { status: response.status, body: (await response.json()) as { code: number; msg: string } };
    };
    const sign = (payload: string, key = secret) => createHmac('sha256', key).update(payload).digest('hex');
    const now = `timestamp=${Date.now()}`;
    expect(await send(`${now}&signature=${sign(now, 'wrong')}`)).toEqual({
      status: 400,
      body: { code: -1022, msg: 'Signature for this request is not valid.' },
    });
    const stale = `timestamp=${Date.now() - 60_000}`;
    expect(await send(`${stale}&signature=${sign(stale)}`)).toEqual({
      status: 400,
      body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
    });
    expect((await send(now)).body.code).toBe(-1102);
    expect((await send(`${now}&signature=${sign(now)}`)).status).toBe(200);
  });

  it('refuses trading with a read-only key, from an IP outside the allow-list, or with an unknown key', async () => {
    const readOnly = exchange.client(exchange.keys.aliceReadOnly);
    expect(await failure(readOnly.signed('POST', '/api/v3/order', limit))).toMatchObject({
      status: 401,
      code: -2015,
      msg: 'Invalid API-key, IP, or permissions for action.',
    });
    expect(await readOnly.signed('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).toEqual(expect.any(Array));
    expect(await failure(exchange.client(exchange.keys.aliceOtherIp).signed('GET', '/api/v3/account'))).toMatchObject({
      code: -2015,
    });
    const stranger = exchange.client({ userId: 0, apiKey: 'x'.repeat(64), secret: 'y'.repeat(64) });
    expect(await failure(stranger.signed('GET', '/api/v3/account'))).toMatchObject({ code: -2015 });
  });

  it('refuses unknown symbols, filter failures, insufficient balance and post-only crossing', async () => {
    expect(await failure(alice.signed('POST', '/api/v3/order', { ...limit, symbol: 'DOGEUSDT' }))).toMatchObject({
      code: -1121,
      msg: 'Invalid symbol.',
    });
    expect(await failure(alice.signed('POST', '/api/v3/order', { ...limit, price: '40000.001' }))).toMatchObject({
      code: -1013,
      msg: 'Filter failure: PRICE_FILTER',
    });
    expect(await failure(alice.signed('POST', '/api/v3/order', { ...limit, quantity: '0.000001' }))).toMatchObject({
      code: -1013,
      msg: 'Filter failure: LOT_SIZE',
    });
    expect(
      await failure(alice.signed('POST', '/api/v3/order', { ...limit, quantity: '0.0001', price: '100' })),
    ).toMatchObject({ code: -1013, msg: 'Filter failure: NOTIONAL' });
    expect(
      await failure(alice.signed('POST', '/api/v3/order', { ...limit, quantity: '5000', price: '40000' })),
    ).toMatchObject({
      code: -2010,
      msg: 'Account has insufficient balance for requested action.',
    });
    await bob.signed('POST', '/api/v3/order', {
      symbol: 'ETHUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '1',
      price: '2300',
    });
    expect(
      await failure(
        alice.signed('POST', '/api/v3/order', {
          symbol: 'ETHUSDT',
          side: 'BUY',
          type: 'LIMIT_MAKER',
          quantity: '1',
          price: '2300',
        }),
      ),
    ).toMatchObject({
      code: -2010,
      msg: 'Order would immediately match and take.',
    });
    expect(
      await failure(
        alice
          .signed('POST', '/api/v3/order', { ...limit, newClientOrderId: 'dup-1' })
          .then(() => alice.signed('POST', '/api/v3/order', { ...limit, newClientOrderId: 'dup-1' })),
      ),
    ).toMatchObject({
      code: -2010,
      msg: 'Duplicate order sent.',
    });
  });

  it('manages listenKeys for the user data stream', async () => {
    const { listenKey } = await alice.keyed<{ listenKey: string }>('POST', '/api/v3/userDataStream');
    expect(listenKey).toMatch(/^[A-Za-z0-9_-]{60}$/);
    expect(await alice.keyed('PUT', '/api/v3/userDataStream', { listenKey })).toEqual({});
    expect(await failure(bob.keyed('PUT', '/api/v3/userDataStream', { listenKey }))).toMatchObject({ code: -1125 });
    expect(await alice.keyed('DELETE', '/api/v3/userDataStream', { listenKey })).toEqual({});
    expect(await failure(alice.keyed('PUT', '/api/v3/userDataStream', { listenKey }))).toMatchObject({
      code: -1125,
      msg: 'This listenKey does not exist.',
    });
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After over the weight limit, then bans with 418', async () => {
    const limited = await startTestExchange({
      rateLimits: { requestWeightPerMinute: 30, ordersPer10s: 2, ordersPerDay: 100 },
    });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 60; i++) {
        const response = await fetch(`${limited.restUrl}/api/v3/ping`);
        statuses.push(response.status);
        if (response.status === 429) retryAfter ??= response.headers.get('retry-after');
      }
      const first429 = statuses.indexOf(429);
      expect(statuses.slice(0, first429).every((status) => status === 200)).toBe(true);
      expect(first429).toBeLessThanOrEqual(30);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(statuses.at(-1)).toBe(418);
    } finally {
      await limited.close();
    }
  });

  it('limits orders per 10 seconds with -1015 and the order count headers', async () => {
    const limited = await startTestExchange({
      rateLimits: { requestWeightPerMinute: 10_000, ordersPer10s: 2, ordersPerDay: 100 },
    });
    try {
      const key = limited.keys.alice;
      const order = {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.01',
        price: '40000',
      };
      const client = limited.client(key);
      // Start early in a 10-second window so all three orders fall into the same one.
      while (Date.now() % 10_000 > 7_000) await new Promise((resolve) => setTimeout(resolve, 100));
      const first = await fetch(`${limited.restUrl}/api/v3/rateLimit/order`).catch(() => null);
      expect(first?.status).toBe(401);
      await client.signed('POST', '/api/v3/order', order);
      await client.signed('POST', '/api/v3/order', order);
      expect(await failure(client.signed('POST', '/api/v3/order', order))).toMatchObject({
        status: 429,
        code: -1015,
        msg: 'Too many new orders; current limit is 2 orders per 10 SECOND.',
      });
      const counts = await client.signed<{ interval: string; count: number }[]>('GET', '/api/v3/rateLimit/order');
      expect(counts.map((entry) => [entry.interval, entry.count])).toEqual([
        ['SECOND', 2],
        ['DAY', 2],
      ]);
    } finally {
      await limited.close();
    }
  });
});
