// Checks a second-factor code of an account with two-factor enabled: a TOTP code (once per time step) or an
// unused recovery code (compared in constant time, then spent). Wrong codes count towards TWO_FACTOR_FAILURES_MAX
// per account; at the limit every code is refused for TWO_FACTOR_LOCKOUT_MS, so six digits cannot be guessed.

import type { Sql } from 'postgres';
import { AuthError } from '../codes.js';
import { enqueueMessage } from '../enqueue-message.js';
import {
  TWO_FACTOR_FAILURE_WINDOW_MS,
  TWO_FACTOR_FAILURES_MAX,
  TWO_FACTOR_LOCKOUT_MS,
  TOTP_DIGITS,
} from '../limits.js';
import type { MasterKeyring } from '../master-key.js';
import { loadAccount } from './account-rows.js';
import { recordAudit } from './audit.js';
import { constantTimeEqual, sha256 } from './crypto.js';
import { messages } from './messages.js';
import { isRateLimited, recordRateEvent } from './rate-limit.js';
import { toSafeInteger } from './rows.js';
import { matchTotpStep, totpFor, totpSecretContext } from './totp.js';

export const twoFactorRule = {
  max: TWO_FACTOR_FAILURES_MAX,
  windowMs: TWO_FACTOR_FAILURE_WINDOW_MS,
  lockoutMs: TWO_FACTOR_LOCKOUT_MS,
};
export const twoFactorKey = (userId: number) => `two_factor:user:${userId}`;

export type SecondFactorMethod = 'TOTP' | 'RECOVERY_CODE';

export interface SecondFactorCheck {
  readonly sql: Sql;
  readonly keyring: MasterKeyring;
  readonly userId: number;
  /** Normalized by twoFactorCodeSchema: 6 digits or 16 base32 characters. */
  readonly code: string;
  readonly accept: 'ANY' | 'RECOVERY_CODE';
  readonly ip: string;
  readonly nowMs: number;
}

/** The method that passed; throws TOO_MANY_ATTEMPTS, TWO_FACTOR_NOT_ENABLED or TWO_FACTOR_CODE_INVALID. */
export async function checkSecondFactor(check: SecondFactorCheck): Promise<SecondFactorMethod> {
  const key = twoFactorKey(check.userId);
  if (await isRateLimited(check.sql, [key])) {
    throw new AuthError('TOO_MANY_ATTEMPTS', 'too many wrong codes; try again in 15 minutes');
  }
  const isTotp = check.code.length === TOTP_DIGITS;
  const result = await check.sql.begin(async (transaction) => {
    // Locked, so two requests with the same code cannot both pass the replay check.
    const account = await loadAccount(transaction, check.userId, 'lock');
    if (account?.totpEnabledAt === null || account?.totpSecret === null || account === undefined) {
      return 'NOT_ENABLED' as const;
    }
    if (isTotp) {
      if (check.accept !== 'ANY') return 'INVALID' as const;
      const secret = check.keyring.decrypt(
        account.totpSecret,
        totpSecretContext(account.id),
        `TOTP secret of user ${account.id}`,
      );
      const step = matchTotpStep(
        totpFor(secret, account.email ?? account.username, 'exbox'),
        check.code,
        check.nowMs,
        account.totpLastStep,
      );
      secret.fill(0);
      if (step === undefined) return 'INVALID' as const;
      await transaction`update users set totp_last_step = ${step} where id = ${account.id}`;
      return 'TOTP' as const;
    }
    const hash = sha256(check.code);
    const codes = await transaction<{ id: unknown; code_hash: Buffer }[]>`
      select id, code_hash from recovery_codes where user_id = ${account.id} and used_at is null`;
    // Every unused code is compared, in constant time, whatever matches first.
    let matchedId: number | undefined;
    for (const row of codes) {
      if (constantTimeEqual(row.code_hash, hash)) matchedId = toSafeInteger(row.id, 'recovery_codes.id');
    }
    if (matchedId === undefined) return 'INVALID' as const;
    await transaction`update recovery_codes set used_at = now() where id = ${matchedId}`;
    const left = codes.length - 1;
    await recordAudit(transaction, {
      userId: account.id,
      actor: 'user',
      action: 'two_factor.recovery_code_used',
      detail: { recoveryCodesLeft: left },
      ip: check.ip,
    });
    await enqueueMessage({ sql: transaction, userId: account.id, message: messages.recoveryCodeUsed(left) });
    return 'RECOVERY_CODE' as const;
  });
  if (result === 'NOT_ENABLED') throw new AuthError('TWO_FACTOR_NOT_ENABLED', 'two-factor is not enabled');
  if (result === 'INVALID') {
    const locked = await recordRateEvent(check.sql, key, twoFactorRule);
    if (locked) {
      await recordAudit(check.sql, {
        userId: check.userId,
        actor: 'system',
        action: 'two_factor.locked_out',
        ip: check.ip,
      });
    }
    throw new AuthError('TWO_FACTOR_CODE_INVALID', 'the code is wrong or was already used');
  }
  return result;
}
