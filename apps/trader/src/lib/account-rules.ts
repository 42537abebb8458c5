// What the account forms check before sending, so people see a rule while they type rather than after a round
// trip. The server checks everything again; these are the same rules, copied from @exbox/auth's limits (its
// runtime pulls in argon2 and postgres, so a browser bundle cannot import it). account-rules.test.ts fails when
// the two drift apart.

/** packages/auth/src/limits.ts */
export const PASSWORD_LENGTH_MIN = 10;
export const PASSWORD_LENGTH_MAX = 256;
export const EMAIL_LENGTH_MAX = 254;
export const ANTI_PHISHING_CODE_LENGTH_MIN = 4;
export const ANTI_PHISHING_CODE_LENGTH_MAX = 20;
export const TOTP_DIGITS = 6;
export const RECOVERY_CODE_LENGTH = 16;
export const API_KEY_LABEL_LENGTH_MAX = 64;
export const IP_ALLOW_LIST_ENTRIES_MAX = 30;
export const API_KEYS_PER_USER_MAX = 30;
export const LOGIN_FAILURES_PER_ACCOUNT_MAX = 10;

export interface PasswordCheck {
  id: 'length-min' | 'length-max' | 'match';
  label: string;
  met: boolean;
}

/**
 * The password rules as a checklist: the server's (length) and, when a confirmation is asked for, that the two
 * match. The maximum is listed only once it is exceeded (nobody needs to read it otherwise).
 */
export function passwordChecks(password: string, confirmation?: string): PasswordCheck[] {
  const length = [...password].length;
  const checks: PasswordCheck[] = [
    { id: 'length-min', label: `At least ${PASSWORD_LENGTH_MIN} characters`, met: length >= PASSWORD_LENGTH_MIN },
  ];
  if (password.length > PASSWORD_LENGTH_MAX) {
    checks.push({ id: 'length-max', label: `At most ${PASSWORD_LENGTH_MAX} characters`, met: false });
  }
  if (confirmation !== undefined) {
    checks.push({ id: 'match', label: 'Both passwords match', met: password.length > 0 && password === confirmation });
  }
  return checks;
}

export function passwordAcceptable(password: string, confirmation?: string): boolean {
  return passwordChecks(password, confirmation).every((check) => check.met);
}

/** A rough shape check (something@domain.tld); the server's parser decides. */
export function emailLooksValid(email: string): boolean {
  const trimmed = email.trim();
  return trimmed.length <= EMAIL_LENGTH_MAX && /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/.test(trimmed);
}

/** Authenticator codes as typed ("123 456") without the spaces; undefined unless it is 6 digits. */
export function normalizeTotpCode(text: string): string | undefined {
  const code = text.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code) ? code : undefined;
}

/** Recovery codes as printed (XXXX-XXXX-XXXX-XXXX), any case, dashes and spaces ignored; undefined otherwise. */
export function normalizeRecoveryCode(text: string): string | undefined {
  const code = text.replace(/[\s-]/g, '').toUpperCase();
  return new RegExp(`^[A-Z2-7]{${RECOVERY_CODE_LENGTH}}$`).test(code) ? code : undefined;
}

/** The anti-phishing code's rule, or undefined when it is fine. */
export function antiPhishingCodeProblem(text: string): string | undefined {
  const code = text.trim();
  if (code.length === 0) return 'Enter a code.';
  if (!/^[A-Za-z0-9]*$/.test(code)) return 'Use letters and digits only.';
  if (code.length < ANTI_PHISHING_CODE_LENGTH_MIN || code.length > ANTI_PHISHING_CODE_LENGTH_MAX) {
    return `Use ${ANTI_PHISHING_CODE_LENGTH_MIN} to ${ANTI_PHISHING_CODE_LENGTH_MAX} letters and digits.`;
  }
  return undefined;
}

/** The label's rule, or undefined when it is fine. */
export function apiKeyLabelProblem(label: string): string | undefined {
  const trimmed = label.trim();
  if ([...trimmed].length > API_KEY_LABEL_LENGTH_MAX) return `Use at most ${API_KEY_LABEL_LENGTH_MAX} characters.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'Remove the line breaks and control characters.';
  return undefined;
}

const IPV4_OCTET = /^(?:0|[1-9]\d{0,2})$/;

function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!IPV4_OCTET.test(part) || Number(part) > 255) return undefined;
    bytes.push(Number(part));
  }
  return bytes;
}

/** IPv6 by its shape: hex groups, at most one "::", optionally an IPv4 tail; no zone ids or brackets. */
function isIpv6(text: string): boolean {
  if (text.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(text)) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] ?? '';
    if (/^[0-9A-Fa-f]{1,4}$/.test(group)) count += 1;
    else if (i === groups.length - 1 && group.includes('.') && ipv4Bytes(group) !== undefined) count += 2;
    else return false;
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

/**
 * One allow-list entry: an IPv4 or IPv6 address, or a CIDR range. For IPv4 ranges the host bits must be zero
 * (as the server requires), with the range meant as the hint. Undefined when the entry is fine.
 */
export function ipEntryProblem(entry: string): string | undefined {
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const prefixText = slash === -1 ? undefined : entry.slice(slash + 1);
  const ipv4 = address.includes(':') ? undefined : ipv4Bytes(address);
  const family = ipv4 !== undefined ? 4 : isIpv6(address) ? 6 : undefined;
  if (family === undefined) return `“${entry}” is not an IPv4 or IPv6 address.`;
  if (prefixText === undefined) return undefined;
  const bits = family === 4 ? 32 : 128;
  if (!/^(?:0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > bits) {
    return `“${entry}”: the range after “/” must be 0 to ${bits}.`;
  }
  if (ipv4 !== undefined) {
    const prefix = Number(prefixText);
    const network = ipv4.map((byte, i) => byte & ((0xff << (8 - Math.min(8, Math.max(0, prefix - 8 * i)))) & 0xff));
    if (network.some((byte, i) => byte !== ipv4[i])) {
      return `“${entry}” has host bits set: did you mean ${network.join('.')}/${prefix}?`;
    }
  }
  return undefined;
}

export interface IpAllowListParse {
  /** The entries as typed, in order, without duplicates. */
  entries: string[];
  /** One sentence per problem; empty when the list can be sent. */
  problems: string[];
}

/** An allow-list as people type it: separated by commas, spaces, semicolons or new lines. */
export function parseIpAllowList(text: string): IpAllowListParse {
  const entries: string[] = [];
  for (const entry of text.split(/[\s,;]+/)) {
    if (entry !== '' && !entries.includes(entry)) entries.push(entry);
  }
  const problems = entries.map(ipEntryProblem).filter((problem): problem is string => problem !== undefined);
  if (entries.length > IP_ALLOW_LIST_ENTRIES_MAX) {
    problems.push(`Use at most ${IP_ALLOW_LIST_ENTRIES_MAX} addresses or ranges (there are ${entries.length}).`);
  }
  return { entries, problems };
}
