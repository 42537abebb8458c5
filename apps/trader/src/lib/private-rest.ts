// The gateway's signed endpoints as the signed-in browser calls them: no API key and no signature, the portal's
// session cookie instead (credentials: 'include'; the gateway checks the page's Origin and the session, see
// apps/gateway/src/http/web-sessions.ts). Parameters are Binance's, as form fields; replies and errors are Binance's.
// Every failure becomes a PrivateRestError whose `kind` tells the view what to say: the exchange refused (with
// Binance's message), the session is gone, the network failed (and whether an order may have been placed anyway),
// or the exchange asked to slow down.
import type { AccountSnapshot, OrderRecord, OrderReply, TradeRecord } from './trading-state';

export type PrivateRestErrorKind =
  /** The exchange refused the request: `message` is its reason (Binance's msg). */
  | 'rejected'
  /** The session cookie is missing, expired or revoked (-2014, -2015, 401). */
  | 'session'
  /** No answer: the request may or may not have reached the exchange. */
  | 'network'
  /** Rate limited (429) or banned for a while (418). */
  | 'rate'
  /** The exchange failed (5xx). */
  | 'server';

export class PrivateRestError extends Error {
  constructor(
    message: string,
    readonly kind: PrivateRestErrorKind,
    /** Binance's error code when the exchange answered with one. */
    readonly code: number | null = null,
  ) {
    super(message);
    this.name = 'PrivateRestError';
  }
}

/** What a view says when the session is gone. */
export const sessionExpiredMessage = 'Your session has expired — log in again';

/** Abort a request after this long: the view says so instead of spinning. */
export const privateRestTimeoutMs = 15_000;
/** Rows asked of allOrders and myTrades per market on a resync (Binance allows up to 1000). */
export const historyRowsPerMarket = 100;

export type OrderParams = Record<string, string>;

export interface PrivateRest {
  placeOrder(params: OrderParams): Promise<OrderReply>;
  cancelOrder(symbol: string, orderId: number): Promise<OrderReply>;
  cancelOpenOrders(symbol: string): Promise<OrderReply[]>;
  account(): Promise<AccountSnapshot>;
  /** The user's open orders on every market. */
  openOrders(): Promise<OrderRecord[]>;
  allOrders(symbol: string, limit?: number): Promise<OrderRecord[]>;
  myTrades(symbol: string, limit?: number): Promise<TradeRecord[]>;
  createListenKey(): Promise<string>;
  /** Extends the listenKey's validity. (It is never closed: the gateway gives every tab of a user the same key.) */
  keepAliveListenKey(listenKey: string): Promise<void>;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** The part of fetch's Response this client reads (tests pass plain objects). */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A Binance error body ({code, msg}) or HTTP status as a PrivateRestError. */
export function errorFromResponse(status: number, body: unknown): PrivateRestError {
  const binance = typeof body === 'object' && body !== null ? (body as { code?: unknown; msg?: unknown }) : {};
  const code = typeof binance.code === 'number' ? binance.code : null;
  const msg = typeof binance.msg === 'string' && binance.msg !== '' ? binance.msg : null;
  if (status === 401 || code === -2014 || code === -2015) {
    return new PrivateRestError(sessionExpiredMessage, 'session', code);
  }
  if (status === 429 || status === 418) {
    return new PrivateRestError(
      status === 418
        ? 'The exchange has paused requests from this address for a while after too many. Try again later.'
        : 'Too many requests: wait a few seconds and try again.',
      'rate',
      code,
    );
  }
  if (status >= 500) {
    return new PrivateRestError(msg ?? `The exchange failed to answer (HTTP ${status}). Try again.`, 'server', code);
  }
  return new PrivateRestError(msg ?? `The exchange refused the request (HTTP ${status}).`, 'rejected', code);
}

export function privateRest(baseUrl: string, fetchImpl: Fetch = (input, init) => fetch(input, init)): PrivateRest {
  const base = baseUrl.replace(/\/+$/, '');

  async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params: OrderParams = {}) {
    const form = new URLSearchParams(params).toString();
    // POST and PUT carry their parameters as a form body (a simple request: no preflight for POST); GET and
    // DELETE in the query string, as Binance's clients send them.
    const inBody = method === 'POST' || method === 'PUT';
    const url = `${base}/api/v3/${path}${!inBody && form !== '' ? `?${form}` : ''}`;
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        credentials: 'include',
        cache: 'no-store',
        signal: AbortSignal.timeout(privateRestTimeoutMs),
        ...(inBody ? { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form } : {}),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new PrivateRestError(
        timedOut ? 'The exchange did not answer in time.' : 'Cannot reach the exchange: check your connection.',
        'network',
      );
    }
    const body = await readBody(response);
    if (!response.ok) throw errorFromResponse(response.status, body);
    return body as T;
  }

  return {
    placeOrder: (params) => call<OrderReply>('POST', 'order', { newOrderRespType: 'FULL', ...params }),
    cancelOrder: (symbol, orderId) => call<OrderReply>('DELETE', 'order', { symbol, orderId: String(orderId) }),
    cancelOpenOrders: (symbol) => call<OrderReply[]>('DELETE', 'openOrders', { symbol }),
    account: () => call<AccountSnapshot>('GET', 'account', { omitZeroBalances: 'false' }),
    openOrders: () => call<OrderRecord[]>('GET', 'openOrders'),
    allOrders: (symbol, limit = historyRowsPerMarket) =>
      call<OrderRecord[]>('GET', 'allOrders', { symbol, limit: String(limit) }),
    myTrades: (symbol, limit = historyRowsPerMarket) =>
      call<TradeRecord[]>('GET', 'myTrades', { symbol, limit: String(limit) }),
    createListenKey: async () => (await call<{ listenKey: string }>('POST', 'userDataStream')).listenKey,
    keepAliveListenKey: async (listenKey) => {
      await call('PUT', 'userDataStream', { listenKey });
    },
  };
}

/** Binance's explanation of its filter names, for a refusal a person can act on. */
const filterExplanations: Record<string, string> = {
  PRICE_FILTER: 'the price is outside the allowed range or not a multiple of the tick size',
  PERCENT_PRICE: 'the price is too far from the average market price',
  PERCENT_PRICE_BY_SIDE: 'the price is too far from the current market price',
  LOT_SIZE: 'the amount is outside the allowed range or not a multiple of the step size',
  MARKET_LOT_SIZE: 'the amount is outside the range allowed for market orders',
  MIN_NOTIONAL: 'the order value is below the minimum',
  NOTIONAL: 'the order value is outside the allowed range',
  MAX_NUM_ORDERS: 'you have too many open orders on this market',
  MAX_NUM_ALGO_ORDERS: 'you have too many open stop orders on this market',
};

/** The message to show for a refused order: Binance's text, with what a filter failure means. */
export function describeRefusal(error: unknown): string {
  if (!(error instanceof PrivateRestError)) return error instanceof Error ? error.message : String(error);
  const filter = /^Filter failure: ([A-Z_]+)$/.exec(error.message)?.[1];
  const explanation = filter === undefined ? undefined : filterExplanations[filter];
  return explanation === undefined ? error.message : `${error.message} (${explanation}).`;
}
