// Registers an Ed25519 API key, as Binance does: the client keeps its private key and gives us the public key
// (PEM); we issue a random 64-character API key. Requests are signed with Ed25519 over the same payload as HMAC
// requests, the signature sent in base64. There is no secret to store or to lose.

import { randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';
import { z } from 'zod';
import {
  ed25519PublicKeySchema,
  ipAllowListSchema,
  labelSchema,
  parseInput,
  permissionsSchema,
  requireIpAllowListForWithdraw,
  userIdSchema,
} from './internal/fields.js';
import { insertApiKey } from './internal/insert-api-key.js';
import { randomAlphanumeric, type RandomBytesSource } from './internal/random.js';
import { API_KEY_LENGTH } from './limits.js';
import type { ApiKeyInfo, Permission } from './types.js';

export interface CreateEd25519ApiKeyOptions {
  readonly sql: Sql;
  readonly userId: number;
  /** The client's Ed25519 public key, PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly publicKey: string;
  readonly label?: string;
  readonly permissions: readonly Permission[];
  readonly ipAllowList?: readonly string[];
  /** Tests only: a seeded source instead of crypto.randomBytes. */
  readonly randomBytes?: RandomBytesSource;
}

const createEd25519ApiKeyInput = z.object({
  userId: userIdSchema,
  publicKey: ed25519PublicKeySchema,
  label: labelSchema,
  permissions: permissionsSchema,
  ipAllowList: ipAllowListSchema,
});

/** Throws AuthError INPUT_INVALID (naming the field), USER_NOT_FOUND or API_KEYS_PER_USER_EXCEEDED. */
export async function createEd25519ApiKey(options: CreateEd25519ApiKeyOptions): Promise<ApiKeyInfo> {
  const input = parseInput('createEd25519ApiKey', createEd25519ApiKeyInput, {
    userId: options.userId,
    publicKey: options.publicKey,
    label: options.label,
    permissions: options.permissions,
    ipAllowList: options.ipAllowList,
  });
  requireIpAllowListForWithdraw('createEd25519ApiKey', input.permissions, input.ipAllowList);
  return insertApiKey(options.sql, {
    operation: 'createEd25519ApiKey',
    userId: input.userId,
    apiKey: randomAlphanumeric(API_KEY_LENGTH, options.randomBytes ?? randomBytes),
    type: 'ED25519',
    label: input.label,
    permissions: input.permissions,
    ipAllowList: input.ipAllowList,
    publicKey: input.publicKey,
  });
}
