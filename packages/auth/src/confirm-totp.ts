// Confirms two-factor enrolment with a code from the app: two-factor is on from now, ten recovery codes are
// returned (this once; stored as SHA-256), and every other session is signed out, since none of them passed the
// second factor.

import { randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { AuthError, assert } from './codes.js';
import { enqueueMessage } from './enqueue-message.js';
import { loadAccount } from './internal/account-rows.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import { randomBase32, sha256 } from './internal/crypto.js';
import { parseInput } from './internal/fields.js';
import { messages } from './internal/messages.js';
import type { RandomBytesSource } from './internal/random.js';
import { isRateLimited, recordRateEvent } from './internal/rate-limit.js';
import { twoFactorKey, twoFactorRule } from './internal/second-factor.js';
import { matchTotpStep, totpFor, totpSecretContext } from './internal/totp.js';
import { RECOVERY_CODE_COUNT, RECOVERY_CODE_LENGTH, TOTP_DIGITS } from './limits.js';
import type { MasterKeyring } from './master-key.js';
import { deleteOtherSessions } from './revoke-other-sessions.js';
import { TOTP_ISSUER_DEFAULT } from './enrol-totp.js';

export interface ConfirmTotpOptions extends ClientInfo {
  readonly sql: Sql;
  readonly keyring: MasterKeyring;
  readonly userId: number;
  readonly currentSessionId: string;
  readonly code: string;
  readonly nowMs?: number;
  readonly randomBytes?: RandomBytesSource;
}

const confirmTotpInput = z.object({
  code: z
    .string({ error: 'must be a string' })
    .trim()
    .regex(new RegExp(`^\\d{${TOTP_DIGITS}}$`), { error: `must be ${TOTP_DIGITS} digits` }),
});

/** Recovery codes as shown to the user: XXXX-XXXX-XXXX-XXXX (the dashes are ignored when one is entered). */
export function formatRecoveryCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** Throws TOO_MANY_ATTEMPTS, TWO_FACTOR_ALREADY_ENABLED, TWO_FACTOR_NOT_PENDING or TWO_FACTOR_CODE_INVALID. */
export async function confirmTotp(options: ConfirmTotpOptions): Promise<{ recoveryCodes: string[] }> {
  const { code } = parseInput('confirmTotp', confirmTotpInput, { code: options.code });
  const { ip } = readClient(options);
  const key = twoFactorKey(options.userId);
  if (await isRateLimited(options.sql, [key])) {
    throw new AuthError('TOO_MANY_ATTEMPTS', 'too many wrong codes; try again in 15 minutes');
  }
  const source = options.randomBytes ?? randomBytes;
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, () => randomBase32(RECOVERY_CODE_LENGTH, source));
  const result = await options.sql.begin(async (transaction) => {
    const account = await loadAccount(transaction, options.userId, 'lock');
    assert(account !== undefined, 'the session user exists');
    if (account.totpEnabledAt !== null) return 'ALREADY_ENABLED' as const;
    if (account.totpSecret === null) return 'NOT_PENDING' as const;
    const secret = options.keyring.decrypt(
      account.totpSecret,
      totpSecretContext(account.id),
      `TOTP secret of user ${account.id}`,
    );
    const totp = totpFor(secret, account.email ?? account.username, TOTP_ISSUER_DEFAULT);
    secret.fill(0);
    const step = matchTotpStep(totp, code, options.nowMs ?? Date.now(), null);
    if (step === undefined) return 'INVALID' as const;
    await transaction`update users set totp_enabled_at = now(), totp_last_step = ${step} where id = ${account.id}`;
    await transaction`delete from recovery_codes where user_id = ${account.id}`;
    for (const recoveryCode of recoveryCodes) {
      await transaction`insert into recovery_codes (user_id, code_hash) values (${account.id}, ${sha256(recoveryCode)})`;
    }
    const revoked = await deleteOtherSessions(transaction, account.id, options.currentSessionId);
    await transaction`update sessions set two_factor_verified = true where id = ${options.currentSessionId}`;
    await recordAudit(transaction, {
      userId: account.id,
      actor: 'user',
      action: 'two_factor.enabled',
      detail: { sessionsRevoked: revoked },
      ip,
    });
    await enqueueMessage({ sql: transaction, userId: account.id, message: messages.twoFactorEnabled() });
    return 'ENABLED' as const;
  });
  switch (result) {
    case 'ENABLED':
      return { recoveryCodes: recoveryCodes.map(formatRecoveryCode) };
    case 'ALREADY_ENABLED':
      throw new AuthError('TWO_FACTOR_ALREADY_ENABLED', 'confirmTotp: two-factor is already on');
    case 'NOT_PENDING':
      throw new AuthError('TWO_FACTOR_NOT_PENDING', 'confirmTotp: start enrolment first');
    case 'INVALID':
      await recordRateEvent(options.sql, key, twoFactorRule);
      throw new AuthError('TWO_FACTOR_CODE_INVALID', 'the code is wrong or was already used');
  }
}
