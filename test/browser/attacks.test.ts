// The portal's attack surface, end to end through the real processes (the built portal and the gateway on one
// database): another user's orders can be neither seen nor cancelled, a session is dead after logout, the second
// factor cannot be skipped, and mutations without the session cookie or from another origin are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, PortalHttp } from './portal-http.js';
import { startPortalStack, type PortalStack } from './stack.js';

let stack: PortalStack;
let serial = 0;
const password = 'a long and unguessable passphrase';

beforeAll(async () => {
  stack = await startPortalStack({ bots: false });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** A new verified account, logged in (funded by the demo once verified). */
const newTrader = async (): Promise<PortalHttp & { email: string }> => {
  const browser = new PortalHttp(stack.portalUrl, stack.gatewayUrl);
  const email = `attack-${++serial}@example.test`;
  await browser.signUpAndLogIn(email, password);
  // The demo credits a verified account on its next tick; wait until the gateway shows the money.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const account = await browser.gateway<{ balances?: { asset: string; free: string }[] }>('GET', '/api/v3/account');
    if (account.body.balances?.some((balance) => balance.asset === 'USDT' && Number(balance.free) > 0)) break;
    if (Date.now() > deadline) throw new Error(`${email} was not funded within 15 s: ${JSON.stringify(account)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return Object.assign(browser, { email });
};

const restingBuy = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01' };

describe('portal attacks', () => {
  it("keeps one user's orders from another: not seen, not cancelled, not listed", async () => {
    const alice = await newTrader();
    const mallory = await newTrader();
    const placed = await alice.gateway<{ orderId: number }>('POST', '/api/v3/order', { ...restingBuy, price: '30000' });
    expect(placed.status).toBe(200);
    const orderId = String(placed.body.orderId);

    const seen = await mallory.gateway('GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId });
    expect(seen.body).toEqual({ code: -2013, msg: 'Order does not exist.' });
    const cancelled = await mallory.gateway('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId });
    expect(cancelled.body).toEqual({ code: -2011, msg: 'Unknown order sent.' });
    const cancelAll = await mallory.gateway<unknown>('DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
    expect(JSON.stringify(cancelAll.body)).not.toContain(`"orderId":${orderId}`);
    for (const path of ['/api/v3/openOrders', '/api/v3/allOrders']) {
      const listed = await mallory.gateway<unknown>('GET', path, { symbol: 'BTCUSDT' });
      expect(JSON.stringify(listed.body)).not.toContain(`"orderId":${orderId}`);
    }
    // Alice's order is untouched by all of that.
    const mine = await alice.gateway<{ status: string }>('GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId });
    expect(mine.body.status).toBe('NEW');
  });

  it('kills the session at logout: the old cookie opens neither the account API nor the gateway', async () => {
    const trader = await newTrader();
    const stolen = trader.session!;
    expect((await trader.query<{ email: string }>('auth.me')).data?.email).toBe(trader.email);
    expectOk(await trader.mutate('auth.logout'), 'auth.logout');
    expect(trader.session).toBeNull();

    const replayed = { cookie: stolen };
    expect((await trader.query('auth.me', undefined, replayed)).data).toBeNull();
    expect((await trader.query('security.sessions', undefined, replayed)).error?.data?.code).toBe('UNAUTHORIZED');
    const created = await trader.mutate('apiKeys.create', { permissions: ['read'] }, replayed);
    expect(created.error?.data?.code).toBe('UNAUTHORIZED');
    const account = await trader.gateway('GET', '/api/v3/account', {}, replayed);
    expect(account.status).toBe(401);
    expect(account.body.code).toBe(-2015);
    const order = await trader.gateway('POST', '/api/v3/order', { ...restingBuy, price: '30000' }, replayed);
    expect(order.body.code).toBe(-2015);
  });

  it('does not let a password alone past the second factor', async () => {
    const trader = await newTrader();
    const code = await trader.enableTwoFactor();
    expectOk(await trader.mutate('auth.logout'), 'auth.logout');

    const login = expectOk(
      await trader.mutate<{ twoFactorRequired: boolean }>('auth.login', { email: trader.email, password }),
      'auth.login',
    );
    expect(login.twoFactorRequired).toBe(true);
    // Half logged in: no protected procedure, no trading, no API key, whatever the client claims.
    expect((await trader.query<{ twoFactorVerified: boolean }>('auth.me')).data?.twoFactorVerified).toBe(false);
    expect((await trader.query('security.sessions')).error?.data?.code).toMatch(/UNAUTHORIZED|FORBIDDEN/);
    expect((await trader.mutate('apiKeys.create', { permissions: ['read'] })).error?.data?.code).toMatch(
      /UNAUTHORIZED|FORBIDDEN/,
    );
    expect((await trader.gateway('GET', '/api/v3/account')).body.code).toBe(-2015);
    expect((await trader.gateway('POST', '/api/v3/order', { ...restingBuy, price: '30000' })).body.code).toBe(-2015);
    // A wrong code does not finish the login either.
    const wrong = code(1) === '000000' ? '111111' : '000000';
    expect((await trader.mutate('auth.verifyTwoFactor', { code: wrong })).error?.data?.code).toBe('BAD_REQUEST');
    expect((await trader.gateway('GET', '/api/v3/account')).body.code).toBe(-2015);

    // The right code does, and only then may the session trade.
    expectOk(await trader.mutate('auth.verifyTwoFactor', { code: code(1) }), 'auth.verifyTwoFactor');
    expect((await trader.gateway('GET', '/api/v3/account')).status).toBe(200);
  });

  it('refuses mutations without the session cookie or from another origin', async () => {
    const trader = await newTrader();
    const noCookie = await trader.mutate('security.antiPhishing.set', { code: 'nope12' }, { cookie: null });
    expect(noCookie.error?.data?.code).toBe('UNAUTHORIZED');
    for (const origin of ['https://evil.example', null]) {
      const crossSite = await trader.mutate('security.antiPhishing.set', { code: 'nope12' }, { origin });
      expect(crossSite.status).toBe(403);
      const order = await trader.gateway('POST', '/api/v3/order', { ...restingBuy, price: '30000' }, { origin });
      expect(order.body.code).toBe(origin === null ? -2014 : -2015);
    }
    // Without two-factor on the account, a password alone cannot mint an API key.
    const key = await trader.mutate('apiKeys.create', { permissions: ['read', 'trade'] });
    expect(key.error?.data?.authCode).toBe('TWO_FACTOR_NOT_ENABLED');
    const me = expectOk(await trader.query<{ antiPhishingCode: string | null }>('auth.me'), 'auth.me');
    expect(me.antiPhishingCode).toBeNull();
    // The same call from the portal's own origin goes through: the refusals above were about the origin.
    expectOk(await trader.mutate('security.antiPhishing.set', { code: 'mine12' }), 'security.antiPhishing.set');
    expect((await trader.query<{ antiPhishingCode: string }>('auth.me')).data?.antiPhishingCode).toBe('mine12');
  });
});
