// Integration tests of portal accounts on the real PostgreSQL (or PGlite): sign-up stores an argon2id hash and
// mails a single-use, expiring verification token (only its SHA-256 is stored); signing up with a taken address
// answers the same and mails the owner instead; login refuses unverified addresses, gives one generic error for
// unknown emails, wrong passwords and API-only users, and locks out per account and per address (also with the
// right password); sessions list by public id, can be revoked only by their owner, and die on logout; password
// reset is single use, expires, signs out everywhere and lifts the lockout; changing the password asks for the
// current one; every security change leaves an audit entry; and messages carry the anti-phishing code once set.
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '@exbox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePassword } from './change-password.js';
import { AuthError, type AuthErrorCode } from './codes.js';
import { createUser } from './create-user.js';
import { ANTI_PHISHING_LINE_PREFIX } from './enqueue-message.js';
import { listAuditLog } from './list-audit-log.js';
import { listLoginHistory } from './list-login-history.js';
import { listSessions } from './list-sessions.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { LOGIN_FAILURES_PER_ACCOUNT_MAX, LOGIN_FAILURES_PER_IP_MAX } from './limits.js';
import { requestPasswordReset } from './request-password-reset.js';
import { resetPassword } from './reset-password.js';
import { revokeOtherSessions } from './revoke-other-sessions.js';
import { revokeSession } from './revoke-session.js';
import { setAntiPhishingCode } from './set-anti-phishing-code.js';
import { signUp } from './sign-up.js';
import { latestMail, tokenOf } from './testing/mail.js';
import { SeededRandom } from './testing/seeded-random.js';
import { validateSession } from './validate-session.js';
import { verifyEmail } from './verify-email.js';

let database: TestDatabase;
const random = new SeededRandom(2024);
const linkBaseUrl = 'https://portal.example';
const password = 'correct horse battery';

beforeAll(async () => {
  console.log(`accounts.test: database ${await testDatabaseKind()}, seed ${random.seed}`);
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const rejects = async (promise: Promise<unknown>, code: AuthErrorCode): Promise<AuthError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).code).toBe(code);
  return error as AuthError;
};

let serial = 0;
/** A verified account with a fresh address (each test its own, so counters never interfere). */
async function verifiedAccount(ip = `10.0.0.${++serial}`) {
  const email = `trader${++serial}@example.com`;
  await signUp({ sql: database.sql, email, password, ip, linkBaseUrl, randomBytes: random.source });
  await verifyEmail({ sql: database.sql, token: tokenOf(await latestMail(database.sql, email, 'VERIFY_EMAIL')) });
  return email;
}

describe('sign-up and email verification', () => {
  it('stores an argon2id hash, the lower-cased address, and only the SHA-256 of the token', async () => {
    const result = await signUp({
      sql: database.sql,
      email: '  Alice@Example.COM ',
      password,
      ip: '192.0.2.1',
      userAgent: 'test',
      linkBaseUrl,
      randomBytes: random.source,
    });
    expect(result).toEqual({ status: 'CHECK_YOUR_EMAIL' });
    const [user] =
      await database.sql`select email, password_hash, email_verified_at from users where email = 'alice@example.com'`;
    expect(user?.['password_hash']).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(user?.['email_verified_at']).toBeNull();
    const mail = await latestMail(database.sql, 'alice@example.com', 'VERIFY_EMAIL');
    const token = tokenOf(mail);
    expect(mail.body).toContain(`${linkBaseUrl}/verify-email?token=`);
    const tokens = await database.sql`select token_hash from email_tokens`;
    for (const row of tokens) expect(Buffer.from(row['token_hash'] as Buffer).toString('base64url')).not.toBe(token);
    const stored = JSON.stringify(await database.sql`select * from email_tokens`);
    expect(stored).not.toContain(token);
  });

  it('refuses a login before verification (only after the right password), then verifies once', async () => {
    const email = `unverified${++serial}@example.com`;
    await signUp({ sql: database.sql, email, password, linkBaseUrl });
    await rejects(login({ sql: database.sql, email, password: 'wrong password!' }), 'CREDENTIALS_INVALID');
    await rejects(login({ sql: database.sql, email, password }), 'EMAIL_NOT_VERIFIED');
    const token = tokenOf(await latestMail(database.sql, email, 'VERIFY_EMAIL'));
    await verifyEmail({ sql: database.sql, token });
    await rejects(verifyEmail({ sql: database.sql, token }), 'TOKEN_INVALID');
    expect((await login({ sql: database.sql, email, password })).twoFactorRequired).toBe(false);
  });

  it('refuses expired, unknown and wrong-purpose tokens alike', async () => {
    const email = `expiring${++serial}@example.com`;
    await signUp({ sql: database.sql, email, password, linkBaseUrl });
    const token = tokenOf(await latestMail(database.sql, email, 'VERIFY_EMAIL'));
    await database.sql`update email_tokens set expires_at = now() - interval '1 second'
      where user_id = (select id from users where email = ${email})`;
    await rejects(verifyEmail({ sql: database.sql, token }), 'TOKEN_INVALID');
    await rejects(verifyEmail({ sql: database.sql, token: 'x'.repeat(43) }), 'TOKEN_INVALID');
    await rejects(resetPassword({ sql: database.sql, token, password: 'another password' }), 'TOKEN_INVALID');
  });

  it('answers the same for a taken address, keeps the password, and mails the owner instead', async () => {
    const email = await verifiedAccount();
    const before = await database.sql`select password_hash from users where email = ${email}`;
    const result = await signUp({
      sql: database.sql,
      email: email.toUpperCase(),
      password: 'attacker password',
      linkBaseUrl,
    });
    expect(result).toEqual({ status: 'CHECK_YOUR_EMAIL' });
    expect(await database.sql`select password_hash from users where email = ${email}`).toEqual(before);
    const mail = await latestMail(database.sql, email, 'SIGN_UP_ATTEMPTED');
    expect(mail.body).not.toMatch(/enter this code/);
    await rejects(login({ sql: database.sql, email, password: 'attacker password' }), 'CREDENTIALS_INVALID');
  });

  it('refuses weak and malformed input, naming the field and never echoing the password', async () => {
    const error = await rejects(
      signUp({ sql: database.sql, email: 'a@b.example', password: 'short', linkBaseUrl }),
      'INPUT_INVALID',
    );
    expect(error.field).toBe('password');
    expect(error.message).not.toContain('short');
    expect(
      (await rejects(signUp({ sql: database.sql, email: 'nope', password, linkBaseUrl }), 'INPUT_INVALID')).field,
    ).toBe('email');
  });
});

describe('login', () => {
  it('gives the same error for an unknown email, a wrong password and an API-only user', async () => {
    const email = await verifiedAccount();
    await createUser({ sql: database.sql, username: 'api-only' });
    const unknown = await rejects(
      login({ sql: database.sql, email: 'nobody@example.com', password }),
      'CREDENTIALS_INVALID',
    );
    const wrong = await rejects(login({ sql: database.sql, email, password: 'wrong password' }), 'CREDENTIALS_INVALID');
    expect(unknown.message).toBe(wrong.message);
  });

  it('locks an account after repeated failures, also against the right password, and records it', async () => {
    const email = await verifiedAccount();
    for (let attempt = 0; attempt < LOGIN_FAILURES_PER_ACCOUNT_MAX; attempt++) {
      // Each from another address: the account counter alone must lock.
      await rejects(
        login({ sql: database.sql, email, password: `guess ${attempt}`, ip: `198.51.100.${attempt}` }),
        'CREDENTIALS_INVALID',
      );
    }
    await rejects(login({ sql: database.sql, email, password, ip: '203.0.113.9' }), 'CREDENTIALS_INVALID');
    const [user] = await database.sql`select id from users where email = ${email}`;
    const userId = Number(user?.['id']);
    const history = await listLoginHistory({ sql: database.sql, userId });
    expect(history[0]?.outcome).toBe('LOCKED');
    expect(history.filter((entry) => entry.outcome === 'PASSWORD_INVALID')).toHaveLength(
      LOGIN_FAILURES_PER_ACCOUNT_MAX,
    );
    expect((await listAuditLog({ sql: database.sql, userId })).map((entry) => entry.action)).toContain(
      'login.locked_out',
    );
    // The lock expires: move the window back rather than wait.
    await database.sql`update auth_rate_limits set locked_until = now() - interval '1 second'`;
    expect((await login({ sql: database.sql, email, password, ip: '203.0.113.9' })).session.id).toMatch(
      /^[a-z2-7]{40}$/,
    );
  });

  it('locks unknown emails the same way (a lockout reveals nothing) and locks an address spraying many accounts', async () => {
    const ip = '233.252.0.7';
    for (let attempt = 0; attempt < LOGIN_FAILURES_PER_IP_MAX; attempt++) {
      await rejects(
        login({ sql: database.sql, email: `spray${attempt}@example.com`, password: 'Password123', ip }),
        'CREDENTIALS_INVALID',
      );
    }
    const email = await verifiedAccount();
    await rejects(login({ sql: database.sql, email, password, ip }), 'CREDENTIALS_INVALID');
    expect((await login({ sql: database.sql, email, password, ip: '233.252.0.8' })).twoFactorRequired).toBe(false);
    await database.sql`update auth_rate_limits set locked_until = null`;
  });
});

describe('sessions', () => {
  it('lists sessions by public id, revokes only the owner’s, and a logged-out session is dead', async () => {
    const email = await verifiedAccount();
    const first = await login({ sql: database.sql, email, password, ip: '192.0.2.10', userAgent: 'Firefox' });
    const second = await login({ sql: database.sql, email, password, ip: '192.0.2.11', userAgent: 'Chrome' });
    const userId = first.session.userId;
    const listed = await listSessions({ sql: database.sql, userId, currentSessionId: second.session.id });
    expect(listed.map((session) => session.userAgent)).toEqual(['Chrome', 'Firefox']);
    expect(listed[0]?.current).toBe(true);
    expect(JSON.stringify(listed)).not.toContain(first.session.id);

    const otherEmail = await verifiedAccount();
    const other = await login({ sql: database.sql, email: otherEmail, password });
    await rejects(
      revokeSession({ sql: database.sql, userId: other.session.userId, publicId: first.session.publicId }),
      'SESSION_NOT_FOUND',
    );
    expect(await validateSession({ sql: database.sql, sessionId: first.session.id })).toBeDefined();
    await revokeSession({ sql: database.sql, userId, publicId: first.session.publicId, ip: '192.0.2.11' });
    expect(await validateSession({ sql: database.sql, sessionId: first.session.id })).toBeUndefined();

    await logout({ sql: database.sql, sessionId: second.session.id });
    expect(await validateSession({ sql: database.sql, sessionId: second.session.id })).toBeUndefined();
    expect(await validateSession({ sql: database.sql, sessionId: 'garbage' })).toBeUndefined();
    expect(await validateSession({ sql: database.sql, sessionId: undefined })).toBeUndefined();
    expect((await listAuditLog({ sql: database.sql, userId })).map((entry) => entry.action)).toContain(
      'session.revoked',
    );
  });

  it('revokes every other session', async () => {
    const email = await verifiedAccount();
    const sessions = [];
    for (let index = 0; index < 3; index++)
      sessions.push((await login({ sql: database.sql, email, password })).session);
    const [keep, ...others] = sessions;
    if (keep === undefined) throw new Error('no session');
    expect(await revokeOtherSessions({ sql: database.sql, userId: keep.userId, currentSessionId: keep.id })).toEqual({
      revoked: 2,
    });
    expect(await validateSession({ sql: database.sql, sessionId: keep.id })).toBeDefined();
    for (const session of others)
      expect(await validateSession({ sql: database.sql, sessionId: session.id })).toBeUndefined();
  });
});

describe('passwords', () => {
  it('resets once with the mailed token, signs out everywhere and lifts the lockout; a newer request supersedes', async () => {
    const email = await verifiedAccount();
    const session = (await login({ sql: database.sql, email, password })).session;
    for (let attempt = 0; attempt < LOGIN_FAILURES_PER_ACCOUNT_MAX; attempt++) {
      await rejects(
        login({ sql: database.sql, email, password: 'nope nope nope', ip: `10.9.0.${attempt}` }),
        'CREDENTIALS_INVALID',
      );
    }
    await requestPasswordReset({ sql: database.sql, email, linkBaseUrl });
    const superseded = tokenOf(await latestMail(database.sql, email, 'RESET_PASSWORD'));
    await requestPasswordReset({ sql: database.sql, email, linkBaseUrl });
    const token = tokenOf(await latestMail(database.sql, email, 'RESET_PASSWORD'));
    await rejects(resetPassword({ sql: database.sql, token: superseded, password: 'a new password' }), 'TOKEN_INVALID');
    await resetPassword({ sql: database.sql, token, password: 'a new password' });
    await rejects(resetPassword({ sql: database.sql, token, password: 'a third password' }), 'TOKEN_INVALID');
    expect(await validateSession({ sql: database.sql, sessionId: session.id })).toBeUndefined();
    await rejects(login({ sql: database.sql, email, password }), 'CREDENTIALS_INVALID');
    expect((await login({ sql: database.sql, email, password: 'a new password' })).twoFactorRequired).toBe(false);
    const actions = (await listAuditLog({ sql: database.sql, userId: session.userId })).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['password.reset_requested', 'password.reset']));
  });

  it('answers the same for unknown addresses and sends nothing; reset tokens expire', async () => {
    const before = (await database.sql`select count(*)::int as n from outbox`)[0]?.['n'];
    expect(await requestPasswordReset({ sql: database.sql, email: 'ghost@example.com', linkBaseUrl })).toEqual({
      status: 'CHECK_YOUR_EMAIL',
    });
    expect((await database.sql`select count(*)::int as n from outbox`)[0]?.['n']).toBe(before);
    const email = await verifiedAccount();
    await requestPasswordReset({ sql: database.sql, email, linkBaseUrl });
    const token = tokenOf(await latestMail(database.sql, email, 'RESET_PASSWORD'));
    await database.sql`update email_tokens set expires_at = now() - interval '1 second' where purpose = 'RESET_PASSWORD'`;
    await rejects(resetPassword({ sql: database.sql, token, password: 'a new password' }), 'TOKEN_INVALID');
  });

  it('caps reset mails per address', async () => {
    const email = await verifiedAccount();
    for (let index = 0; index < 10; index++) await requestPasswordReset({ sql: database.sql, email, linkBaseUrl });
    const resets =
      await database.sql`select count(*)::int as n from outbox where to_address = ${email} and kind = 'RESET_PASSWORD'`;
    // Sign-up's verification mail counted too: 5 per address and hour in all.
    expect(resets[0]?.['n']).toBe(4);
  });

  it('changes the password only with the current one, and signs out the other sessions', async () => {
    const email = await verifiedAccount();
    const current = (await login({ sql: database.sql, email, password })).session;
    const other = (await login({ sql: database.sql, email, password })).session;
    const base = { sql: database.sql, userId: current.userId, currentSessionId: current.id };
    await rejects(
      changePassword({ ...base, currentPassword: 'not it at all', newPassword: 'brand new password' }),
      'CREDENTIALS_INVALID',
    );
    await changePassword({ ...base, currentPassword: password, newPassword: 'brand new password' });
    expect(await validateSession({ sql: database.sql, sessionId: current.id })).toBeDefined();
    expect(await validateSession({ sql: database.sql, sessionId: other.id })).toBeUndefined();
    expect((await latestMail(database.sql, email, 'PASSWORD_CHANGED')).subject).toMatch(/password was changed/);
  });
});

describe('anti-phishing code', () => {
  it('opens every later message, is validated, and is not written to the audit log', async () => {
    const email = await verifiedAccount();
    const { session } = await login({ sql: database.sql, email, password });
    const verification = await latestMail(database.sql, email, 'VERIFY_EMAIL');
    expect(verification.body).not.toContain(ANTI_PHISHING_LINE_PREFIX);
    await rejects(setAntiPhishingCode({ sql: database.sql, userId: session.userId, code: 'no!' }), 'INPUT_INVALID');
    await setAntiPhishingCode({ sql: database.sql, userId: session.userId, code: 'Blue42Moon' });
    expect((await latestMail(database.sql, email, 'ANTI_PHISHING_CODE_SET')).body).toMatch(
      /^Your anti-phishing code: Blue42Moon\n/,
    );
    await requestPasswordReset({ sql: database.sql, email, linkBaseUrl });
    expect((await latestMail(database.sql, email, 'RESET_PASSWORD')).body).toMatch(
      /^Your anti-phishing code: Blue42Moon\n/,
    );
    const audit = await listAuditLog({ sql: database.sql, userId: session.userId });
    expect(audit.map((entry) => entry.action)).toContain('anti_phishing_code.set');
    expect(JSON.stringify(audit)).not.toContain('Blue42Moon');
  });
});
