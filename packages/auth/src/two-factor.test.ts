// Integration tests of TOTP two-factor on PostgreSQL (or PGlite), with codes computed by otpauth at fixed,
// injected times: enrolment stores the secret encrypted only and returns a URI and an SVG QR code; confirming needs
// a right code and returns ten single-use recovery codes once; login then yields a session that is not
// two-factor-verified and expires after 10 minutes; verifyTwoFactor rotates the session id; a code is never
// accepted twice (replay); wrong codes lock two-factor after five; recovery codes work once; disabling needs a
// code; requireTwoFactor refuses half-logged-in sessions; API key creation through the portal is gated, audited
// and mailed.
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, type AuthErrorCode } from './codes.js';
import { confirmTotp } from './confirm-totp.js';
import { createAccountApiKey } from './create-account-api-key.js';
import { disableTotp } from './disable-totp.js';
import { enrolTotp } from './enrol-totp.js';
import { listApiKeys } from './list-api-keys.js';
import { listAuditLog } from './list-audit-log.js';
import { login } from './login.js';
import { MasterKeyring } from './master-key.js';
import { requireTwoFactor } from './require-two-factor.js';
import { signUp } from './sign-up.js';
import { latestMail, tokenOf } from './testing/mail.js';
import { SeededRandom } from './testing/seeded-random.js';
import { useRecoveryCode } from './use-recovery-code.js';
import { validateSession } from './validate-session.js';
import { verifyEmail } from './verify-email.js';
import { verifyTwoFactor } from './verify-two-factor.js';

let database: TestDatabase;
const random = new SeededRandom(77);
const keyring = new MasterKeyring(Buffer.from(random.bytes(32)));
const password = 'correct horse battery';
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const codeAt = (secret: string, timestamp: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp });

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const rejects = async (promise: Promise<unknown>, code: AuthErrorCode) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).code).toBe(code);
};

let serial = 0;
/** A verified account with two-factor on: its session, TOTP secret and recovery codes. */
async function accountWithTwoFactor() {
  const email = `twofactor${++serial}@example.com`;
  await signUp({ sql: database.sql, email, password, linkBaseUrl: 'https://portal.example' });
  await verifyEmail({ sql: database.sql, token: tokenOf(await latestMail(database.sql, email, 'VERIFY_EMAIL')) });
  const { session } = await login({ sql: database.sql, email, password });
  const enrolment = await enrolTotp({ sql: database.sql, keyring, userId: session.userId, randomBytes: random.source });
  const { recoveryCodes } = await confirmTotp({
    sql: database.sql,
    keyring,
    userId: session.userId,
    currentSessionId: session.id,
    code: codeAt(enrolment.secret, T0),
    nowMs: T0,
    randomBytes: random.source,
  });
  return { email, session, secret: enrolment.secret, recoveryCodes };
}

describe('enrolment', () => {
  it('stores the secret encrypted only, and returns a URI, an SVG QR code and ten recovery codes once', async () => {
    const email = `enrol${++serial}@example.com`;
    await signUp({ sql: database.sql, email, password, linkBaseUrl: 'https://portal.example' });
    await verifyEmail({ sql: database.sql, token: tokenOf(await latestMail(database.sql, email, 'VERIFY_EMAIL')) });
    const { session } = await login({ sql: database.sql, email, password });
    const other = (await login({ sql: database.sql, email, password })).session;
    const enrolment = await enrolTotp({ sql: database.sql, keyring, userId: session.userId });
    expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\/exbox:.*secret=[A-Z2-7]+/);
    expect(enrolment.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const [row] = await database.sql`select * from users where id = ${session.userId}`;
    expect(JSON.stringify(row)).not.toContain(enrolment.secret);
    expect(row?.['totp_enabled_at']).toBeNull();
    expect(await validateSession({ sql: database.sql, sessionId: other.id })).toBeDefined();
    const base = { sql: database.sql, keyring, userId: session.userId, currentSessionId: session.id, nowMs: T0 };
    await rejects(confirmTotp({ ...base, code: codeAt(enrolment.secret, T0 - 5 * 60_000) }), 'TWO_FACTOR_CODE_INVALID');
    const { recoveryCodes } = await confirmTotp({ ...base, code: codeAt(enrolment.secret, T0) });
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = JSON.stringify(await database.sql`select * from recovery_codes`);
    for (const code of recoveryCodes) expect(stored).not.toContain(code.replaceAll('-', ''));
    // Other sessions never passed the second factor: they are signed out.
    expect((await validateSession({ sql: database.sql, sessionId: session.id }))?.account.twoFactorEnabled).toBe(true);
    expect(await validateSession({ sql: database.sql, sessionId: other.id })).toBeUndefined();
    await rejects(enrolTotp({ sql: database.sql, keyring, userId: session.userId }), 'TWO_FACTOR_ALREADY_ENABLED');
    expect((await listAuditLog({ sql: database.sql, userId: session.userId })).map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['two_factor.enrolment_started', 'two_factor.enabled']),
    );
    expect((await latestMail(database.sql, email, 'TWO_FACTOR_ENABLED')).subject).toMatch(/on/);
  });
});

describe('login with two-factor', () => {
  it('gives a half session that protected actions refuse, completes with a code, rotates the id, and refuses replay', async () => {
    const { email, secret } = await accountWithTwoFactor();
    const pending = await login({ sql: database.sql, email, password });
    expect(pending.twoFactorRequired).toBe(true);
    const half = await validateSession({ sql: database.sql, sessionId: pending.session.id });
    if (half === undefined) throw new Error('no session');
    expect(() => requireTwoFactor(half)).toThrow(expect.objectContaining({ code: 'TWO_FACTOR_REQUIRED' }));
    await rejects(
      createAccountApiKey({ sql: database.sql, keyring, context: half, permissions: ['read'] }),
      'TWO_FACTOR_REQUIRED',
    );
    const at = T0 + 60_000;
    const verified = await verifyTwoFactor({
      sql: database.sql,
      keyring,
      sessionId: pending.session.id,
      code: codeAt(secret, at),
      nowMs: at,
    });
    expect(verified.session.id).not.toBe(pending.session.id);
    expect(verified.session.twoFactorVerified).toBe(true);
    expect(await validateSession({ sql: database.sql, sessionId: pending.session.id })).toBeUndefined();
    const full = await validateSession({ sql: database.sql, sessionId: verified.session.id });
    if (full === undefined) throw new Error('no session');
    expect(() => requireTwoFactor(full)).not.toThrow();

    // The same code again, in another login within its window: refused.
    const again = await login({ sql: database.sql, email, password });
    await rejects(
      verifyTwoFactor({
        sql: database.sql,
        keyring,
        sessionId: again.session.id,
        code: codeAt(secret, at),
        nowMs: at + 1_000,
      }),
      'TWO_FACTOR_CODE_INVALID',
    );
    await rejects(
      verifyTwoFactor({ sql: database.sql, keyring, sessionId: verified.session.id, code: '123456', nowMs: at }),
      'TWO_FACTOR_NOT_PENDING',
    );
  });

  it('drops a half session after 10 minutes', async () => {
    const { email } = await accountWithTwoFactor();
    const pending = await login({ sql: database.sql, email, password });
    const later = Date.now() + 11 * 60_000;
    expect(await validateSession({ sql: database.sql, sessionId: pending.session.id, nowMs: later })).toBeUndefined();
    expect(await validateSession({ sql: database.sql, sessionId: pending.session.id })).toBeUndefined();
  });

  it('locks two-factor after five wrong codes, even for the right one', async () => {
    const { email, secret } = await accountWithTwoFactor();
    const pending = await login({ sql: database.sql, email, password });
    const at = T0 + 10 * 60_000;
    const right = codeAt(secret, at);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const attempt = (code: string) =>
      verifyTwoFactor({ sql: database.sql, keyring, sessionId: pending.session.id, code, nowMs: at });
    for (let index = 0; index < 5; index++) await rejects(attempt(wrong), 'TWO_FACTOR_CODE_INVALID');
    await rejects(attempt(right), 'TOO_MANY_ATTEMPTS');
    expect(
      (await listAuditLog({ sql: database.sql, userId: pending.session.userId })).map((entry) => entry.action),
    ).toContain('two_factor.locked_out');
  });

  it('accepts each recovery code once (dashes and case ignored) and mails how many remain', async () => {
    const { email, recoveryCodes } = await accountWithTwoFactor();
    const [code] = recoveryCodes;
    if (code === undefined) throw new Error('no code');
    const first = await login({ sql: database.sql, email, password });
    const result = await useRecoveryCode({
      sql: database.sql,
      keyring,
      sessionId: first.session.id,
      code: code.toLowerCase(),
    });
    expect(result.method).toBe('RECOVERY_CODE');
    expect((await latestMail(database.sql, email, 'RECOVERY_CODE_USED')).body).toContain('9 remain');
    const second = await login({ sql: database.sql, email, password });
    await rejects(
      useRecoveryCode({ sql: database.sql, keyring, sessionId: second.session.id, code }),
      'TWO_FACTOR_CODE_INVALID',
    );
    // useRecoveryCode takes recovery codes only.
    await rejects(
      useRecoveryCode({ sql: database.sql, keyring, sessionId: second.session.id, code: '000000' }),
      'TWO_FACTOR_CODE_INVALID',
    );
  });
});

describe('disabling and API keys', () => {
  it('needs a valid code to turn two-factor off, then logins need none', async () => {
    const { email, session, secret } = await accountWithTwoFactor();
    const base = { sql: database.sql, keyring, userId: session.userId };
    await rejects(disableTotp({ ...base, code: '000000', nowMs: T0 + 120_000 }), 'TWO_FACTOR_CODE_INVALID');
    await disableTotp({ ...base, code: codeAt(secret, T0 + 120_000), nowMs: T0 + 120_000 });
    expect((await login({ sql: database.sql, email, password })).twoFactorRequired).toBe(false);
    await rejects(
      disableTotp({ ...base, code: codeAt(secret, T0 + 180_000), nowMs: T0 + 180_000 }),
      'TWO_FACTOR_NOT_ENABLED',
    );
    expect(
      (await database.sql`select count(*)::int as n from recovery_codes where user_id = ${session.userId}`)[0]?.['n'],
    ).toBe(0);
    expect((await latestMail(database.sql, email, 'TWO_FACTOR_DISABLED')).subject).toMatch(/off/);
  });

  it('refuses an API key to an account without two-factor, whose password alone would mint one', async () => {
    const { session } = await accountWithTwoFactor();
    const context = await validateSession({ sql: database.sql, sessionId: session.id });
    if (context === undefined) throw new Error('no session');
    const withoutTwoFactor = { ...context, account: { ...context.account, twoFactorEnabled: false } };
    await rejects(
      createAccountApiKey({ sql: database.sql, keyring, context: withoutTwoFactor, permissions: ['read'] }),
      'TWO_FACTOR_NOT_ENABLED',
    );
    expect(await listApiKeys({ sql: database.sql, userId: session.userId })).toEqual([]);
  });

  it('creates an API key from a verified session, audited and mailed, and never logs the secret', async () => {
    const { email, session } = await accountWithTwoFactor();
    const context = await validateSession({ sql: database.sql, sessionId: session.id });
    if (context === undefined) throw new Error('no session');
    const created = await createAccountApiKey({
      sql: database.sql,
      keyring,
      context,
      label: 'bot',
      permissions: ['read', 'trade'],
      ip: '192.0.2.5',
    });
    expect(created.secret).toMatch(/^[A-Za-z0-9]{64}$/);
    const audit = await listAuditLog({ sql: database.sql, userId: session.userId });
    expect(audit[0]).toMatchObject({ action: 'api_key.created', ip: '192.0.2.5', detail: { label: 'bot' } });
    expect(JSON.stringify(audit)).not.toContain(created.secret);
    expect((await latestMail(database.sql, email, 'API_KEY_CREATED')).body).not.toContain(created.secret);
  });
});
