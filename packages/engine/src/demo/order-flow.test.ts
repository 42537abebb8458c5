// Proves the demo's simulated order flow is valid by construction and reproducible. How: the flow drives the engine's
// state machine directly (no database, no clock), deciding each command from the state the previous one left, as in
// the demo. Over tens of thousands of commands per seed, not one command is refused (no filter, band, post-only,
// stop-trigger, balance or id rejection), every market trades, every kind of command occurs, the engine's invariants
// hold and money is conserved; the same seed on the same starting state gives the same commands; and a flow started
// on a state an earlier flow left behind (a restarted demo) carries on without a refusal.
import { loadDemoTenantConfig } from '@exbox/config';
import { describe, expect, it } from 'vitest';
import type { EngineCommand } from '../commands.js';
import { EngineState } from '../state/engine-state.js';
import { pendingDefinitionCommands } from '../tenant.js';
import { DemoStats } from './demo-stats.js';
import { demoActors, demoFundingCommands, demoMarkets, plannedDepositsMinor } from './demo-tenant.js';
import { checkMoneyConserved } from './money-check.js';
import { OrderFlow } from './order-flow.js';

const SEEDS = [1, 2, 3];
const STEPS = 20_000;
const INVARIANT_CHECK_EVERY_STEPS = 2_000;

/** A state machine with the demo tenant defined and its users funded, as the demo leaves it before the flow. */
const fundedExchange = async () => {
  const config = await loadDemoTenantConfig();
  const state = new EngineState();
  let sequence = 0;
  let timeMs = 1_700_000_000_000;
  const apply = (command: EngineCommand) => state.apply(++sequence, ++timeMs, command);
  for (const command of pendingDefinitionCommands(config, state)) expect(apply(command).status).toBe('OK');
  const actors = demoActors();
  const funding = demoFundingCommands(config, actors);
  for (const command of funding) expect(apply(command).status).toBe('OK');
  return { state, apply, actors, funding, markets: demoMarkets(config), sequence: () => sequence };
};

type Exchange = Awaited<ReturnType<typeof fundedExchange>>;

const runFlow = (exchange: Exchange, seed: number, steps: number) => {
  const flow = new OrderFlow({
    state: exchange.state,
    markets: exchange.markets,
    actors: exchange.actors,
    seed,
    runId: exchange.sequence(),
  });
  const stats = new DemoStats();
  const commands: EngineCommand[] = [];
  for (let step = 1; step <= steps; step++) {
    const command = flow.next();
    if (command === null) continue;
    commands.push(command);
    stats.record(command, exchange.apply(command), 0);
    if (step % INVARIANT_CHECK_EVERY_STEPS === 0) exchange.state.checkInvariants();
  }
  return { flow, stats, commands };
};

const rejections = (stats: DemoStats) => Object.fromEntries(stats.rejectionExamples);

describe('demo order flow', () => {
  it.each(SEEDS)(
    'seed %i: never refused, trades on every market, every command kind, money conserved',
    async (seed) => {
      const exchange = await fundedExchange();
      const { stats, commands } = runFlow(exchange, seed, STEPS);
      expect(rejections(stats), `seed ${seed}`).toEqual({});
      expect(commands.length).toBe(STEPS);
      for (const market of exchange.markets)
        expect(stats.marketTotals.get(market.symbol)?.trades ?? 0).toBeGreaterThan(100);
      expect([...stats.commandsByKind.keys()].sort()).toEqual(
        [
          'LIMIT',
          'LIMIT/IOC',
          'LIMIT_MAKER',
          'MARKET',
          'STOP_LOSS',
          'STOP_LOSS_LIMIT',
          'TAKE_PROFIT',
          'TAKE_PROFIT_LIMIT',
          'amendOrder',
          'cancelAllOrders',
          'cancelOrder',
          'cancelOrderList',
          'placeOco',
          'replaceOrder',
        ].sort(),
      );
      expect(commands.some((c) => c.type === 'placeOrder' && c.quoteOrderQtyMinor !== undefined)).toBe(true);
      exchange.state.checkInvariants();
      const money = checkMoneyConserved(exchange.state, plannedDepositsMinor(exchange.funding));
      expect(money.problems).toEqual([]);
      expect(money.assets.every((asset) => asset.feesMinor > 0n)).toBe(true);
    },
  );

  it('is a pure function of the seed and the starting state', async () => {
    const first = runFlow(await fundedExchange(), 5, 3_000).commands;
    const again = runFlow(await fundedExchange(), 5, 3_000).commands;
    const other = runFlow(await fundedExchange(), 6, 3_000).commands;
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(first));
  });

  it('carries on from the state an earlier flow left (a restarted demo), from the last trade price', async () => {
    const exchange = await fundedExchange();
    runFlow(exchange, 11, 5_000);
    const second = new OrderFlow({
      state: exchange.state,
      markets: exchange.markets,
      actors: exchange.actors,
      seed: 11,
      runId: exchange.sequence(),
    });
    for (const market of exchange.markets) {
      expect(second.midPriceTicks(market.symbol)).toBe(exchange.state.book(market.symbol)?.lastTradePriceTicks());
    }
    const stats = new DemoStats();
    for (let step = 0; step < 5_000; step++) {
      const command = second.next();
      if (command !== null) stats.record(command, exchange.apply(command), 0);
    }
    expect(rejections(stats)).toEqual({});
    for (const market of exchange.markets)
      expect(stats.marketTotals.get(market.symbol)?.trades ?? 0).toBeGreaterThan(0);
    exchange.state.checkInvariants();
    expect(checkMoneyConserved(exchange.state, plannedDepositsMinor(exchange.funding)).ok).toBe(true);
  });
});
