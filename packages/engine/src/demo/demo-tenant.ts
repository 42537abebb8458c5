// Who trades in the demo and with how much: market makers and takers as plain user ids, their deposits (with ids
// that never change, so a second run is refused as a duplicate instead of crediting twice), and the reference
// prices the simulated markets start from and drift back to.
import { decimalToMinor, deriveMarketParameters, type TenantConfig } from '@exbox/config';
import type { CreditDeposit } from '../commands.js';
import { DemoMarket } from './demo-market.js';

export const DEMO_MARKET_MAKER_COUNT = 8;
export const DEMO_TAKER_COUNT = 12;
/** Demo users are 1..20: market makers first, then takers. */
const DEMO_FIRST_USER_ID = 1;

export interface DemoActors {
  readonly marketMakerIds: readonly number[];
  readonly takerIds: readonly number[];
}

export const demoActors = (): DemoActors => {
  const ids = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);
  return {
    marketMakerIds: ids(DEMO_FIRST_USER_ID, DEMO_MARKET_MAKER_COUNT),
    takerIds: ids(DEMO_FIRST_USER_ID + DEMO_MARKET_MAKER_COUNT, DEMO_TAKER_COUNT),
  };
};

/** Where each demo market's price starts (before its first trade) and what its random walk is pulled back to. */
export const DEMO_REFERENCE_PRICES: Readonly<Record<string, string>> = {
  BTCUSDT: '50000',
  ETHUSDT: '3000',
  ETHBTC: '0.06',
};

/**
 * Deposits per user, as decimal strings converted exactly with each asset's decimals. Market makers hold about
 * 3.5 million USDT of value each, takers about 0.6 million: enough for hours of the default flow, whose orders are
 * worth tens to hundreds of USDT, while fees slowly move money from users to the exchange.
 */
const DEMO_FUNDING: Readonly<Record<'marketMaker' | 'taker', Readonly<Record<string, string>>>> = {
  marketMaker: { BTC: '40', ETH: '600', USDT: '1500000' },
  taker: { BTC: '6', ETH: '100', USDT: '200000' },
};

/**
 * Version of the funding plan inside every deposit id. Deposit ids are the ledger's idempotency keys: as long as
 * the plan is unchanged, re-running the demo is refused as DUPLICATE_DEPOSIT instead of crediting twice.
 */
const DEMO_FUNDING_VERSION = 'v1';

/** One deposit per demo user and funded asset the tenant defines, in a fixed order. */
export const demoFundingCommands = (config: TenantConfig, actors: DemoActors): CreditDeposit[] => {
  const commands: CreditDeposit[] = [];
  const fund = (userId: number, plan: Readonly<Record<string, string>>) => {
    for (const asset of config.assets) {
      const amount = plan[asset.code];
      if (amount === undefined) continue;
      const amountMinor = decimalToMinor(amount, asset.decimals);
      if (amountMinor === undefined || amountMinor <= 0n) {
        throw new Error(
          `demo: funding ${amount} ${asset.code} is not a positive amount with ${asset.decimals} decimals`,
        );
      }
      commands.push({
        type: 'creditDeposit',
        userId,
        asset: asset.code,
        amountMinor: amountMinor.toString(),
        depositId: `demo-${DEMO_FUNDING_VERSION}-u${userId}-${asset.code}`,
      });
    }
  };
  for (const userId of actors.marketMakerIds) fund(userId, DEMO_FUNDING.marketMaker);
  for (const userId of actors.takerIds) fund(userId, DEMO_FUNDING.taker);
  return commands;
};

/** What the funding plan deposits in total, per asset: the independent side of the money check. */
export const plannedDepositsMinor = (commands: readonly CreditDeposit[]): Map<string, bigint> => {
  const totals = new Map<string, bigint>();
  for (const command of commands)
    totals.set(command.asset, (totals.get(command.asset) ?? 0n) + BigInt(command.amountMinor));
  return totals;
};

/** The tenant's markets that have a demo reference price, in config order; others are defined but not traded. */
export const demoMarkets = (config: TenantConfig): DemoMarket[] => {
  const markets: DemoMarket[] = [];
  for (const parameters of deriveMarketParameters(config).values()) {
    const referencePrice = DEMO_REFERENCE_PRICES[parameters.symbol];
    if (referencePrice !== undefined) markets.push(new DemoMarket(parameters, referencePrice));
  }
  return markets;
};
