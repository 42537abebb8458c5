// Reads the session a cookie names, through lucia (expiry, sliding renewal), and its account. A session that is
// waiting for the second factor lives SESSION_PENDING_TWO_FACTOR_MS at most, whatever lucia's expiry says.

import type { Sql } from 'postgres';
import { assert } from './codes.js';
import { sessionIdSchema } from './internal/account-fields.js';
import { loadAccount, toAccount } from './internal/account-rows.js';
import { luciaFor } from './internal/lucia.js';
import { SESSION_PENDING_TWO_FACTOR_MS } from './limits.js';
import type { SessionContext } from './types.js';

export interface ValidateSessionOptions {
  readonly sql: Sql;
  /** The session cookie's value; anything malformed is simply no session. */
  readonly sessionId: string | null | undefined;
  /** Tests only: the clock for the pending two-factor bound. */
  readonly nowMs?: number;
}

/** The session and its account, or undefined when there is none (unknown, expired, revoked, malformed). */
export async function validateSession(options: ValidateSessionOptions): Promise<SessionContext | undefined> {
  const parsed = sessionIdSchema.safeParse(options.sessionId);
  if (!parsed.success) return undefined;
  const lucia = luciaFor(options.sql);
  const { session } = await lucia.validateSession(parsed.data);
  if (session === null) return undefined;
  const nowMs = options.nowMs ?? Date.now();
  if (!session.twoFactorVerified && nowMs - session.createdAt.getTime() > SESSION_PENDING_TWO_FACTOR_MS) {
    await lucia.invalidateSession(session.id);
    return undefined;
  }
  const account = await loadAccount(options.sql, session.userId);
  assert(account !== undefined, 'a session belongs to an existing user (users are never deleted)');
  return {
    session: {
      id: session.id,
      publicId: session.publicId,
      userId: session.userId,
      expiresAt: session.expiresAt,
      createdAt: session.createdAt,
      ip: session.ip,
      userAgent: session.userAgent,
      twoFactorVerified: session.twoFactorVerified,
    },
    account: toAccount(account),
    fresh: session.fresh,
  };
}
