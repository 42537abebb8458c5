// Exact conversion between the decimal strings of the API edge and the integer units of the book: a price
// in ticks of the tick size, a quantity in lots of the step size. BigInt arithmetic only, never floats, so
// "0.3" with step "0.1" is exactly 3 lots and "0.35" is rejected rather than rounded.
import { DECIMAL_DIGITS_MAX, PRICE_TICKS_MAX } from './limits.js';
import { assert } from './internal/assert.js';

/** Why a decimal string is not a valid amount of units, in the order they are checked. */
export const DecimalRejectReason = {
  /** Longer than DECIMAL_DIGITS_MAX digits (checked first, to bound the work on hostile input). */
  TOO_MANY_DIGITS: 1,
  /** Not plain decimal notation: digits with at most one point, optional sign, no exponent, no spaces. */
  NOT_A_NUMBER: 2,
  /** Zero or negative. */
  NOT_POSITIVE: 3,
  /** Not a whole multiple of the unit (tick size or step size). */
  NOT_ON_STEP: 4,
  /** More units than the allowed maximum. */
  OUT_OF_RANGE: 5,
} as const;
export type DecimalRejectReason = (typeof DecimalRejectReason)[keyof typeof DecimalRejectReason];

export type DecimalConversion = { ok: true; units: number } | { ok: false; reason: DecimalRejectReason };

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?$/;

interface ParsedDecimal {
  negative: boolean;
  /** All digits as one integer: the value times 10^scale. */
  scaled: bigint;
  scale: number;
}

function parseDecimal(text: string): ParsedDecimal | DecimalRejectReason {
  // Sign and point are not digits, hence the +2.
  if (text.length > DECIMAL_DIGITS_MAX + 2) return DecimalRejectReason.TOO_MANY_DIGITS;
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) return DecimalRejectReason.NOT_A_NUMBER;
  const integerDigits = match[2] ?? '';
  const fractionDigits = match[3] ?? '';
  if (integerDigits.length + fractionDigits.length === 0) return DecimalRejectReason.NOT_A_NUMBER;
  if (integerDigits.length + fractionDigits.length > DECIMAL_DIGITS_MAX) return DecimalRejectReason.TOO_MANY_DIGITS;
  return {
    negative: match[1] === '-',
    scaled: BigInt(integerDigits + fractionDigits),
    scale: fractionDigits.length,
  };
}

/** The unit must be a valid positive decimal: a wrong tick or step size is a configuration bug. */
function parseUnit(unit: string): ParsedDecimal {
  const parsed = parseDecimal(unit);
  assert(typeof parsed !== 'number' && !parsed.negative && parsed.scaled > 0n, `invalid unit size: ${unit}`);
  // Trailing zeros of the fraction say nothing about the unit: "0.010" is "0.01".
  let { scaled, scale } = parsed;
  while (scale > 0 && scaled % 10n === 0n) {
    scaled /= 10n;
    scale -= 1;
  }
  return { negative: false, scaled, scale };
}

/**
 * decimalToUnits("123.45", "0.01") -> { ok: true, units: 12345 }. unitsMax defaults to PRICE_TICKS_MAX
 * (also QUANTITY_LOTS_MAX); pass NOTIONAL_MAX for a quote amount.
 */
export function decimalToUnits(text: string, unit: string, unitsMax: number = PRICE_TICKS_MAX): DecimalConversion {
  assert(Number.isSafeInteger(unitsMax) && unitsMax > 0, 'decimalToUnits: unitsMax must be a positive safe integer');
  const unitParsed = parseUnit(unit);
  if (typeof text !== 'string') return { ok: false, reason: DecimalRejectReason.NOT_A_NUMBER };
  const parsed = parseDecimal(text);
  if (typeof parsed === 'number') return { ok: false, reason: parsed };
  if (parsed.negative || parsed.scaled === 0n) return { ok: false, reason: DecimalRejectReason.NOT_POSITIVE };
  const scale = Math.max(parsed.scale, unitParsed.scale);
  const value = parsed.scaled * 10n ** BigInt(scale - parsed.scale);
  const unitValue = unitParsed.scaled * 10n ** BigInt(scale - unitParsed.scale);
  if (value % unitValue !== 0n) return { ok: false, reason: DecimalRejectReason.NOT_ON_STEP };
  const units = value / unitValue;
  if (units > BigInt(unitsMax)) return { ok: false, reason: DecimalRejectReason.OUT_OF_RANGE };
  // Exact: units <= unitsMax, a safe integer.
  return { ok: true, units: Number(units) };
}

/** unitsToDecimal(12345, "0.01") -> "123.45": as many fraction digits as the unit has, no exponent. */
export function unitsToDecimal(units: number | bigint, unit: string): string {
  assert(typeof units === 'bigint' || Number.isSafeInteger(units), 'unitsToDecimal: units must be an integer');
  const unitParsed = parseUnit(unit);
  const value = BigInt(units) * unitParsed.scaled;
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(unitParsed.scale + 1, '0');
  const split = digits.length - unitParsed.scale;
  const text = unitParsed.scale === 0 ? digits : `${digits.slice(0, split)}.${digits.slice(split)}`;
  return negative ? `-${text}` : text;
}
