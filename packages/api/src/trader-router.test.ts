// End-to-end tests of the trader portal's tRPC API on PostgreSQL (or PGlite), through real fetch Requests to
// handleTrpcRequest (cookies, CSRF) and through createTraderCaller: sign-up mails a verification token to the demo
// mailbox; the anti-phishing code, once set, opens the messages that follow; login sets an HttpOnly SameSite
// cookie (Secure over https); two-factor enrolment (codes computed here from RFC 6238, independently of otpauth)
// makes the next login half-logged-in until the code is given; an API key created through the API is found by the
// gateway's ApiKeyStore. Attacks: wrong password and unknown email answer alike; lockout; a logged-out session is
// dead; a half-logged-in session reaches no protected procedure; another user's session cannot be revoked;
// mutations without the cookie or from another Origin fail; tokens are single use and expire; the mailbox is off
// without the demo flag.
import { createHmac } from 'node:crypto';
import { ApiKeyStore, MasterKeyring, authLimits } from '@exbox/auth';
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTraderContext } from './context.js';
import { handleTrpcRequest } from './http.js';
import { createTraderCaller } from './root.js';

let database: TestDatabase;
const keyring = new MasterKeyring(Buffer.alloc(32, 7));
const ORIGIN = 'https://portal.example';
const password = 'correct horse battery';

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 secret, written here so the test does not trust otpauth. */
function totp(base32: string, timestampMs = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const character of base32.replace(/=+$/, '')) bits += alphabet.indexOf(character).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timestampMs / 30_000)));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = (digest[digest.length - 1] ?? 0) & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

interface Reply {
  status: number;
  data: unknown;
  error: { message: string; data: { code: string; authCode: string | null } } | undefined;
  setCookies: string[];
}

/** A browser: keeps the session cookie between calls, sends Origin on mutations. */
class Browser {
  cookie: string | undefined;
  constructor(
    readonly ip: string,
    readonly options: { origin?: string | null; demoMailbox?: boolean; base?: string } = {},
  ) {}

  async call(kind: 'query' | 'mutation', path: string, input?: unknown): Promise<Reply> {
    const base = this.options.base ?? ORIGIN;
    const headers = new Headers({ 'content-type': 'application/json', 'user-agent': 'TestBrowser/1.0' });
    if (this.cookie !== undefined) headers.set('cookie', this.cookie);
    const origin = this.options.origin === undefined ? base : this.options.origin;
    if (kind === 'mutation' && origin !== null) headers.set('origin', origin);
    const query = kind === 'query' && input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '';
    const request = new Request(`${base}/api/trpc/${path}${query}`, {
      method: kind === 'query' ? 'GET' : 'POST',
      headers,
      body: kind === 'mutation' ? JSON.stringify(input ?? null) : undefined,
    });
    const response = await handleTrpcRequest(request, {
      sql: database.sql,
      keyring,
      ip: this.ip,
      demoMailbox: this.options.demoMailbox ?? true,
      linkBaseUrl: ORIGIN,
    });
    const setCookies = response.headers.getSetCookie();
    for (const value of setCookies) {
      const [pair] = value.split(';');
      if (pair === undefined) continue;
      this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    const body = (await response.json()) as { result?: { data: unknown }; error?: Reply['error'] };
    return { status: response.status, data: body.result?.data, error: body.error, setCookies };
  }

  query = (path: string, input?: unknown) => this.call('query', path, input);
  mutate = (path: string, input?: unknown) => this.call('mutation', path, input);
}

type Mail = { to: string; kind: string; body: string };
const mailbox = async (to: string) => (await new Browser('127.0.0.1').query('mailbox.list', { to })).data as Mail[];
const tokenIn = (mail: Mail | undefined) => /enter this code: (\S+)/.exec(mail?.body ?? '')?.[1] ?? '';

let serial = 0;
async function signedUpAndVerified(browser: Browser) {
  const email = `portal${++serial}@example.com`;
  expect((await browser.mutate('auth.signUp', { email, password })).data).toEqual({ status: 'CHECK_YOUR_EMAIL' });
  const token = tokenIn((await mailbox(email)).find((mail) => mail.kind === 'VERIFY_EMAIL'));
  expect((await browser.mutate('auth.verifyEmail', { token })).data).toEqual({ ok: true });
  return email;
}

describe('the trader portal, end to end over HTTP', () => {
  it('signs up, verifies, logs in, sets the anti-phishing code, enrols 2FA, and creates an API key the gateway sees', async () => {
    const browser = new Browser('192.0.2.50');
    const email = `alice${++serial}@example.com`;
    await browser.mutate('auth.signUp', { email, password });
    const verification = (await mailbox(email)).find((mail) => mail.kind === 'VERIFY_EMAIL');
    expect(verification?.body).toContain(`${ORIGIN}/verify-email?token=`);
    await browser.mutate('auth.verifyEmail', { token: tokenIn(verification) });

    const loggedIn = await browser.mutate('auth.login', { email, password });
    expect(loggedIn.data).toEqual({ twoFactorRequired: false });
    const cookie = loggedIn.setCookies[0] ?? '';
    expect(cookie).toMatch(/^exbox_session=[a-z2-7]{40}; /);
    for (const attribute of ['HttpOnly', 'SameSite=Lax', 'Secure', 'Path=/']) expect(cookie).toContain(attribute);
    expect((await browser.query('auth.me')).data).toMatchObject({
      email,
      twoFactorEnabled: false,
      twoFactorVerified: true,
    });

    await browser.mutate('security.antiPhishing.set', { code: 'Tulip2024' });
    const afterCode = (await mailbox(email))[0];
    expect(afterCode?.kind).toBe('ANTI_PHISHING_CODE_SET');
    expect(afterCode?.body).toMatch(/^Your anti-phishing code: Tulip2024\n/);

    const enrolment = (await browser.mutate('security.totp.enrol')).data as {
      secret: string;
      uri: string;
      qrCodeSvg: string;
    };
    expect(enrolment.qrCodeSvg).toContain('<svg');
    const confirmed = await browser.mutate('security.totp.confirm', { code: totp(enrolment.secret) });
    expect((confirmed.data as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    expect((await mailbox(email))[0]?.body).toMatch(/^Your anti-phishing code: Tulip2024\n/);

    await browser.mutate('auth.logout');
    expect(browser.cookie).toBeUndefined();
    const again = await browser.mutate('auth.login', { email, password });
    expect(again.data).toEqual({ twoFactorRequired: true });
    // Half logged in: nothing protected answers.
    for (const reply of [
      await browser.query('security.sessions'),
      await browser.query('apiKeys.list'),
      await browser.mutate('apiKeys.create', { permissions: ['read'] }),
    ]) {
      expect(reply.status).toBe(403);
      expect(reply.error?.data.authCode).toBe('TWO_FACTOR_REQUIRED');
    }
    expect((await browser.query('auth.me')).data).toMatchObject({ twoFactorEnabled: true, twoFactorVerified: false });
    const halfCookie = browser.cookie;
    // The code of the step after the one confirm used (codes are accepted once).
    const verified = await browser.mutate('auth.verifyTwoFactor', {
      code: totp(enrolment.secret, Date.now() + 30_000),
    });
    expect(verified.data).toEqual({ method: 'TOTP' });
    expect(browser.cookie).not.toBe(halfCookie);

    const created = (await browser.mutate('apiKeys.create', { label: 'bot', permissions: ['read', 'trade'] })).data as {
      apiKey: string;
      secret: string;
    };
    expect(created.secret).toMatch(/^[A-Za-z0-9]{64}$/);
    const listed = (await browser.query('apiKeys.list')).data as Record<string, unknown>[];
    expect(listed.map((key) => key['apiKey'])).toEqual([created.apiKey]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const store = await ApiKeyStore.start({ sql: database.sql, keyring });
    try {
      const entry = store.lookup(created.apiKey);
      expect(entry?.hasPermission('trade')).toBe(true);
      expect(entry?.hasPermission('withdraw')).toBe(false);
    } finally {
      await store.close();
    }
    const history = (await browser.query('security.loginHistory')).data as { outcome: string; ip: string }[];
    expect(history.map((entry) => entry.outcome).slice(0, 3)).toEqual([
      'TWO_FACTOR_SUCCESS',
      'TWO_FACTOR_PENDING',
      'SUCCESS',
    ]);
    expect(history[0]?.ip).toBe('192.0.2.50');
  });
});

describe('attacks', () => {
  it('answers a wrong password and an unknown email alike, then locks out', async () => {
    const browser = new Browser('198.18.0.1');
    const email = await signedUpAndVerified(browser);
    const wrong = await browser.mutate('auth.login', { email, password: 'not the password' });
    const unknown = await browser.mutate('auth.login', { email: 'nobody@example.com', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.error?.message).toBe(unknown.error?.message);
    expect(wrong.error?.data.authCode).toBe('CREDENTIALS_INVALID');
    for (let attempt = 1; attempt < authLimits.LOGIN_FAILURES_PER_ACCOUNT_MAX; attempt++) {
      await browser.mutate('auth.login', { email, password: `guess number ${attempt}` });
    }
    const locked = await browser.mutate('auth.login', { email, password });
    expect(locked.status).toBe(401);
    expect(locked.error?.message).toBe(wrong.error?.message);
  });

  it('kills a session on logout: the old cookie is worth nothing', async () => {
    const browser = new Browser('198.18.0.2');
    const email = await signedUpAndVerified(browser);
    await browser.mutate('auth.login', { email, password });
    const stolen = browser.cookie;
    await browser.mutate('auth.logout');
    const thief = new Browser('203.0.113.66');
    thief.cookie = stolen;
    const reply = await thief.query('security.sessions');
    expect(reply.status).toBe(401);
    expect(reply.error?.data.authCode).toBe('SESSION_INVALID');
  });

  it("cannot revoke another user's session", async () => {
    const alice = new Browser('198.18.0.3');
    const bob = new Browser('198.18.0.4');
    await alice.mutate('auth.login', { email: await signedUpAndVerified(alice), password });
    await bob.mutate('auth.login', { email: await signedUpAndVerified(bob), password });
    const [aliceSession] = (await alice.query('security.sessions')).data as { publicId: string }[];
    const reply = await bob.mutate('security.revokeSession', { publicId: aliceSession?.publicId });
    expect(reply.status).toBe(404);
    expect((await alice.query('security.sessions')).status).toBe(200);
  });

  it('refuses mutations without the cookie, from another Origin, or with no Origin', async () => {
    const browser = new Browser('198.18.0.5');
    const email = await signedUpAndVerified(browser);
    await browser.mutate('auth.login', { email, password });
    const withoutCookie = new Browser('198.18.0.5');
    const reply = await withoutCookie.mutate('security.antiPhishing.set', { code: 'Evil1234' });
    expect(reply.status).toBe(401);

    const evil = new Browser('198.18.0.5', { origin: 'https://evil.example' });
    evil.cookie = browser.cookie;
    const crossSite = await evil.mutate('security.antiPhishing.set', { code: 'Evil1234' });
    expect(crossSite.status).toBe(403);
    const noOrigin = new Browser('198.18.0.5', { origin: null });
    noOrigin.cookie = browser.cookie;
    expect((await noOrigin.mutate('security.antiPhishing.set', { code: 'Evil1234' })).status).toBe(403);
    // Login CSRF too: a foreign page cannot log the victim into the attacker's account.
    expect((await evil.mutate('auth.login', { email, password })).status).toBe(403);
    expect(((await browser.query('auth.me')).data as { antiPhishingCode: string | null }).antiPhishingCode).toBeNull();
  });

  it('uses tokens once and not after they expire', async () => {
    const browser = new Browser('198.18.0.6');
    const email = await signedUpAndVerified(browser);
    await browser.mutate('auth.requestPasswordReset', { email });
    const token = tokenIn((await mailbox(email)).find((mail) => mail.kind === 'RESET_PASSWORD'));
    expect((await browser.mutate('auth.resetPassword', { token, password: 'a brand new password' })).status).toBe(200);
    const reused = await browser.mutate('auth.resetPassword', { token, password: 'attacker password!' });
    expect(reused.status).toBe(400);
    expect(reused.error?.data.authCode).toBe('TOKEN_INVALID');

    await browser.mutate('auth.requestPasswordReset', { email });
    const expiring = tokenIn((await mailbox(email)).find((mail) => mail.kind === 'RESET_PASSWORD'));
    await database.sql`update email_tokens set expires_at = now() - interval '1 second' where purpose = 'RESET_PASSWORD'`;
    expect(
      (await browser.mutate('auth.resetPassword', { token: expiring, password: 'attacker password!' })).status,
    ).toBe(400);
  });

  it('serves the mailbox only in the demo', async () => {
    const production = new Browser('198.18.0.7', { demoMailbox: false });
    expect((await production.query('mailbox.list', {})).status).toBe(404);
  });
});

describe('createTraderCaller', () => {
  it('runs procedures server-side with a context from headers, and records cookies without a response', async () => {
    const headers = new Headers({ origin: ORIGIN, host: 'portal.example', 'user-agent': 'RSC' });
    const context = await createTraderContext({
      sql: database.sql,
      keyring,
      headers,
      ip: '10.1.1.1',
      linkBaseUrl: ORIGIN,
      demoMailbox: true,
    });
    const caller = createTraderCaller(context);
    const email = `caller${++serial}@example.com`;
    await caller.auth.signUp({ email, password });
    const [mail] = await caller.mailbox.list({ to: email });
    await caller.auth.verifyEmail({ token: tokenIn(mail) });
    expect(await caller.auth.login({ email, password })).toEqual({ twoFactorRequired: false });
    expect(context.cookies.written[0]).toMatch(/^exbox_session=/);
    expect(context.cookies.written[0]).not.toContain('Secure');
    await expect(caller.security.sessions()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(caller.auth.signUp({ email: 'x', password })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
