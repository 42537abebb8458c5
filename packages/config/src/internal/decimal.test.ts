// Proves the exact decimal arithmetic the config relies on: parsing accepts only plain decimal strings, values are
// normalized, and products, quotients and scalings are exact where a float would not be. Table-driven.

import { describe, expect, it } from 'vitest';
import {
  compareDecimals,
  divideExactly,
  formatDecimal,
  isDecimalString,
  multiplyDecimals,
  parseDecimal,
  toScaledInteger,
  type Decimal,
} from './decimal.js';

const decimal = (text: string): Decimal => {
  const value = parseDecimal(text);
  if (value === undefined) throw new Error(`test setup: ${text} is not a decimal`);
  return value;
};

describe('parseDecimal', () => {
  it.each([
    ['0', 0n, 0],
    ['0.0', 0n, 0],
    ['5', 5n, 0],
    ['100', 100n, 0],
    ['0.01', 1n, 2],
    ['0.010', 1n, 2],
    ['12.3400', 1234n, 2],
    ['0.000000000000000001', 1n, 18],
    ['99999999999999999999', 99999999999999999999n, 0],
  ])('%s -> %s x 10^-%s', (text, units, scale) => {
    expect(parseDecimal(text)).toEqual({ units, scale });
  });

  it.each([
    '',
    '.5',
    '5.',
    '-1',
    '+1',
    '1e-2',
    ' 1',
    '1 ',
    '01',
    '0x10',
    '1,5',
    'NaN',
    '0.0000000000000000001',
    '123456789012345678901',
  ])('rejects %j', (text) => {
    expect(isDecimalString(text)).toBe(false);
    expect(parseDecimal(text)).toBeUndefined();
  });
});

describe('arithmetic', () => {
  it('multiplies exactly where floats do not', () => {
    expect(0.1 * 0.2).not.toBe(0.02);
    expect(formatDecimal(multiplyDecimals(decimal('0.1'), decimal('0.2')))).toBe('0.02');
    expect(formatDecimal(multiplyDecimals(decimal('0.01'), decimal('0.00001')))).toBe('0.0000001');
  });

  it('compares across scales', () => {
    expect(compareDecimals(decimal('0.1'), decimal('0.10'))).toBe(0);
    expect(compareDecimals(decimal('0.09'), decimal('0.1'))).toBe(-1);
    expect(compareDecimals(decimal('10'), decimal('9.99999999'))).toBe(1);
  });

  it('scales to integers only when exact', () => {
    expect(toScaledInteger(decimal('5'), 8)).toBe(500000000n);
    expect(toScaledInteger(decimal('0.001'), 2)).toBeUndefined();
    expect(toScaledInteger(decimal('0.0010'), 3)).toBe(1n);
  });

  it('divides only when the quotient is whole', () => {
    expect(divideExactly(decimal('9000'), decimal('0.00001'))).toBe(900000000n);
    expect(divideExactly(decimal('1'), decimal('0.25'))).toBe(4n);
    expect(divideExactly(decimal('1'), decimal('0.3'))).toBeUndefined();
    expect(divideExactly(decimal('0.000015'), decimal('0.00001'))).toBeUndefined();
    expect(() => divideExactly(decimal('1'), decimal('0'))).toThrow(/divisor must be positive/);
  });

  it.each([
    ['0', '0'],
    ['1.50', '1.5'],
    ['0.00000001', '0.00000001'],
    ['120.000', '120'],
  ])('formats %s as %s', (text, formatted) => {
    expect(formatDecimal(decimal(text))).toBe(formatted);
  });
});
