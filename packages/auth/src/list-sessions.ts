// A user's active sessions for the session list, newest first. Sessions are named by their public id (SHA-256 of
// the id): the list never hands out the bearer tokens themselves.

import type { Sql } from 'postgres';
import { toDate } from './internal/rows.js';
import type { SessionListing } from './types.js';

export interface ListSessionsOptions {
  readonly sql: Sql;
  readonly userId: number;
  /** The caller's own session, marked `current`. */
  readonly currentSessionId?: string;
}

export async function listSessions(options: ListSessionsOptions): Promise<SessionListing[]> {
  const rows = await options.sql<
    {
      id: string;
      public_id: string;
      created_at: unknown;
      expires_at: unknown;
      ip: string;
      user_agent: string;
      two_factor_verified: boolean;
    }[]
  >`select id, public_id, to_json(created_at) #>> '{}' as created_at, to_json(expires_at) #>> '{}' as expires_at,
      ip, user_agent, two_factor_verified
    from sessions where user_id = ${options.userId} and expires_at > now()
    order by created_at desc, public_id`;
  return rows.map((row) => ({
    publicId: row.public_id,
    createdAt: toDate(row.created_at, 'sessions.created_at'),
    expiresAt: toDate(row.expires_at, 'sessions.expires_at'),
    ip: row.ip,
    userAgent: row.user_agent,
    twoFactorVerified: row.two_factor_verified,
    current: row.id === options.currentSessionId,
  }));
}
