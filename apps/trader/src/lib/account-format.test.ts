// Proves the account pages' formatting: dates in a given time zone, relative times against a given clock, devices
// named from real user agents, every login outcome in words, mail bodies split into text and http(s) links only,
// and portal links in mails opened on the visitor's own address.
import { describe, expect, it } from 'vitest';
import {
  describeLoginOutcome,
  describeUserAgent,
  formatDateTime,
  formatRelative,
  linkifyText,
  mailAction,
  groupSecret,
  portalLocalPath,
  qrCodeImageSource,
  recoveryCodesText,
} from './account-format';

describe('account formatting', () => {
  it('formats dates and relative times', () => {
    expect(formatDateTime('2025-03-12T14:03:09.000Z', 'UTC')).toBe('12 Mar 2025, 14:03');
    expect(formatDateTime('not a date', 'UTC')).toBe('—');
    const now = Date.parse('2025-03-12T14:00:00.000Z');
    expect(formatRelative('2025-03-12T13:59:30.000Z', now)).toBe('just now');
    expect(formatRelative('2025-03-12T13:55:00.000Z', now)).toBe('5 min ago');
    expect(formatRelative('2025-03-12T11:00:00.000Z', now)).toBe('3 h ago');
    expect(formatRelative('2025-03-11T12:00:00.000Z', now)).toBe('yesterday');
    expect(formatRelative('2025-03-02T14:00:00.000Z', now)).toBe('10 days ago');
    expect(formatRelative('2024-12-01T10:00:00.000Z', now, 'UTC')).toBe('1 Dec 2024, 10:00');
  });

  it('names devices from user agents', () => {
    const cases: [string, string][] = [
      [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
        'Chrome on macOS',
      ],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
        'Safari on iPhone',
      ],
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0', 'Firefox on Windows'],
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
        'Edge on Windows',
      ],
      [
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
        'Chrome on Android',
      ],
      ['curl/8.5.0', 'curl'],
      ['', 'Unknown device'],
    ];
    for (const [agent, name] of cases) expect(describeUserAgent(agent)).toBe(name);
  });

  it('describes every login outcome', () => {
    const outcomes = [
      'SUCCESS',
      'TWO_FACTOR_PENDING',
      'TWO_FACTOR_SUCCESS',
      'PASSWORD_INVALID',
      'TWO_FACTOR_INVALID',
      'LOCKED',
      'EMAIL_NOT_VERIFIED',
    ];
    for (const outcome of outcomes) expect(describeLoginOutcome(outcome).text).not.toMatch(/_/);
    expect(describeLoginOutcome('PASSWORD_INVALID').tone).toBe('bad');
    expect(describeLoginOutcome('SOMETHING_NEW')).toEqual({ text: 'something new', tone: 'neutral' });
  });

  it('finds links in mail bodies, http(s) only', () => {
    expect(linkifyText('Open https://x.test/verify-email?token=a-b_c.\n\nThanks')).toEqual([
      { kind: 'text', text: 'Open ' },
      {
        kind: 'link',
        text: 'https://x.test/verify-email?token=a-b_c',
        href: 'https://x.test/verify-email?token=a-b_c',
      },
      { kind: 'text', text: '.\n\nThanks' },
    ]);
    expect(linkifyText('javascript:alert(1) and ftp://x')).toEqual([
      { kind: 'text', text: 'javascript:alert(1) and ftp://x' },
    ]);
    expect(linkifyText('')).toEqual([]);
  });

  it('opens portal links on the visitor’s address', () => {
    expect(portalLocalPath('http://localhost:3000/verify-email?token=abc')).toBe('/verify-email?token=abc');
    expect(portalLocalPath('https://example.com/somewhere')).toBeUndefined();
    expect(portalLocalPath('not a url')).toBeUndefined();
    const body = 'Confirm:\n\nhttp://localhost:3000/verify-email?token=t0k\n\nOr enter this code: t0k';
    expect(mailAction('VERIFY_EMAIL', body)).toEqual({
      label: 'Confirm email address',
      path: '/verify-email?token=t0k',
    });
    expect(mailAction('RESET_PASSWORD', 'http://h/reset-password?token=r')).toEqual({
      label: 'Choose a new password',
      path: '/reset-password?token=r',
    });
    expect(mailAction('PASSWORD_CHANGED', 'http://h/reset-password')).toBeUndefined();
  });

  it('writes recovery codes as a file', () => {
    expect(recoveryCodesText(['AAAA-BBBB'], 'ada@example.com', 'Exbox')).toContain('\nAAAA-BBBB\n');
  });

  it('shows only SVG documents as the QR code image', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><path d="M0 0h1v1H0z"/></svg>\n';
    expect(qrCodeImageSource(svg)).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    expect(qrCodeImageSource(`<?xml version="1.0"?>\n${svg}`)).toBeDefined();
    expect(qrCodeImageSource('<html><svg></svg></html>')).toBeUndefined();
    expect(qrCodeImageSource('<svgx></svgx>')).toBeUndefined();
    expect(qrCodeImageSource('')).toBeUndefined();
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
    expect(groupSecret('ABCDEFGH')).toBe('ABCD EFGH');
  });
});
