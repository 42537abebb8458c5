// Ends a session: its id stops working at once, in every process (sessions are rows, not signed tokens).

import type { Sql } from 'postgres';
import { sessionIdSchema } from './internal/account-fields.js';
import { luciaFor } from './internal/lucia.js';

export interface LogoutOptions {
  readonly sql: Sql;
  readonly sessionId: string;
}

export async function logout(options: LogoutOptions): Promise<void> {
  const parsed = sessionIdSchema.safeParse(options.sessionId);
  if (!parsed.success) return;
  await luciaFor(options.sql).invalidateSession(parsed.data);
}
