// Proves authenticateRequest refuses each attack on a signed request with the right code, on keys created in the
// real PostgreSQL (or PGlite) and held by an ApiKeyStore: a malformed or unknown key, a revoked key, a request from
// outside the key's IP allow-list (IPv4, IPv6, IPv4-mapped, CIDR edges), a missing or duplicated signature, a
// recvWindow above 60000, a timestamp in the future, a stale replay, a wrong secret, another user's secret, a
// modified query or body, and a missing permission; that when several things are wrong the result is the first in
// the documented precedence; and that results never carry the secret.
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyLookup } from './api-key-store.js';
import { ApiKeyStore } from './api-key-store.js';
import { authenticateRequest, isApiKeyFormat, type SignedRequest } from './authenticate-request.js';
import { requestAuthCodes } from './codes.js';
import { createApiKey } from './create-api-key.js';
import { createUser } from './create-user.js';
import { deleteApiKey } from './delete-api-key.js';
import { MasterKeyring } from './master-key.js';
import { signHmac } from './signature.js';
import { SeededRandom } from './testing/seeded-random.js';
import type { CreatedApiKey } from './types.js';

const NOW = 1_700_000_000_000;
const keyring = new MasterKeyring(Buffer.from(new SeededRandom(8).bytes(32)));

let database: TestDatabase;
let store: ApiKeyStore;
let trader: CreatedApiKey;
let reader: CreatedApiKey;
let restricted: CreatedApiKey;
let restricted6: CreatedApiKey;

beforeAll(async () => {
  database = await createTestDatabase();
  const alice = await createUser({ sql: database.sql, username: 'alice' });
  const bob = await createUser({ sql: database.sql, username: 'bob' });
  const sql = database.sql;
  trader = await createApiKey({ sql, keyring, userId: alice.id, permissions: ['read', 'trade'] });
  reader = await createApiKey({ sql, keyring, userId: bob.id, permissions: ['read'] });
  restricted = await createApiKey({
    sql,
    keyring,
    userId: alice.id,
    permissions: ['read', 'trade'],
    ipAllowList: ['203.0.113.7', '10.20.0.0/16'],
  });
  restricted6 = await createApiKey({
    sql,
    keyring,
    userId: alice.id,
    permissions: ['read', 'trade'],
    ipAllowList: ['2001:db8:1::/48'],
  });
  store = await ApiKeyStore.start({ sql, keyring, autoRefresh: false, monotonicNowMs: () => 0 });
});
afterAll(async () => {
  await store?.close();
  await database?.close();
});

const QUERY = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=100';

/** A correctly signed request for `key`, with any part overridden afterwards. */
function request(key: CreatedApiKey, overrides: Partial<SignedRequest> & { secret?: string } = {}): SignedRequest {
  const timestampMs = overrides.timestampMs ?? NOW;
  const query = `${QUERY}&timestamp=${timestampMs}`;
  const signature = signHmac(overrides.secret ?? key.secret, query);
  return {
    apiKey: key.apiKey,
    ip: '198.51.100.1',
    rawQuery: `${query}&signature=${signature}`,
    rawBody: '',
    timestampMs,
    recvWindowMs: undefined,
    serverNowMs: NOW,
    permission: 'trade',
    ...overrides,
  };
}

describe('authenticateRequest', () => {
  it("accepts a correctly signed request and names the key's owner", () => {
    const result = authenticateRequest(store, request(trader));
    expect(result).toMatchObject({ code: 'OK', userId: trader.userId });
    expect(result.code === 'OK' && result.key.id).toBe(trader.id);
    expect(JSON.stringify(result)).not.toContain(trader.secret);
  });

  it('accepts the signature in the body and upper-case hex', () => {
    const query = `${QUERY}&timestamp=${NOW}`;
    const signature = signHmac(trader.secret, query).toUpperCase();
    expect(
      authenticateRequest(store, { ...request(trader), rawQuery: '', rawBody: `${query}&signature=${signature}` }),
    ).toMatchObject({ code: 'OK' });
  });

  it('refuses missing and malformed API keys (-2014) and unknown ones (-2015)', () => {
    for (const apiKey of [undefined, '', 'short', `${trader.apiKey}x`, `${trader.apiKey.slice(0, 63)}-`]) {
      expect(authenticateRequest(store, request(trader, { apiKey })).code, String(apiKey)).toBe(
        'API_KEY_FORMAT_INVALID',
      );
    }
    expect(isApiKeyFormat(trader.apiKey)).toBe(true);
    expect(authenticateRequest(store, request(trader, { apiKey: 'U'.repeat(64) })).code).toBe('API_KEY_UNKNOWN');
  });

  it("refuses a wrong secret, another user's secret, and one user's key with another's signature", () => {
    expect(authenticateRequest(store, request(trader, { secret: 'w'.repeat(64) })).code).toBe('SIGNATURE_INVALID');
    // Bob signs with his own secret but sends Alice's key: refused, and Bob never acts as Alice.
    expect(authenticateRequest(store, request(trader, { secret: reader.secret })).code).toBe('SIGNATURE_INVALID');
    // Bob's own key with Bob's secret works, as Bob.
    expect(authenticateRequest(store, request(reader, { permission: 'read' }))).toMatchObject({
      code: 'OK',
      userId: reader.userId,
    });
  });

  it('refuses a signed request whose query or body was modified', () => {
    const good = request(trader);
    const tampered = [
      { rawQuery: good.rawQuery.replace('quantity=1', 'quantity=9') },
      { rawQuery: good.rawQuery.replace('side=BUY', 'side=SELL') },
      { rawQuery: `${good.rawQuery}&price=1` },
      { rawQuery: good.rawQuery.replace('symbol=BTCUSDT&', '') },
      { rawBody: 'quantity=100' },
    ];
    for (const change of tampered) {
      expect(authenticateRequest(store, { ...good, ...change }).code, JSON.stringify(change)).toBe('SIGNATURE_INVALID');
    }
  });

  it('refuses a truncated, non-hex, missing or duplicated signature', () => {
    const good = request(trader);
    const signature = good.rawQuery.split('signature=')[1] ?? '';
    const without = good.rawQuery.replace(`&signature=${signature}`, '');
    expect(
      authenticateRequest(store, { ...good, rawQuery: `${without}&signature=${signature.slice(0, -2)}` }).code,
    ).toBe('SIGNATURE_INVALID');
    expect(authenticateRequest(store, { ...good, rawQuery: `${without}&signature=${'x'.repeat(64)}` }).code).toBe(
      'SIGNATURE_INVALID',
    );
    expect(authenticateRequest(store, { ...good, rawQuery: without }).code).toBe('SIGNATURE_MISSING');
    expect(authenticateRequest(store, { ...good, rawBody: `signature=${signature}` }).code).toBe(
      'SIGNATURE_DUPLICATED',
    );
  });

  it('refuses a stale replay, a timestamp in the future, and a recvWindow above 60000', () => {
    const signedNow = request(trader);
    // The same signed request replayed later.
    expect(authenticateRequest(store, { ...signedNow, serverNowMs: NOW + 5_000 }).code).toBe('OK');
    expect(authenticateRequest(store, { ...signedNow, serverNowMs: NOW + 5_001 }).code).toBe(
      'TIMESTAMP_OUTSIDE_WINDOW',
    );
    expect(authenticateRequest(store, request(trader, { timestampMs: NOW + 1_000 })).code).toBe('TIMESTAMP_AHEAD');
    expect(authenticateRequest(store, request(trader, { timestampMs: NOW + 999 })).code).toBe('OK');
    expect(authenticateRequest(store, request(trader, { recvWindowMs: 60_001 })).code).toBe('RECV_WINDOW_INVALID');
    expect(authenticateRequest(store, request(trader, { recvWindowMs: 60_000, timestampMs: NOW - 60_000 })).code).toBe(
      'OK',
    );
  });

  it('refuses clients outside the IP allow-list: IPv4, IPv4-mapped, CIDR edges, IPv6', () => {
    const at = (key: CreatedApiKey, ip: string) => authenticateRequest(store, request(key, { ip })).code;
    expect(at(restricted, '203.0.113.7')).toBe('OK');
    expect(at(restricted, '::ffff:203.0.113.7')).toBe('OK');
    expect(at(restricted, '203.0.113.8')).toBe('IP_NOT_ALLOWED');
    expect(at(restricted, '::ffff:203.0.113.8')).toBe('IP_NOT_ALLOWED');
    expect(at(restricted, '10.20.0.0')).toBe('OK');
    expect(at(restricted, '10.20.255.255')).toBe('OK');
    expect(at(restricted, '10.19.255.255')).toBe('IP_NOT_ALLOWED');
    expect(at(restricted, '10.21.0.0')).toBe('IP_NOT_ALLOWED');
    expect(at(restricted, '2001:db8:1::1')).toBe('IP_NOT_ALLOWED');
    expect(at(restricted6, '2001:db8:1:ffff:ffff:ffff:ffff:ffff')).toBe('OK');
    expect(at(restricted6, '2001:db8:2::')).toBe('IP_NOT_ALLOWED');
    expect(at(restricted6, '203.0.113.7')).toBe('IP_NOT_ALLOWED');
    expect(at(restricted, 'not-an-ip')).toBe('IP_NOT_ALLOWED');
    // From the wrong address, even a wrong signature gets IP_NOT_ALLOWED: nothing about the secret leaks.
    expect(authenticateRequest(store, request(restricted, { ip: '1.1.1.1', secret: 'w'.repeat(64) })).code).toBe(
      'IP_NOT_ALLOWED',
    );
  });

  it('refuses a key without the permission the endpoint needs', () => {
    expect(authenticateRequest(store, request(reader, { permission: 'trade' })).code).toBe('PERMISSION_DENIED');
    expect(authenticateRequest(store, request(trader, { permission: 'withdraw' })).code).toBe('PERMISSION_DENIED');
  });

  it('stops accepting a deleted key once the store has refreshed', async () => {
    const user = await createUser({ sql: database.sql, username: 'carol' });
    const key = await createApiKey({ sql: database.sql, keyring, userId: user.id, permissions: ['read', 'trade'] });
    await store.refresh();
    expect(authenticateRequest(store, request(key)).code).toBe('OK');
    await deleteApiKey({ sql: database.sql, apiKey: key.apiKey });
    await store.refresh();
    expect(authenticateRequest(store, request(key)).code).toBe('API_KEY_UNKNOWN');
  });

  it('returns the first failing check in precedence order', () => {
    // Everything wrong at once, then each problem fixed in turn: the code walks down the documented order.
    const broken: SignedRequest = {
      ...request(reader, { secret: 'w'.repeat(64), timestampMs: NOW + 10_000 }),
      rawBody: 'signature=aa',
      recvWindowMs: 70_000,
      permission: 'trade',
    };
    const unavailable: ApiKeyLookup = { isAvailable: () => false, lookup: () => undefined };
    expect(authenticateRequest(store, { ...broken, apiKey: 'bad' }).code).toBe('API_KEY_FORMAT_INVALID');
    expect(authenticateRequest(unavailable, broken).code).toBe('STORE_UNAVAILABLE');
    expect(authenticateRequest(store, { ...broken, apiKey: 'U'.repeat(64) }).code).toBe('API_KEY_UNKNOWN');
    const steps: [Partial<SignedRequest>, string][] = [
      [{ apiKey: restricted.apiKey, ip: '1.1.1.1' }, 'IP_NOT_ALLOWED'],
      [{ apiKey: reader.apiKey }, 'SIGNATURE_DUPLICATED'],
      [{ rawBody: '' }, 'RECV_WINDOW_INVALID'],
      [{ recvWindowMs: 5_000 }, 'TIMESTAMP_AHEAD'],
      [{ ...request(reader, { secret: 'w'.repeat(64) }), rawBody: '', recvWindowMs: 5_000 }, 'SIGNATURE_INVALID'],
      [request(reader), 'PERMISSION_DENIED'],
      [request(reader, { permission: 'read' }), 'OK'],
    ];
    let current: SignedRequest = broken;
    const seen: string[] = [];
    for (const [fix, code] of steps) {
      current = { ...current, ...fix };
      const result = authenticateRequest(store, current);
      expect(result.code, JSON.stringify(fix)).toBe(code);
      seen.push(result.code);
    }
    const order = seen.map((code) => requestAuthCodes.indexOf(code as (typeof requestAuthCodes)[number]));
    expect(order.slice(0, -1)).toEqual([...order.slice(0, -1)].sort((a, b) => a - b));
  });
});
