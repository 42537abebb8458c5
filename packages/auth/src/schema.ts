// Tables the auth package owns: users and their API keys. Other packages read and change them only through this
// package's functions (DESIGN.md: schema ownership): the API key cache in every gateway relies on every change
// going through them (see ApiKeyStore).
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  index,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import {
  API_KEY_LABEL_LENGTH_MAX,
  API_KEY_LENGTH,
  IP_ALLOW_LIST_ENTRIES_MAX,
  SECRET_IV_BYTES,
  SECRET_TAG_BYTES,
  USER_ID_MAX,
  USERNAME_LENGTH_MAX,
  USERNAME_LENGTH_MIN,
} from './limits.js';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** A trusted constant in a CHECK constraint (never user input). */
const constant = (value: number | string) => sql.raw(typeof value === 'number' ? String(value) : `'${value}'`);

/**
 * One row per person or bot account. `id` is the engine's numeric userId (ledger owner), assigned by the
 * database and never reused. Later slices add columns here (email, password hash, TOTP, anti-phishing code,
 * status), all nullable or defaulted so that existing rows stay valid.
 */
export const users = pgTable(
  'users',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Lower case, unique; what operators and the CLI name a user by. */
    username: text('username').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_username_idx').on(table.username),
    check('users_id_range', sql`${table.id} BETWEEN 1 AND ${constant(USER_ID_MAX)}`),
    check(
      'users_username_format',
      sql`${table.username} = lower(${table.username}) AND char_length(${table.username}) BETWEEN ${constant(USERNAME_LENGTH_MIN)} AND ${constant(USERNAME_LENGTH_MAX)}`,
    ),
  ],
);

/**
 * Bumped on every change an API key cache must see (a key created, revoked or edited): ApiKeyStore polls for rows
 * above the last value it saw. See ApiKeyStore for why this is exact.
 */
export const apiKeyChangeSeq = pgSequence('api_key_change_seq');

/**
 * API keys. An HMAC key's secret is stored encrypted (AES-256-GCM under a master key outside the database, with
 * the key id for rotation); an Ed25519 key stores the client's public key. Revoking a key keeps its row for audit
 * (`revoked_at`) and erases its encrypted secret.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    /** The public identifier sent in the X-MBX-APIKEY header: 64 characters of [A-Za-z0-9]. */
    apiKey: text('api_key').notNull(),
    /** 'HMAC' (HMAC-SHA256 with a secret we generate) or 'ED25519' (the client's registered public key). */
    keyType: text('key_type').notNull(),
    label: text('label').notNull(),
    /** A non-empty subset of 'read', 'trade', 'withdraw'. */
    permissions: text('permissions').array().notNull(),
    /** Canonical addresses and CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`); empty allows any address. */
    ipAllowList: text('ip_allow_list')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    secretCiphertext: bytea('secret_ciphertext'),
    secretIv: bytea('secret_iv'),
    secretTag: bytea('secret_tag'),
    /** Which master key encrypted the secret (masterKeyId), for rotation. */
    masterKeyId: text('master_key_id'),
    /** An Ed25519 key's public key, SPKI DER. */
    publicKey: bytea('public_key'),
    changeSeq: bigint('change_seq', { mode: 'number' })
      .notNull()
      .default(sql`nextval('api_key_change_seq')`),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Written in batches by ApiKeyStore (about once a minute), not on every request. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    uniqueIndex('api_keys_api_key_idx').on(table.apiKey),
    index('api_keys_user_id_idx').on(table.userId),
    index('api_keys_change_seq_idx').on(table.changeSeq),
    check('api_keys_api_key_format', sql`${table.apiKey} ~ ${constant(`^[A-Za-z0-9]{${API_KEY_LENGTH}}$`)}`),
    check('api_keys_key_type_known', sql`${table.keyType} IN ('HMAC', 'ED25519')`),
    check('api_keys_label_length', sql`char_length(${table.label}) <= ${constant(API_KEY_LABEL_LENGTH_MAX)}`),
    check(
      'api_keys_permissions_known',
      sql`cardinality(${table.permissions}) >= 1 AND ${table.permissions} <@ ARRAY['read', 'trade', 'withdraw']::text[]`,
    ),
    check(
      'api_keys_ip_allow_list_length',
      sql`cardinality(${table.ipAllowList}) <= ${constant(IP_ALLOW_LIST_ENTRIES_MAX)}`,
    ),
    // As Binance requires: a key that can withdraw must be bound to addresses.
    check(
      'api_keys_withdraw_needs_ip_allow_list',
      sql`NOT ('withdraw' = ANY(${table.permissions})) OR cardinality(${table.ipAllowList}) >= 1`,
    ),
    // An active HMAC key has its whole encrypted secret; a revoked one has none; Ed25519 keys never have one.
    // (Every branch is written to be true or false, never NULL, which a CHECK would let through.)
    check(
      'api_keys_key_material',
      sql`CASE ${table.keyType}
        WHEN 'HMAC' THEN ${table.publicKey} IS NULL AND CASE WHEN ${table.revokedAt} IS NULL
          THEN ${table.secretCiphertext} IS NOT NULL AND ${table.masterKeyId} IS NOT NULL
            AND coalesce(octet_length(${table.secretIv}), 0) = ${constant(SECRET_IV_BYTES)}
            AND coalesce(octet_length(${table.secretTag}), 0) = ${constant(SECRET_TAG_BYTES)}
          ELSE ${table.secretCiphertext} IS NULL AND ${table.secretIv} IS NULL AND ${table.secretTag} IS NULL
            AND ${table.masterKeyId} IS NULL END
        ELSE ${table.publicKey} IS NOT NULL AND ${table.secretCiphertext} IS NULL AND ${table.secretIv} IS NULL
          AND ${table.secretTag} IS NULL AND ${table.masterKeyId} IS NULL END`,
    ),
  ],
);
