// The zod schemas of the account functions' arguments: emails, passwords, codes, tokens and the client's
// address. Messages describe the rule, never the value (a password must never appear in an error).

import { z } from 'zod';
import {
  ANTI_PHISHING_CODE_LENGTH_MAX,
  ANTI_PHISHING_CODE_LENGTH_MIN,
  EMAIL_LENGTH_MAX,
  EMAIL_TOKEN_LENGTH_MAX,
  IP_TEXT_LENGTH_MAX,
  PASSWORD_LENGTH_MAX,
  PASSWORD_LENGTH_MIN,
  RECOVERY_CODE_LENGTH,
  SESSION_ID_LENGTH_MAX,
  TOTP_DIGITS,
  USER_AGENT_LENGTH_MAX,
} from '../limits.js';

/** Trimmed and lower-cased: one account per mailbox whatever the case typed (RFC 5321 allows case in local parts; no provider we know uses it). */
export const emailSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .max(EMAIL_LENGTH_MAX, { error: `must be at most ${EMAIL_LENGTH_MAX} characters` })
  .pipe(z.email({ error: 'must be an email address' }));

export const passwordSchema = z
  .string({ error: 'must be a string' })
  .min(PASSWORD_LENGTH_MIN, { error: `must be at least ${PASSWORD_LENGTH_MIN} characters` })
  .max(PASSWORD_LENGTH_MAX, { error: `must be at most ${PASSWORD_LENGTH_MAX} characters` });

/** What login takes as the password: any string up to the maximum (a rule changed later must not lock anyone out). */
export const passwordGivenSchema = z
  .string({ error: 'must be a string' })
  .max(PASSWORD_LENGTH_MAX, { error: `must be at most ${PASSWORD_LENGTH_MAX} characters` });

export const antiPhishingCodeSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .regex(new RegExp(`^[A-Za-z0-9]{${ANTI_PHISHING_CODE_LENGTH_MIN},${ANTI_PHISHING_CODE_LENGTH_MAX}}$`), {
    error: `must be ${ANTI_PHISHING_CODE_LENGTH_MIN}-${ANTI_PHISHING_CODE_LENGTH_MAX} letters and digits`,
  });

export const sessionIdSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(SESSION_ID_LENGTH_MAX, { error: 'is too long' });

export const sessionPublicIdSchema = z.string({ error: 'must be a string' }).regex(/^[0-9a-f]{64}$/, {
  error: 'must be a session id from the session list',
});

export const emailTokenSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(EMAIL_TOKEN_LENGTH_MAX, { error: 'is too long' });

/** A TOTP code (6 digits) or a recovery code (16 base32 characters, dashes and spaces ignored). */
export const twoFactorCodeSchema = z
  .string({ error: 'must be a string' })
  .transform((text) => text.replace(/[\s-]/g, '').toUpperCase())
  .pipe(
    z.string().regex(new RegExp(`^(?:\\d{${TOTP_DIGITS}}|[A-Z2-7]{${RECOVERY_CODE_LENGTH}})$`), {
      error: `must be a ${TOTP_DIGITS}-digit code or a recovery code`,
    }),
  );

/** Where a request came from, as the edge saw it: cut to a bounded length rather than refused. */
export const ipTextSchema = z
  .string()
  .default('')
  .transform((text) => text.slice(0, IP_TEXT_LENGTH_MAX));
export const userAgentSchema = z
  .string()
  .default('')
  .transform((text) => text.replace(/[\p{Cc}]/gu, '').slice(0, USER_AGENT_LENGTH_MAX));
