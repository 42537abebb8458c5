// The zod schemas of the management functions' arguments, shared between them, and the one way their failures
// become errors: AuthError INPUT_INVALID naming the operation and the field. Messages describe the rule, never
// the value given (a confused caller could pass a secret where a label belongs).

import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { AuthError } from '../codes.js';
import { normalizeIpAllowList } from '../ip-allow-list.js';
import {
  API_KEY_LABEL_LENGTH_MAX,
  API_KEY_LENGTH,
  IP_ALLOW_LIST_ENTRIES_MAX,
  USER_ID_MAX,
  USERNAME_LENGTH_MAX,
  USERNAME_LENGTH_MIN,
} from '../limits.js';

export const permissions = ['read', 'trade', 'withdraw'] as const;
export type Permission = (typeof permissions)[number];

export const userIdSchema = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(USER_ID_MAX, { error: `must be at most ${USER_ID_MAX}` });

export const usernameSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .min(USERNAME_LENGTH_MIN, { error: `must be at least ${USERNAME_LENGTH_MIN} characters` })
  .max(USERNAME_LENGTH_MAX, { error: `must be at most ${USERNAME_LENGTH_MAX} characters` })
  .regex(/^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/, {
    error: "may hold only letters, digits, '.', '_' and '-', and must start and end with a letter or digit",
  });

export const apiKeySchema = z
  .string({ error: 'must be a string' })
  .regex(new RegExp(`^[A-Za-z0-9]{${API_KEY_LENGTH}}$`), {
    error: `must be ${API_KEY_LENGTH} letters and digits`,
  });

export const labelSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .max(API_KEY_LABEL_LENGTH_MAX, { error: `must be at most ${API_KEY_LABEL_LENGTH_MAX} characters` })
  .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u, { error: 'must not contain control characters' })
  .default('');

export const permissionsSchema = z
  .array(z.enum(permissions, { error: `must be one of ${permissions.join(', ')}` }), { error: 'must be a list' })
  .min(1, { error: `must name at least one of ${permissions.join(', ')}` })
  .transform((list) => permissions.filter((permission) => list.includes(permission)));

export const ipAllowListSchema = z
  .array(z.string({ error: 'must be a string' }), { error: 'must be a list' })
  .max(IP_ALLOW_LIST_ENTRIES_MAX * 2, { error: `must have at most ${IP_ALLOW_LIST_ENTRIES_MAX} entries` })
  .default([])
  .transform((entries, context) => {
    const normalized = normalizeIpAllowList(entries);
    if (normalized.ok) return normalized.entries;
    for (const problem of normalized.problems) {
      context.addIssue({ code: 'custom', message: problem.message, path: [problem.index] });
    }
    return z.NEVER;
  });

/** A PEM public key is about 113 characters; the bound only stops absurd input before parsing. */
const PUBLIC_KEY_PEM_LENGTH_MAX = 1_000;

const ED25519_PEM = 'must be an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY-----)';

export const ed25519PublicKeySchema = z
  .string({ error: 'must be a string' })
  .max(PUBLIC_KEY_PEM_LENGTH_MAX, { error: ED25519_PEM })
  .transform((pem, context) => {
    // createPublicKey would accept a private key and derive its public half; a private key must never be handed
    // to us, so it is refused (and never quoted).
    if (pem.includes('PRIVATE KEY')) {
      context.addIssue({
        code: 'custom',
        message: 'is a private key: register only the public key (openssl pkey -in key.pem -pubout)',
      });
      return z.NEVER;
    }
    try {
      const key = createPublicKey({ key: pem, format: 'pem' });
      // Only a PUBLIC KEY block: not a certificate or anything else createPublicKey would take.
      if (!pem.includes('-----BEGIN PUBLIC KEY-----')) throw new Error('not a public key block');
      if (key.asymmetricKeyType === 'ed25519') return key.export({ type: 'spki', format: 'der' });
    } catch {
      // Reported below, without the parser's message (it may quote the input).
    }
    context.addIssue({ code: 'custom', message: ED25519_PEM });
    return z.NEVER;
  });

/** label, permissions and ipAllowList of a new key, with the withdraw rule: checked before anything is written. */
export const apiKeyFieldsSchema = z.object({
  label: labelSchema,
  permissions: permissionsSchema,
  ipAllowList: ipAllowListSchema,
});

/** Parses `input` or throws AuthError INPUT_INVALID: "createApiKey: permissions: must name at least one of ...". */
export function parseInput<T extends z.ZodType>(operation: string, schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const field = issues[0]?.path.join('.') ?? '';
  const problems = issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
  throw new AuthError('INPUT_INVALID', `${operation}: ${problems}`, field);
}

/** Rejects a withdraw permission without an allow-list, as Binance does; thrown like a field error. */
export function requireIpAllowListForWithdraw(
  operation: string,
  keyPermissions: readonly Permission[],
  ipAllowList: readonly string[],
): void {
  if (keyPermissions.includes('withdraw') && ipAllowList.length === 0) {
    throw new AuthError(
      'INPUT_INVALID',
      `${operation}: ipAllowList: a key with the withdraw permission must be restricted to IP addresses`,
      'ipAllowList',
    );
  }
}
