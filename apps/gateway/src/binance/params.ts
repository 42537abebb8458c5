// Reading request parameters the way Binance validates them: a missing mandatory parameter is -1102 naming it,
// a malformed number is -1100 with the legal range, an unknown symbol is -1121. Unknown extra parameters are
// ignored, as Binance does.
import { BinanceError, errors } from './errors.js';

export type Params = ReadonlyMap<string, string>;

export const optionalString = (params: Params, name: string): string | undefined => {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (value === '') throw errors.paramEmpty(name);
  return value;
};

export const requiredString = (params: Params, name: string): string => {
  const value = params.get(name);
  if (value === undefined || value === '') throw errors.mandatoryMissing(name);
  return value;
};

const integerPattern = /^-?\d{1,16}$/;

/** An integer parameter within [min, max]; -1100 when not an integer, -1130/-1102 style errors when out of range. */
export const optionalInteger = (
  params: Params,
  name: string,
  range: { min?: number; max?: number } = {},
): number | undefined => {
  const text = optionalString(params, name);
  if (text === undefined) return undefined;
  if (!integerPattern.test(text)) throw errors.illegalChars(name, '^[0-9]{1,20}$');
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw errors.illegalChars(name, '^[0-9]{1,20}$');
  if ((range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) {
    throw new BinanceError(-1130, `Data sent for parameter '${name}' is not valid.`);
  }
  return value;
};

export const requiredInteger = (params: Params, name: string, range: { min?: number; max?: number } = {}): number => {
  const value = optionalInteger(params, name, range);
  if (value === undefined) throw errors.mandatoryMissing(name);
  return value;
};

/** Binance's `limit`: absent -> fallback; out of [1, max] -> clamped as Binance clamps market-data limits. */
export const limitParam = (params: Params, fallback: number, max: number): number => {
  const value = optionalInteger(params, 'limit');
  if (value === undefined) return fallback;
  if (value < 1) throw new BinanceError(-1130, `Data sent for parameter 'limit' is not valid.`);
  return Math.min(value, max);
};

const decimalPattern = /^\d{1,20}(\.\d{1,20})?$/;

/** A non-negative decimal string parameter ("0.001"); -1100 when malformed. */
export const optionalDecimal = (params: Params, name: string): string | undefined => {
  const text = optionalString(params, name);
  if (text === undefined) return undefined;
  if (!decimalPattern.test(text)) throw errors.illegalChars(name, '^([0-9]{1,20})(\\.[0-9]{1,20})?$');
  return text;
};

export const requiredDecimal = (params: Params, name: string): string => {
  const value = optionalDecimal(params, name);
  if (value === undefined) throw errors.mandatoryMissing(name);
  return value;
};

/** One of a closed set of values, else the given error. */
export const optionalEnum = <T extends string>(
  params: Params,
  name: string,
  values: readonly T[],
  invalid: () => BinanceError,
): T | undefined => {
  const text = optionalString(params, name);
  if (text === undefined) return undefined;
  if (!(values as readonly string[]).includes(text)) throw invalid();
  return text as T;
};

const symbolListPattern = /^\[("[A-Z0-9-_.]{1,20}",?){1,200}\]$/;

/**
 * Binance's `symbols` parameter: a JSON array of symbols, e.g. `["BTCUSDT","ETHUSDT"]` (URL-decoded). Returns
 * undefined when absent; -1100 when malformed; -1121 when a symbol is unknown (checked by the caller).
 */
export const optionalSymbolList = (params: Params, name = 'symbols'): string[] | undefined => {
  const text = optionalString(params, name);
  if (text === undefined) return undefined;
  if (!symbolListPattern.test(text.replaceAll(' ', '')))
    throw errors.illegalChars(name, '^\\["[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}\\]$');
  const list = JSON.parse(text) as unknown;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) throw errors.invalidParameter(name);
  return list as string[];
};
