// Starts a password reset: a single-use link, valid PASSWORD_RESET_TOKEN_LIFETIME_MS, to the account's address.
// The answer is the same whether or not the address has an account; at most ACCOUNT_MAILS_PER_ADDRESS_MAX mails
// per address and window, so nobody can flood a mailbox through us.

import { randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { enqueueMessage } from './enqueue-message.js';
import { emailSchema } from './internal/account-fields.js';
import { loadAccountByEmail } from './internal/account-rows.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { issueEmailToken } from './internal/email-token.js';
import { parseInput } from './internal/fields.js';
import { messages } from './internal/messages.js';
import type { RandomBytesSource } from './internal/random.js';
import { isRateLimited, recordRateEvent } from './internal/rate-limit.js';
import { PASSWORD_RESET_TOKEN_LIFETIME_MS } from './limits.js';
import { accountMailKey, accountMailRule } from './sign-up.js';

export interface RequestPasswordResetOptions extends ClientInfo {
  readonly sql: Sql;
  readonly email: string;
  readonly linkBaseUrl: string;
  readonly randomBytes?: RandomBytesSource;
}

const requestPasswordResetInput = z.object({ email: emailSchema });

export async function requestPasswordReset(
  options: RequestPasswordResetOptions,
): Promise<{ status: 'CHECK_YOUR_EMAIL' }> {
  const { email } = parseInput('requestPasswordReset', requestPasswordResetInput, { email: options.email });
  const { ip } = readClient(options);
  const answer = { status: 'CHECK_YOUR_EMAIL' } as const;
  const mailKey = accountMailKey(email);
  if (await isRateLimited(options.sql, [mailKey])) return answer;
  await recordRateEvent(options.sql, mailKey, accountMailRule);
  const account = await loadAccountByEmail(options.sql, email);
  if (account === undefined || account.email === null) return answer;
  const userId = account.id;
  const accountEmail = account.email;
  await options.sql.begin(async (transaction) => {
    const token = await issueEmailToken(
      transaction,
      { userId, email: accountEmail, purpose: 'RESET_PASSWORD', lifetimeMs: PASSWORD_RESET_TOKEN_LIFETIME_MS },
      options.randomBytes ?? randomBytes,
    );
    await enqueueMessage({ sql: transaction, userId, message: messages.resetPassword(options.linkBaseUrl, token) });
    await recordAudit(transaction, { userId, actor: 'user', action: 'password.reset_requested', ip });
  });
  return answer;
}
