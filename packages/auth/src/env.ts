// The only place this package reads the environment (STYLE.md): every variable is named and validated here.
// Messages name the variable and what is wrong, never its value: these variables hold keys.

import { z } from 'zod';
import { AuthError } from './codes.js';
import { MASTER_KEY_BYTES } from './limits.js';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const MASTER_KEY_FORMAT = `must be ${MASTER_KEY_BYTES} bytes written as ${2 * MASTER_KEY_BYTES} hex digits or in base64 (${4 * Math.ceil(MASTER_KEY_BYTES / 3)} characters)`;
const HEX_KEY = new RegExp(`^[0-9a-fA-F]{${2 * MASTER_KEY_BYTES}}$`);
const BASE64_KEY = /^[A-Za-z0-9+/]+={0,2}$/;

/** A master key from its text (hex or base64, surrounding whitespace ignored), or undefined when it is not one. */
export function parseMasterKeyText(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (HEX_KEY.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!BASE64_KEY.test(trimmed) || trimmed.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(trimmed, 'base64');
  return bytes.length === MASTER_KEY_BYTES ? bytes : undefined;
}

const masterKeySchema = z.string().transform((text, context) => {
  const key = parseMasterKeyText(text);
  if (key === undefined) {
    context.addIssue({ code: 'custom', message: MASTER_KEY_FORMAT });
    return z.NEVER;
  }
  return key;
});

const previousKeysSchema = z.string().transform((text, context) => {
  const keys: Buffer[] = [];
  for (const [index, part] of text.split(',').entries()) {
    const key = parseMasterKeyText(part);
    if (key === undefined) {
      context.addIssue({ code: 'custom', message: `entry ${index + 1} ${MASTER_KEY_FORMAT}` });
      return z.NEVER;
    }
    keys.push(key);
  }
  return keys;
});

const authEnvironmentSchema = z.object({
  /** The master key that encrypts API key secrets at rest (AES-256-GCM). Required in production. */
  EXBOX_MASTER_KEY: z.preprocess(emptyAsUnset, masterKeySchema.optional()),
  /**
   * Earlier master keys, comma-separated, still accepted for decryption while secrets are re-encrypted under
   * EXBOX_MASTER_KEY (rotation; see README).
   */
  EXBOX_MASTER_KEY_PREVIOUS: z.preprocess(emptyAsUnset, previousKeysSchema.optional()),
  /**
   * Where the outbox sends mail: nodemailer's connection URL (smtp://user:pass@host:587, smtps://...:465). Unset:
   * no mail leaves; the demo's mailbox page shows the messages.
   */
  EXBOX_SMTP_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, { error: 'must be an smtp:// or smtps:// URL' })
      .optional(),
  ),
  /** The From header of every message. */
  EXBOX_MAIL_FROM: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[^\r\n]{3,200}$/, { error: 'must be an address or "Name <address>" on one line' })
      .default('exbox <no-reply@localhost>'),
  ),
  /** The trader portal's public URL: links in messages point there (never derived from a request's Host). */
  EXBOX_PUBLIC_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^https?:\/\/[^\s/]+(?:\/[^\s]*)?$/, { error: 'must be an http:// or https:// URL' })
      .default('http://localhost:3000'),
  ),
});

export type AuthEnvironment = z.output<typeof authEnvironmentSchema>;

/** Validated variables from `environment` (default: this process's); throws AuthError MASTER_KEY_INVALID. */
export function readAuthEnvironment(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): AuthEnvironment {
  const parsed = authEnvironmentSchema.safeParse({
    EXBOX_MASTER_KEY: environment['EXBOX_MASTER_KEY'],
    EXBOX_MASTER_KEY_PREVIOUS: environment['EXBOX_MASTER_KEY_PREVIOUS'],
    EXBOX_SMTP_URL: environment['EXBOX_SMTP_URL'],
    EXBOX_MAIL_FROM: environment['EXBOX_MAIL_FROM'],
    EXBOX_PUBLIC_URL: environment['EXBOX_PUBLIC_URL'],
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n');
    const masterKey = parsed.error.issues.some((issue) => String(issue.path[0]).startsWith('EXBOX_MASTER_KEY'));
    // A bad master key keeps its own code (callers handle it); other variables are plain bad input.
    throw new AuthError(
      masterKey ? 'MASTER_KEY_INVALID' : 'INPUT_INVALID',
      `Invalid environment for @exbox/auth:\n${problems}`,
      masterKey ? undefined : String(parsed.error.issues[0]?.path[0] ?? ''),
    );
  }
  return parsed.data;
}
