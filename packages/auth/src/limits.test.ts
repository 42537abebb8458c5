// Proves the named limits and the result codes fit together: the revocation bound holds (a refresh runs several
// times within the staleness bound, and a refresh query is cancelled before it), Binance's timing numbers are
// Binance's, user ids fit the ledger's packed owner ids, and result codes are unique and in their documented
// precedence order.
import { describe, expect, it } from 'vitest';
import { authCodes, authErrorCodes, requestAuthCodes } from './codes.js';
import * as limits from './limits.js';

describe('limits', () => {
  it('keeps the revocation bound meaningful', () => {
    expect(limits.API_KEY_STALE_AFTER_MS).toBeGreaterThanOrEqual(5 * limits.API_KEY_REFRESH_INTERVAL_MS);
    expect(limits.API_KEY_REFRESH_STATEMENT_TIMEOUT_MS).toBeLessThan(limits.API_KEY_STALE_AFTER_MS);
    expect(limits.API_KEY_FULL_RELOAD_INTERVAL_MS).toBeGreaterThan(limits.API_KEY_STALE_AFTER_MS);
    expect(limits.API_KEY_LAST_USED_FLUSH_INTERVAL_MS).toBeGreaterThan(limits.API_KEY_REFRESH_INTERVAL_MS);
  });

  it("uses Binance's numbers for keys and timing", () => {
    expect(limits.API_KEY_LENGTH).toBe(64);
    expect(limits.API_SECRET_LENGTH).toBe(64);
    expect(limits.RECV_WINDOW_DEFAULT_MS).toBe(5_000);
    expect(limits.RECV_WINDOW_MAX_MS).toBe(60_000);
    expect(limits.TIMESTAMP_AHEAD_MAX_MS).toBe(1_000);
    expect(limits.RECV_WINDOW_DEFAULT_MS).toBeLessThanOrEqual(limits.RECV_WINDOW_MAX_MS);
  });

  it("fits user ids into the ledger's owner ids (2^33 - 1) and safe integers", () => {
    expect(limits.USER_ID_MAX).toBe(2 ** 33 - 1);
    expect(Number.isSafeInteger(limits.USER_ID_MAX)).toBe(true);
    expect(limits.USERNAME_LENGTH_MIN).toBeLessThan(limits.USERNAME_LENGTH_MAX);
  });

  it('sizes AES-256-GCM', () => {
    expect(limits.MASTER_KEY_BYTES).toBe(32);
    expect(limits.SECRET_IV_BYTES).toBe(12);
    expect(limits.SECRET_TAG_BYTES).toBe(16);
  });
});

describe('codes', () => {
  it('lists every code once, OK first, request checks before management errors', () => {
    expect(new Set(authCodes).size).toBe(authCodes.length);
    expect(authCodes[0]).toBe('OK');
    expect(authCodes).toEqual([...requestAuthCodes, ...authErrorCodes]);
  });

  it("orders request checks as authenticateRequest runs them (Binance's codes in comments)", () => {
    expect(requestAuthCodes).toEqual([
      'OK',
      'API_KEY_FORMAT_INVALID',
      'STORE_UNAVAILABLE',
      'API_KEY_UNKNOWN',
      'IP_NOT_ALLOWED',
      'SIGNATURE_MISSING',
      'SIGNATURE_DUPLICATED',
      'RECV_WINDOW_INVALID',
      'TIMESTAMP_AHEAD',
      'TIMESTAMP_OUTSIDE_WINDOW',
      'SIGNATURE_INVALID',
      'PERMISSION_DENIED',
    ]);
  });
});
