// A user's API keys, oldest first, without secrets: what the account page and `apikey list` show.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { parseInput, userIdSchema } from './internal/fields.js';
import { API_KEY_INFO_COLUMNS, toApiKeyInfo, type ApiKeyInfoRow } from './internal/rows.js';
import type { ApiKeyInfo } from './types.js';

export interface ListApiKeysOptions {
  readonly sql: Sql;
  readonly userId: number;
  /** Include revoked keys (kept for audit); default false. */
  readonly includeRevoked?: boolean;
}

const listApiKeysInput = z.object({ userId: userIdSchema, includeRevoked: z.boolean().default(false) });

export async function listApiKeys(options: ListApiKeysOptions): Promise<ApiKeyInfo[]> {
  const input = parseInput('listApiKeys', listApiKeysInput, {
    userId: options.userId,
    includeRevoked: options.includeRevoked,
  });
  const rows = await options.sql<ApiKeyInfoRow[]>`
    select ${options.sql.unsafe(API_KEY_INFO_COLUMNS)}
    from api_keys
    where user_id = ${input.userId} and (${input.includeRevoked} or revoked_at is null)
    order by id`;
  return rows.map(toApiKeyInfo);
}
