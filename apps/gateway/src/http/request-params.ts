// Parameters of a REST request as Binance reads them: the query string and an urlencoded body together. A name
// sent twice is refused (-1101), as Binance does, so a signed request cannot carry a second, unsigned value.
import { errors } from '../binance/errors.js';

/** Largest accepted request body (an order is well under 1 KB). */
export const requestBodyBytesMax = 64 * 1024;
/** Most parameters in one request. */
export const requestParamsMax = 100;

/** x-www-form-urlencoded decoding: '+' is a space, %XX escapes; malformed escapes are refused (-1100). */
const decodeComponent = (text: string, name: string): string => {
  if (text.indexOf('%') < 0 && text.indexOf('+') < 0) return text;
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw errors.illegalChars(name, 'valid percent-encoding');
  }
};

export const parseRequestParams = (rawQuery: string, rawBody: string): Map<string, string> => {
  const params = new Map<string, string>();
  for (const raw of [rawQuery, rawBody]) {
    if (raw === '') continue;
    let start = 0;
    while (start <= raw.length) {
      let end = raw.indexOf('&', start);
      if (end < 0) end = raw.length;
      if (end > start) {
        const equals = raw.indexOf('=', start);
        const hasValue = equals >= 0 && equals < end;
        const name = decodeComponent(raw.slice(start, hasValue ? equals : end), 'name');
        const value = hasValue ? decodeComponent(raw.slice(equals + 1, end), name) : '';
        if (params.has(name)) throw errors.duplicateParameter(name);
        params.set(name, value);
        if (params.size > requestParamsMax) throw errors.tooManyParameters();
      }
      start = end + 1;
    }
  }
  return params;
};
