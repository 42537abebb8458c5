// Shared fixtures for the engine's tests: a small tenant in engine units and a driver that checks every
// invariant after every command.
import type { EngineCommand } from '../commands.js';
import { EngineState, type EngineStateOptions } from '../state/engine-state.js';
import type { EngineResult } from '../state/results.js';

/** BTC and USDT with 8 decimals; BTCUSDT with a 0.01 tick and a 0.00001 step: 10 USDT-minor per tick-lot. */
export const tenantCommands = (): EngineCommand[] => [
  { type: 'defineAsset', asset: 'BTC', decimals: 8 },
  { type: 'defineAsset', asset: 'USDT', decimals: 8 },
  { type: 'defineAsset', asset: 'ETH', decimals: 8 },
  { type: 'defineFeeTier', tier: 'default', makerBps: 10, takerBps: 20, isDefault: true },
  { type: 'defineFeeTier', tier: 'vip', makerBps: 0, takerBps: 5, isDefault: false },
  {
    type: 'defineMarket',
    symbol: 'BTCUSDT',
    base: 'BTC',
    quote: 'USDT',
    quoteMinorPerTickLot: '10',
    baseMinorPerLot: '1000',
    minQuantityLots: 1,
    maxQuantityLots: 900_000_000,
    minNotionalMinor: '500000000',
    priceBandBps: 0,
    maxPriceTicks: 2_000_000_000,
  },
  {
    type: 'defineMarket',
    symbol: 'ETHBTC',
    base: 'ETH',
    quote: 'BTC',
    quoteMinorPerTickLot: '1',
    baseMinorPerLot: '100000',
    minQuantityLots: 1,
    maxQuantityLots: 10_000_000,
    minNotionalMinor: '0',
    priceBandBps: 0,
    maxPriceTicks: 100_000_000,
  },
];

/** 1 BTC = 100_000_000 minor; a price of 50,000.00 USDT is 5_000_000 ticks; 1 BTC is 100_000 lots. */
export const BTC = 100_000_000n;
export const USDT = 100_000_000n;

export class Driver {
  seq = 0;
  timeMs = 1_700_000_000_000;
  readonly state: EngineState;
  readonly log: { command: EngineCommand; result: EngineResult }[] = [];

  constructor(
    options: EngineStateOptions = {},
    readonly checkEvery = true,
  ) {
    this.state = new EngineState(options);
  }

  run(command: EngineCommand): EngineResult {
    this.seq += 1;
    this.timeMs += 1;
    const result = this.state.apply(this.seq, this.timeMs, command);
    this.log.push({ command, result });
    if (this.checkEvery) this.state.checkInvariants();
    return result;
  }

  ok(command: EngineCommand): EngineResult & { status: 'OK' } {
    const result = this.run(command);
    if (result.status !== 'OK')
      throw new Error(
        `expected OK for ${JSON.stringify(command)}, got ${result.status}: ${'message' in result ? result.message : ''}`,
      );
    return result;
  }

  setup(): this {
    for (const command of tenantCommands()) this.ok(command);
    return this;
  }

  fund(userId: number, asset: string, amountMinor: bigint): void {
    this.ok({
      type: 'creditDeposit',
      userId,
      asset,
      amountMinor: amountMinor.toString(),
      depositId: `d-${this.seq + 1}`,
    });
  }

  balance(userId: number, asset: string): { available: bigint; locked: bigint } {
    const view = this.state.balancesOf(userId).find((b) => b.asset === asset);
    return { available: view?.availableMinor ?? 0n, locked: view?.lockedMinor ?? 0n };
  }
}
