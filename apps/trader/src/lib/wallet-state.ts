// The wallet's numbers: each balance's total and its estimated value in one valuation asset (the default market's
// quote, USDT in the demo) from the live last prices, and the sum. A price comes from the direct market, the
// inverse one, or one hop through a third asset; an asset with no route has no value (shown as such, never as 0).
// Exact bigint units; floats never touch an amount.
import { multiplyUnits, parseUnits } from './decimal';
import { divideUnits } from './order-size-state';

export interface WalletMarket {
  symbol: string;
  base: string;
  quote: string;
}

export interface WalletBalance {
  asset: string;
  free: string;
  locked: string;
}

export interface WalletRow {
  asset: string;
  freeUnits: bigint;
  lockedUnits: bigint;
  totalUnits: bigint;
  /** Estimated value in the valuation asset; null when no price leads there. */
  valueUnits: bigint | null;
}

/** The price of one `from` in `to` (units), from a market's last price either way round; null without one. */
function directRate(
  from: string,
  to: string,
  markets: readonly WalletMarket[],
  lastPrices: ReadonlyMap<string, string>,
): bigint | null {
  for (const market of markets) {
    const price = parseUnits(lastPrices.get(market.symbol) ?? '');
    if (price === null || price <= 0n) continue;
    if (market.base === from && market.quote === to) return price;
    if (market.base === to && market.quote === from) return divideUnits(10n ** 18n, price);
  }
  return null;
}

/** What one unit of `asset` is worth in `target` (units): direct, inverse, or through one other asset. */
export function rateOf(
  asset: string,
  target: string,
  markets: readonly WalletMarket[],
  lastPrices: ReadonlyMap<string, string>,
): bigint | null {
  if (asset === target) return 10n ** 18n;
  const direct = directRate(asset, target, markets, lastPrices);
  if (direct !== null) return direct;
  const neighbours = new Set<string>();
  for (const market of markets) {
    if (market.base === asset) neighbours.add(market.quote);
    if (market.quote === asset) neighbours.add(market.base);
  }
  for (const hop of [...neighbours].sort()) {
    const first = directRate(asset, hop, markets, lastPrices);
    const second = first === null ? null : directRate(hop, target, markets, lastPrices);
    if (first !== null && second !== null) return multiplyUnits(first, second);
  }
  return null;
}

/** One row per balance, most valuable first (unvalued ones after, by name). */
export function walletRows(
  balances: readonly WalletBalance[],
  target: string,
  markets: readonly WalletMarket[],
  lastPrices: ReadonlyMap<string, string>,
): WalletRow[] {
  const rows = balances.map((balance) => {
    const freeUnits = parseUnits(balance.free) ?? 0n;
    const lockedUnits = parseUnits(balance.locked) ?? 0n;
    const totalUnits = freeUnits + lockedUnits;
    const rate = rateOf(balance.asset, target, markets, lastPrices);
    return {
      asset: balance.asset,
      freeUnits,
      lockedUnits,
      totalUnits,
      valueUnits: rate === null ? null : multiplyUnits(totalUnits, rate),
    };
  });
  return rows.sort((a, b) => {
    if (a.valueUnits !== null && b.valueUnits !== null && a.valueUnits !== b.valueUnits)
      return a.valueUnits > b.valueUnits ? -1 : 1;
    if ((a.valueUnits === null) !== (b.valueUnits === null)) return a.valueUnits === null ? 1 : -1;
    return a.asset.localeCompare(b.asset);
  });
}

/** The sum of the rows' values, and whether some rows could not be valued (the total then says "at least"). */
export function totalValue(rows: readonly WalletRow[]): { valueUnits: bigint; partial: boolean } {
  let valueUnits = 0n;
  let partial = false;
  for (const row of rows) {
    if (row.valueUnits === null) partial ||= row.totalUnits > 0n;
    else valueUnits += row.valueUnits;
  }
  return { valueUnits, partial };
}

/** Rows kept when small balances are hidden: worth at least `smallValueUnits`, or not valued but not zero. */
export function withoutSmallBalances(rows: readonly WalletRow[], smallValueUnits: bigint): WalletRow[] {
  return rows.filter((row) =>
    row.valueUnits === null ? row.totalUnits > 0n : row.valueUnits >= smallValueUnits && row.totalUnits > 0n,
  );
}
