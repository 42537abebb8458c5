// A user's audit entries, newest first (for support and the admin console; the portal does not show them yet).

import type { Sql } from 'postgres';
import { LOGIN_HISTORY_ROWS_MAX } from './limits.js';
import { toDate, toSafeInteger } from './internal/rows.js';
import type { AuditLogEntry } from './types.js';

export interface ListAuditLogOptions {
  readonly sql: Sql;
  readonly userId: number;
}

export async function listAuditLog(options: ListAuditLogOptions): Promise<AuditLogEntry[]> {
  const rows = await options.sql<
    {
      id: unknown;
      user_id: unknown;
      actor: string;
      action: string;
      detail: unknown;
      ip: string | null;
      created_at: unknown;
    }[]
  >`select id, user_id, actor, action, detail, ip, to_json(created_at) #>> '{}' as created_at
    from audit_log where user_id = ${options.userId} order by id desc limit ${LOGIN_HISTORY_ROWS_MAX}`;
  return rows.map((row) => ({
    id: toSafeInteger(row.id, 'audit_log.id'),
    userId: row.user_id === null ? null : toSafeInteger(row.user_id, 'audit_log.user_id'),
    actor: row.actor,
    action: row.action,
    detail: (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Record<string, unknown>,
    ip: row.ip,
    createdAt: toDate(row.created_at, 'audit_log.created_at'),
  }));
}
