// Proves the session cookie's attributes (HttpOnly, SameSite=Lax, Path=/, Secure only over TLS, expiry) and that
// reading a Cookie header finds the session among other cookies, takes the first of duplicates, and ignores junk.
import { describe, expect, it } from 'vitest';
import {
  createBlankSessionCookie,
  createSessionCookie,
  readSessionCookie,
  sessionCookieName,
} from './session-cookie.js';

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, Secure over TLS only', () => {
    const expiresAt = new Date(Date.UTC(2030, 0, 1));
    const plain = createSessionCookie({ id: 'abc', expiresAt }, { secure: false });
    expect(plain).toMatch(/^exbox_session=abc; /);
    expect(plain).toContain('HttpOnly');
    expect(plain).toContain('SameSite=Lax');
    expect(plain).toContain('Path=/');
    expect(plain).toContain('Expires=Tue, 01 Jan 2030 00:00:00 GMT');
    expect(plain).not.toContain('Secure');
    expect(createSessionCookie({ id: 'abc', expiresAt }, { secure: true })).toContain('Secure');
    expect(createBlankSessionCookie({ secure: true })).toMatch(/^exbox_session=; HttpOnly; Max-Age=0;/);
  });

  it('reads the session from a Cookie header', () => {
    expect(readSessionCookie(`theme=dark; ${sessionCookieName}=s1; ${sessionCookieName}=s2`)).toBe('s1');
    expect(readSessionCookie('theme=dark')).toBeUndefined();
    expect(readSessionCookie(`${sessionCookieName}=`)).toBeUndefined();
    expect(readSessionCookie('=;;; junk')).toBeUndefined();
    expect(readSessionCookie(null)).toBeUndefined();
  });
});
