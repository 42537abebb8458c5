// Proves that `next` after login only ever names a page of this site: relative paths pass with their query and
// fragment, and every known way to smuggle another origin (protocol-relative, backslashes, control characters,
// absolute and javascript: URLs) falls back to the default, as do the auth pages themselves (no loops).
import { describe, expect, it } from 'vitest';
import { DEFAULT_AFTER_LOGIN, loginPathFor, safeNextPath } from './account-redirect';

describe('safeNextPath', () => {
  it('keeps local paths', () => {
    expect(safeNextPath('/account/security')).toBe('/account/security');
    expect(safeNextPath('/trade/BTCUSDT?side=buy#form')).toBe('/trade/BTCUSDT?side=buy#form');
    expect(safeNextPath(['/wallet', '/account'])).toBe('/wallet');
    expect(safeNextPath('/a/../account')).toBe('/account');
  });

  it('refuses anything that could leave the site', () => {
    const attacks = [
      '//evil.com',
      '//evil.com/path',
      '/\\evil.com',
      '\\\\evil.com',
      '/\t/evil.com',
      '/\n/evil.com',
      'https://evil.com',
      'http://evil.com/account',
      'javascript:alert(1)',
      'evil.com',
      'account',
      ' /account',
      '',
    ];
    for (const attack of attacks) expect([attack, safeNextPath(attack)]).toEqual([attack, DEFAULT_AFTER_LOGIN]);
    expect(safeNextPath(undefined)).toBe(DEFAULT_AFTER_LOGIN);
    expect(safeNextPath(null, '/markets')).toBe('/markets');
    expect(safeNextPath(`/${'a'.repeat(2_000)}`)).toBe(DEFAULT_AFTER_LOGIN);
  });

  it('does not return to the pages that log in', () => {
    expect(safeNextPath('/login?next=/wallet')).toBe(DEFAULT_AFTER_LOGIN);
    expect(safeNextPath('/signup')).toBe(DEFAULT_AFTER_LOGIN);
    expect(safeNextPath('/reset-password?token=abc')).toBe(DEFAULT_AFTER_LOGIN);
    expect(safeNextPath('/login-help')).toBe('/login-help');
  });
});

describe('loginPathFor', () => {
  it('sends people back where they were', () => {
    expect(loginPathFor('/account/api-keys')).toBe('/login?next=%2Faccount%2Fapi-keys');
    expect(loginPathFor('/account', { twoFactor: true })).toBe('/login?step=2fa&next=%2Faccount');
    expect(loginPathFor('//evil.com')).toBe('/login');
  });
});
