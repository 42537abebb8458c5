// Creating and reading portal sessions through lucia, with our attributes.

import type { Sql } from 'postgres';
import { generateIdFromEntropySize } from 'lucia';
import { SESSIONS_PER_USER_MAX } from '../limits.js';
import type { SessionInfo } from '../types.js';
import { sha256Hex } from './crypto.js';
import { luciaFor } from './lucia.js';

export async function createPortalSession(
  sql: Sql,
  session: { userId: number; ip: string; userAgent: string; twoFactorVerified: boolean },
): Promise<SessionInfo> {
  // 25 bytes of entropy (200 bits), lucia's own recommendation, as 40 base32 characters.
  const id = generateIdFromEntropySize(25);
  const publicId = sha256Hex(id);
  const createdAt = new Date();
  const created = await luciaFor(sql).createSession(
    session.userId,
    { publicId, ip: session.ip, userAgent: session.userAgent, twoFactorVerified: session.twoFactorVerified, createdAt },
    { sessionId: id },
  );
  // Bound the sessions one user holds: the oldest beyond the limit go.
  await sql`delete from sessions where user_id = ${session.userId} and id in (
    select id from sessions where user_id = ${session.userId} order by created_at desc, id offset ${SESSIONS_PER_USER_MAX})`;
  return {
    id,
    publicId,
    userId: session.userId,
    expiresAt: created.expiresAt,
    createdAt,
    ip: session.ip,
    userAgent: session.userAgent,
    twoFactorVerified: session.twoFactorVerified,
  };
}
