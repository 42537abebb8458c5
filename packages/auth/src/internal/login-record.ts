// One row of a user's login history.

import type { Queryable } from './queryable.js';

export type LoginOutcome =
  | 'SUCCESS'
  | 'TWO_FACTOR_PENDING'
  | 'TWO_FACTOR_SUCCESS'
  | 'PASSWORD_INVALID'
  | 'TWO_FACTOR_INVALID'
  | 'LOCKED'
  | 'EMAIL_NOT_VERIFIED';

export async function recordLogin(
  sql: Queryable,
  entry: { userId: number; ip: string; userAgent: string; outcome: LoginOutcome },
): Promise<void> {
  await sql`insert into login_history (user_id, ip, user_agent, outcome)
    values (${entry.userId}, ${entry.ip}, ${entry.userAgent}, ${entry.outcome})`;
}
