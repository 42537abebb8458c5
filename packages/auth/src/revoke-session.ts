// Signs one of the user's own sessions out ("this is not my device"). Scoped to the user: another user's session
// and an unknown one give the same SESSION_NOT_FOUND.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { AuthError } from './codes.js';
import { sessionPublicIdSchema } from './internal/account-fields.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { parseInput, userIdSchema } from './internal/fields.js';

export interface RevokeSessionOptions extends ClientInfo {
  readonly sql: Sql;
  readonly userId: number;
  /** From listSessions. */
  readonly publicId: string;
}

const revokeSessionInput = z.object({ userId: userIdSchema, publicId: sessionPublicIdSchema });

export async function revokeSession(options: RevokeSessionOptions): Promise<void> {
  const input = parseInput('revokeSession', revokeSessionInput, { userId: options.userId, publicId: options.publicId });
  const { ip } = readClient(options);
  const revoked = await options.sql.begin(async (transaction) => {
    const deleted = await transaction`delete from sessions
      where user_id = ${input.userId} and public_id = ${input.publicId}`;
    if (deleted.count === 0) return false;
    await recordAudit(transaction, {
      userId: input.userId,
      actor: 'user',
      action: 'session.revoked',
      detail: { publicId: input.publicId },
      ip,
    });
    return true;
  });
  if (!revoked) throw new AuthError('SESSION_NOT_FOUND', 'revokeSession: no such session');
}
