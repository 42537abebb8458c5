// The one place where the account API's failures become sentences for people. The API sends its domain code as
// `error.data.authCode` (packages/api/README.md); without one, the tRPC code (or no response at all) decides. Each
// page names what it was doing (`AccountAction`) so the same code can read right in context: a wrong password at
// login is not a wrong password when changing it. The switch over auth codes is exhaustive: a code added to
// @exbox/auth fails to compile here until it has a sentence.
import type { AuthErrorCode } from '@exbox/auth';
import { API_KEYS_PER_USER_MAX, LOGIN_FAILURES_PER_ACCOUNT_MAX } from './account-rules';

export type AccountAction =
  | 'load'
  | 'signUp'
  | 'verifyEmail'
  | 'login'
  | 'verifyTwoFactor'
  | 'requestPasswordReset'
  | 'resetPassword'
  | 'changePassword'
  | 'enrolTwoFactor'
  | 'confirmTwoFactor'
  | 'disableTwoFactor'
  | 'setAntiPhishingCode'
  | 'revokeSession'
  | 'revokeOtherSessions'
  | 'createApiKey'
  | 'deleteApiKey'
  | 'mailbox';

/** What a failed call tells us, whatever threw it (a TRPCClientError, a network failure, anything). */
export interface AccountFailure {
  /** The domain code (`data.authCode`), when the API sent one. */
  authCode: AuthErrorCode | null;
  /** The tRPC code (`data.code`, e.g. UNAUTHORIZED), when the server answered. */
  trpcCode: string | null;
  /** The server's message (never shown raw except, cleaned up, for INPUT_INVALID). */
  message: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function readAccountFailure(error: unknown): AccountFailure {
  if (!isRecord(error)) return { authCode: null, trpcCode: null, message: String(error) };
  const data = isRecord(error['data']) ? error['data'] : null;
  const authCode = typeof data?.['authCode'] === 'string' ? (data['authCode'] as AuthErrorCode) : null;
  const trpcCode = typeof data?.['code'] === 'string' ? data['code'] : null;
  const message = typeof error['message'] === 'string' ? error['message'] : '';
  return { authCode, trpcCode, message };
}

/** No session, or it expired or was revoked: the page should ask the user to log in again. */
export function isSessionExpired(error: unknown): boolean {
  const { authCode, trpcCode } = readAccountFailure(error);
  if (authCode !== null) return authCode === 'SESSION_INVALID';
  return trpcCode === 'UNAUTHORIZED';
}

/** The session has not passed its second factor: finish the login (/login?step=2fa). */
export function isTwoFactorPending(error: unknown): boolean {
  return readAccountFailure(error).authCode === 'TWO_FACTOR_REQUIRED';
}

/** The procedure is off here (the demo mailbox outside the demo answers NOT_FOUND). */
export function isNotAvailable(error: unknown): boolean {
  const { authCode, trpcCode } = readAccountFailure(error);
  return authCode === null && trpcCode === 'NOT_FOUND';
}

/** Field names the domain reports (`AuthError.field`, first part of its message) as the form labels them. */
const fieldLabels: Record<string, string> = {
  email: 'Email',
  password: 'Password',
  currentPassword: 'Current password',
  newPassword: 'New password',
  token: 'The code',
  code: 'The code',
  label: 'Label',
  permissions: 'Permissions',
  ipAllowList: 'IP allow-list',
};

/**
 * INPUT_INVALID messages read "operation: field: rule; field: rule" and describe the rule, never the value (the
 * one exception, IP allow-list entries, quotes an address, which is not a secret). Turn them into sentences:
 * "signUp: password: must be at least 10 characters" -> "Password must be at least 10 characters."
 */
export function describeInputProblem(message: string): string | null {
  const body = message.replace(/^[A-Za-z]+: /, '');
  const sentences: string[] = [];
  for (const part of body.split('; ')) {
    const match = /^([A-Za-z]+)(?:\.(\d+))?: (.+)$/.exec(part.trim());
    if (match === null) continue;
    const [, field = '', index, rule = ''] = match;
    const label = fieldLabels[field];
    if (label === undefined) continue;
    const subject = field === 'ipAllowList' && index !== undefined ? `IP allow-list entry ${Number(index) + 1}` : label;
    const joined = /^(?:must|may|is|are) /.test(rule)
      ? `${subject} ${rule}`
      : `${subject}${rule.startsWith('"') ? ' —' : ':'} ${rule}`;
    const text = joined.trim();
    sentences.push(text.endsWith('.') || text.endsWith('?)') ? text : `${text}.`);
  }
  return sentences.length === 0 ? null : sentences.join(' ');
}

const tryAgain = 'Please try again in a moment.';
const serverTrouble = `Something went wrong on our side. ${tryAgain}`;

function assertNever(value: never): never {
  throw new Error(`account-errors: unexpected auth code ${String(value)}`);
}

function authCodeMessage(code: AuthErrorCode, action: AccountAction, failure: AccountFailure): string {
  switch (code) {
    case 'CREDENTIALS_INVALID':
      if (action === 'changePassword') {
        return 'Your current password is not correct. (Too many wrong tries pause password checks for 15 minutes.)';
      }
      return `Incorrect email or password. After ${LOGIN_FAILURES_PER_ACCOUNT_MAX} failed attempts, logging in with this email is paused for 15 minutes; resetting your password lifts the pause.`;
    case 'EMAIL_NOT_VERIFIED':
      return 'Your email address is not confirmed yet. Open the link in the email we sent when you signed up. Lost it, or did it expire? Reset your password: that confirms your address too.';
    case 'TOKEN_INVALID':
      if (action === 'resetPassword') {
        return 'This reset link is invalid, has expired (links work for 1 hour), was already used, or a newer one was sent. Ask for a new link.';
      }
      return 'This confirmation link is invalid, has expired (links work for 24 hours) or was already used. If you already confirmed your address, just log in.';
    case 'SESSION_INVALID':
      if (action === 'verifyTwoFactor') {
        return 'Your sign-in timed out (you have 10 minutes to enter the code). Enter your email and password again.';
      }
      return 'Your session has expired. Log in again.';
    case 'SESSION_NOT_FOUND':
      return 'That session has already ended.';
    case 'TWO_FACTOR_REQUIRED':
      return 'Enter your two-factor code to continue.';
    case 'TWO_FACTOR_CODE_INVALID':
      return 'That code is not valid: it is wrong, expired or was already used. Authenticator codes change every 30 seconds, so check that your device’s clock is right. A recovery code works only once.';
    case 'TWO_FACTOR_ALREADY_ENABLED':
      return 'Two-factor authentication is already on for this account.';
    case 'TWO_FACTOR_NOT_ENABLED':
      return 'Two-factor authentication is not on for this account.';
    case 'TWO_FACTOR_NOT_PENDING':
      if (action === 'verifyTwoFactor') return 'This sign-in does not need a code any more. Reload the page.';
      return 'The setup was not found or has expired. Start again with “Enable two-factor”.';
    case 'TOO_MANY_ATTEMPTS':
      return 'Too many wrong codes. For your safety, two-factor checks are paused for 15 minutes. Try again later.';
    case 'API_KEYS_PER_USER_EXCEEDED':
      return `You already have ${API_KEYS_PER_USER_MAX} API keys, the most allowed. Delete one you no longer use first.`;
    case 'API_KEY_NOT_FOUND':
      return 'This API key no longer exists (it may have been deleted already).';
    case 'USER_NOT_FOUND':
      return 'This account no longer exists.';
    case 'INPUT_INVALID':
      return describeInputProblem(failure.message) ?? 'Some of the details are not valid. Check them and try again.';
    case 'USERNAME_TAKEN':
      return 'That name is already taken.';
    case 'MASTER_KEY_MISSING':
    case 'MASTER_KEY_INVALID':
    case 'MASTER_KEY_UNKNOWN':
    case 'SECRET_DECRYPT_FAILED':
      return serverTrouble;
    default:
      return assertNever(code);
  }
}

/** A sentence for any failure of an account call: show it as is. */
export function accountErrorMessage(error: unknown, action: AccountAction): string {
  const failure = readAccountFailure(error);
  if (failure.authCode !== null) return authCodeMessage(failure.authCode, action, failure);
  switch (failure.trpcCode) {
    case null:
      // No answer at all: the network, or the server is down.
      return 'Cannot reach the server. Check your connection and try again.';
    case 'UNAUTHORIZED':
      return 'Your session has expired. Log in again.';
    case 'FORBIDDEN':
      // The CSRF check (Origin differs from Host): a proxy or an old tab on another address.
      return 'The request was refused because it did not come from this site’s address. Reload the page and try again.';
    case 'NOT_FOUND':
      return action === 'mailbox' ? 'The demo mailbox is not available on this exchange.' : 'Not found.';
    case 'BAD_REQUEST':
    case 'PARSE_ERROR':
    case 'PAYLOAD_TOO_LARGE':
      return 'Some of the details are not valid (too long, or in the wrong format). Check them and try again.';
    case 'TOO_MANY_REQUESTS':
      return `Too many attempts. ${tryAgain}`;
    case 'TIMEOUT':
      return `The server took too long to answer. ${tryAgain}`;
    default:
      // INTERNAL_SERVER_ERROR, and the route's 503 when the account backend cannot start.
      return failure.message === 'Accounts are unavailable right now'
        ? `Accounts are unavailable right now. ${tryAgain}`
        : serverTrouble;
  }
}
