// Sign-up with email and password. The answer is the same whether or not the address has an account, and takes
// as long (the password is hashed either way): a new address gets a verification mail, an address that has an
// account gets a "someone tried to sign up" mail instead. Either way only the owner of the mailbox learns more.

import { randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { assert } from './codes.js';
import { enqueueMessage } from './enqueue-message.js';
import { emailSchema, passwordSchema } from './internal/account-fields.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { sha256Hex } from './internal/crypto.js';
import { issueEmailToken } from './internal/email-token.js';
import { parseInput } from './internal/fields.js';
import { messages } from './internal/messages.js';
import { hashPassword } from './internal/password.js';
import type { RandomBytesSource } from './internal/random.js';
import { isRateLimited, recordRateEvent } from './internal/rate-limit.js';
import { toSafeInteger } from './internal/rows.js';
import {
  ACCOUNT_MAIL_WINDOW_MS,
  ACCOUNT_MAILS_PER_ADDRESS_MAX,
  EMAIL_VERIFICATION_TOKEN_LIFETIME_MS,
} from './limits.js';

export interface SignUpOptions extends ClientInfo {
  readonly sql: Sql;
  readonly email: string;
  readonly password: string;
  /** The trader portal's public URL, for the link in the mail (configured, never from the request). */
  readonly linkBaseUrl: string;
  /** Tests only: a seeded source for the token and the generated username. */
  readonly randomBytes?: RandomBytesSource;
}

export interface SignUpResult {
  /** Always this: the caller cannot tell a new address from a taken one. */
  readonly status: 'CHECK_YOUR_EMAIL';
}

const signUpInput = z.object({ email: emailSchema, password: passwordSchema });

/** Mails that sign-up and password reset send to one address: bounded, so nobody can mail-bomb through us. */
export const accountMailRule = {
  max: ACCOUNT_MAILS_PER_ADDRESS_MAX,
  windowMs: ACCOUNT_MAIL_WINDOW_MS,
  lockoutMs: ACCOUNT_MAIL_WINDOW_MS,
};
export const accountMailKey = (email: string) => `mail:address:${sha256Hex(email)}`;

export async function signUp(options: SignUpOptions): Promise<SignUpResult> {
  const { email, password } = parseInput('signUp', signUpInput, { email: options.email, password: options.password });
  const { ip } = readClient(options);
  const source = options.randomBytes ?? randomBytes;
  // Hashed before we know whether the address is taken, so both paths take the same time.
  const passwordHash = await hashPassword(password);
  const mailKey = accountMailKey(email);
  if (await isRateLimited(options.sql, [mailKey])) return { status: 'CHECK_YOUR_EMAIL' };
  await recordRateEvent(options.sql, mailKey, accountMailRule);
  const username = `user-${Buffer.from(source(8)).toString('hex')}`;
  await options.sql.begin(async (transaction) => {
    const inserted = await transaction<{ id: unknown }[]>`
      insert into users (username, email, password_hash) values (${username}, ${email}, ${passwordHash})
      on conflict (email) do nothing
      returning id`;
    const row = inserted[0];
    if (row === undefined) {
      const [existing] = await transaction<{ id: unknown }[]>`select id from users where email = ${email}`;
      assert(existing !== undefined, 'an email that conflicted exists (users are never deleted)');
      const userId = toSafeInteger(existing.id, 'users.id');
      await enqueueMessage({ sql: transaction, userId, message: messages.signUpAttempted(options.linkBaseUrl) });
      return;
    }
    const userId = toSafeInteger(row.id, 'users.id');
    const token = await issueEmailToken(
      transaction,
      { userId, email, purpose: 'VERIFY_EMAIL', lifetimeMs: EMAIL_VERIFICATION_TOKEN_LIFETIME_MS },
      source,
    );
    await enqueueMessage({ sql: transaction, userId, message: messages.verifyEmail(options.linkBaseUrl, token) });
    await recordAudit(transaction, { userId, actor: 'user', action: 'account.signed_up', ip });
  });
  return { status: 'CHECK_YOUR_EMAIL' };
}
