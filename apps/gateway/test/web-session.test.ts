// Proves the portal's browsers can trade through the gateway with their session cookie, and that the cookie is
// honoured only where it is safe: from a configured portal origin, for a live session that passed its second
// factor, never after logout; credentialed CORS names the origin instead of "*", and the preflight of a cancel
// (DELETE) or keepalive (PUT) is answered and may be cached.
import {
  confirmTotp,
  enrolTotp,
  listMailbox,
  login,
  logout,
  sessionCookieName,
  signUp,
  verifyEmail,
} from '@exbox/auth';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsPreflightMaxAgeSeconds } from '../src/gateway.js';
import { startTestExchange, type TestExchange } from '../src/testing/test-exchange.js';

const portal = 'http://localhost:3000';
let exchange: TestExchange;

beforeAll(async () => {
  exchange = await startTestExchange({ webOrigins: [portal], webSessionCacheMs: 0 });
});
afterAll(async () => {
  await exchange?.close();
});

let serial = 0;
/** A verified, funded portal account and a signed-in session id. */
const signedIn = async () => {
  const sql = exchange.database.sql;
  const email = `web${++serial}@example.com`;
  const password = 'correct horse battery staple';
  await signUp({ sql, email, password, linkBaseUrl: portal });
  const [mail] = await listMailbox({ sql, to: email });
  const token = decodeURIComponent(/token=([^\s&]+)/.exec(mail!.body)![1]!);
  const { userId } = await verifyEmail({ sql, token });
  await exchange.fund(userId, 'USDT', '100000');
  const { session } = await login({ sql, email, password, ip: '127.0.0.1', userAgent: 'test' });
  return { email, password, userId, sessionId: session.id };
};

const order = new URLSearchParams({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity: '0.01',
  price: '40000',
});
const place = (headers: Record<string, string>) =>
  fetch(`${exchange.restUrl}/api/v3/order?${order}`, { method: 'POST', headers }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as { code?: number; orderId?: number },
    headers: response.headers,
  }));

describe('portal sessions on the gateway', () => {
  it('trades with the session cookie from the portal origin, with credentialed CORS', async () => {
    const { sessionId } = await signedIn();
    const placed = await place({ Origin: portal, Cookie: `${sessionCookieName}=${sessionId}` });
    expect(placed.status).toBe(200);
    expect(placed.body.orderId).toEqual(expect.any(Number));
    expect(placed.headers.get('access-control-allow-origin')).toBe(portal);
    expect(placed.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('answers the preflight of a cancel (DELETE) and a keepalive (PUT) for the portal, cached for a while', async () => {
    for (const method of ['DELETE', 'PUT']) {
      const preflight = await fetch(`${exchange.restUrl}/api/v3/order`, {
        method: 'OPTIONS',
        headers: { Origin: portal, 'Access-Control-Request-Method': method },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(portal);
      expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
      expect(preflight.headers.get('access-control-allow-methods')?.split(', ')).toContain(method);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('Content-Type');
      expect(Number(preflight.headers.get('access-control-max-age'))).toBe(corsPreflightMaxAgeSeconds);
    }
    // The cancel itself, with the cookie, as the portal sends it after the preflight.
    const { sessionId } = await signedIn();
    const cookie = `${sessionCookieName}=${sessionId}`;
    const placed = await place({ Origin: portal, Cookie: cookie });
    const cancelled = await fetch(`${exchange.restUrl}/api/v3/order?symbol=BTCUSDT&orderId=${placed.body.orderId}`, {
      method: 'DELETE',
      headers: { Origin: portal, Cookie: cookie },
    });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { status: string }).status).toBe('CANCELED');
    expect(cancelled.headers.get('access-control-allow-origin')).toBe(portal);
    expect(cancelled.headers.get('access-control-allow-credentials')).toBe('true');
    // Bots do not preflight, and get no CORS headers at all.
    const bot = await fetch(`${exchange.restUrl}/api/v3/order`, { method: 'OPTIONS' });
    expect(bot.headers.get('access-control-max-age')).toBeNull();
  });

  it('refuses the cookie without an Origin, from another origin, unknown, or after logout', async () => {
    const { sessionId } = await signedIn();
    const cookie = `${sessionCookieName}=${sessionId}`;
    expect((await place({ Cookie: cookie })).body.code).toBe(-2014);
    expect((await place({ Origin: 'https://evil.example', Cookie: cookie })).body.code).toBe(-2015);
    expect((await place({ Origin: portal, Cookie: `${sessionCookieName}=${'a'.repeat(40)}` })).body.code).toBe(-2015);
    await logout({ sql: exchange.database.sql, sessionId });
    expect((await place({ Origin: portal, Cookie: cookie })).body.code).toBe(-2015);
  });

  it('refuses a session still waiting for its second factor', async () => {
    const sql = exchange.database.sql;
    const account = await signedIn();
    const enrolment = await enrolTotp({ sql, keyring: exchange.keyring, userId: account.userId });
    const totp = new TOTP({ secret: Secret.fromBase32(enrolment.secret), digits: 6, period: 30, algorithm: 'SHA1' });
    await confirmTotp({
      sql,
      keyring: exchange.keyring,
      userId: account.userId,
      currentSessionId: account.sessionId,
      code: totp.generate(),
    });
    const half = await login({ sql, email: account.email, password: account.password, ip: '127.0.0.1' });
    expect(half.twoFactorRequired).toBe(true);
    expect((await place({ Origin: portal, Cookie: `${sessionCookieName}=${half.session.id}` })).body.code).toBe(-2015);
  });
});
