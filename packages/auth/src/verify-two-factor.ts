// Completes a login of an account with two-factor: the code (TOTP or a recovery code) turns the half-logged-in
// session into a full one. The session gets a new id (the old one is invalidated), so an id seen before the second
// factor is worth nothing after it.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { AuthError } from './codes.js';
import { twoFactorCodeSchema } from './internal/account-fields.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { parseInput } from './internal/fields.js';
import { luciaFor } from './internal/lucia.js';
import { recordLogin } from './internal/login-record.js';
import { createPortalSession } from './internal/portal-session.js';
import { checkSecondFactor, type SecondFactorMethod } from './internal/second-factor.js';
import type { MasterKeyring } from './master-key.js';
import type { SessionInfo } from './types.js';
import { validateSession } from './validate-session.js';

export interface VerifyTwoFactorOptions extends ClientInfo {
  readonly sql: Sql;
  readonly keyring: MasterKeyring;
  /** The half-logged-in session from login. */
  readonly sessionId: string;
  /** A 6-digit TOTP code or a recovery code. */
  readonly code: string;
  /** Tests only: the clock TOTP codes are checked against. */
  readonly nowMs?: number;
  /** useRecoveryCode passes 'RECOVERY_CODE'. */
  readonly accept?: 'ANY' | 'RECOVERY_CODE';
}

export interface VerifyTwoFactorResult {
  /** The new, two-factor-verified session: set it as the cookie (the old id no longer works). */
  readonly session: SessionInfo;
  readonly method: SecondFactorMethod;
}

const verifyTwoFactorInput = z.object({ code: twoFactorCodeSchema });

/** Throws SESSION_INVALID, TWO_FACTOR_NOT_PENDING, TOO_MANY_ATTEMPTS or TWO_FACTOR_CODE_INVALID. */
export async function verifyTwoFactor(options: VerifyTwoFactorOptions): Promise<VerifyTwoFactorResult> {
  const { code } = parseInput('verifyTwoFactor', verifyTwoFactorInput, { code: options.code });
  const { ip, userAgent } = readClient(options);
  const context = await validateSession({ sql: options.sql, sessionId: options.sessionId });
  if (context === undefined) throw new AuthError('SESSION_INVALID', 'verifyTwoFactor: log in again');
  if (context.session.twoFactorVerified) {
    throw new AuthError('TWO_FACTOR_NOT_PENDING', 'verifyTwoFactor: this session needs no code');
  }
  const userId = context.session.userId;
  let method: SecondFactorMethod;
  try {
    method = await checkSecondFactor({
      sql: options.sql,
      keyring: options.keyring,
      userId,
      code,
      accept: options.accept ?? 'ANY',
      ip,
      nowMs: options.nowMs ?? Date.now(),
    });
  } catch (error) {
    if (error instanceof AuthError && error.code === 'TWO_FACTOR_CODE_INVALID') {
      await recordLogin(options.sql, { userId, ip, userAgent, outcome: 'TWO_FACTOR_INVALID' });
    }
    throw error;
  }
  await luciaFor(options.sql).invalidateSession(context.session.id);
  const session = await createPortalSession(options.sql, { userId, ip, userAgent, twoFactorVerified: true });
  await recordLogin(options.sql, { userId, ip, userAgent, outcome: 'TWO_FACTOR_SUCCESS' });
  return { session, method };
}
