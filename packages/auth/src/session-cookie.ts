// The session cookie, built with lucia's Cookie: HttpOnly always, SameSite=Lax (sent on top-level navigation,
// not on cross-site subrequests or form posts), Secure when the portal is served over TLS, Path=/, and an expiry
// that matches the session's.

import { Cookie } from 'lucia';
import { parseCookies } from './internal/cookies.js';

export const sessionCookieName = 'exbox_session';

export interface SessionCookieOptions {
  /** True when the request came over https: the browser then sends the cookie over TLS only. */
  readonly secure: boolean;
}

/** The Set-Cookie header value for a session. */
export function createSessionCookie(session: { id: string; expiresAt: Date }, options: SessionCookieOptions): string {
  return new Cookie(sessionCookieName, session.id, {
    httpOnly: true,
    secure: options.secure,
    sameSite: 'lax',
    path: '/',
    expires: session.expiresAt,
  }).serialize();
}

/** The Set-Cookie header value that removes the session cookie. */
export function createBlankSessionCookie(options: SessionCookieOptions): string {
  return new Cookie(sessionCookieName, '', {
    httpOnly: true,
    secure: options.secure,
    sameSite: 'lax',
    path: '/',
    maxAge: 0,
  }).serialize();
}

/** The session id from a Cookie header, or undefined. */
export function readSessionCookie(cookieHeader: string | null | undefined): string | undefined {
  if (cookieHeader === null || cookieHeader === undefined) return undefined;
  const value = parseCookies(cookieHeader).get(sessionCookieName);
  return value === undefined || value === '' ? undefined : value;
}
