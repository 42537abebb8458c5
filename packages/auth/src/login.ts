// Login with email and password. Every failure that could tell an attacker something gives the same
// CREDENTIALS_INVALID: an unknown email, a wrong password, an account without a password (API-only users), and a
// lockout. Failures count per account (by email, also for emails without an account, so a lockout reveals nothing)
// and per address; at the limit both are locked for LOGIN_LOCKOUT_MS. The password is checked against a dummy
// hash when there is no account, so unknown emails take as long as wrong passwords. With two-factor enabled, the
// session returned is not two-factor-verified: it can only be completed (verifyTwoFactor) or logged out.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { AuthError } from './codes.js';
import { emailSchema, passwordGivenSchema } from './internal/account-fields.js';
import { loadAccountByEmail } from './internal/account-rows.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { sha256Hex } from './internal/crypto.js';
import { parseInput } from './internal/fields.js';
import { recordLogin } from './internal/login-record.js';
import { verifyPassword } from './internal/password.js';
import { createPortalSession } from './internal/portal-session.js';
import { clearRateKey, isRateLimited, recordRateEvent } from './internal/rate-limit.js';
import {
  LOGIN_FAILURE_WINDOW_MS,
  LOGIN_FAILURES_PER_ACCOUNT_MAX,
  LOGIN_FAILURES_PER_IP_MAX,
  LOGIN_LOCKOUT_MS,
} from './limits.js';
import type { SessionInfo } from './types.js';

export interface LoginOptions extends ClientInfo {
  readonly sql: Sql;
  readonly email: string;
  readonly password: string;
}

export interface LoginResult {
  readonly session: SessionInfo;
  /** True when the account has two-factor: the session is usable only after verifyTwoFactor. */
  readonly twoFactorRequired: boolean;
}

const loginInput = z.object({ email: emailSchema, password: passwordGivenSchema });

const accountRule = {
  max: LOGIN_FAILURES_PER_ACCOUNT_MAX,
  windowMs: LOGIN_FAILURE_WINDOW_MS,
  lockoutMs: LOGIN_LOCKOUT_MS,
};
const ipRule = { max: LOGIN_FAILURES_PER_IP_MAX, windowMs: LOGIN_FAILURE_WINDOW_MS, lockoutMs: LOGIN_LOCKOUT_MS };

/** The counter of one email's login failures (also for emails without an account). */
export const loginAccountKey = (email: string) => `login:account:${sha256Hex(email)}`;
export const loginIpKey = (ip: string) => `login:ip:${ip}`;

const credentialsInvalid = () => new AuthError('CREDENTIALS_INVALID', 'login: wrong email or password');

/** Throws CREDENTIALS_INVALID (whatever the reason), EMAIL_NOT_VERIFIED (after a right password), INPUT_INVALID. */
export async function login(options: LoginOptions): Promise<LoginResult> {
  const { sql } = options;
  const { email, password } = parseInput('login', loginInput, { email: options.email, password: options.password });
  const { ip, userAgent } = readClient(options);
  const accountKey = loginAccountKey(email);
  const ipKey = loginIpKey(ip);
  const account = await loadAccountByEmail(sql, email);

  if (await isRateLimited(sql, [accountKey, ipKey])) {
    if (account !== undefined) await recordLogin(sql, { userId: account.id, ip, userAgent, outcome: 'LOCKED' });
    throw credentialsInvalid();
  }
  const passwordMatches = await verifyPassword(account?.passwordHash, password);
  if (account === undefined || !passwordMatches) {
    const accountLocked = await recordRateEvent(sql, accountKey, accountRule);
    await recordRateEvent(sql, ipKey, ipRule);
    if (account !== undefined) {
      await recordLogin(sql, { userId: account.id, ip, userAgent, outcome: 'PASSWORD_INVALID' });
      if (accountLocked) {
        await recordAudit(sql, { userId: account.id, actor: 'system', action: 'login.locked_out', ip });
      }
    }
    throw credentialsInvalid();
  }
  await clearRateKey(sql, accountKey);
  if (account.emailVerifiedAt === null) {
    await recordLogin(sql, { userId: account.id, ip, userAgent, outcome: 'EMAIL_NOT_VERIFIED' });
    throw new AuthError('EMAIL_NOT_VERIFIED', 'login: confirm your email address first (see the mail we sent)');
  }
  const twoFactorRequired = account.totpEnabledAt !== null;
  const session = await createPortalSession(sql, {
    userId: account.id,
    ip,
    userAgent,
    twoFactorVerified: !twoFactorRequired,
  });
  await recordLogin(sql, {
    userId: account.id,
    ip,
    userAgent,
    outcome: twoFactorRequired ? 'TWO_FACTOR_PENDING' : 'SUCCESS',
  });
  return { session, twoFactorRequired };
}
