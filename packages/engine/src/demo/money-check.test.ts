// Proves the demo's money check passes on a conserved ledger and catches what it exists to catch: a deposit credited
// twice (users + fees no longer equal the funding plan) and a planned deposit that never reached the ledger.
import { loadDemoTenantConfig } from '@exbox/config';
import { describe, expect, it } from 'vitest';
import type { EngineCommand } from '../commands.js';
import { EngineState } from '../state/engine-state.js';
import { pendingDefinitionCommands } from '../tenant.js';
import { demoActors, demoFundingCommands, plannedDepositsMinor } from './demo-tenant.js';
import { checkMoneyConserved, formatMoneyCheck } from './money-check.js';

describe('checkMoneyConserved', () => {
  it('passes when users hold exactly the plan, and names a double credit and a missing deposit', async () => {
    const config = await loadDemoTenantConfig();
    const state = new EngineState();
    let sequence = 0;
    const apply = (command: EngineCommand) => state.apply(++sequence, 1_700_000_000_000 + sequence, command);
    for (const command of pendingDefinitionCommands(config, state)) apply(command);
    const funding = demoFundingCommands(config, demoActors());
    for (const command of funding) expect(apply(command).status).toBe('OK');
    // Stable deposit ids: the same plan again is refused, not credited twice.
    expect(apply(funding[0]!)).toMatchObject({ status: 'REJECTED', code: 'DUPLICATE_DEPOSIT' });

    const planned = plannedDepositsMinor(funding);
    const conserved = checkMoneyConserved(state, planned);
    expect(conserved).toMatchObject({ ok: true, problems: [] });
    expect(conserved.assets.map((a) => a.asset)).toEqual(['BTC', 'ETH', 'USDT']);
    expect(formatMoneyCheck(conserved)[0]).toMatch(/^ {2}BTC +users \d+\.\d{8} \+ fees 0\.00000000 = .* ok$/);

    apply({ ...funding[0]!, depositId: 'a-second-credit' });
    const doubled = checkMoneyConserved(state, planned);
    expect(doubled.ok).toBe(false);
    expect(doubled.problems.join('\n')).toMatch(new RegExp(`^${funding[0]!.asset}: users .* != deposits`, 'm'));

    const missing = checkMoneyConserved(state, new Map([...planned, ['DOGE', 5n]]));
    expect(missing.problems).toContain('DOGE: 5 planned, but no ledger entries');
  });
});
