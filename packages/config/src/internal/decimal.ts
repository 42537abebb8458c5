// Exact decimal arithmetic on strings and bigints. Money in a config is written as decimal strings ("0.01") and
// must never pass through a binary float, where 0.1 + 0.2 !== 0.3.

import { decimalFractionDigitsMax, decimalIntegerDigitsMax } from '../limits.js';

/**
 * A non-negative decimal number: `units / 10^scale`. Normalized: no trailing fractional zeros, so `scale` is the
 * number of decimals the value really needs ("0.010" has scale 2).
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const decimalPattern = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** A plain non-negative decimal string: digits, an optional fraction, no sign, exponent or spaces. */
export function isDecimalString(text: string): boolean {
  const match = decimalPattern.exec(text);
  if (match === null) return false;
  const integerDigits = match[1] ?? '';
  const fractionDigits = match[2] ?? '';
  return integerDigits.length <= decimalIntegerDigitsMax && fractionDigits.length <= decimalFractionDigitsMax;
}

/** Parses a decimal string exactly, or returns undefined when it is not one (see isDecimalString). */
export function parseDecimal(text: string): Decimal | undefined {
  if (!isDecimalString(text)) return undefined;
  const [integerDigits = '0', fractionDigits = ''] = text.split('.');
  const significantFraction = fractionDigits.replace(/0+$/, '');
  return {
    units: BigInt(integerDigits + significantFraction),
    scale: significantFraction.length,
  };
}

function normalize(units: bigint, scale: number): Decimal {
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

/** The exact product. */
export function multiplyDecimals(left: Decimal, right: Decimal): Decimal {
  return normalize(left.units * right.units, left.scale + right.scale);
}

/** -1, 0 or 1 as left is less than, equal to or greater than right. */
export function compareDecimals(left: Decimal, right: Decimal): -1 | 0 | 1 {
  const scale = Math.max(left.scale, right.scale);
  const leftUnits = left.units * 10n ** BigInt(scale - left.scale);
  const rightUnits = right.units * 10n ** BigInt(scale - right.scale);
  if (leftUnits < rightUnits) return -1;
  return leftUnits > rightUnits ? 1 : 0;
}

/** `value * 10^scale` when that is a whole number, else undefined (the value needs more decimals than `scale`). */
export function toScaledInteger(value: Decimal, scale: number): bigint | undefined {
  if (value.scale > scale) return undefined;
  return value.units * 10n ** BigInt(scale - value.scale);
}

/** `dividend / divisor` when that is a whole number, else undefined. The divisor must be positive. */
export function divideExactly(dividend: Decimal, divisor: Decimal): bigint | undefined {
  if (divisor.units <= 0n) throw new Error(`divideExactly: divisor must be positive, got ${formatDecimal(divisor)}`);
  const numerator = dividend.units * 10n ** BigInt(divisor.scale);
  const denominator = divisor.units * 10n ** BigInt(dividend.scale);
  return numerator % denominator === 0n ? numerator / denominator : undefined;
}

/** The value of `units / 10^scale` as a Decimal. */
export function decimalFromScaledInteger(units: bigint, scale: number): Decimal {
  if (units < 0n) throw new Error(`decimalFromScaledInteger: units must not be negative, got ${units}`);
  return normalize(units, scale);
}

/** The shortest decimal string for the value ("0.01", "5", "0"). */
export function formatDecimal(value: Decimal): string {
  if (value.scale === 0) return value.units.toString();
  const digits = value.units.toString().padStart(value.scale + 1, '0');
  return `${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}`;
}
