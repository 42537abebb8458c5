// Proves every failure of the account API reads as a sentence: each of @exbox/auth's codes has one (none is a raw
// code or the server's message), context changes the words where it should (a wrong password at login vs. when
// changing it), INPUT_INVALID's rule messages become sentences naming the form's labels, and failures without a
// domain code (network, CSRF refusal, the backend down) still get a human message.
import { authErrorCodes } from '@exbox/auth';
import { describe, expect, it } from 'vitest';
import {
  accountErrorMessage,
  describeInputProblem,
  isNotAvailable,
  isSessionExpired,
  isTwoFactorPending,
  readAccountFailure,
  type AccountAction,
} from './account-errors';

/** What @trpc/client's TRPCClientError carries for an error response of the account API. */
const apiError = (code: string, authCode: string | null, message = 'server text') => ({
  message,
  data: { code, httpStatus: 400, path: 'x', authCode },
});

const actions: AccountAction[] = [
  'load',
  'signUp',
  'verifyEmail',
  'login',
  'verifyTwoFactor',
  'requestPasswordReset',
  'resetPassword',
  'changePassword',
  'enrolTwoFactor',
  'confirmTwoFactor',
  'disableTwoFactor',
  'setAntiPhishingCode',
  'revokeSession',
  'revokeOtherSessions',
  'createApiKey',
  'deleteApiKey',
  'mailbox',
];

describe('account error messages', () => {
  it('has a sentence for every auth code in every context', () => {
    for (const code of authErrorCodes) {
      for (const action of actions) {
        const message = accountErrorMessage(apiError('BAD_REQUEST', code), action);
        expect(message.length).toBeGreaterThan(10);
        expect(message).not.toContain(code);
        expect(message).not.toContain('server text');
        expect(message).toMatch(/[.?)]$/);
      }
    }
  });

  it('says what went wrong in context', () => {
    expect(accountErrorMessage(apiError('UNAUTHORIZED', 'CREDENTIALS_INVALID'), 'login')).toMatch(
      /^Incorrect email or password/,
    );
    expect(accountErrorMessage(apiError('UNAUTHORIZED', 'CREDENTIALS_INVALID'), 'changePassword')).toMatch(
      /^Your current password is not correct/,
    );
    expect(accountErrorMessage(apiError('BAD_REQUEST', 'TOKEN_INVALID'), 'verifyEmail')).toMatch(/24 hours/);
    expect(accountErrorMessage(apiError('BAD_REQUEST', 'TOKEN_INVALID'), 'resetPassword')).toMatch(/1 hour/);
    expect(accountErrorMessage(apiError('FORBIDDEN', 'EMAIL_NOT_VERIFIED'), 'login')).toMatch(/not confirmed/);
    expect(accountErrorMessage(apiError('TOO_MANY_REQUESTS', 'TOO_MANY_ATTEMPTS'), 'verifyTwoFactor')).toMatch(
      /15 minutes/,
    );
    expect(accountErrorMessage(apiError('UNAUTHORIZED', 'SESSION_INVALID'), 'verifyTwoFactor')).toMatch(/timed out/);
  });

  it('turns rule messages into sentences with the form’s labels', () => {
    expect(describeInputProblem('signUp: password: must be at least 10 characters')).toBe(
      'Password must be at least 10 characters.',
    );
    expect(describeInputProblem('changePassword: newPassword: must be at most 256 characters')).toBe(
      'New password must be at most 256 characters.',
    );
    expect(
      describeInputProblem(
        'createApiKey: ipAllowList.1: "10.1.0.0/8": host bits set (did you mean 10.0.0.0/8?); label: must be at most 64 characters',
      ),
    ).toBe(
      'IP allow-list entry 2 — "10.1.0.0/8": host bits set (did you mean 10.0.0.0/8?) Label must be at most 64 characters.',
    );
    expect(
      describeInputProblem(
        'createApiKey: ipAllowList: a key with the withdraw permission must be restricted to IP addresses',
      ),
    ).toBe('IP allow-list: a key with the withdraw permission must be restricted to IP addresses.');
    expect(describeInputProblem('something unexpected')).toBeNull();
    expect(accountErrorMessage(apiError('BAD_REQUEST', 'INPUT_INVALID', 'what: ever'), 'signUp')).toBe(
      'Some of the details are not valid. Check them and try again.',
    );
  });

  it('explains failures without a domain code', () => {
    expect(accountErrorMessage(new TypeError('Failed to fetch'), 'login')).toMatch(/^Cannot reach the server/);
    expect(accountErrorMessage({ message: 'fetch failed', data: undefined }, 'load')).toMatch(/^Cannot reach/);
    expect(accountErrorMessage(apiError('FORBIDDEN', null), 'login')).toMatch(/did not come from this site/);
    expect(accountErrorMessage(apiError('UNAUTHORIZED', null), 'load')).toBe('Your session has expired. Log in again.');
    expect(accountErrorMessage(apiError('NOT_FOUND', null), 'mailbox')).toMatch(/not available/);
    expect(accountErrorMessage(apiError('BAD_REQUEST', null, '[{"code":"too_big"}]'), 'signUp')).toMatch(
      /^Some of the details are not valid/,
    );
    expect(
      accountErrorMessage(apiError('INTERNAL_SERVER_ERROR', null, 'Accounts are unavailable right now'), 'login'),
    ).toBe('Accounts are unavailable right now. Please try again in a moment.');
    expect(accountErrorMessage(apiError('INTERNAL_SERVER_ERROR', null, 'Internal error'), 'login')).toMatch(
      /^Something went wrong on our side/,
    );
    expect(accountErrorMessage(null, 'load')).toMatch(/^Cannot reach/);
  });

  it('recognizes an expired session, a pending second factor and a missing procedure', () => {
    expect(isSessionExpired(apiError('UNAUTHORIZED', 'SESSION_INVALID'))).toBe(true);
    expect(isSessionExpired(apiError('UNAUTHORIZED', null))).toBe(true);
    expect(isSessionExpired(apiError('UNAUTHORIZED', 'CREDENTIALS_INVALID'))).toBe(false);
    expect(isSessionExpired(new Error('network'))).toBe(false);
    expect(isTwoFactorPending(apiError('FORBIDDEN', 'TWO_FACTOR_REQUIRED'))).toBe(true);
    expect(isNotAvailable(apiError('NOT_FOUND', null))).toBe(true);
    expect(isNotAvailable(apiError('NOT_FOUND', 'API_KEY_NOT_FOUND'))).toBe(false);
    expect(readAccountFailure('text')).toEqual({ authCode: null, trpcCode: null, message: 'text' });
  });
});
