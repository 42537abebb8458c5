// Browser trading: the trader portal's users are signed in with a session cookie (lucia, @exbox/auth), not an API
// key, and a browser cannot hold an API secret. The gateway therefore also accepts that cookie on the signed
// endpoints, with the checks a cookie needs instead of a signature:
// - the request's Origin must be one of the portal origins the operator configured (a page on another site cannot
//   send it: SameSite=Lax keeps the cookie off cross-site requests, and the Origin check covers what is same-site);
// - the session must be valid and, for an account with two-factor on, past its second factor;
// - it grants read and trade, never withdraw (withdrawals go through the portal's own two-factor flow).
// Every request looks its session up (one indexed read) unless the operator sets a cache: a logged-out or revoked
// session must stop working at once, and browsers send few signed requests. With `cacheMs`, it stops within that.
import { errors } from '../binance/errors.js';
import type { Permission } from './request-auth.js';

export interface WebSessionUser {
  userId: number;
  /** False while an account with two-factor on has given only its password. */
  twoFactorVerified: boolean;
}

export interface WebSessionOptions {
  /** Origins of the portal, exactly as browsers send them ("https://exchange.example.com"). */
  allowedOrigins: readonly string[];
  /** The cookie carrying the session id. */
  cookieName: string;
  /** Looks a session up (the auth package's validateSession); undefined when unknown, expired or revoked. */
  validate: (sessionId: string) => Promise<WebSessionUser | undefined>;
  /** How long a validated session is trusted before it is looked up again (default webSessionCacheMs). */
  cacheMs?: number;
}

export const webSessionCacheMs = 0;
/** Sessions kept in the cache at once; the oldest are dropped beyond it. */
export const webSessionCacheEntriesMax = 100_000;
const webPermissions: ReadonlySet<Permission> = new Set<Permission>(['read', 'trade']);

/** The value of one cookie in a Cookie header, or undefined. */
export const cookieValue = (header: string, name: string): string | undefined => {
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals < 0) continue;
    if (part.slice(0, equals).trim() === name) return part.slice(equals + 1).trim();
  }
  return undefined;
};

export class WebSessions {
  private readonly cache = new Map<string, { user: WebSessionUser | undefined; checkedAtMs: number }>();
  private readonly origins: ReadonlySet<string>;

  constructor(
    private readonly options: WebSessionOptions,
    private readonly clock: () => number,
  ) {
    this.origins = new Set(options.allowedOrigins);
  }

  isAllowedOrigin(origin: string): boolean {
    return this.origins.has(origin);
  }

  /**
   * The user of a request that carries the session cookie, checked as above; throws Binance's -2015 for a
   * foreign origin, an unknown session or one still waiting for its second factor.
   */
  async authenticate(origin: string, cookieHeader: string, needed: Permission): Promise<number> {
    if (!this.origins.has(origin)) throw errors.rejectedApiKey();
    const sessionId = cookieValue(cookieHeader, this.options.cookieName);
    if (sessionId === undefined || sessionId === '') throw errors.rejectedApiKey();
    const user = await this.lookup(sessionId);
    if (user === undefined || !user.twoFactorVerified || !webPermissions.has(needed)) throw errors.rejectedApiKey();
    return user.userId;
  }

  private async lookup(sessionId: string): Promise<WebSessionUser | undefined> {
    const cacheMs = this.options.cacheMs ?? webSessionCacheMs;
    if (cacheMs <= 0) return this.options.validate(sessionId);
    const now = this.clock();
    const cached = this.cache.get(sessionId);
    if (cached !== undefined && now - cached.checkedAtMs < cacheMs) return cached.user;
    const user = await this.options.validate(sessionId);
    this.cache.delete(sessionId);
    if (this.cache.size >= webSessionCacheEntriesMax) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(sessionId, { user, checkedAtMs: now });
    return user;
  }
}
