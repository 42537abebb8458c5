// Model-based test of the engine: seeded random streams of every command kind (many users, every order type,
// deposits, withdrawals, adjustments, kill switches, malformed input) are applied, and after every step
//  - every ledger, book and engine invariant holds (checkInvariants),
//  - money is conserved against an independent auditor that only counts what entered and left the system:
//    per asset, users' balances + fees + withdrawals in flight = deposits + adjustments,
// and at the end the same stream gives byte-identical results and state hash (a) replayed on the naive
// reference book and (b) restored from a mid-stream snapshot. The seed is printed in every failure message.
import { describe, expect, it } from 'vitest';
import { Random } from '../demo/random.js';
import type { EngineCommand, OrderType, Side, StpMode, TimeInForce } from '../commands.js';
import { Driver } from '../testing/fixtures.js';
import { EngineState, type EngineSnapshot } from './engine-state.js';
import type { EngineResult } from './results.js';

const USERS = 8;
const ASSETS = ['BTC', 'USDT', 'ETH'] as const;
const MARKETS = [
  { symbol: 'BTCUSDT', mid: 5_000_000, lots: 2_000 },
  { symbol: 'ETHBTC', mid: 5_000, lots: 200 },
] as const;
const TYPES: OrderType[] = [
  'LIMIT',
  'LIMIT',
  'LIMIT',
  'MARKET',
  'LIMIT_MAKER',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];
const TIFS: TimeInForce[] = ['GTC', 'GTC', 'IOC', 'FOK'];
const STPS: StpMode[] = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'];

const generator = (seed: number) => {
  const randSource = new Random(seed);
  const rand = () => randSource.unit();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  let clientId = 0;
  let withdrawalId = 0;
  const withdrawals: string[] = [];
  const mids: number[] = MARKETS.map((m) => m.mid);

  return (state: EngineState, step: number): EngineCommand => {
    const r = rand();
    const userId = int(1, USERS);
    if (r < 0.08) {
      return {
        type: 'creditDeposit',
        userId,
        asset: pick(ASSETS),
        amountMinor: String(int(1, 5) * 10 ** int(6, 12)),
        depositId: `dep-${seed}-${step}`,
      };
    }
    if (r < 0.1) {
      const id = `w-${seed}-${withdrawalId++}`;
      withdrawals.push(id);
      const amount = int(1, 10) * 10 ** int(4, 9);
      return {
        type: 'holdWithdrawal',
        userId,
        asset: pick(ASSETS),
        amountMinor: String(amount),
        feeMinor: String(Math.floor(amount / 100)),
        withdrawalId: id,
      };
    }
    if (r < 0.12 && withdrawals.length > 0) {
      return { type: rand() < 0.5 ? 'settleWithdrawal' : 'releaseWithdrawal', withdrawalId: pick(withdrawals) };
    }
    if (r < 0.13) {
      return {
        type: 'adjustBalance',
        userId,
        asset: pick(ASSETS),
        deltaMinor: String(int(-5, 5) * 10 ** int(3, 8)),
        reason: 'model',
        staffId: 1,
      };
    }
    if (r < 0.135)
      return { type: rand() < 0.25 ? 'haltMarket' : 'resumeMarket', symbol: pick(MARKETS).symbol, reason: 'model' };
    if (r < 0.14) return { type: rand() < 0.25 ? 'freezeUser' : 'unfreezeUser', userId, reason: 'model' };
    if (r < 0.145) return { type: 'setUserFeeTier', userId, tier: rand() < 0.5 ? 'vip' : 'default' };
    const marketIndex = int(0, MARKETS.length - 1);
    const market = MARKETS[marketIndex]!;
    mids[marketIndex] = Math.max(100, mids[marketIndex]! + int(-2, 2));
    const mid = mids[marketIndex]!;
    const open = state.openOrders(userId, market.symbol);
    if (r < 0.3 && open.length > 0) {
      const target = pick(open);
      const other = rand() < 0.1 ? int(1, USERS) : userId; // sometimes someone else's order: must be refused
      return rand() < 0.8
        ? { type: 'cancelOrder', userId: other, symbol: market.symbol, orderId: target.orderId }
        : { type: 'cancelOrder', userId: other, symbol: market.symbol, clientOrderId: target.clientOrderId };
    }
    if (r < 0.32 && open.length > 0) return { type: 'cancelAllOrders', userId, symbol: market.symbol };
    if (r < 0.35 && open.length > 0) {
      const target = pick(open);
      return {
        type: 'amendOrder',
        userId,
        symbol: market.symbol,
        orderId: target.orderId,
        newQuantityLots: int(1, Math.max(1, target.quantityLots)),
      };
    }
    const side: Side = rand() < 0.5 ? 'BUY' : 'SELL';
    const offset = int(-30, 30);
    const price = Math.max(1, mid + (side === 'BUY' ? -offset : offset));
    const quantityLots = int(1, market.lots);
    if (r < 0.38 && open.length > 0) {
      const target = pick(open);
      return {
        type: 'replaceOrder',
        userId,
        symbol: market.symbol,
        cancelOrderId: target.orderId,
        mode: rand() < 0.5 ? 'STOP_ON_FAILURE' : 'ALLOW_FAILURE',
        order: {
          clientOrderId: `r${clientId++}`,
          side,
          orderType: 'LIMIT',
          timeInForce: 'GTC',
          priceTicks: price,
          quantityLots,
        },
      };
    }
    if (r < 0.41) {
      const last = state.market(market.symbol)?.lastPriceTicks ?? mid;
      const up = last + int(5, 40);
      const down = Math.max(1, last - int(5, 40));
      return side === 'SELL'
        ? {
            type: 'placeOco',
            userId,
            symbol: market.symbol,
            listClientOrderId: `l${clientId++}`,
            side,
            quantityLots,
            above: { clientOrderId: `a${clientId++}`, orderType: 'LIMIT_MAKER', priceTicks: up },
            below: {
              clientOrderId: `b${clientId++}`,
              orderType: 'STOP_LOSS_LIMIT',
              priceTicks: Math.max(1, down - 5),
              stopPriceTicks: down,
              timeInForce: 'GTC',
            },
          }
        : {
            type: 'placeOco',
            userId,
            symbol: market.symbol,
            listClientOrderId: `l${clientId++}`,
            side,
            quantityLots,
            above: {
              clientOrderId: `a${clientId++}`,
              orderType: 'STOP_LOSS_LIMIT',
              priceTicks: up + 5,
              stopPriceTicks: up,
              timeInForce: 'GTC',
            },
            below: { clientOrderId: `b${clientId++}`, orderType: 'LIMIT_MAKER', priceTicks: down },
          };
    }
    const orderType = r < 0.43 ? ('LIMIT' as const) : pick(TYPES);
    const last = state.market(market.symbol)?.lastPriceTicks ?? mid;
    const command: EngineCommand = {
      type: 'placeOrder',
      userId,
      symbol: market.symbol,
      clientOrderId: rand() < 0.02 && open.length > 0 ? open[0]!.clientOrderId : `c${clientId++}`,
      side,
      orderType,
      stpMode: pick(STPS),
    };
    if (orderType === 'LIMIT' || orderType === 'LIMIT_MAKER' || orderType.endsWith('_LIMIT'))
      command.priceTicks = price;
    if (orderType === 'LIMIT' || orderType === 'STOP_LOSS_LIMIT' || orderType === 'TAKE_PROFIT_LIMIT')
      command.timeInForce = pick(TIFS);
    if (orderType.startsWith('STOP_LOSS') || orderType.startsWith('TAKE_PROFIT')) {
      const above = (side === 'BUY') === orderType.startsWith('STOP_LOSS');
      command.stopPriceTicks = Math.max(1, last + (above ? int(1, 20) : -int(1, 20)));
    }
    if (orderType === 'MARKET' && rand() < 0.4) {
      command.quoteOrderQtyMinor = String(int(1, 1_000) * 10 ** int(3, 7));
    } else {
      command.quantityLots = rand() < 0.01 ? -quantityLots : quantityLots; // an occasional malformed one
    }
    return command;
  };
};

/** Per asset: what entered (deposits, positive adjustments) minus what left (negative adjustments). */
class Auditor {
  readonly netInMinor = new Map<string, bigint>(ASSETS.map((a) => [a, 0n]));

  record(command: EngineCommand, result: EngineResult): void {
    if (result.status === 'REJECTED') return;
    if (command.type === 'creditDeposit') this.add(command.asset, BigInt(command.amountMinor));
    if (command.type === 'adjustBalance') this.add(command.asset, BigInt(command.deltaMinor));
  }

  check(state: EngineState, seed: number, step: number): void {
    const held = new Map<string, bigint>(ASSETS.map((a) => [a, 0n]));
    for (let userId = 1; userId <= USERS; userId++) {
      for (const balance of state.balancesOf(userId)) {
        const total = balance.availableMinor + balance.lockedMinor + balance.withdrawingMinor;
        held.set(balance.asset, held.get(balance.asset)! + total);
      }
    }
    const codes = state.assetCodes();
    for (const asset of state.ledgerTrialBalance()) {
      const code = codes[asset.assetId - 1]!.asset;
      held.set(code, held.get(code)! + asset.byBucket.FEES + asset.byBucket.WITHDRAWALS_IN_FLIGHT);
    }
    for (const asset of ASSETS) {
      expect(held.get(asset), `seed ${seed} step ${step}: ${asset} not conserved`).toBe(this.netInMinor.get(asset));
    }
  }

  private add(asset: string, amountMinor: bigint): void {
    this.netInMinor.set(asset, this.netInMinor.get(asset)! + amountMinor);
  }
}

const stringify = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

const stats = (driver: Driver) => {
  const tally = new Map<string, number>();
  for (const { command, result } of driver.log) {
    const key = `${command?.type}:${'orderType' in command ? command.orderType : ''}:${result.status}:${result.status === 'OK' ? '' : result.code}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
    for (const event of result.events)
      if (event.type === 'orderDone')
        tally.set(`done:${event.status}:${event.reason}`, (tally.get(`done:${event.status}:${event.reason}`) ?? 0) + 1);
  }
  return Object.fromEntries([...tally].sort());
};

const SEEDS = [1, 2, 3, 4, 5, 6];
const STEPS = 1_500;

describe('engine model: random command streams', () => {
  for (const seed of SEEDS) {
    it(`conserves money and every invariant after every step, and replays identically (seed ${seed})`, () => {
      const driver = new Driver({ emitTransfers: true });
      driver.setup();
      const next = generator(seed);
      const auditor = new Auditor();
      const stream: EngineCommand[] = [];
      const counts = { OK: 0, REJECTED: 0, PARTIALLY_FAILED: 0, trades: 0 };
      let midSnapshot: { snapshot: EngineSnapshot; seq: number; timeMs: number } | null = null;
      for (let step = 0; step < STEPS; step++) {
        const command = next(driver.state, step);
        stream.push(command);
        let result: EngineResult;
        try {
          result = driver.run(command);
        } catch (error) {
          throw new Error(`seed ${seed} step ${step}: ${(error as Error).message} after ${stringify(command)}`, {
            cause: error,
          });
        }
        counts[result.status]++;
        counts.trades += result.events.filter((e) => e.type === 'trade').length;
        auditor.record(command, result);
        auditor.check(driver.state, seed, step);
        if (step === STEPS / 2)
          midSnapshot = { snapshot: structuredClone(driver.state.snapshot()), seq: driver.seq, timeMs: driver.timeMs };
      }
      if (process.env['MODEL_STATS'] === '1') console.log(seed, counts, stats(driver));
      // The stream must exercise the engine, not bounce off it.
      expect(counts.OK, `seed ${seed}`).toBeGreaterThan(STEPS / 3);
      expect(counts.REJECTED, `seed ${seed}`).toBeGreaterThan(10);
      expect(counts.trades, `seed ${seed}`).toBeGreaterThan(50);
      const finalHash = driver.state.stateHash();

      // (a) The naive reference book gives the same results, event for event, and the same state.
      const naive = new Driver({ emitTransfers: true, bookImplementation: 'naive' }, false);
      for (const { command } of driver.log) naive.run(command);
      expect(stringify(naive.log.map((entry) => entry.result)), `seed ${seed}`).toBe(
        stringify(driver.log.map((entry) => entry.result)),
      );
      expect(naive.state.stateHash(), `seed ${seed}`).toBe(finalHash);

      // (b) A restored mid-stream snapshot continues exactly as the original did.
      const restored = EngineState.restore(midSnapshot!.snapshot, { emitTransfers: true });
      let seq = midSnapshot!.seq;
      let timeMs = midSnapshot!.timeMs;
      for (const entry of driver.log.slice(seq)) {
        const result = restored.apply(++seq, ++timeMs, entry.command);
        expect(stringify(result), `seed ${seed} seq ${seq}`).toBe(stringify(entry.result));
      }
      expect(seq).toBe(driver.log.length);
      expect(restored.stateHash(), `seed ${seed}`).toBe(finalHash);
    });
  }
});
