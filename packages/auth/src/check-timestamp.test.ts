// Proves checkTimestamp applies Binance's rule exactly at its edges: a timestamp must be less than 1000 ms ahead of
// the server (999 passes, 1000 fails), and at most recvWindow behind (equal passes, one more fails); recvWindow
// defaults to 5000 and may not exceed 60000; outcomes come in precedence order; stale replays are refused.
import { describe, expect, it } from 'vitest';
import { checkTimestamp } from './check-timestamp.js';
import { RECV_WINDOW_DEFAULT_MS, RECV_WINDOW_MAX_MS, TIMESTAMP_AHEAD_MAX_MS } from './limits.js';

const NOW = 1_700_000_000_000;

describe('checkTimestamp', () => {
  it('accepts a timestamp up to 999 ms ahead and refuses 1000 ms ahead', () => {
    expect(checkTimestamp(NOW, undefined, NOW)).toBe('OK');
    expect(checkTimestamp(NOW + TIMESTAMP_AHEAD_MAX_MS - 1, undefined, NOW)).toBe('OK');
    expect(checkTimestamp(NOW + TIMESTAMP_AHEAD_MAX_MS, undefined, NOW)).toBe('TIMESTAMP_AHEAD');
    expect(checkTimestamp(NOW + 3_600_000, 60_000, NOW)).toBe('TIMESTAMP_AHEAD');
  });

  it('accepts a timestamp exactly recvWindow old and refuses one ms older (default 5000)', () => {
    expect(checkTimestamp(NOW - RECV_WINDOW_DEFAULT_MS, undefined, NOW)).toBe('OK');
    expect(checkTimestamp(NOW - RECV_WINDOW_DEFAULT_MS - 1, undefined, NOW)).toBe('TIMESTAMP_OUTSIDE_WINDOW');
    expect(checkTimestamp(NOW - 100, 100, NOW)).toBe('OK');
    expect(checkTimestamp(NOW - 101, 100, NOW)).toBe('TIMESTAMP_OUTSIDE_WINDOW');
    expect(checkTimestamp(NOW - RECV_WINDOW_MAX_MS, RECV_WINDOW_MAX_MS, NOW)).toBe('OK');
    expect(checkTimestamp(NOW - RECV_WINDOW_MAX_MS - 1, RECV_WINDOW_MAX_MS, NOW)).toBe('TIMESTAMP_OUTSIDE_WINDOW');
  });

  it('refuses a replay of a request once its window has passed', () => {
    const signedAtMs = NOW;
    expect(checkTimestamp(signedAtMs, 5_000, NOW + 4_000)).toBe('OK');
    expect(checkTimestamp(signedAtMs, 5_000, NOW + 5_001)).toBe('TIMESTAMP_OUTSIDE_WINDOW');
    expect(checkTimestamp(signedAtMs, 5_000, NOW + 86_400_000)).toBe('TIMESTAMP_OUTSIDE_WINDOW');
  });

  it('takes recvWindow from 0 to 60000 and refuses anything else, before looking at the timestamp', () => {
    expect(checkTimestamp(NOW, 0, NOW)).toBe('OK');
    expect(checkTimestamp(NOW - 1, 0, NOW)).toBe('TIMESTAMP_OUTSIDE_WINDOW');
    expect(checkTimestamp(NOW, 60_000, NOW)).toBe('OK');
    for (const window of [60_001, 100_000, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(checkTimestamp(NOW, window, NOW), String(window)).toBe('RECV_WINDOW_INVALID');
      // Precedence: an invalid recvWindow wins over a bad timestamp.
      expect(checkTimestamp(NOW + 10_000, window, NOW)).toBe('RECV_WINDOW_INVALID');
      expect(checkTimestamp(NOW - 100_000, window, NOW)).toBe('RECV_WINDOW_INVALID');
    }
  });

  it('refuses timestamps that are not numbers', () => {
    expect(checkTimestamp(Number.NaN, undefined, NOW)).toBe('TIMESTAMP_OUTSIDE_WINDOW');
    expect(checkTimestamp(Number.NEGATIVE_INFINITY, undefined, NOW)).toBe('TIMESTAMP_OUTSIDE_WINDOW');
    expect(checkTimestamp(Number.POSITIVE_INFINITY, undefined, NOW)).toBe('TIMESTAMP_OUTSIDE_WINDOW');
  });
});
