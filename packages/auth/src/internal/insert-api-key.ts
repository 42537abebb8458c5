// The insert both kinds of key share: in one transaction, take the change lock (so every gateway's cache sees the
// new key on its next poll), lock the user's row (so two concurrent creations cannot both pass the per-user
// limit), count the user's active keys, insert.

import type { Sql } from 'postgres';
import { AuthError, assert } from '../codes.js';
import type { EncryptedSecret } from '../master-key.js';
import { API_KEYS_PER_USER_MAX } from '../limits.js';
import type { ApiKeyInfo, ApiKeyType, Permission } from '../types.js';
import { lockApiKeysForChange } from './change-lock.js';
import { API_KEY_INFO_COLUMNS, toApiKeyInfo, type ApiKeyInfoRow } from './rows.js';

export interface ApiKeyInsert {
  readonly operation: string;
  readonly userId: number;
  readonly apiKey: string;
  readonly type: ApiKeyType;
  readonly label: string;
  readonly permissions: readonly Permission[];
  readonly ipAllowList: readonly string[];
  readonly encryptedSecret?: EncryptedSecret;
  /** SPKI DER, for Ed25519 keys. */
  readonly publicKey?: Uint8Array;
}

export async function insertApiKey(sql: Sql, key: ApiKeyInsert): Promise<ApiKeyInfo> {
  assert((key.type === 'HMAC') === (key.encryptedSecret !== undefined), 'an HMAC key has a secret');
  assert((key.type === 'ED25519') === (key.publicKey !== undefined), 'an Ed25519 key has a public key');
  const bytes = (value: Uint8Array | undefined) => (value === undefined ? null : Buffer.from(value));
  return sql.begin(async (transaction) => {
    await lockApiKeysForChange(transaction);
    const users = await transaction`select id from users where id = ${key.userId} for update`;
    if (users.length === 0) throw new AuthError('USER_NOT_FOUND', `${key.operation}: no user with id ${key.userId}`);
    const [counted] = await transaction<{ active: number }[]>`
      select count(*)::int as active from api_keys where user_id = ${key.userId} and revoked_at is null`;
    if ((counted?.active ?? 0) >= API_KEYS_PER_USER_MAX) {
      throw new AuthError(
        'API_KEYS_PER_USER_EXCEEDED',
        `${key.operation}: user ${key.userId} already has ${API_KEYS_PER_USER_MAX} API keys; delete one first`,
      );
    }
    const rows = await transaction<ApiKeyInfoRow[]>`
      insert into api_keys (user_id, api_key, key_type, label, permissions, ip_allow_list,
        secret_ciphertext, secret_iv, secret_tag, master_key_id, public_key)
      values (${key.userId}, ${key.apiKey}, ${key.type}, ${key.label},
        ${transaction.array([...key.permissions])}::text[], ${transaction.array([...key.ipAllowList])}::text[],
        ${bytes(key.encryptedSecret?.ciphertext)}, ${bytes(key.encryptedSecret?.iv)}, ${bytes(key.encryptedSecret?.tag)},
        ${key.encryptedSecret?.masterKeyId ?? null}, ${bytes(key.publicKey)})
      returning ${transaction.unsafe(API_KEY_INFO_COLUMNS)}`;
    const row = rows[0];
    assert(row !== undefined, 'the insert returned its row');
    return toApiKeyInfo(row);
  });
}
