// CSRF: a state-changing request must come from our own pages. Browsers send Origin on every POST; a request
// whose Origin is missing or names another site is refused. SameSite=Lax cookies are the second line.

export function isSameOrigin(origin: string | null, host: string | null, allowedOrigins: readonly string[]): boolean {
  if (origin === null || origin === 'null') return false;
  if (allowedOrigins.includes(origin)) return true;
  if (host === null) return false;
  try {
    const parsed = new URL(origin);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.host === host.toLowerCase();
  } catch {
    return false;
  }
}
