// An API key created by its owner from the portal: the account must have two-factor on and the session must have
// passed it (requireTwoFactor),
// the key is made by createApiKey (the secret returned this once), and the change is audited and announced by mail.

import type { Sql } from 'postgres';
import { AuthError } from './codes.js';
import { createApiKey } from './create-api-key.js';
import { enqueueMessage } from './enqueue-message.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { messages } from './internal/messages.js';
import type { MasterKeyring } from './master-key.js';
import { requireTwoFactor } from './require-two-factor.js';
import type { CreatedApiKey, Permission, SessionContext } from './types.js';

export interface CreateAccountApiKeyOptions extends ClientInfo {
  readonly sql: Sql;
  readonly keyring: MasterKeyring;
  readonly context: SessionContext;
  readonly label?: string;
  readonly permissions: readonly Permission[];
  readonly ipAllowList?: readonly string[];
}

/**
 * Throws TWO_FACTOR_NOT_ENABLED for an account without two-factor (a key trades without a password, so a stolen
 * password alone must not be able to mint one), TWO_FACTOR_REQUIRED for a session that has not passed it, and what
 * createApiKey throws (INPUT_INVALID, API_KEYS_PER_USER_EXCEEDED).
 */
export async function createAccountApiKey(options: CreateAccountApiKeyOptions): Promise<CreatedApiKey> {
  if (!options.context.account.twoFactorEnabled) {
    throw new AuthError('TWO_FACTOR_NOT_ENABLED', 'turn on two-factor authentication before creating an API key');
  }
  requireTwoFactor(options.context);
  const { ip } = readClient(options);
  const userId = options.context.session.userId;
  const created = await createApiKey({
    sql: options.sql,
    keyring: options.keyring,
    userId,
    label: options.label,
    permissions: options.permissions,
    ipAllowList: options.ipAllowList,
  });
  // After the key's own transaction (createApiKey owns it): a crash in between leaves a key without its audit
  // row, never an audit row without a key.
  await options.sql.begin(async (transaction) => {
    await recordAudit(transaction, {
      userId,
      actor: 'user',
      action: 'api_key.created',
      detail: {
        apiKeyId: created.id,
        label: created.label,
        permissions: created.permissions.join(','),
        ipAllowList: created.ipAllowList.join(','),
      },
      ip,
    });
    if (options.context.account.email !== null) {
      await enqueueMessage({
        sql: transaction,
        userId,
        message: messages.apiKeyCreated(created.label, created.permissions),
      });
    }
  });
  return created;
}
