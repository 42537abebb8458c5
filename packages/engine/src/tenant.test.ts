// Proves the tenant config becomes engine definitions that the engine accepts, that a second start submits
// nothing when nothing changed, and that a changed fee tier or market filter is submitted again.
import { loadDemoTenantConfig, parseTenantConfig } from '@exbox/config';
import { describe, expect, it } from 'vitest';
import { EngineState } from './state/engine-state.js';
import { pendingDefinitionCommands, tenantDefinitionCommands } from './tenant.js';

describe('tenant definitions', () => {
  it('defines every demo asset, tier and market, and nothing twice', async () => {
    const config = await loadDemoTenantConfig();
    const state = new EngineState();
    let seq = 0;
    const commands = pendingDefinitionCommands(config, state);
    expect(commands.map((c) => c.type).filter((t) => t === 'defineMarket')).toHaveLength(config.markets.length);
    for (const command of commands) expect(state.apply(++seq, 1, command).status).toBe('OK');
    expect(state.marketSymbols().sort()).toEqual(config.markets.map((m) => m.symbol).sort());
    expect(pendingDefinitionCommands(config, state)).toEqual([]);

    const changed = parseTenantConfig({
      ...structuredClone(config),
      fees: { ...config.fees, tiers: { ...config.fees.tiers, default: { makerBps: 8, takerBps: 9 } } },
      markets: config.markets.map((m, i) => (i === 0 ? { ...m, minNotional: '10' } : m)),
    });
    const again = pendingDefinitionCommands(changed, state);
    expect(
      again.map((c) => (c.type === 'defineMarket' ? c.symbol : c.type === 'defineFeeTier' ? c.tier : c.type)),
    ).toEqual(['default', config.markets[0]!.symbol]);
    for (const command of again) expect(state.apply(++seq, 2, command).status).toBe('OK');
    expect(state.userStatus(1)).toMatchObject({ makerBps: 8, takerBps: 9 });
    expect(tenantDefinitionCommands(changed)).toHaveLength(commands.length);
  });
});
