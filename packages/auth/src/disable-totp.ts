// Turns two-factor off. Needs a valid code (TOTP or recovery code) even from a fully logged-in session: a session
// left open on a shared computer must not be enough to remove the second factor.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { enqueueMessage } from './enqueue-message.js';
import { twoFactorCodeSchema } from './internal/account-fields.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { parseInput } from './internal/fields.js';
import { messages } from './internal/messages.js';
import { checkSecondFactor } from './internal/second-factor.js';
import type { MasterKeyring } from './master-key.js';

export interface DisableTotpOptions extends ClientInfo {
  readonly sql: Sql;
  readonly keyring: MasterKeyring;
  readonly userId: number;
  readonly code: string;
  readonly nowMs?: number;
}

const disableTotpInput = z.object({ code: twoFactorCodeSchema });

/** Throws TWO_FACTOR_NOT_ENABLED, TOO_MANY_ATTEMPTS or TWO_FACTOR_CODE_INVALID. */
export async function disableTotp(options: DisableTotpOptions): Promise<void> {
  const { code } = parseInput('disableTotp', disableTotpInput, { code: options.code });
  const { ip } = readClient(options);
  const method = await checkSecondFactor({
    sql: options.sql,
    keyring: options.keyring,
    userId: options.userId,
    code,
    accept: 'ANY',
    ip,
    nowMs: options.nowMs ?? Date.now(),
  });
  await options.sql.begin(async (transaction) => {
    await transaction`update users set totp_enabled_at = null, totp_last_step = null, totp_secret_ciphertext = null,
        totp_secret_iv = null, totp_secret_tag = null, totp_master_key_id = null
      where id = ${options.userId}`;
    await transaction`delete from recovery_codes where user_id = ${options.userId}`;
    await recordAudit(transaction, {
      userId: options.userId,
      actor: 'user',
      action: 'two_factor.disabled',
      detail: { method },
      ip,
    });
    await enqueueMessage({ sql: transaction, userId: options.userId, message: messages.twoFactorDisabled() });
  });
}
