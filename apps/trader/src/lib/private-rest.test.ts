// Proves the browser's signed-endpoint client sends what the gateway's cookie path expects (credentials included,
// Binance's parameters as a form body for POST/PUT and in the query for GET/DELETE, no signature) and turns every
// failure into the message a person should read: Binance's refusal text as it is (with what a filter failure
// means), an expired session for -2014/-2015/401, rate limits, server failures, and no answer at all.
import { describe, expect, it } from 'vitest';
import {
  describeRefusal,
  errorFromResponse,
  privateRest,
  PrivateRestError,
  sessionExpiredMessage,
} from './private-rest';

interface Sent {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: unknown) {
  const sent: Sent[] = [];
  const fetchImpl = async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return new Response(body === undefined ? '' : JSON.stringify(body), { status });
  };
  return { sent, fetchImpl };
}

describe('privateRest', () => {
  it('places an order as a form body with the cookie, and asks for the FULL reply', async () => {
    const { sent, fetchImpl } = fakeFetch(200, { orderId: 7 });
    const rest = privateRest('http://localhost:8080/', fetchImpl);
    await expect(
      rest.placeOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '100' }),
    ).resolves.toEqual({ orderId: 7 });
    const [request] = sent;
    expect(request?.url).toBe('http://localhost:8080/api/v3/order');
    expect(request?.init.method).toBe('POST');
    expect(request?.init.credentials).toBe('include');
    expect(request?.init.body).toBe('newOrderRespType=FULL&symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=100');
    expect(String(request?.init.body)).not.toContain('signature');
  });

  it('sends GET and DELETE parameters in the query string', async () => {
    const { sent, fetchImpl } = fakeFetch(200, []);
    const rest = privateRest('http://localhost:8080', fetchImpl);
    await rest.cancelOrder('ETHUSDT', 42);
    await rest.cancelOpenOrders('ETHUSDT');
    await rest.allOrders('BTCUSDT');
    await rest.openOrders();
    expect(sent.map(({ url, init }) => `${init.method} ${url}`)).toEqual([
      'DELETE http://localhost:8080/api/v3/order?symbol=ETHUSDT&orderId=42',
      'DELETE http://localhost:8080/api/v3/openOrders?symbol=ETHUSDT',
      'GET http://localhost:8080/api/v3/allOrders?symbol=BTCUSDT&limit=100',
      'GET http://localhost:8080/api/v3/openOrders',
    ]);
    expect(sent.every(({ init }) => init.credentials === 'include' && init.body === undefined)).toBe(true);
  });

  it('reads the listenKey and keeps it alive with PUT', async () => {
    const { sent, fetchImpl } = fakeFetch(200, { listenKey: 'abc' });
    const rest = privateRest('http://localhost:8080', fetchImpl);
    await expect(rest.createListenKey()).resolves.toBe('abc');
    await rest.keepAliveListenKey('abc');
    expect(sent.map(({ url, init }) => `${init.method} ${url} ${String(init.body)}`)).toEqual([
      'POST http://localhost:8080/api/v3/userDataStream ',
      'PUT http://localhost:8080/api/v3/userDataStream listenKey=abc',
    ]);
  });

  it("shows Binance's refusal as it is", async () => {
    const { fetchImpl } = fakeFetch(400, {
      code: -2010,
      msg: 'Account has insufficient balance for requested action.',
    });
    const failure = await privateRest('http://x', fetchImpl)
      .placeOrder({})
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PrivateRestError);
    expect(failure).toMatchObject({
      kind: 'rejected',
      code: -2010,
      message: 'Account has insufficient balance for requested action.',
    });
  });

  it('classifies every failure', () => {
    const cases: [number, unknown, string, string][] = [
      [401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' }, 'session', sessionExpiredMessage],
      [401, { code: -2014, msg: 'API-key format invalid.' }, 'session', sessionExpiredMessage],
      [401, null, 'session', sessionExpiredMessage],
      [
        400,
        { code: -2010, msg: 'Order would immediately match and take.' },
        'rejected',
        'Order would immediately match and take.',
      ],
      [400, null, 'rejected', 'The exchange refused the request (HTTP 400).'],
      [
        429,
        { code: -1003, msg: 'Too much request weight used' },
        'rate',
        'Too many requests: wait a few seconds and try again.',
      ],
      [
        418,
        { code: -1003, msg: 'banned' },
        'rate',
        'The exchange has paused requests from this address for a while after too many. Try again later.',
      ],
      [
        503,
        { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
        'server',
        'Internal error; unable to process your request. Please try again.',
      ],
      [502, null, 'server', 'The exchange failed to answer (HTTP 502). Try again.'],
    ];
    for (const [status, body, kind, message] of cases) {
      expect(errorFromResponse(status, body), `${status} ${JSON.stringify(body)}`).toMatchObject({ kind, message });
    }
  });

  it('says so when there is no answer', async () => {
    const rest = privateRest('http://x', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(rest.account()).rejects.toMatchObject({
      kind: 'network',
      message: 'Cannot reach the exchange: check your connection.',
    });
  });

  it('explains filter failures and leaves other refusals as they are', () => {
    expect(describeRefusal(new PrivateRestError('Filter failure: PERCENT_PRICE_BY_SIDE', 'rejected', -1013))).toBe(
      'Filter failure: PERCENT_PRICE_BY_SIDE (the price is too far from the current market price).',
    );
    expect(describeRefusal(new PrivateRestError('Filter failure: SOMETHING_NEW', 'rejected', -1013))).toBe(
      'Filter failure: SOMETHING_NEW',
    );
    expect(describeRefusal(new PrivateRestError('Order would immediately match and take.', 'rejected', -2010))).toBe(
      'Order would immediately match and take.',
    );
  });
});
