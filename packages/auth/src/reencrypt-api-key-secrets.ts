// Master key rotation: re-encrypts every active HMAC secret that is not under the keyring's current key. The
// secrets themselves do not change, so caches need not reload and change_seq is left alone. Procedure (README):
// run gateways with EXBOX_MASTER_KEY=new and EXBOX_MASTER_KEY_PREVIOUS=old, run this, then drop the old key.

import type { Sql } from 'postgres';
import { assert } from './codes.js';
import { toSafeInteger } from './internal/rows.js';
import type { MasterKeyring } from './master-key.js';

export interface ReencryptApiKeySecretsOptions {
  readonly sql: Sql;
  readonly keyring: MasterKeyring;
}

/** Keys re-encrypted per transaction, so a large table does not hold one long transaction. */
const REENCRYPT_BATCH_ROWS = 500;

interface SecretRow {
  id: unknown;
  api_key: string;
  secret_ciphertext: Buffer;
  secret_iv: Buffer;
  secret_tag: Buffer;
  master_key_id: string;
}

/**
 * Returns how many secrets were re-encrypted. Throws AuthError MASTER_KEY_UNKNOWN / SECRET_DECRYPT_FAILED on a
 * secret it cannot decrypt, after committing the batches before it; run it again once the keyring is complete.
 */
export async function reencryptApiKeySecrets(options: ReencryptApiKeySecretsOptions): Promise<{ reencrypted: number }> {
  const { sql, keyring } = options;
  let reencrypted = 0;
  for (;;) {
    const done = await sql.begin(async (transaction) => {
      const rows = await transaction<SecretRow[]>`
        select id, api_key, secret_ciphertext, secret_iv, secret_tag, master_key_id from api_keys
        where key_type = 'HMAC' and revoked_at is null and master_key_id <> ${keyring.currentId}
        order by id limit ${REENCRYPT_BATCH_ROWS} for update`;
      for (const row of rows) {
        const id = toSafeInteger(row.id, 'api_keys.id');
        const plaintext = keyring.decrypt(
          { masterKeyId: row.master_key_id, iv: row.secret_iv, ciphertext: row.secret_ciphertext, tag: row.secret_tag },
          row.api_key,
          `API key ${id}`,
        );
        const encrypted = keyring.encrypt(plaintext, row.api_key);
        plaintext.fill(0);
        const updated = await transaction`
          update api_keys set secret_ciphertext = ${Buffer.from(encrypted.ciphertext)},
            secret_iv = ${Buffer.from(encrypted.iv)}, secret_tag = ${Buffer.from(encrypted.tag)},
            master_key_id = ${encrypted.masterKeyId}
          where id = ${id}`;
        assert(updated.count === 1, 'the locked row is updated');
      }
      reencrypted += rows.length;
      return rows.length < REENCRYPT_BATCH_ROWS;
    });
    if (done) return { reencrypted };
  }
}
