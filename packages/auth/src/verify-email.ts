// Verifies an email address with the token from the verification mail: once, before it expires, and only while
// the account still has the address the token was sent to.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { AuthError } from './codes.js';
import { emailTokenSchema } from './internal/account-fields.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { consumeEmailToken } from './internal/email-token.js';
import { parseInput } from './internal/fields.js';

export interface VerifyEmailOptions extends ClientInfo {
  readonly sql: Sql;
  readonly token: string;
}

const verifyEmailInput = z.object({ token: emailTokenSchema });

/** Throws AuthError TOKEN_INVALID for an unknown, used, expired or superseded token. */
export async function verifyEmail(options: VerifyEmailOptions): Promise<{ userId: number }> {
  const { token } = parseInput('verifyEmail', verifyEmailInput, { token: options.token });
  const { ip } = readClient(options);
  const userId = await options.sql.begin(async (transaction) => {
    const consumed = await consumeEmailToken(transaction, token, 'VERIFY_EMAIL');
    if (consumed === undefined) return undefined;
    const updated = await transaction`update users set email_verified_at = coalesce(email_verified_at, now())
      where id = ${consumed.userId} and email = ${consumed.email}`;
    if (updated.count === 0) return undefined;
    await recordAudit(transaction, { userId: consumed.userId, actor: 'user', action: 'email.verified', ip });
    return consumed.userId;
  });
  if (userId === undefined) throw new AuthError('TOKEN_INVALID', 'verifyEmail: the link is invalid or has expired');
  return { userId };
}
