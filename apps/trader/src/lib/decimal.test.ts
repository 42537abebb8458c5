// Proves the portal's decimal helpers are exact: parsing refuses anything but plain decimals, formatting
// truncates (never rounds a balance up) and groups thousands, products and step checks work on bigint units.
import { describe, expect, it } from 'vitest';
import {
  ceilToStep,
  floorToStep,
  formatCompact,
  formatDecimal,
  formatTrimmed,
  fractionDigits,
  isMultipleOf,
  multiplyUnits,
  parseUnits,
  units,
} from './decimal';

describe('decimal', () => {
  it('parses plain decimals only', () => {
    expect(parseUnits('1.5')).toBe(1_500_000_000_000_000_000n);
    expect(parseUnits('0.000000000000000001')).toBe(1n);
    for (const bad of ['', '-1', '1e5', '1,5', 'abc', '.5', '0.0000000000000000001'])
      expect(parseUnits(bad)).toBeNull();
  });

  it('formats with fixed digits, truncating, and groups thousands', () => {
    expect(formatDecimal('42934.42900000', 2)).toBe('42,934.42');
    expect(formatDecimal('0.1', 0)).toBe('0');
    expect(formatDecimal('-1256.35000000', 2)).toBe('-1,256.35');
    expect(formatTrimmed(units('5.00000000'))).toBe('5');
    expect(formatTrimmed(units('0.00010'))).toBe('0.0001');
    expect(formatTrimmed(units('100'))).toBe('100');
    expect(fractionDigits('0.01000000')).toBe(2);
    expect(fractionDigits('1.00000000')).toBe(0);
    expect(formatCompact('1234567.8')).toBe('1.23M');
    expect(formatCompact('0.03516')).toBe('0.035160');
  });

  it('multiplies and rounds to steps exactly', () => {
    expect(multiplyUnits(units('0.1'), units('0.2'))).toBe(units('0.02'));
    expect(isMultipleOf(units('0.3'), units('0.1'))).toBe(true);
    expect(isMultipleOf(units('0.35'), units('0.1'))).toBe(false);
    expect(floorToStep(units('10.57'), units('0.1'))).toBe(units('10.5'));
    expect(ceilToStep(units('10.51'), units('0.1'))).toBe(units('10.6'));
    expect(ceilToStep(units('10.5'), units('0.1'))).toBe(units('10.5'));
  });
});
