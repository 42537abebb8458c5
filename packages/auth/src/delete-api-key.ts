// Deletes (revokes) an API key. The row stays for audit with revoked_at set; its encrypted secret is erased, so
// not even a stolen database together with the master key can bring it back. Every gateway's ApiKeyStore drops
// the key on its next refresh: within API_KEY_REFRESH_INTERVAL_MS normally, API_KEY_STALE_AFTER_MS at worst.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { AuthError } from './codes.js';
import { lockApiKeysForChange } from './internal/change-lock.js';
import { apiKeySchema, parseInput, userIdSchema } from './internal/fields.js';
import { API_KEY_INFO_COLUMNS, toApiKeyInfo, type ApiKeyInfoRow } from './internal/rows.js';
import type { ApiKeyInfo } from './types.js';

export interface DeleteApiKeyOptions {
  readonly sql: Sql;
  readonly apiKey: string;
  /** When given, only this user's key is deleted: a user acting on their own keys passes their id. */
  readonly userId?: number;
}

const deleteApiKeyInput = z.object({ apiKey: apiKeySchema, userId: userIdSchema.optional() });

/** Returns the revoked key; throws AuthError API_KEY_NOT_FOUND when no active key matches (for that user). */
export async function deleteApiKey(options: DeleteApiKeyOptions): Promise<ApiKeyInfo> {
  const input = parseInput('deleteApiKey', deleteApiKeyInput, { apiKey: options.apiKey, userId: options.userId });
  const rows = await options.sql.begin(async (transaction) => {
    await lockApiKeysForChange(transaction);
    return transaction<ApiKeyInfoRow[]>`
      update api_keys set
        revoked_at = now(), change_seq = nextval('api_key_change_seq'),
        secret_ciphertext = null, secret_iv = null, secret_tag = null, master_key_id = null
      where api_key = ${input.apiKey} and revoked_at is null
        and (${input.userId ?? null}::bigint is null or user_id = ${input.userId ?? null}::bigint)
      returning ${transaction.unsafe(API_KEY_INFO_COLUMNS)}`;
  });
  const row = rows[0];
  if (row === undefined) {
    // The same answer whether the key never existed, was revoked, or is another user's: nothing to probe.
    throw new AuthError('API_KEY_NOT_FOUND', 'deleteApiKey: no active API key matches');
  }
  return toApiKeyInfo(row);
}
