// Where to go after logging in: the `next` parameter, but only a path on this site. An open redirect would let a
// phishing mail send people through our real login page to a look-alike one, so anything that is not plainly a
// local path (//evil.com, /\evil.com, https://..., javascript:, control characters) falls back to the default.

export const DEFAULT_AFTER_LOGIN = '/trade';

/** Pages that make no sense to return to after logging in (they would show the form again, or a used token). */
const NOT_AFTER_LOGIN = ['/login', '/signup', '/verify-email', '/forgot-password', '/reset-password'];

const BASE = 'http://portal.invalid';

export function safeNextPath(next: string | string[] | null | undefined, fallback = DEFAULT_AFTER_LOGIN): string {
  const raw = Array.isArray(next) ? next[0] : next;
  if (raw === undefined || raw === null || raw === '' || raw.length > 2_000) return fallback;
  // Browsers read "\" as "/" and drop tabs and new lines, so "/\evil.com" and "/\t/evil.com" are other hosts.
  // eslint-disable-next-line no-control-regex
  if (!raw.startsWith('/') || raw.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  if (NOT_AFTER_LOGIN.some((path) => url.pathname === path || url.pathname.startsWith(`${path}/`))) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** /login?next=<path> for a page that needs a session (the path kept only if it is safe). */
export function loginPathFor(path: string, options: { twoFactor?: boolean } = {}): string {
  const params = new URLSearchParams();
  if (options.twoFactor === true) params.set('step', '2fa');
  const next = safeNextPath(path, '');
  if (next !== '') params.set('next', next);
  const query = params.toString();
  return query === '' ? '/login' : `/login?${query}`;
}
