// The demo's closing proof that trading neither created nor destroyed money: per asset, the ledger's trial balance
// nets to zero, and what users hold (available, locked, withdrawing) plus the fees the exchange earned equals what
// the demo deposited, counted independently from its funding plan.
import type { EngineState } from '../state/engine-state.js';
import { unitOf } from './demo-market.js';
import { unitsToDecimal } from '@exbox/matching';

export interface AssetMoneyCheck {
  asset: string;
  decimals: number;
  usersMinor: bigint;
  feesMinor: bigint;
  /** What the ledger says was deposited: the negative of its custody account. */
  depositedMinor: bigint;
  /** What the funding plan deposited. */
  plannedMinor: bigint;
  /** Every account of the asset summed: zero, always, in double-entry. */
  netMinor: bigint;
  ok: boolean;
}

export interface MoneyCheck {
  ok: boolean;
  assets: AssetMoneyCheck[];
  problems: string[];
}

/** System buckets the demo never uses (no withdrawals, adjustments or insurance): they must stay empty. */
const UNUSED_SYSTEM_BUCKETS = ['DEPOSITS_IN_FLIGHT', 'WITHDRAWALS_IN_FLIGHT', 'ADJUSTMENTS', 'INSURANCE'] as const;

export const checkMoneyConserved = (
  state: Pick<EngineState, 'ledgerTrialBalance' | 'assetCodes'>,
  plannedDepositsMinor: ReadonlyMap<string, bigint>,
): MoneyCheck => {
  const assetsById = state.assetCodes();
  const problems: string[] = [];
  const assets: AssetMoneyCheck[] = [];
  const seen = new Set<string>();
  for (const row of state.ledgerTrialBalance()) {
    const asset = assetsById[row.assetId - 1];
    if (asset === undefined) {
      problems.push(`the ledger holds asset id ${row.assetId}, which the engine does not define`);
      continue;
    }
    seen.add(asset.asset);
    const plannedMinor = plannedDepositsMinor.get(asset.asset) ?? 0n;
    const check: AssetMoneyCheck = {
      asset: asset.asset,
      decimals: asset.decimals,
      usersMinor: row.usersMinor,
      feesMinor: row.byBucket.FEES,
      depositedMinor: -row.byBucket.CUSTODY,
      plannedMinor,
      netMinor: row.netMinor,
      ok: true,
    };
    const fail = (problem: string) => {
      check.ok = false;
      problems.push(`${asset.asset}: ${problem}`);
    };
    if (row.netMinor !== 0n) fail(`the trial balance nets to ${row.netMinor}, not 0`);
    for (const bucket of UNUSED_SYSTEM_BUCKETS)
      if (row.byBucket[bucket] !== 0n) fail(`${bucket} holds ${row.byBucket[bucket]}, but the demo never uses it`);
    if (check.usersMinor + check.feesMinor !== plannedMinor)
      fail(`users ${check.usersMinor} + fees ${check.feesMinor} != deposits ${plannedMinor}`);
    if (check.depositedMinor !== plannedMinor)
      fail(`the ledger records ${check.depositedMinor} deposited, the funding plan ${plannedMinor}`);
    assets.push(check);
  }
  for (const [asset, plannedMinor] of plannedDepositsMinor) {
    if (!seen.has(asset) && plannedMinor !== 0n)
      problems.push(`${asset}: ${plannedMinor} planned, but no ledger entries`);
  }
  return { ok: problems.length === 0, assets, problems };
};

/** One line per asset: "BTC  users 1.00000000 + fees 0.00000000 = 1.00000000 deposited  ok". */
export const formatMoneyCheck = (check: MoneyCheck): string[] => {
  const width = Math.max(0, ...check.assets.map((a) => a.asset.length));
  const lines = check.assets.map((a) => {
    const unit = unitOf(a.decimals);
    const amount = (minor: bigint) => unitsToDecimal(minor, unit);
    return (
      `  ${a.asset.padEnd(width)}  users ${amount(a.usersMinor)} + fees ${amount(a.feesMinor)}` +
      ` = ${amount(a.usersMinor + a.feesMinor)}; deposited ${amount(a.plannedMinor)}; ledger net ${a.netMinor}` +
      `  ${a.ok ? 'ok' : 'MISMATCH'}`
    );
  });
  for (const problem of check.problems) lines.push(`  problem: ${problem}`);
  return lines;
};
