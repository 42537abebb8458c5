// Every bound the auth package relies on, named once (TIGER_STYLE: put a limit on everything).
// limits.test.ts checks how they relate to each other.

/** User ids are the engine's numeric userId; the ledger packs owners below 2^33 (its OWNER_ID_MAX). */
export const USER_ID_MAX = 2 ** 33 - 1;

/** Usernames: lower-case letters, digits, '.', '_' and '-', starting and ending with a letter or digit. */
export const USERNAME_LENGTH_MIN = 3;
export const USERNAME_LENGTH_MAX = 32;

/** API keys and HMAC secrets are 64 characters of [A-Za-z0-9], like Binance's (about 381 bits each). */
export const API_KEY_LENGTH = 64;
export const API_SECRET_LENGTH = 64;

/** Binance allows 30 API keys per account; revoked keys do not count. */
export const API_KEYS_PER_USER_MAX = 30;

/** A label is free text that names the key for its owner (no control characters). */
export const API_KEY_LABEL_LENGTH_MAX = 64;

/** Addresses or CIDR ranges on one key's IP allow-list (Binance allows 30). */
export const IP_ALLOW_LIST_ENTRIES_MAX = 30;

/** Binance's signed-request timing: recvWindow defaults to 5000 ms and may not exceed 60000 ms. */
export const RECV_WINDOW_DEFAULT_MS = 5_000;
export const RECV_WINDOW_MAX_MS = 60_000;
/** A timestamp must be less than this far ahead of the server's clock (Binance: `timestamp < serverTime + 1000`). */
export const TIMESTAMP_AHEAD_MAX_MS = 1_000;

/** How often an ApiKeyStore polls for created, changed and revoked keys. */
export const API_KEY_REFRESH_INTERVAL_MS = 1_000;
/**
 * An ApiKeyStore whose last successful refresh started longer ago than this refuses every key, so a revoked key
 * stops working within this bound even when the database is out of reach (see ApiKeyStore).
 */
export const API_KEY_STALE_AFTER_MS = 10_000;
/** A refresh query that takes longer is cancelled by the server (statement_timeout); the next tick tries again. */
export const API_KEY_REFRESH_STATEMENT_TIMEOUT_MS = 5_000;
/** Rows one refresh query reads at most; a refresh reads page after page until it has them all. */
export const API_KEY_REFRESH_ROWS_MAX = 10_000;
/** Every so often the store reloads all active keys, catching rows changed behind this package's back. */
export const API_KEY_FULL_RELOAD_INTERVAL_MS = 5 * 60_000;
/** last_used_at is written in batches at most this often: a write per request would cost more than it tells. */
export const API_KEY_LAST_USED_FLUSH_INTERVAL_MS = 60_000;
/** Keys whose last use one flush writes at most (more wait for the next flush). */
export const API_KEY_LAST_USED_FLUSH_ROWS_MAX = 10_000;

/** AES-256-GCM: 32-byte master keys, 96-bit random IVs, 128-bit tags. */
export const MASTER_KEY_BYTES = 32;
export const SECRET_IV_BYTES = 12;
export const SECRET_TAG_BYTES = 16;

// Accounts for the trader portal: passwords, sessions, tokens, two-factor, brute-force protection, the outbox.

/** Email addresses: RFC 5321's limit on a forward path. */
export const EMAIL_LENGTH_MAX = 254;
/** Passwords: long enough to matter (NIST SP 800-63B asks for 8 at least), short enough that hashing stays cheap. */
export const PASSWORD_LENGTH_MIN = 10;
export const PASSWORD_LENGTH_MAX = 256;
/** argon2id with OWASP's first recommended setting: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_MEMORY_KIB = 19_456;
export const ARGON2_TIME_COST = 2;
export const ARGON2_PARALLELISM = 1;

/** Sessions last 30 days; lucia extends a session used in its second half (sliding expiry). */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60_000;
/** A session that passed the password but not yet the second factor is dropped after this long. */
export const SESSION_PENDING_TWO_FACTOR_MS = 10 * 60_000;
/** Sessions one user may hold; the oldest go first when a login would exceed it. */
export const SESSIONS_PER_USER_MAX = 50;
/** Lengths of what a client sends us, checked before any lookup. */
export const SESSION_ID_LENGTH_MAX = 64;
export const USER_AGENT_LENGTH_MAX = 512;
export const IP_TEXT_LENGTH_MAX = 64;

/** Email tokens: 32 random bytes (base64url), valid this long, used once. */
export const EMAIL_TOKEN_BYTES = 32;
export const EMAIL_VERIFICATION_TOKEN_LIFETIME_MS = 24 * 60 * 60_000;
export const PASSWORD_RESET_TOKEN_LIFETIME_MS = 60 * 60_000;
export const EMAIL_TOKEN_LENGTH_MAX = 128;

/** TOTP as every authenticator app expects it (RFC 6238 defaults): SHA-1, 6 digits, 30 s, one step of drift. */
export const TOTP_SECRET_BYTES = 20;
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_WINDOW_STEPS = 1;
/** Recovery codes: ten, each 16 base32 characters (80 bits), shown once and stored as SHA-256. */
export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_CODE_LENGTH = 16;

/** Anti-phishing codes: 4-20 letters and digits, as the big exchanges allow. */
export const ANTI_PHISHING_CODE_LENGTH_MIN = 4;
export const ANTI_PHISHING_CODE_LENGTH_MAX = 20;

/** Brute-force protection. Counters live in PostgreSQL, so limits hold across every process. */
export const LOGIN_FAILURES_PER_ACCOUNT_MAX = 10;
/** Per address it is higher: many people can share one (offices, carrier NAT). */
export const LOGIN_FAILURES_PER_IP_MAX = 50;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;
export const LOGIN_LOCKOUT_MS = 15 * 60_000;
export const TWO_FACTOR_FAILURES_MAX = 5;
export const TWO_FACTOR_FAILURE_WINDOW_MS = 15 * 60_000;
export const TWO_FACTOR_LOCKOUT_MS = 15 * 60_000;
/** Mails that sign-up and password reset may send to one address per window: no mail bombing through us. */
export const ACCOUNT_MAILS_PER_ADDRESS_MAX = 5;
export const ACCOUNT_MAIL_WINDOW_MS = 60 * 60_000;

/** The outbox: messages one delivery run takes, and how it backs off after a failure. */
export const OUTBOX_BATCH_MAX = 50;
export const OUTBOX_ATTEMPTS_MAX = 10;
export const OUTBOX_BACKOFF_BASE_MS = 30_000;
export const OUTBOX_BACKOFF_MAX_MS = 60 * 60_000;
/** A claimed message whose sender died is tried again after this long (delivery is at least once). */
export const OUTBOX_CLAIM_TIMEOUT_MS = 5 * 60_000;
export const OUTBOX_ERROR_LENGTH_MAX = 1_000;
export const MAILBOX_MESSAGES_MAX = 200;
/** Rows a history or audit listing returns at most. */
export const LOGIN_HISTORY_ROWS_MAX = 100;
