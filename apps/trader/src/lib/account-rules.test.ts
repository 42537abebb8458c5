// Proves the account forms check what the server checks: the copied limits equal @exbox/auth's, the password
// checklist follows the length rule, codes are normalized as the server normalizes them, and the IP allow-list
// check accepts and refuses the same entries as the server's parser (run on the same table of entries).
import { authLimits, parseIpRange } from '@exbox/auth';
import { describe, expect, it } from 'vitest';
import * as rules from './account-rules';

describe('account rules', () => {
  it('copies the limits of @exbox/auth exactly', () => {
    const copied = [
      'PASSWORD_LENGTH_MIN',
      'PASSWORD_LENGTH_MAX',
      'EMAIL_LENGTH_MAX',
      'ANTI_PHISHING_CODE_LENGTH_MIN',
      'ANTI_PHISHING_CODE_LENGTH_MAX',
      'TOTP_DIGITS',
      'RECOVERY_CODE_LENGTH',
      'API_KEY_LABEL_LENGTH_MAX',
      'IP_ALLOW_LIST_ENTRIES_MAX',
      'API_KEYS_PER_USER_MAX',
      'LOGIN_FAILURES_PER_ACCOUNT_MAX',
    ] as const;
    for (const name of copied) expect([name, rules[name]]).toEqual([name, authLimits[name]]);
  });

  it('lists the password rules as they are met', () => {
    expect(rules.passwordChecks('short')).toEqual([{ id: 'length-min', label: 'At least 10 characters', met: false }]);
    expect(rules.passwordChecks('long enough!', 'long enough!').map((check) => check.met)).toEqual([true, true]);
    expect(rules.passwordChecks('long enough!', 'long enough?').map((check) => [check.id, check.met])).toEqual([
      ['length-min', true],
      ['match', false],
    ]);
    expect(rules.passwordChecks('', '').find((check) => check.id === 'match')?.met).toBe(false);
    const tooLong = 'x'.repeat(rules.PASSWORD_LENGTH_MAX + 1);
    expect(rules.passwordChecks(tooLong).map((check) => [check.id, check.met])).toEqual([
      ['length-min', true],
      ['length-max', false],
    ]);
    expect(rules.passwordAcceptable('x'.repeat(rules.PASSWORD_LENGTH_MAX))).toBe(true);
    // Characters, not UTF-16 units: ten emoji are ten characters.
    expect(rules.passwordAcceptable('🔑'.repeat(10))).toBe(true);
  });

  it('checks the shape of an email address', () => {
    expect(rules.emailLooksValid('ada@example.com')).toBe(true);
    expect(rules.emailLooksValid('  ada@example.com ')).toBe(true);
    for (const bad of ['', 'ada', 'ada@', 'ada@example', 'a da@example.com', '@example.com']) {
      expect([bad, rules.emailLooksValid(bad)]).toEqual([bad, false]);
    }
  });

  it('normalizes authenticator and recovery codes like the server', () => {
    expect(rules.normalizeTotpCode('123 456')).toBe('123456');
    expect(rules.normalizeTotpCode('12345')).toBeUndefined();
    expect(rules.normalizeTotpCode('12345a')).toBeUndefined();
    expect(rules.normalizeRecoveryCode('abcd-efgh-ijkl-mnop')).toBe('ABCDEFGHIJKLMNOP');
    expect(rules.normalizeRecoveryCode('ABCD EFGH IJKL MNO2')).toBe('ABCDEFGHIJKLMNO2');
    expect(rules.normalizeRecoveryCode('ABCD-EFGH-IJKL-MNO1')).toBeUndefined();
    expect(rules.normalizeRecoveryCode('ABCD-EFGH-IJKL')).toBeUndefined();
  });

  it('checks anti-phishing codes and labels', () => {
    expect(rules.antiPhishingCodeProblem('Blue42')).toBeUndefined();
    expect(rules.antiPhishingCodeProblem('  Blue42 ')).toBeUndefined();
    expect(rules.antiPhishingCodeProblem('')).toBe('Enter a code.');
    expect(rules.antiPhishingCodeProblem('abc')).toBe('Use 4 to 20 letters and digits.');
    expect(rules.antiPhishingCodeProblem('x'.repeat(21))).toBe('Use 4 to 20 letters and digits.');
    expect(rules.antiPhishingCodeProblem('blue 42')).toBe('Use letters and digits only.');
    expect(rules.apiKeyLabelProblem('trading bot')).toBeUndefined();
    expect(rules.apiKeyLabelProblem('x'.repeat(65))).toBe('Use at most 64 characters.');
    expect(rules.apiKeyLabelProblem('a\tb')).toBe('Remove the line breaks and control characters.');
  });

  it('accepts and refuses the same allow-list entries as the server', () => {
    const entries = [
      '1.2.3.4',
      '0.0.0.0/0',
      '10.0.0.0/8',
      '10.1.0.0/8',
      '192.168.1.0/24',
      '192.168.1.1/24',
      '255.255.255.255/32',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3',
      '1.2.3.4/33',
      '1.2.3.4/',
      '1.2.3.4/08',
      '::1',
      '::',
      '2001:db8::/32',
      '2001:db8::1',
      '::ffff:1.2.3.4',
      '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      'fe80::1%eth0',
      '[::1]',
      '2001:db8::/129',
      'gggg::1',
      'example.com',
      'localhost',
    ];
    for (const entry of entries) {
      const server = typeof parseIpRange(entry) === 'string' ? parseIpRange(entry) : 'ok';
      const client = rules.ipEntryProblem(entry);
      // The client leaves host bits of IPv6 ranges to the server; none of these have any.
      expect([entry, client === undefined]).toEqual([entry, server === 'ok']);
    }
    expect(rules.ipEntryProblem('10.1.0.0/8')).toBe('“10.1.0.0/8” has host bits set: did you mean 10.0.0.0/8?');
  });

  it('splits an allow-list on commas, spaces, semicolons and new lines', () => {
    expect(rules.parseIpAllowList('1.2.3.4, 10.0.0.0/8\n2001:db8::/32;1.2.3.4  ')).toEqual({
      entries: ['1.2.3.4', '10.0.0.0/8', '2001:db8::/32'],
      problems: [],
    });
    expect(rules.parseIpAllowList('')).toEqual({ entries: [], problems: [] });
    expect(rules.parseIpAllowList('1.2.3.4 nope').problems).toEqual(['“nope” is not an IPv4 or IPv6 address.']);
    const many = Array.from({ length: 31 }, (_, i) => `10.0.0.${i}`).join(' ');
    expect(rules.parseIpAllowList(many).problems).toEqual(['Use at most 30 addresses or ranges (there are 31).']);
  });
});
