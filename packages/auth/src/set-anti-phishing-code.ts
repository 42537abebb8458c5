// Sets (or clears, with null) the anti-phishing code every message to the user opens with. The confirmation mail
// already carries the new code.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { enqueueMessage } from './enqueue-message.js';
import { antiPhishingCodeSchema } from './internal/account-fields.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { parseInput } from './internal/fields.js';
import { messages } from './internal/messages.js';

export interface SetAntiPhishingCodeOptions extends ClientInfo {
  readonly sql: Sql;
  readonly userId: number;
  /** 4-20 letters and digits; null removes it. */
  readonly code: string | null;
}

const setAntiPhishingCodeInput = z.object({ code: antiPhishingCodeSchema.nullable() });

export async function setAntiPhishingCode(options: SetAntiPhishingCodeOptions): Promise<void> {
  const { code } = parseInput('setAntiPhishingCode', setAntiPhishingCodeInput, { code: options.code });
  const { ip } = readClient(options);
  await options.sql.begin(async (transaction) => {
    await transaction`update users set anti_phishing_code = ${code} where id = ${options.userId}`;
    // The code itself is not audited: it is a shared secret between us and the user.
    await recordAudit(transaction, {
      userId: options.userId,
      actor: 'user',
      action: code === null ? 'anti_phishing_code.removed' : 'anti_phishing_code.set',
      ip,
    });
    const [user] = await transaction<{ email: string | null }[]>`select email from users where id = ${options.userId}`;
    if (user?.email !== null && user?.email !== undefined) {
      await enqueueMessage({ sql: transaction, userId: options.userId, message: messages.antiPhishingCodeSet() });
    }
  });
}
