// Proves the parsers of command fields accept exactly what they document and refuse the rest.
import { describe, expect, it } from 'vitest';
import { floorDivToSafe, isClientOrderId, parseMinor, parseSignedMinor } from './amounts.js';

describe('command field parsers', () => {
  it('accepts Binance client order ids and nothing else', () => {
    for (const id of ['a', 'web_123', 'x-AB.cd:/9', 'A'.repeat(36)]) expect(isClientOrderId(id), id).toBe(true);
    for (const id of ['', 'A'.repeat(37), 'has space', 'é', 'semi;colon', 12, null])
      expect(isClientOrderId(id), String(id)).toBe(false);
  });

  it('parses integer minor amounts up to 38 digits, without signs, exponents or leading zeros', () => {
    expect(parseMinor('0')).toBe(0n);
    expect(parseMinor('9'.repeat(38))).toBe(10n ** 38n - 1n);
    for (const bad of ['9'.repeat(39), '-1', '+1', '1e3', '01', '1.0', '', ' 1', 1])
      expect(parseMinor(bad), String(bad)).toBeNull();
    expect(parseSignedMinor('-15')).toBe(-15n);
    expect(parseSignedMinor('-0')).toBeNull();
  });

  it('floors a bigint quotient into a safe integer', () => {
    expect(floorDivToSafe(10n, 3n)).toBe(3);
    expect(floorDivToSafe(10n ** 30n, 1n)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
