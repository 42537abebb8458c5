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
