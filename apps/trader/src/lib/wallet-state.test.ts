// Proves the wallet's valuation: direct, inverse and one-hop prices; no route means no value (not zero), and the
// total says it is partial; the sort puts the most valuable first; hiding small balances keeps what is worth at
// least the threshold and what cannot be valued but is not empty. All exact: 1/3 of a unit stays 1/3.
import { describe, expect, it } from 'vitest';
import { formatUnits, units } from './decimal';
import { rateOf, totalValue, walletRows, withoutSmallBalances } from './wallet-state';

const markets = [
  { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT' },
  { symbol: 'ETHBTC', base: 'ETH', quote: 'BTC' },
  { symbol: 'USDTTRY', base: 'USDT', quote: 'TRY' },
  { symbol: 'DOGEXRP', base: 'DOGE', quote: 'XRP' },
];
const prices = new Map([
  ['BTCUSDT', '40000.00'],
  ['ETHBTC', '0.05000'],
  ['USDTTRY', '32.00'],
  ['DOGEXRP', '0.5'],
]);

const show = (value: bigint | null) => (value === null ? null : formatUnits(value, 8));

describe('wallet valuation', () => {
  it('finds a rate directly, inversely or through one hop', () => {
    expect(show(rateOf('USDT', 'USDT', markets, prices))).toBe('1.00000000');
    expect(show(rateOf('BTC', 'USDT', markets, prices))).toBe('40000.00000000');
    expect(show(rateOf('ETH', 'USDT', markets, prices))).toBe('2000.00000000');
    expect(show(rateOf('TRY', 'USDT', markets, prices))).toBe('0.03125000');
    expect(show(rateOf('DOGE', 'USDT', markets, prices))).toBeNull();
    expect(rateOf('BTC', 'USDT', markets, new Map())).toBeNull();
  });

  it('values rows, sorts them and sums them, partial when some cannot be valued', () => {
    const rows = walletRows(
      [
        { asset: 'USDT', free: '100.5', locked: '0.5' },
        { asset: 'BTC', free: '0.001', locked: '0.002' },
        { asset: 'DOGE', free: '10', locked: '0' },
        { asset: 'ETH', free: '0', locked: '0' },
      ],
      'USDT',
      markets,
      prices,
    );
    expect(rows.map((row) => [row.asset, formatUnits(row.totalUnits, 8), show(row.valueUnits)])).toEqual([
      ['BTC', '0.00300000', '120.00000000'],
      ['USDT', '101.00000000', '101.00000000'],
      ['ETH', '0.00000000', '0.00000000'],
      ['DOGE', '10.00000000', null],
    ]);
    expect(totalValue(rows)).toEqual({ valueUnits: units('221'), partial: true });
    expect(totalValue(rows.slice(0, 3))).toEqual({ valueUnits: units('221'), partial: false });
    expect(withoutSmallBalances(rows, units('101')).map((row) => row.asset)).toEqual(['BTC', 'USDT', 'DOGE']);
    expect(withoutSmallBalances(rows, units('101.01')).map((row) => row.asset)).toEqual(['BTC', 'DOGE']);
  });
});
