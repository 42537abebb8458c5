// Proves decimal strings convert to ticks or lots exactly and back, and that every kind of bad input gets its
// own rejection instead of a rounded number. How: table-driven cases, plus a round trip over many values.
import { describe, expect, it } from 'vitest';
import { DecimalRejectReason, decimalToUnits, unitsToDecimal } from './decimal.js';
import { NOTIONAL_MAX, PRICE_TICKS_MAX } from './limits.js';

describe('decimalToUnits', () => {
  it.each([
    ['123.45', '0.01', 12345],
    ['123.450000', '0.01', 12345],
    ['0.3', '0.1', 3],
    ['1', '0.00000001', 100_000_000],
    ['30', '10', 3],
    ['1.5', '0.5', 3],
    ['007', '1', 7],
    ['.5', '0.1', 5],
    ['5.', '1', 5],
    ['+2', '1', 2],
    ['0.010', '0.010', 1],
  ])('%s in units of %s is %i', (text, unit, units) => {
    expect(decimalToUnits(text, unit)).toEqual({ ok: true, units });
  });

  it.each([
    ['0.35', '0.1', DecimalRejectReason.NOT_ON_STEP],
    ['25', '10', DecimalRejectReason.NOT_ON_STEP],
    ['1e5', '1', DecimalRejectReason.NOT_A_NUMBER],
    ['12,5', '0.1', DecimalRejectReason.NOT_A_NUMBER],
    [' 1', '1', DecimalRejectReason.NOT_A_NUMBER],
    ['', '1', DecimalRejectReason.NOT_A_NUMBER],
    ['.', '1', DecimalRejectReason.NOT_A_NUMBER],
    ['NaN', '1', DecimalRejectReason.NOT_A_NUMBER],
    ['0', '1', DecimalRejectReason.NOT_POSITIVE],
    ['0.000', '0.01', DecimalRejectReason.NOT_POSITIVE],
    ['-1', '1', DecimalRejectReason.NOT_POSITIVE],
    ['1'.repeat(37), '1', DecimalRejectReason.TOO_MANY_DIGITS],
    ['1'.repeat(200), '1', DecimalRejectReason.TOO_MANY_DIGITS],
    ['21474836.48', '0.01', DecimalRejectReason.OUT_OF_RANGE],
  ])('%s in units of %s is rejected (%i)', (text, unit, reason) => {
    expect(decimalToUnits(text, unit)).toEqual({ ok: false, reason });
  });

  it('honours the maximum it is given', () => {
    expect(decimalToUnits('21474836.47', '0.01')).toEqual({ ok: true, units: PRICE_TICKS_MAX });
    expect(decimalToUnits('90071992547409.91', '0.01', NOTIONAL_MAX)).toEqual({ ok: true, units: NOTIONAL_MAX });
    expect(decimalToUnits('90071992547409.92', '0.01', NOTIONAL_MAX).ok).toBe(false);
  });

  it('refuses a malformed unit: that is a configuration bug', () => {
    expect(() => decimalToUnits('1', '0')).toThrow(/unit/);
    expect(() => decimalToUnits('1', 'abc')).toThrow(/unit/);
  });
});

describe('unitsToDecimal', () => {
  it.each([
    [12345, '0.01', '123.45'],
    [12340, '0.01', '123.40'],
    [5, '0.01', '0.05'],
    [0, '0.01', '0.00'],
    [3, '10', '30'],
    [3, '0.5', '1.5'],
    [1, '0.010', '0.01'],
    [10n ** 30n, '0.00000001', '10000000000000000000000.00000000'],
  ])('%s units of %s is %s', (units, unit, text) => {
    expect(unitsToDecimal(units, unit)).toBe(text);
  });

  it('round-trips with decimalToUnits', () => {
    for (const unit of ['0.01', '0.00000001', '5', '0.25']) {
      for (let units = 1; units < 5_000_000; units = units * 3 + 1) {
        expect(decimalToUnits(unitsToDecimal(units, unit), unit)).toEqual({ ok: true, units });
      }
    }
  });
});
