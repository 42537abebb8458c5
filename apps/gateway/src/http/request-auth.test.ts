// Proves signed-request authentication refuses every forgery we can think of and answers with Binance's code
// for each: missing/unknown/badly formed keys, IPs outside the allow-list, missing permissions, stale or future
// timestamps, oversized recvWindow, and signatures that do not cover exactly the query and body as sent.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BinanceError } from '../binance/errors.js';
import { binanceCodeOf } from '../testing/binance-code.js';
import { authenticate, signedPayload, type ApiKeyGrant, type KeyStore, type Permission } from './request-auth.js';

const secret = 'S'.repeat(64);
const now = 1_700_000_000_000;
const hmac = (payload: string, key = secret) => createHmac('sha256', key).update(payload).digest('hex');

const grant = (permissions: Permission[], allowedIp?: string): ApiKeyGrant => ({
  userId: 7,
  permissions: new Set(permissions),
  ipAllowed: (ip) => allowedIp === undefined || ip === allowedIp,
  verify: (payload, signature) => hmac(payload) === signature.toLowerCase(),
});

const store = (entries: Record<string, ApiKeyGrant>): KeyStore => ({ lookup: (key) => entries[key] });
const keys = store({
  tradeKey: grant(['read', 'trade']),
  readKey: grant(['read']),
  ipKey: grant(['read', 'trade'], '10.0.0.1'),
});

const signedRequest = (query: string, body = '', options: { key?: string; ip?: string; sign?: string } = {}) => {
  const signature = options.sign ?? hmac(query + body);
  const rawQuery = query === '' ? `signature=${signature}` : `${query}&signature=${signature}`;
  const params = new Map([...new URLSearchParams(query), ...new URLSearchParams(body)]);
  return {
    apiKey: options.key ?? 'tradeKey',
    ip: options.ip ?? '127.0.0.1',
    rawQuery,
    rawBody: body,
    params,
    nowMs: now,
  };
};

describe('authenticate', () => {
  it('accepts a correctly signed TRADE request and names the user', () => {
    const request = signedRequest(`symbol=BTCUSDT&side=BUY&timestamp=${now}`);
    expect(authenticate(keys, 'TRADE', request).userId).toBe(7);
  });

  it('signs the query string followed by the body, both as sent', () => {
    const query = `symbol=BTCUSDT&timestamp=${now}`;
    const body = 'quantity=1&price=10.5';
    expect(authenticate(keys, 'TRADE', signedRequest(query, body)).userId).toBe(7);
    // The same parameters signed in another order (as if re-encoded) must fail.
    const reordered = signedRequest(query, body, { sign: hmac(body + query) });
    expect(binanceCodeOf(() => authenticate(keys, 'TRADE', reordered))).toBe(-1022);
  });

  it('refuses a signature over modified parameters', () => {
    const request = signedRequest(`symbol=BTCUSDT&quantity=1&timestamp=${now}`);
    request.rawQuery = request.rawQuery.replace('quantity=1', 'quantity=9');
    expect(binanceCodeOf(() => authenticate(keys, 'TRADE', request))).toBe(-1022);
  });

  it('refuses a signature made with another secret, truncated, or not hex', () => {
    const query = `timestamp=${now}`;
    expect(
      binanceCodeOf(() => authenticate(keys, 'TRADE', signedRequest(query, '', { sign: hmac(query, 'other') }))),
    ).toBe(-1022);
    expect(
      binanceCodeOf(() => authenticate(keys, 'TRADE', signedRequest(query, '', { sign: hmac(query).slice(0, 40) }))),
    ).toBe(-1022);
    expect(
      binanceCodeOf(() => authenticate(keys, 'TRADE', signedRequest(query, '', { sign: 'zz' + hmac(query).slice(2) }))),
    ).toBe(-1022);
  });

  it('refuses a second signature parameter', () => {
    const request = signedRequest(`timestamp=${now}`);
    request.rawQuery += `&signature=${hmac('x')}`;
    expect(binanceCodeOf(() => authenticate(keys, 'TRADE', request))).toBe(-1101);
  });

  it('requires the timestamp and the signature', () => {
    expect(binanceCodeOf(() => authenticate(keys, 'TRADE', signedRequest('symbol=BTCUSDT')))).toBe(-1102);
    const unsigned = signedRequest(`timestamp=${now}`);
    unsigned.rawQuery = `timestamp=${now}`;
    expect(binanceCodeOf(() => authenticate(keys, 'TRADE', unsigned))).toBe(-1102);
  });

  it('refuses stale timestamps, future timestamps and oversized recvWindows', () => {
    expect(binanceCodeOf(() => authenticate(keys, 'TRADE', signedRequest(`timestamp=${now - 5_001}`)))).toBe(-1021);
    expect(authenticate(keys, 'TRADE', signedRequest(`timestamp=${now - 5_000}`)).userId).toBe(7);
    expect(binanceCodeOf(() => authenticate(keys, 'TRADE', signedRequest(`timestamp=${now + 1_001}`)))).toBe(-1021);
    expect(authenticate(keys, 'TRADE', signedRequest(`timestamp=${now - 50_000}&recvWindow=60000`)).userId).toBe(7);
    expect(binanceCodeOf(() => authenticate(keys, 'TRADE', signedRequest(`timestamp=${now}&recvWindow=60001`)))).toBe(
      -1131,
    );
  });

  it('refuses missing, malformed and unknown API keys', () => {
    expect(binanceCodeOf(() => authenticate(keys, 'TRADE', signedRequest(`timestamp=${now}`, '', { key: '' })))).toBe(
      -2014,
    );
    expect(
      binanceCodeOf(() => authenticate(keys, 'TRADE', signedRequest(`timestamp=${now}`, '', { key: 'bad key!' }))),
    ).toBe(-2014);
    expect(
      binanceCodeOf(() => authenticate(keys, 'TRADE', signedRequest(`timestamp=${now}`, '', { key: 'nobody' }))),
    ).toBe(-2015);
  });

  it('refuses a key without the permission, and an IP outside the allow-list', () => {
    expect(
      binanceCodeOf(() => authenticate(keys, 'TRADE', signedRequest(`timestamp=${now}`, '', { key: 'readKey' }))),
    ).toBe(-2015);
    expect(authenticate(keys, 'USER_DATA', signedRequest(`timestamp=${now}`, '', { key: 'readKey' })).userId).toBe(7);
    expect(
      binanceCodeOf(() =>
        authenticate(keys, 'TRADE', signedRequest(`timestamp=${now}`, '', { key: 'ipKey', ip: '10.0.0.2' })),
      ),
    ).toBe(-2015);
    expect(
      authenticate(keys, 'TRADE', signedRequest(`timestamp=${now}`, '', { key: 'ipKey', ip: '10.0.0.1' })).userId,
    ).toBe(7);
  });

  it('needs only the key for USER_STREAM endpoints', () => {
    const request = {
      apiKey: 'readKey',
      ip: '1.2.3.4',
      rawQuery: '',
      rawBody: '',
      params: new Map<string, string>(),
      nowMs: now,
    };
    expect(authenticate(keys, 'USER_STREAM', request).userId).toBe(7);
  });
});

describe('signedPayload', () => {
  it('removes only the signature parameter, keeping the rest byte for byte', () => {
    expect(signedPayload('a=1&signature=abc&b=%20x', 'c=3')).toEqual({ payload: 'a=1&b=%20xc=3', signature: 'abc' });
    expect(signedPayload('', 'a=1&signature=ff')).toEqual({ payload: 'a=1', signature: 'ff' });
  });
});

describe('signedPayload positions', () => {
  it('finds the signature first, last, alone or in the body, and refuses two', () => {
    expect(signedPayload('signature=aa&a=1', '')).toEqual({ payload: 'a=1', signature: 'aa' });
    expect(signedPayload('a=1&signature=aa', '')).toEqual({ payload: 'a=1', signature: 'aa' });
    expect(signedPayload('signature=aa', '')).toEqual({ payload: '', signature: 'aa' });
    expect(signedPayload('a=1', 'b=2&signature=bb')).toEqual({ payload: 'a=1b=2', signature: 'bb' });
    expect(signedPayload('a=1&xsignature=1', '')).toEqual({ payload: 'a=1&xsignature=1', signature: undefined });
    expect(() => signedPayload('a=1&signature=aa', 'signature=bb')).toThrow(BinanceError);
    expect(() => signedPayload('signature=aa&signature=bb', '')).toThrow(BinanceError);
  });
});
