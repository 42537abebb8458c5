// Parameters of a REST request as Binance reads them: the query string and an urlencoded body together. A name
// sent twice is refused (-1101), as Binance does, so a signed request cannot carry a second, unsigned value.
import { errors } from '../binance/errors.js';

/** Largest accepted request body (an order is well under 1 KB). */
export const requestBodyBytesMax = 64 * 1024;
/** Most parameters in one request. */
export const requestParamsMax = 100;

export const parseRequestParams = (rawQuery: string, rawBody: string): Map<string, string> => {
  const params = new Map<string, string>();
  for (const raw of [rawQuery, rawBody]) {
    if (raw === '') continue;
    for (const [name, value] of new URLSearchParams(raw)) {
      if (params.has(name)) throw errors.duplicateParameter(name);
      params.set(name, value);
      if (params.size > requestParamsMax) throw errors.tooManyParameters();
    }
  }
  return params;
};
