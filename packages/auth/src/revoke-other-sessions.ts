// Signs out every session of the user but the current one ("sign out everywhere else").

import type { Sql } from 'postgres';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import type { Queryable } from './internal/queryable.js';

export interface RevokeOtherSessionsOptions extends ClientInfo {
  readonly sql: Sql;
  readonly userId: number;
  readonly currentSessionId: string;
}

/** Also used inside other changes (password, two-factor): deletes the rows and returns how many. */
export async function deleteOtherSessions(
  sql: Queryable,
  userId: number,
  keepSessionId: string | null,
): Promise<number> {
  const deleted = await sql`delete from sessions
    where user_id = ${userId} and (${keepSessionId}::text is null or id <> ${keepSessionId}::text)`;
  return deleted.count;
}

export async function revokeOtherSessions(options: RevokeOtherSessionsOptions): Promise<{ revoked: number }> {
  const { ip } = readClient(options);
  return options.sql.begin(async (transaction) => {
    const revoked = await deleteOtherSessions(transaction, options.userId, options.currentSessionId);
    await recordAudit(transaction, {
      userId: options.userId,
      actor: 'user',
      action: 'session.revoked_others',
      detail: { revoked },
      ip,
    });
    return { revoked };
  });
}
