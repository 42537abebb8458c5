// Row to API shape, in one place. postgres.js returns bigint columns of raw queries as strings, and a pool that
// drizzle wraps (createDb) returns timestamps as PostgreSQL's text too (drizzle turns postgres.js's date parsing
// off): queries select timestamps as ISO 8601 text (to_json) and everything is converted and checked here.

import { assert } from '../codes.js';
import type { ApiKeyInfo, ApiKeyType, Permission, User } from '../types.js';

export function toSafeInteger(value: unknown, what: string): number {
  const number = typeof value === 'string' || typeof value === 'bigint' ? Number(value) : value;
  assert(typeof number === 'number' && Number.isSafeInteger(number), `${what} is a safe integer`);
  return number;
}

/** A timestamp selected as `to_json(column) #>> '{}'` (ISO 8601 with offset), or a Date from a plain client. */
export function toDate(value: unknown, what: string): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  assert(date !== undefined && !Number.isNaN(date.getTime()), `${what} is a timestamp`);
  return date;
}

function toDateOrNull(value: unknown, what: string): Date | null {
  return value === null ? null : toDate(value, what);
}

/** A timestamp column as ISO 8601 text, whatever DateStyle and whichever client. */
const iso = (column: string) => `to_json(${column}) #>> '{}' as ${column}`;

/** The select list (and RETURNING list) of users rows for toUser. */
export const USER_COLUMNS = `id, username, ${iso('created_at')}`;

export interface UserRow {
  id: unknown;
  username: string;
  created_at: unknown;
}

export function toUser(row: UserRow): User {
  return {
    id: toSafeInteger(row.id, 'users.id'),
    username: row.username,
    createdAt: toDate(row.created_at, 'users.created_at'),
  };
}

/** The select list (and RETURNING list) of api_keys rows for toApiKeyInfo: never the secret. */
export const API_KEY_INFO_COLUMNS = `id, user_id, api_key, key_type, label, permissions, ip_allow_list,
  ${iso('created_at')}, ${iso('last_used_at')}, ${iso('revoked_at')}`;

export interface ApiKeyInfoRow {
  id: unknown;
  user_id: unknown;
  api_key: string;
  key_type: string;
  label: string;
  permissions: string[];
  ip_allow_list: string[];
  created_at: unknown;
  last_used_at: unknown;
  revoked_at: unknown;
}

export function toApiKeyType(value: string): ApiKeyType {
  assert(value === 'HMAC' || value === 'ED25519', 'api_keys.key_type is known');
  return value;
}

export function toApiKeyInfo(row: ApiKeyInfoRow): ApiKeyInfo {
  return {
    id: toSafeInteger(row.id, 'api_keys.id'),
    userId: toSafeInteger(row.user_id, 'api_keys.user_id'),
    apiKey: row.api_key,
    type: toApiKeyType(row.key_type),
    label: row.label,
    permissions: row.permissions as Permission[],
    ipAllowList: row.ip_allow_list,
    createdAt: toDate(row.created_at, 'api_keys.created_at'),
    lastUsedAt: toDateOrNull(row.last_used_at, 'api_keys.last_used_at'),
    revokedAt: toDateOrNull(row.revoked_at, 'api_keys.revoked_at'),
  };
}
