// Parsing of the integer amounts and identifiers commands carry. Bad input becomes `null`, never an exception.

const UNSIGNED_MINOR = /^(0|[1-9][0-9]{0,37})$/;
const SIGNED_MINOR = /^-?(0|[1-9][0-9]{0,37})$/;

/** A non-negative integer amount of minor units written as a decimal string ("0".."10^38-1"). */
export const parseMinor = (value: unknown): bigint | null =>
  typeof value === 'string' && UNSIGNED_MINOR.test(value) ? BigInt(value) : null;

/** A signed integer amount of minor units, e.g. a staff adjustment "-1500". */
export const parseSignedMinor = (value: unknown): bigint | null =>
  typeof value === 'string' && SIGNED_MINOR.test(value) && value !== '-0' ? BigInt(value) : null;

export const isPositiveSafeInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** Binance's rule for client order ids (`^[.A-Z:/a-z0-9_-]{1,36}$`), which every Binance client already respects. */
const CLIENT_ORDER_ID_CHARS = (() => {
  const allowed = new Uint8Array(128);
  for (const c of '.:/_-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz') allowed[c.charCodeAt(0)] = 1;
  return allowed;
})();
export const isClientOrderId = (value: unknown): value is string => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 36) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128 || CLIENT_ORDER_ID_CHARS[code] !== 1) return false;
  }
  return true;
};

/** External references (deposit and withdrawal ids): printable, bounded. */
const EXTERNAL_ID = /^[\x21-\x7e]{1,128}$/;
export const isExternalId = (value: unknown): value is string => typeof value === 'string' && EXTERNAL_ID.test(value);

export const isShortText = (value: unknown, lengthMax: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= lengthMax;

/** floor(a / b) for positive bigints, clamped into a safe integer (book caps are numbers). */
export const floorDivToSafe = (a: bigint, b: bigint): number => {
  const q = a / b;
  return q > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(q);
};
