// Creates an HMAC API key: a random 64-character API key and secret, like Binance's. The secret is returned
// once, here, and stored only encrypted under the master key (HMAC verification needs the secret itself, so it
// cannot be hashed).

import { randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';
import { z } from 'zod';
import {
  ipAllowListSchema,
  labelSchema,
  parseInput,
  permissionsSchema,
  requireIpAllowListForWithdraw,
  userIdSchema,
} from './internal/fields.js';
import { insertApiKey } from './internal/insert-api-key.js';
import { randomAlphanumeric, type RandomBytesSource } from './internal/random.js';
import { API_KEY_LENGTH, API_SECRET_LENGTH } from './limits.js';
import type { MasterKeyring } from './master-key.js';
import type { CreatedApiKey, Permission } from './types.js';

export interface CreateApiKeyOptions {
  readonly sql: Sql;
  /** Encrypts the secret (resolveMasterKeyring). */
  readonly keyring: MasterKeyring;
  readonly userId: number;
  /** Free text naming the key for its owner; default ''. */
  readonly label?: string;
  /** A non-empty subset of 'read', 'trade', 'withdraw'. */
  readonly permissions: readonly Permission[];
  /** Addresses and CIDR ranges; default empty (any address). Required non-empty with 'withdraw'. */
  readonly ipAllowList?: readonly string[];
  /** Tests only: a seeded source instead of crypto.randomBytes. */
  readonly randomBytes?: RandomBytesSource;
}

const createApiKeyInput = z.object({
  userId: userIdSchema,
  label: labelSchema,
  permissions: permissionsSchema,
  ipAllowList: ipAllowListSchema,
});

/**
 * Throws AuthError INPUT_INVALID (naming the field), USER_NOT_FOUND or API_KEYS_PER_USER_EXCEEDED. Every gateway's
 * ApiKeyStore picks the key up on its next refresh (within API_KEY_REFRESH_INTERVAL_MS).
 */
export async function createApiKey(options: CreateApiKeyOptions): Promise<CreatedApiKey> {
  const input = parseInput('createApiKey', createApiKeyInput, {
    userId: options.userId,
    label: options.label,
    permissions: options.permissions,
    ipAllowList: options.ipAllowList,
  });
  requireIpAllowListForWithdraw('createApiKey', input.permissions, input.ipAllowList);
  const source = options.randomBytes ?? randomBytes;
  const apiKey = randomAlphanumeric(API_KEY_LENGTH, source);
  const secret = randomAlphanumeric(API_SECRET_LENGTH, source);
  const plaintext = Buffer.from(secret, 'utf8');
  const encrypted = options.keyring.encrypt(plaintext, apiKey);
  plaintext.fill(0);
  const info = await insertApiKey(options.sql, {
    operation: 'createApiKey',
    userId: input.userId,
    apiKey,
    type: 'HMAC',
    label: input.label,
    permissions: input.permissions,
    ipAllowList: input.ipAllowList,
    encryptedSecret: encrypted,
  });
  return { ...info, type: 'HMAC', secret };
}
