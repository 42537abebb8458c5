// Tables the auth package owns: users, their API keys, sessions, email tokens, recovery codes, login history, the
// outbox of messages to users, the audit log and brute-force counters. Other packages read and change them only through this
// package's functions (DESIGN.md: schema ownership): the API key cache in every gateway relies on every change
// going through them (see ApiKeyStore).
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import {
  ANTI_PHISHING_CODE_LENGTH_MAX,
  ANTI_PHISHING_CODE_LENGTH_MIN,
  API_KEY_LABEL_LENGTH_MAX,
  API_KEY_LENGTH,
  EMAIL_LENGTH_MAX,
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
    // The trader portal's sign-in. All nullable: users made by the CLI and the demo (API keys only) have none.
    /** Lower case, unique; the address sign-up, login and every message use. */
    email: text('email'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, mode: 'date' }),
    /** argon2id, PHC string format ($argon2id$v=19$m=...). */
    passwordHash: text('password_hash'),
    /** Chosen by the user and shown in every message we send them, so a phishing mail without it stands out. */
    antiPhishingCode: text('anti_phishing_code'),
    /** The TOTP secret, AES-256-GCM under the master key (as API secrets): set at enrolment, before it is enabled. */
    totpSecretCiphertext: bytea('totp_secret_ciphertext'),
    totpSecretIv: bytea('totp_secret_iv'),
    totpSecretTag: bytea('totp_secret_tag'),
    totpMasterKeyId: text('totp_master_key_id'),
    /** Set when the user confirmed enrolment with a valid code: from then on login asks for a code. */
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true, mode: 'date' }),
    /** The last TOTP time step accepted: a code is accepted once only (no replay of an observed code). */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  },
  (table) => [
    uniqueIndex('users_username_idx').on(table.username),
    uniqueIndex('users_email_idx').on(table.email),
    check(
      'users_email_format',
      sql`${table.email} IS NULL OR (${table.email} = lower(${table.email}) AND char_length(${table.email}) <= ${constant(EMAIL_LENGTH_MAX)} AND position('@' in ${table.email}) > 1)`,
    ),
    check(
      'users_anti_phishing_code_format',
      sql`${table.antiPhishingCode} IS NULL OR ${table.antiPhishingCode} ~ ${constant(`^[A-Za-z0-9]{${ANTI_PHISHING_CODE_LENGTH_MIN},${ANTI_PHISHING_CODE_LENGTH_MAX}}$`)}`,
    ),
    // Enabled two-factor has its whole secret; an encrypted secret is all there or not at all.
    check(
      'users_totp_material',
      sql`(${table.totpSecretCiphertext} IS NULL) = (${table.totpMasterKeyId} IS NULL)
        AND (${table.totpSecretCiphertext} IS NULL) = (${table.totpSecretIv} IS NULL)
        AND (${table.totpSecretCiphertext} IS NULL) = (${table.totpSecretTag} IS NULL)
        AND (${table.totpEnabledAt} IS NULL OR ${table.totpSecretCiphertext} IS NOT NULL)`,
    ),
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

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Portal sessions, as lucia v3's drizzle adapter expects (id text, user_id, expires_at) plus our attributes. The id
 * is the cookie's value; `public_id` (SHA-256 of the id, hex) names a session in listings and revocation, so the
 * session list never hands out bearer tokens.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    expiresAt: timestamptz('expires_at').notNull(),
    publicId: text('public_id').notNull(),
    ip: text('ip').notNull(),
    userAgent: text('user_agent').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    /** False from a password-only login of a user with two-factor, until the code is given. */
    twoFactorVerified: boolean('two_factor_verified').notNull(),
  },
  (table) => [index('sessions_user_id_idx').on(table.userId), uniqueIndex('sessions_public_id_idx').on(table.publicId)],
);

/** Every login attempt on an existing account, and its outcome, for the user's own "login history". */
export const loginHistory = pgTable(
  'login_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    ip: text('ip').notNull(),
    userAgent: text('user_agent').notNull(),
    outcome: text('outcome').notNull(),
  },
  (table) => [
    index('login_history_user_id_idx').on(table.userId, table.id),
    check(
      'login_history_outcome_known',
      sql`${table.outcome} IN ('SUCCESS', 'TWO_FACTOR_PENDING', 'TWO_FACTOR_SUCCESS', 'PASSWORD_INVALID', 'TWO_FACTOR_INVALID', 'LOCKED', 'EMAIL_NOT_VERIFIED')`,
    ),
  ],
);

/**
 * Email verification and password reset tokens. Only the SHA-256 of a token is stored: a read of this table gives
 * nothing that works. Each is used at most once (`used_at`) and before `expires_at`.
 */
export const emailTokens = pgTable(
  'email_tokens',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    purpose: text('purpose').notNull(),
    tokenHash: bytea('token_hash').notNull(),
    /** The address the token was sent to: verifying proves this address, not whatever the account holds later. */
    email: text('email').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (table) => [
    uniqueIndex('email_tokens_token_hash_idx').on(table.tokenHash),
    index('email_tokens_user_id_idx').on(table.userId),
    check('email_tokens_purpose_known', sql`${table.purpose} IN ('VERIFY_EMAIL', 'RESET_PASSWORD')`),
    check('email_tokens_token_hash_length', sql`octet_length(${table.tokenHash}) = 32`),
  ],
);

/** Two-factor recovery codes: SHA-256 of each (80 random bits), single use. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    codeHash: bytea('code_hash').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    usedAt: timestamptz('used_at'),
  },
  (table) => [
    index('recovery_codes_user_id_idx').on(table.userId),
    check('recovery_codes_code_hash_length', sql`octet_length(${table.codeHash}) = 32`),
  ],
);

/**
 * Messages to users, written in the same transaction as the change they announce and sent later by deliverOutbox:
 * a failed or slow mail server loses nothing and delays nothing. `next_attempt_at` carries both the backoff after a
 * failure and the claim of a running sender.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    bodyText: text('body_text').notNull(),
    kind: text('kind').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    sentAt: timestamptz('sent_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (table) => [
    index('outbox_pending_idx')
      .on(table.nextAttemptAt)
      .where(sql`${table.sentAt} IS NULL`),
    index('outbox_to_address_idx').on(table.toAddress, table.id),
    check('outbox_attempts_positive', sql`${table.attempts} >= 0`),
  ],
);

/**
 * Every security change, append-only: who (`actor`: 'user', 'system', 'operator'), on which account, what, from
 * where. `detail` never holds a secret.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    detail: jsonb('detail')
      .notNull()
      .default(sql`'{}'::jsonb`),
    ip: text('ip'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [index('audit_log_user_id_idx').on(table.userId, table.id)],
);

/**
 * Brute-force counters: failures (or mails sent) per key in a fixed window, and a lockout. In PostgreSQL so that a
 * limit holds across every process; keys are like `login:account:<sha256 of the email>` and `login:ip:<address>`.
 */
export const authRateLimits = pgTable('auth_rate_limits', {
  key: text('key').primaryKey(),
  windowStartedAt: timestamptz('window_started_at').notNull(),
  count: integer('count').notNull(),
  lockedUntil: timestamptz('locked_until'),
});
