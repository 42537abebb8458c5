// An API key deleted by its owner from the portal: only their own key (deleteApiKey with their userId), audited
// and announced by mail. Deleting needs no second factor: it only ever reduces access.

import type { Sql } from 'postgres';
import { deleteApiKey } from './delete-api-key.js';
import { enqueueMessage } from './enqueue-message.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { messages } from './internal/messages.js';
import type { ApiKeyInfo, SessionContext } from './types.js';

export interface DeleteAccountApiKeyOptions extends ClientInfo {
  readonly sql: Sql;
  readonly context: SessionContext;
  readonly apiKey: string;
}

/** Throws API_KEY_NOT_FOUND for unknown, revoked and other users' keys alike. */
export async function deleteAccountApiKey(options: DeleteAccountApiKeyOptions): Promise<ApiKeyInfo> {
  const { ip } = readClient(options);
  const userId = options.context.session.userId;
  const deleted = await deleteApiKey({ sql: options.sql, apiKey: options.apiKey, userId });
  await options.sql.begin(async (transaction) => {
    await recordAudit(transaction, {
      userId,
      actor: 'user',
      action: 'api_key.deleted',
      detail: { apiKeyId: deleted.id, label: deleted.label },
      ip,
    });
    if (options.context.account.email !== null) {
      await enqueueMessage({ sql: transaction, userId, message: messages.apiKeyDeleted(deleted.label) });
    }
  });
  return deleted;
}
