// How the account pages show what the API returns: dates, devices from user agents, login outcomes, and mail
// bodies with their links. Pure functions (the clock and the time zone are arguments) so they are tested.

/** "12 Mar 2025, 14:03" in the viewer's time zone (or the one given, for tests). */
export function formatDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  }).format(date);
}

/** "just now", "5 min ago", "3 h ago", "2 days ago"; the full date beyond a month. */
export function formatRelative(iso: string, nowMs: number, timeZone?: string): string {
  const thenMs = new Date(iso).getTime();
  if (Number.isNaN(thenMs)) return '—';
  const seconds = Math.round((nowMs - thenMs) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 31) return days === 1 ? 'yesterday' : `${days} days ago`;
  return formatDateTime(iso, timeZone);
}

const browsers: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/HeadlessChrome\//, 'Headless Chrome'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/^curl\//, 'curl'],
  [/node|undici/i, 'Node.js'],
];

const systems: [RegExp, string][] = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome on macOS" from a User-Agent header; "Unknown device" when there is none. */
export function describeUserAgent(userAgent: string): string {
  if (userAgent.trim() === '') return 'Unknown device';
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser !== undefined && system !== undefined) return `${browser} on ${system}`;
  if (browser !== undefined) return browser;
  if (system !== undefined) return `Browser on ${system}`;
  return userAgent.length > 40 ? `${userAgent.slice(0, 40)}…` : userAgent;
}

export type Tone = 'good' | 'bad' | 'neutral';

/** The login history's outcomes (packages/auth README) in words, and whether they are worrying. */
export function describeLoginOutcome(outcome: string): { text: string; tone: Tone } {
  switch (outcome) {
    case 'SUCCESS':
      return { text: 'Logged in', tone: 'good' };
    case 'TWO_FACTOR_SUCCESS':
      return { text: 'Logged in with two-factor', tone: 'good' };
    case 'TWO_FACTOR_PENDING':
      return { text: 'Password accepted, code asked', tone: 'neutral' };
    case 'PASSWORD_INVALID':
      return { text: 'Wrong password', tone: 'bad' };
    case 'TWO_FACTOR_INVALID':
      return { text: 'Wrong two-factor code', tone: 'bad' };
    case 'LOCKED':
      return { text: 'Refused: too many attempts', tone: 'bad' };
    case 'EMAIL_NOT_VERIFIED':
      return { text: 'Refused: email not confirmed', tone: 'neutral' };
    default:
      return { text: outcome.toLowerCase().replace(/_/g, ' '), tone: 'neutral' };
  }
}

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/**
 * A plain-text mail body as text and links, for rendering without HTML injection. Only http(s) URLs become
 * links; a trailing full stop, comma or closing bracket stays text.
 */
export function linkifyText(body: string): TextPart[] {
  const parts: TextPart[] = [];
  const pattern = /https?:\/\/[^\s<>"']+/g;
  let last = 0;
  for (const match of body.matchAll(pattern)) {
    let url = match[0];
    while (/[.,;:!?)\]]$/.test(url)) url = url.slice(0, -1);
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: body.slice(last, start) });
    parts.push({ kind: 'link', text: url, href: url });
    last = start + url.length;
  }
  if (last < body.length) parts.push({ kind: 'text', text: body.slice(last) });
  return parts;
}

/** Paths of this portal that mails link to; the mailbox opens them on the page's own address. */
const PORTAL_LINK_PATHS = ['/verify-email', '/reset-password', '/login', '/signup', '/forgot-password'];

/**
 * A mail's link as the demo mailbox opens it: a link to one of the portal's own pages becomes a local path, so it
 * opens on the address the visitor is using (the mail names the configured public URL, which may be another
 * host name for the same portal); any other link stays as it is.
 */
export function portalLocalPath(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!PORTAL_LINK_PATHS.includes(url.pathname)) return undefined;
  return `${url.pathname}${url.search}`;
}

/** The main thing a mail asks its reader to do, as a button: its first portal link, named by the mail's kind. */
export function mailAction(kind: string, body: string): { label: string; path: string } | undefined {
  const label =
    kind === 'VERIFY_EMAIL' ? 'Confirm email address' : kind === 'RESET_PASSWORD' ? 'Choose a new password' : undefined;
  if (label === undefined) return undefined;
  for (const part of linkifyText(body)) {
    if (part.kind !== 'link') continue;
    const path = portalLocalPath(part.href);
    if (path !== undefined && path.includes('token=')) return { label, path };
  }
  return undefined;
}

/** The recovery codes as a text file people can keep. */
export function recoveryCodesText(codes: readonly string[], account: string, exchange: string): string {
  return [
    `${exchange} two-factor recovery codes for ${account}`,
    '',
    'Each code works once, in place of an authenticator code. Keep them somewhere safe and offline.',
    '',
    ...codes,
    '',
  ].join('\n');
}

/**
 * The enrolment's QR code (an SVG document from the server) as an <img> source. Shown as an image, an SVG cannot
 * run scripts or load anything, and the text is checked to be an SVG document at all; undefined otherwise (the
 * page then offers the secret for manual entry only).
 */
export function qrCodeImageSource(svg: string): string | undefined {
  if (svg.length > 200_000 || !/^\s*(?:<\?xml[^>]*\?>\s*)?<svg[\s>][\s\S]*<\/svg>\s*$/.test(svg)) return undefined;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** A base32 secret in groups of four, for reading aloud or typing; the copy buttons copy it without spaces. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}
