// The user's login history, newest first: when, from where, with what, and how it went.

import type { Sql } from 'postgres';
import { LOGIN_HISTORY_ROWS_MAX } from './limits.js';
import { toDate } from './internal/rows.js';
import type { LoginHistoryEntry } from './types.js';

export interface ListLoginHistoryOptions {
  readonly sql: Sql;
  readonly userId: number;
  /** At most LOGIN_HISTORY_ROWS_MAX (the default). */
  readonly limit?: number;
}

export async function listLoginHistory(options: ListLoginHistoryOptions): Promise<LoginHistoryEntry[]> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? LOGIN_HISTORY_ROWS_MAX)), LOGIN_HISTORY_ROWS_MAX);
  const rows = await options.sql<{ created_at: unknown; ip: string; user_agent: string; outcome: string }[]>`
    select to_json(created_at) #>> '{}' as created_at, ip, user_agent, outcome
    from login_history where user_id = ${options.userId} order by id desc limit ${limit}`;
  return rows.map((row) => ({
    at: toDate(row.created_at, 'login_history.created_at'),
    ip: row.ip,
    userAgent: row.user_agent,
    outcome: row.outcome,
  }));
}
