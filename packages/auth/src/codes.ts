// The auth package's one closed set of result codes (STYLE.md 6). The gateway translates them to Binance's
// {code, msg} and the tRPC layer to tRPC errors, each in one place; nothing here knows either mapping.

/**
 * The request checks, in precedence order: the order authenticateRequest runs them, so when several things are
 * wrong with a request its result is the first that applies. Returned, never thrown (bad input is not a crash).
 */
export const requestAuthCodes = [
  'OK',
  /** The API key header is missing or is not 64 characters of [A-Za-z0-9]. Binance: -2014. */
  'API_KEY_FORMAT_INVALID',
  /** The key store could not refresh for API_KEY_STALE_AFTER_MS, so it refuses every key. Binance: -1001. */
  'STORE_UNAVAILABLE',
  /** No active key has this API key (never existed, or revoked). Binance: -2015. */
  'API_KEY_UNKNOWN',
  /** The key has an IP allow-list and the client's address is not on it. Binance: -2015. */
  'IP_NOT_ALLOWED',
  /** No `signature` parameter, or an empty one. Binance: -1102 naming 'signature'. */
  'SIGNATURE_MISSING',
  /** More than one `signature` parameter (query and body together). Binance: -1101. */
  'SIGNATURE_DUPLICATED',
  /** recvWindow is negative, not a number, or above RECV_WINDOW_MAX_MS. Binance: -1131. */
  'RECV_WINDOW_INVALID',
  /** The timestamp is TIMESTAMP_AHEAD_MAX_MS or more ahead of the server's clock. Binance: -1021. */
  'TIMESTAMP_AHEAD',
  /** The timestamp is older than recvWindow. Binance: -1021. */
  'TIMESTAMP_OUTSIDE_WINDOW',
  /** The signature is malformed or does not verify. Binance: -1022. */
  'SIGNATURE_INVALID',
  /** The key lacks the permission the endpoint needs. Binance: -2015. */
  'PERMISSION_DENIED',
] as const;

/** What the management functions throw (AuthError.code). */
export const authErrorCodes = [
  /** An argument failed validation; AuthError.field names it. */
  'INPUT_INVALID',
  'USERNAME_TAKEN',
  'USER_NOT_FOUND',
  /** No active key with that API key (for that user, when a user is given). */
  'API_KEY_NOT_FOUND',
  'API_KEYS_PER_USER_EXCEEDED',
  /** EXBOX_MASTER_KEY is not set and no key file was allowed. */
  'MASTER_KEY_MISSING',
  /** EXBOX_MASTER_KEY, EXBOX_MASTER_KEY_PREVIOUS or a key file does not hold a 32-byte key, or is too open. */
  'MASTER_KEY_INVALID',
  /** A secret was encrypted under a master key id that is not loaded: the wrong EXBOX_MASTER_KEY. */
  'MASTER_KEY_UNKNOWN',
  /** AES-GCM authentication failed: the stored ciphertext, IV, tag or the row it belongs to was altered. */
  'SECRET_DECRYPT_FAILED',
  // Portal accounts. Login's one generic answer: unknown email, wrong password, no password, or locked out.
  'CREDENTIALS_INVALID',
  /** The password was right but the address is not verified yet (only someone with the password learns this). */
  'EMAIL_NOT_VERIFIED',
  /** An email token that is unknown, used, expired or for another purpose: one answer for all. */
  'TOKEN_INVALID',
  /** No session, or an expired, revoked or unknown one: log in again. */
  'SESSION_INVALID',
  /** No session of this user has that public id (also another user's: nothing to probe). */
  'SESSION_NOT_FOUND',
  /** The session has not passed the second factor the account requires. */
  'TWO_FACTOR_REQUIRED',
  /** A TOTP or recovery code that is wrong, already used, or outside the time window. */
  'TWO_FACTOR_CODE_INVALID',
  'TWO_FACTOR_ALREADY_ENABLED',
  'TWO_FACTOR_NOT_ENABLED',
  /** confirmTotp without a pending enrolment, or verifyTwoFactor on a session that needs none. */
  'TWO_FACTOR_NOT_PENDING',
  /** Too many wrong second-factor codes (or mails) in the window; try again later. */
  'TOO_MANY_ATTEMPTS',
] as const;

export const authCodes = [...requestAuthCodes, ...authErrorCodes] as const;

export type AuthCode = (typeof authCodes)[number];
/** What the request checks return (authenticateRequest, checkTimestamp, signaturePayload). */
export type RequestAuthCode = (typeof requestAuthCodes)[number];
export type AuthErrorCode = (typeof authErrorCodes)[number];

/**
 * The one error this package throws for expected failures (bad input, a missing user, a wrong master key). Its
 * message names the operation and the field and never contains a secret or a master key.
 */
export class AuthError extends Error {
  override name = 'AuthError';

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    /** For INPUT_INVALID: the argument that failed, e.g. `permissions` or `ipAllowList.2`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A broken invariant: a bug, never bad input. Assertions stay on in production. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`@exbox/auth assertion failed: ${message}`);
}

export function assertNever(value: never): never {
  throw new Error(`@exbox/auth: unexpected value ${String(value)}`);
}
