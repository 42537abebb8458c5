// Binance's rate limits: request weight per IP per minute, and new orders per account per 10 seconds and per
// day, in fixed windows aligned to the clock (as Binance's X-MBX-USED-WEIGHT-1M counter is). Over a limit the
// answer is 429 with Retry-After; a client that keeps sending while limited is banned with 418, two minutes at
// first, doubling for repeat offenders up to three days, as Binance documents.
import { BinanceError, errors } from '../binance/errors.js';

export interface RateLimits {
  requestWeightPerMinute: number;
  ordersPer10s: number;
  ordersPerDay: number;
}

/** Requests an IP may send while already limited before it is banned. */
export const ignoredLimitRequestsMax = 20;
export const banFirstMs = 2 * 60_000;
export const banLongestMs = 3 * 24 * 3_600_000;
/** Tracked IPs and accounts are swept when their window ends; beyond this many, new ones are refused as busy. */
export const trackedClientsMax = 1_000_000;

const minuteMs = 60_000;
const tenSecondsMs = 10_000;
const dayMs = 86_400_000;

interface IpState {
  window: number;
  weight: number;
  /** Requests refused with 429 in this window. */
  ignored: number;
  bannedUntilMs: number;
  bans: number;
}

interface OrderState {
  window10s: number;
  count10s: number;
  windowDay: number;
  countDay: number;
}

export class RateLimiter {
  private readonly ips = new Map<string, IpState>();
  private readonly accounts = new Map<number, OrderState>();
  private lastSweepMinute = 0;

  constructor(readonly limits: RateLimits) {}

  /**
   * Counts `weight` for `ip` and returns the used weight for the header; throws 429/418 when over the limit.
   * A refused request still counts (Binance counts it too), which is what makes ignoring 429s lead to a ban.
   */
  takeWeight(ip: string, weight: number, nowMs: number): number {
    const minute = Math.floor(nowMs / minuteMs);
    this.sweep(minute);
    let state = this.ips.get(ip);
    if (state === undefined) {
      if (this.ips.size >= trackedClientsMax) throw errors.serverBusy();
      state = { window: minute, weight: 0, ignored: 0, bannedUntilMs: 0, bans: 0 };
      this.ips.set(ip, state);
    }
    if (state.bannedUntilMs > nowMs) {
      throw errors.banned(state.bannedUntilMs, Math.ceil((state.bannedUntilMs - nowMs) / 1000));
    }
    if (state.window !== minute) {
      state.window = minute;
      state.weight = 0;
      state.ignored = 0;
    }
    state.weight += weight;
    if (state.weight > this.limits.requestWeightPerMinute) {
      state.ignored++;
      if (state.ignored > ignoredLimitRequestsMax) {
        const banMs = Math.min(banFirstMs * 2 ** state.bans, banLongestMs);
        state.bans++;
        state.bannedUntilMs = nowMs + banMs;
        throw errors.banned(state.bannedUntilMs, Math.ceil(banMs / 1000));
      }
      const retryAfterSeconds = Math.max(1, Math.ceil(((minute + 1) * minuteMs - nowMs) / 1000));
      throw errors.tooMuchWeight(this.limits.requestWeightPerMinute, retryAfterSeconds);
    }
    return state.weight;
  }

  /** The weight `ip` has used in the current minute (for GET /api/v3/rateLimit-style reporting). */
  usedWeight(ip: string, nowMs: number): number {
    const state = this.ips.get(ip);
    return state === undefined || state.window !== Math.floor(nowMs / minuteMs) ? 0 : state.weight;
  }

  /** Counts one new order for the account; throws -1015 (429) when over either limit. */
  takeOrder(userId: number, nowMs: number): { count10s: number; countDay: number } {
    const state = this.orderState(userId, nowMs);
    if (state.count10s >= this.limits.ordersPer10s) {
      const retry = Math.max(1, Math.ceil(((state.window10s + 1) * tenSecondsMs - nowMs) / 1000));
      throw errors.tooManyOrders(this.limits.ordersPer10s, '10 SECOND', retry);
    }
    if (state.countDay >= this.limits.ordersPerDay) {
      const retry = Math.max(1, Math.ceil(((state.windowDay + 1) * dayMs - nowMs) / 1000));
      throw errors.tooManyOrders(this.limits.ordersPerDay, '1 DAY', retry);
    }
    state.count10s++;
    state.countDay++;
    return { count10s: state.count10s, countDay: state.countDay };
  }

  /** The account's order counts in the current windows, without counting anything. */
  orderCounts(userId: number, nowMs: number): { count10s: number; countDay: number } {
    const state = this.orderState(userId, nowMs);
    return { count10s: state.count10s, countDay: state.countDay };
  }

  private orderState(userId: number, nowMs: number): OrderState {
    const window10s = Math.floor(nowMs / tenSecondsMs);
    const windowDay = Math.floor(nowMs / dayMs);
    let state = this.accounts.get(userId);
    if (state === undefined) {
      if (this.accounts.size >= trackedClientsMax) throw errors.serverBusy();
      state = { window10s, count10s: 0, windowDay, countDay: 0 };
      this.accounts.set(userId, state);
    }
    if (state.window10s !== window10s) {
      state.window10s = window10s;
      state.count10s = 0;
    }
    if (state.windowDay !== windowDay) {
      state.windowDay = windowDay;
      state.countDay = 0;
    }
    return state;
  }

  /** Once a minute, forgets IPs whose window ended and that are not banned. */
  private sweep(minute: number): void {
    if (minute === this.lastSweepMinute) return;
    this.lastSweepMinute = minute;
    const nowMs = minute * minuteMs;
    for (const [ip, state] of this.ips) {
      if (state.window !== minute && state.bannedUntilMs <= nowMs && state.bans === 0) this.ips.delete(ip);
    }
  }
}

export const isRateLimitError = (error: unknown): error is BinanceError =>
  error instanceof BinanceError && (error.httpStatus === 429 || error.httpStatus === 418);
