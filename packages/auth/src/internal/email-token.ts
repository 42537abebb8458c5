// Email tokens (verification, password reset): 256 random bits handed out once, stored as their SHA-256. A token
// is looked up by its hash, so the lookup's timing depends on a value the attacker cannot steer; the row's hash
// is compared again in constant time anyway. Consuming is one UPDATE: used once, before it expires, even when
// two requests race.

import { randomBytes } from 'node:crypto';
import { EMAIL_TOKEN_BYTES } from '../limits.js';
import { constantTimeEqual, randomToken, sha256 } from './crypto.js';
import type { Queryable } from './queryable.js';
import type { RandomBytesSource } from './random.js';
import { toSafeInteger } from './rows.js';

export type EmailTokenPurpose = 'VERIFY_EMAIL' | 'RESET_PASSWORD';

export async function issueEmailToken(
  sql: Queryable,
  token: { userId: number; email: string; purpose: EmailTokenPurpose; lifetimeMs: number },
  source: RandomBytesSource = randomBytes,
): Promise<string> {
  const text = randomToken(EMAIL_TOKEN_BYTES, source);
  // A new token supersedes the older ones of the same purpose: only the latest mail works.
  await sql`update email_tokens set used_at = now()
    where user_id = ${token.userId} and purpose = ${token.purpose} and used_at is null`;
  await sql`insert into email_tokens (user_id, purpose, token_hash, email, expires_at)
    values (${token.userId}, ${token.purpose}, ${sha256(text)}, ${token.email},
      now() + ${token.lifetimeMs}::int * interval '1 millisecond')`;
  return text;
}

/** Marks the token used and returns its user and address; undefined when unknown, used, expired or for another purpose. */
export async function consumeEmailToken(
  sql: Queryable,
  text: string,
  purpose: EmailTokenPurpose,
): Promise<{ userId: number; email: string } | undefined> {
  const hash = sha256(text);
  const rows = await sql<{ user_id: unknown; email: string; token_hash: Buffer }[]>`
    update email_tokens set used_at = now()
    where token_hash = ${hash} and purpose = ${purpose} and used_at is null and expires_at > now()
    returning user_id, email, token_hash`;
  const row = rows[0];
  if (row === undefined || !constantTimeEqual(row.token_hash, hash)) return undefined;
  return { userId: toSafeInteger(row.user_id, 'email_tokens.user_id'), email: row.email };
}
