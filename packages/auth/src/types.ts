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

/** A portal account as its owner sees it: never the password hash or the TOTP secret. */
export interface Account {
  readonly id: number;
  readonly username: string;
  /** Null for users made by the CLI or the demo (API keys only). */
  readonly email: string | null;
  readonly emailVerified: boolean;
  readonly antiPhishingCode: string | null;
  readonly twoFactorEnabled: boolean;
}

/** A valid session and its account, as validateSession returns them. */
export interface SessionContext {
  readonly session: SessionInfo;
  readonly account: Account;
  /** True when lucia extended the session: the edge sends the cookie again with the new expiry. */
  readonly fresh: boolean;
}

export interface SessionInfo {
  /** The cookie's value: a bearer token. Never shown in listings (they use publicId). */
  readonly id: string;
  /** SHA-256 of the id in hex: names the session in the session list and in revokeSession. */
  readonly publicId: string;
  readonly userId: number;
  readonly expiresAt: Date;
  readonly createdAt: Date;
  readonly ip: string;
  readonly userAgent: string;
  /** False between the password and the second factor of an account with two-factor enabled. */
  readonly twoFactorVerified: boolean;
}

/** A session as the session list shows it. */
export interface SessionListing {
  readonly publicId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly ip: string;
  readonly userAgent: string;
  readonly twoFactorVerified: boolean;
  readonly current: boolean;
}

export interface LoginHistoryEntry {
  readonly at: Date;
  readonly ip: string;
  readonly userAgent: string;
  readonly outcome: string;
}

export interface MailboxMessage {
  readonly id: number;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  readonly kind: string;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
  readonly attempts: number;
  readonly lastError: string | null;
}

export interface AuditLogEntry {
  readonly id: number;
  readonly userId: number | null;
  readonly actor: string;
  readonly action: string;
  readonly detail: Record<string, unknown>;
  readonly ip: string | null;
  readonly createdAt: Date;
}
