// A Cookie header parser (RFC 6265 section 5.4): name=value pairs separated by ';'. The first occurrence of a name
// wins, as browsers send the most specific cookie first.

const COOKIE_HEADER_LENGTH_MAX = 8_192;

export function parseCookies(header: string): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header.slice(0, COOKIE_HEADER_LENGTH_MAX).split(';')) {
    const equals = part.indexOf('=');
    if (equals <= 0) continue;
    const name = part.slice(0, equals).trim();
    let value = part.slice(equals + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!cookies.has(name)) {
      try {
        cookies.set(name, decodeURIComponent(value));
      } catch {
        cookies.set(name, value);
      }
    }
  }
  return cookies;
}
