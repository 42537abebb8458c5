// Proves request parameters are read as x-www-form-urlencoded (as URLSearchParams reads them) from the query and
// the body together, and that a repeated name, too many parameters or a malformed escape is refused.
import { describe, expect, it } from 'vitest';
import { binanceCodeOf } from '../testing/binance-code.js';
import { parseRequestParams, requestParamsMax } from './request-params.js';

describe('parseRequestParams', () => {
  it.each([
    'symbol=BTCUSDT&side=BUY&quantity=0.01',
    'a=%5B%22BTCUSDT%22%2C%22ETHUSDT%22%5D&b=x+y&c=&d',
    'name%20with%20space=v%26w&e=%3D',
    '&&a=1&&b=2&',
  ])('reads %s as URLSearchParams does', (query) => {
    expect([...parseRequestParams(query, '')]).toEqual([...new URLSearchParams(query)]);
  });

  it('merges the query and the body, refusing a name sent in both', () => {
    expect(Object.fromEntries(parseRequestParams('a=1', 'b=2'))).toEqual({ a: '1', b: '2' });
    expect(binanceCodeOf(() => parseRequestParams('a=1', 'a=2'))).toBe(-1101);
    expect(binanceCodeOf(() => parseRequestParams('a=1&a=1', ''))).toBe(-1101);
  });

  it('refuses too many parameters and malformed escapes', () => {
    const many = Array.from({ length: requestParamsMax + 1 }, (_, i) => `p${i}=1`).join('&');
    expect(binanceCodeOf(() => parseRequestParams(many, ''))).toBe(-1101);
    expect(binanceCodeOf(() => parseRequestParams('a=%E0%A4%A', ''))).toBe(-1100);
  });
});
