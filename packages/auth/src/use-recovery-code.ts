// Completes a two-factor login with a recovery code instead of a TOTP code (a lost phone): the code is spent, the
// user is told by mail how many remain, and the audit log records it.

import type { MasterKeyring } from './master-key.js';
import { verifyTwoFactor, type VerifyTwoFactorResult } from './verify-two-factor.js';
import type { Sql } from 'postgres';
import type { ClientInfo } from './internal/client.js';

export interface UseRecoveryCodeOptions extends ClientInfo {
  readonly sql: Sql;
  readonly keyring: MasterKeyring;
  readonly sessionId: string;
  readonly code: string;
}

export async function useRecoveryCode(options: UseRecoveryCodeOptions): Promise<VerifyTwoFactorResult> {
  return verifyTwoFactor({ ...options, accept: 'RECOVERY_CODE' });
}
