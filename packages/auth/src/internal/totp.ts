// TOTP (RFC 6238) with otpauth, as authenticator apps expect it. A code is accepted once: the step it matched must
// be later than the last step accepted (users.totp_last_step), so a code seen over a shoulder or relayed by a
// phishing page cannot be used again. otpauth compares codes in constant time.

import { Secret, TOTP } from 'otpauth';
import { TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_WINDOW_STEPS } from '../limits.js';

export function totpFor(secret: Uint8Array, label: string, issuer: string): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: new Secret({ buffer: Uint8Array.from(secret).buffer }),
  });
}

/** The time step `code` matches at `nowMs`, or undefined (wrong, outside the window, or not after `lastStep`). */
export function matchTotpStep(totp: TOTP, code: string, nowMs: number, lastStep: number | null): number | undefined {
  const delta = totp.validate({ token: code, timestamp: nowMs, window: TOTP_WINDOW_STEPS });
  if (delta === null) return undefined;
  const step = totp.counter({ timestamp: nowMs }) + delta;
  if (lastStep !== null && step <= lastStep) return undefined;
  return step;
}

/** TOTP material is encrypted like API secrets, bound to its user (a secret moved to another row fails). */
export const totpSecretContext = (userId: number) => `totp-secret:user:${userId}`;
