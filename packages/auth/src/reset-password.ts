// Sets a new password with the token from a reset mail: once, before it expires. Every session of the account is
// signed out (whoever knew the old password is out), the address counts as verified (the mail reached it), and
// the account's login lockout is lifted.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { AuthError } from './codes.js';
import { enqueueMessage } from './enqueue-message.js';
import { emailTokenSchema, passwordSchema } from './internal/account-fields.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { consumeEmailToken } from './internal/email-token.js';
import { parseInput } from './internal/fields.js';
import { messages } from './internal/messages.js';
import { hashPassword } from './internal/password.js';
import { clearRateKey } from './internal/rate-limit.js';
import { loginAccountKey } from './login.js';
import { deleteOtherSessions } from './revoke-other-sessions.js';

export interface ResetPasswordOptions extends ClientInfo {
  readonly sql: Sql;
  readonly token: string;
  readonly password: string;
}

const resetPasswordInput = z.object({ token: emailTokenSchema, password: passwordSchema });

/** Throws TOKEN_INVALID (unknown, used, expired, superseded) or INPUT_INVALID (field `password`). */
export async function resetPassword(options: ResetPasswordOptions): Promise<void> {
  const input = parseInput('resetPassword', resetPasswordInput, { token: options.token, password: options.password });
  const { ip } = readClient(options);
  const passwordHash = await hashPassword(input.password);
  const email = await options.sql.begin(async (transaction) => {
    const consumed = await consumeEmailToken(transaction, input.token, 'RESET_PASSWORD');
    if (consumed === undefined) return undefined;
    const updated = await transaction`update users set password_hash = ${passwordHash},
        email_verified_at = coalesce(email_verified_at, now())
      where id = ${consumed.userId} and email = ${consumed.email}`;
    if (updated.count === 0) return undefined;
    const revoked = await deleteOtherSessions(transaction, consumed.userId, null);
    await recordAudit(transaction, {
      userId: consumed.userId,
      actor: 'user',
      action: 'password.reset',
      detail: { sessionsRevoked: revoked },
      ip,
    });
    await enqueueMessage({ sql: transaction, userId: consumed.userId, message: messages.passwordChanged() });
    return consumed.email;
  });
  if (email === undefined) throw new AuthError('TOKEN_INVALID', 'resetPassword: the link is invalid or has expired');
  await clearRateKey(options.sql, loginAccountKey(email));
}
