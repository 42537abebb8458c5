// The gate in front of everything but completing a login: a session of an account with two-factor must have
// passed it. API key creation, security changes and (later) withdrawals call this; the tRPC layer calls it for
// every procedure that needs a user.

import { AuthError } from './codes.js';
import type { SessionContext } from './types.js';

/** Throws AuthError TWO_FACTOR_REQUIRED when the session has not passed the second factor. */
export function requireTwoFactor(context: SessionContext): void {
  if (!context.session.twoFactorVerified) {
    throw new AuthError('TWO_FACTOR_REQUIRED', 'enter your two-factor code first');
  }
}
