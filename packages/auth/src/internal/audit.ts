// Appends to the audit log: every security change, in the same transaction as the change itself.

import type { Queryable } from './queryable.js';

export type AuditActor = 'user' | 'system' | 'operator';

export interface AuditEntry {
  readonly userId: number | null;
  readonly actor: AuditActor;
  /** Dotted and past tense: `password.changed`, `two_factor.enabled`, `session.revoked`. */
  readonly action: string;
  /** Never a secret. */
  readonly detail?: Record<string, string | number | boolean | null>;
  readonly ip?: string | null;
}

export async function recordAudit(sql: Queryable, entry: AuditEntry): Promise<void> {
  await sql`
    insert into audit_log (user_id, actor, action, detail, ip)
    values (${entry.userId}, ${entry.actor}, ${entry.action}, ${JSON.stringify(entry.detail ?? {})}::jsonb, ${entry.ip ?? null})`;
}
