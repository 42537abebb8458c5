// Proves the rate limiter enforces Binance's windows: weight per IP per clock minute with 429 + Retry-After,
// a 418 ban for clients that keep sending while limited (doubling for repeat offenders), and orders per
// account per 10 s and per day; and that windows reset on time.
import { describe, expect, it } from 'vitest';
import { binanceErrorOf } from '../testing/binance-code.js';
import { banFirstMs, ignoredLimitRequestsMax, RateLimiter } from './rate-limiter.js';

const minute = 60_000;
const start = 1_700_000_080_000; // 40 s into a clock minute

describe('RateLimiter weight', () => {
  it('counts weight per IP and answers 429 with Retry-After until the minute ends', () => {
    const limiter = new RateLimiter({ requestWeightPerMinute: 100, ordersPer10s: 10, ordersPerDay: 100 });
    expect(limiter.takeWeight('1.1.1.1', 60, start)).toBe(60);
    expect(limiter.takeWeight('1.1.1.1', 40, start)).toBe(100);
    expect(limiter.takeWeight('2.2.2.2', 100, start)).toBe(100);
    const error = binanceErrorOf(() => limiter.takeWeight('1.1.1.1', 1, start + 1_000));
    expect([error.code, error.httpStatus, error.headers['Retry-After']]).toEqual([-1003, 429, '19']);
    expect(error.message).toContain('current limit is 100 request weight per 1 MINUTE');
    // The next clock minute starts afresh.
    expect(limiter.takeWeight('1.1.1.1', 5, start + 20_000)).toBe(5);
  });

  it('bans an IP that ignores 429s, for longer each time', () => {
    const limiter = new RateLimiter({ requestWeightPerMinute: 10, ordersPer10s: 10, ordersPerDay: 100 });
    limiter.takeWeight('9.9.9.9', 10, start);
    for (let i = 0; i < ignoredLimitRequestsMax; i++)
      expect(binanceErrorOf(() => limiter.takeWeight('9.9.9.9', 1, start)).httpStatus).toBe(429);
    const ban = binanceErrorOf(() => limiter.takeWeight('9.9.9.9', 1, start));
    expect([ban.code, ban.httpStatus]).toEqual([-1003, 418]);
    expect(ban.message).toContain(`IP banned until ${start + banFirstMs}`);
    // Banned even in the next minute, until the ban ends.
    expect(binanceErrorOf(() => limiter.takeWeight('9.9.9.9', 1, start + minute)).httpStatus).toBe(418);
    const afterBan = start + banFirstMs + 1;
    expect(limiter.takeWeight('9.9.9.9', 1, afterBan)).toBe(1);
    limiter.takeWeight('9.9.9.9', 9, afterBan);
    for (let i = 0; i < ignoredLimitRequestsMax; i++) binanceErrorOf(() => limiter.takeWeight('9.9.9.9', 1, afterBan));
    const second = binanceErrorOf(() => limiter.takeWeight('9.9.9.9', 1, afterBan));
    expect(second.message).toContain(`IP banned until ${afterBan + 2 * banFirstMs}`);
  });
});

describe('RateLimiter orders', () => {
  it('limits new orders per account per 10 seconds and per day', () => {
    const limiter = new RateLimiter({ requestWeightPerMinute: 1_000, ordersPer10s: 3, ordersPerDay: 5 });
    const t = 1_700_000_000_000; // a multiple of 10 s
    for (let i = 1; i <= 3; i++) expect(limiter.takeOrder(1, t)).toEqual({ count10s: i, countDay: i });
    const error = binanceErrorOf(() => limiter.takeOrder(1, t + 9_999));
    expect([error.code, error.httpStatus, error.message]).toEqual([
      -1015,
      429,
      'Too many new orders; current limit is 3 orders per 10 SECOND.',
    ]);
    expect(limiter.takeOrder(2, t)).toEqual({ count10s: 1, countDay: 1 });
    expect(limiter.takeOrder(1, t + 10_000)).toEqual({ count10s: 1, countDay: 4 });
    expect(limiter.takeOrder(1, t + 10_001)).toEqual({ count10s: 2, countDay: 5 });
    expect(binanceErrorOf(() => limiter.takeOrder(1, t + 20_000)).message).toBe(
      'Too many new orders; current limit is 5 orders per 1 DAY.',
    );
    expect(limiter.orderCounts(1, t + 20_000)).toEqual({ count10s: 0, countDay: 5 });
  });
});
