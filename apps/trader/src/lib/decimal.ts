// Exact decimal strings for the portal. Prices and quantities arrive as Binance decimal strings ("42934.42000000")
// and the order form produces them; every comparison, sum and filter check here is done on bigint units at one
// fixed scale, never on floats (STYLE.md: no parseFloat or toFixed on money). Floats appear only where a chart
// needs pixel coordinates (`toPlotNumber`).

/** Fraction digits every value is scaled to internally: above any asset's decimals (the config allows up to 18). */
export const unitScale = 18;
const unitsPerOne = 10n ** BigInt(unitScale);

const decimalPattern = /^(\d{1,30})(?:\.(\d{0,18}))?$/;

/** A non-negative decimal string ("0.01", "5", "12.") as units of 10^-18; null when it is not one. */
export function parseUnits(text: string): bigint | null {
  const match = decimalPattern.exec(text.trim());
  if (match === null) return null;
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(unitScale, '0');
  return BigInt(whole) * unitsPerOne + BigInt(fraction);
}

/** Like parseUnits, for values the gateway sent: a malformed one is a bug in the gateway, not user input. */
export function units(text: string): bigint {
  const value = parseUnits(text);
  if (value === null) throw new Error(`not a decimal string: ${JSON.stringify(text)}`);
  return value;
}

/** Significant fraction digits of a step such as a tick size: "0.01000000" -> 2, "1.00000000" -> 0. */
export function fractionDigits(step: string): number {
  const [, fraction = ''] = step.split('.');
  return fraction.replace(/0+$/, '').length;
}

/** Units back to a decimal string with exactly `digits` fraction digits (truncated toward zero, never rounded up). */
export function formatUnits(value: bigint, digits: number, options: { grouping?: boolean } = {}): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const whole = magnitude / unitsPerOne;
  const fraction = (magnitude % unitsPerOne).toString().padStart(unitScale, '0').slice(0, digits);
  const wholeText =
    options.grouping === true ? whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',') : whole.toString();
  return `${negative ? '-' : ''}${wholeText}${digits > 0 ? `.${fraction}` : ''}`;
}

/** A decimal string (signed, as a price change may be) re-printed with `digits` fraction digits and thousands separators, for display. */
export function formatDecimal(
  text: string,
  digits: number,
  options: { grouping?: boolean } = { grouping: true },
): string {
  const negative = text.startsWith('-');
  const value = parseUnits(negative ? text.slice(1) : text);
  return value === null ? text : formatUnits(negative ? -value : value, digits, options);
}

/** Units as a decimal string without trailing zeros: 5.00000000 -> "5", 0.00010 -> "0.0001". */
export function formatTrimmed(value: bigint): string {
  return formatUnits(value, unitScale).replace(/\.?0+$/, '');
}

/** Compact volume for narrow tables: 1234567.8 -> "1.23M". Display only. */
export function formatCompact(text: string): string {
  const value = parseUnits(text);
  if (value === null) return text;
  const suffixes: [bigint, string][] = [
    [10n ** 9n, 'B'],
    [10n ** 6n, 'M'],
    [10n ** 3n, 'K'],
  ];
  for (const [size, suffix] of suffixes) {
    if (value >= size * unitsPerOne) return `${formatUnits(value / size, 2)}${suffix}`;
  }
  return formatUnits(value, value >= unitsPerOne ? 2 : 6);
}

/** The product of two unit values, back at the unit scale (truncated): price x quantity = notional. */
export function multiplyUnits(a: bigint, b: bigint): bigint {
  return (a * b) / unitsPerOne;
}

/** True when `value` is a whole multiple of `step` (step > 0). */
export function isMultipleOf(value: bigint, step: bigint): boolean {
  return step > 0n && value % step === 0n;
}

/** `value` rounded down to a multiple of `step`. */
export function floorToStep(value: bigint, step: bigint): bigint {
  return value - (value % step);
}

/** `value` rounded up to a multiple of `step`. */
export function ceilToStep(value: bigint, step: bigint): bigint {
  const rest = value % step;
  return rest === 0n ? value : value - rest + step;
}

/** A decimal string as a float, only for drawing (chart coordinates); never for amounts that are compared or sent. */
export function toPlotNumber(text: string): number {
  return Number(text);
}
