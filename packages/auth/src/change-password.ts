// Changes the password of a logged-in user: the current password is asked again (a borrowed session must not be
// enough), wrong guesses count like login failures, and every other session is signed out.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { AuthError, assert } from './codes.js';
import { enqueueMessage } from './enqueue-message.js';
import { passwordGivenSchema, passwordSchema } from './internal/account-fields.js';
import { loadAccount } from './internal/account-rows.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { parseInput } from './internal/fields.js';
import { messages } from './internal/messages.js';
import { hashPassword, verifyPassword } from './internal/password.js';
import { isRateLimited, recordRateEvent } from './internal/rate-limit.js';
import { LOGIN_FAILURE_WINDOW_MS, LOGIN_FAILURES_PER_ACCOUNT_MAX, LOGIN_LOCKOUT_MS } from './limits.js';
import { loginAccountKey } from './login.js';
import { deleteOtherSessions } from './revoke-other-sessions.js';

export interface ChangePasswordOptions extends ClientInfo {
  readonly sql: Sql;
  readonly userId: number;
  readonly currentSessionId: string;
  readonly currentPassword: string;
  readonly newPassword: string;
}

const changePasswordInput = z.object({ currentPassword: passwordGivenSchema, newPassword: passwordSchema });

/** Throws CREDENTIALS_INVALID (wrong or locked out) or INPUT_INVALID (field `newPassword`). */
export async function changePassword(options: ChangePasswordOptions): Promise<void> {
  const input = parseInput('changePassword', changePasswordInput, {
    currentPassword: options.currentPassword,
    newPassword: options.newPassword,
  });
  const { ip } = readClient(options);
  const account = await loadAccount(options.sql, options.userId);
  assert(account !== undefined, 'the session user exists');
  const key = account.email === null ? `password:user:${account.id}` : loginAccountKey(account.email);
  const wrong = () => new AuthError('CREDENTIALS_INVALID', 'changePassword: the current password is wrong');
  if (await isRateLimited(options.sql, [key])) throw wrong();
  if (!(await verifyPassword(account.passwordHash, input.currentPassword))) {
    await recordRateEvent(options.sql, key, {
      max: LOGIN_FAILURES_PER_ACCOUNT_MAX,
      windowMs: LOGIN_FAILURE_WINDOW_MS,
      lockoutMs: LOGIN_LOCKOUT_MS,
    });
    throw wrong();
  }
  const passwordHash = await hashPassword(input.newPassword);
  await options.sql.begin(async (transaction) => {
    await transaction`update users set password_hash = ${passwordHash} where id = ${account.id}`;
    const revoked = await deleteOtherSessions(transaction, account.id, options.currentSessionId);
    await recordAudit(transaction, {
      userId: account.id,
      actor: 'user',
      action: 'password.changed',
      detail: { sessionsRevoked: revoked },
      ip,
    });
    await enqueueMessage({ sql: transaction, userId: account.id, message: messages.passwordChanged() });
  });
}
