// What the management functions return. Rows never leave this package as they are: internal/rows.ts maps each
// one to these shapes, and an HMAC secret leaves exactly once, from createApiKey.

import type { Permission } from './internal/fields.js';

export type { Permission } from './internal/fields.js';

export interface User {
  /** The engine's numeric userId. */
  readonly id: number;
  readonly username: string;
  readonly createdAt: Date;
}

/** 'HMAC': HMAC-SHA256 with a secret we generate. 'ED25519': signed with the client's key, whose public half we hold. */
export type ApiKeyType = 'HMAC' | 'ED25519';

export interface ApiKeyInfo {
  readonly id: number;
  readonly userId: number;
  /** The public identifier (X-MBX-APIKEY). */
  readonly apiKey: string;
  readonly type: ApiKeyType;
  readonly label: string;
  readonly permissions: readonly Permission[];
  /** Canonical entries; empty allows any address. */
  readonly ipAllowList: readonly string[];
  readonly createdAt: Date;
  /** When a request last passed its signature check (written about once a minute); null if never. */
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** createApiKey's result: the key and, this one time only, its secret. */
export interface CreatedApiKey extends ApiKeyInfo {
  readonly type: 'HMAC';
  readonly secret: string;
}
