// Integration tests of the running engine on the real PostgreSQL (or PGlite when none answers): the journal
// store reads batches back in sequence order, acknowledged commands survive a restart with the same state hash,
// snapshots bound the replay and are proven by their hash, the projections equal the engine's own balances and
// orders, and a second engine cannot write to the same journal.
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineCommand } from './commands.js';
import { Engine } from './engine.js';
import { PgJournalStore, RulesVersionError } from './journal/journal-store.js';
import { encodeJournalLine } from './sequencer.js';
import { ENGINE_RULES_VERSION } from './state/engine-state.js';
import { tenantCommands } from './testing/fixtures.js';

const databases: TestDatabase[] = [];
const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close().catch(() => undefined);
  for (const database of databases.splice(0)) await database.close();
});

const database = async () => {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
};

const start = async (
  db: TestDatabase,
  options: { snapshotIntervalCommands?: number; followerFlushCommandsMax?: number } = {},
) => {
  const engine = await Engine.start({
    sql: db.sql,
    follower: 'inline',
    writerLock: db.kind === 'postgres',
    ...options,
  });
  engines.push(engine);
  return engine;
};

/** A deterministic trading session: deposits, resting orders, crossing orders, cancels. */
const session = (count: number, offset = 0): EngineCommand[] => {
  const commands: EngineCommand[] = [];
  for (let i = offset; i < offset + count; i++) {
    const userId = 1 + (i % 5);
    if (i % 10 === 0) {
      commands.push({
        type: 'creditDeposit',
        userId,
        asset: i % 20 === 0 ? 'USDT' : 'BTC',
        amountMinor: '100000000000',
        depositId: `dep-${i}`,
      });
    } else if (i % 7 === 0) {
      commands.push({ type: 'cancelOrder', userId, symbol: 'BTCUSDT', clientOrderId: `o-${i - 3}` });
    } else {
      const side = i % 2 === 0 ? 'BUY' : 'SELL';
      commands.push({
        type: 'placeOrder',
        userId,
        symbol: 'BTCUSDT',
        clientOrderId: `o-${i}`,
        side,
        orderType: 'LIMIT',
        timeInForce: 'GTC',
        priceTicks: 5_000_000 + ((i * 37) % 21) - 10,
        quantityLots: 100 + (i % 50),
      });
    }
  }
  return commands;
};

describe('PgJournalStore', () => {
  it('reads batches back in sequence order across pages, and the latest snapshot by number', async () => {
    const db = await database();
    const store = new PgJournalStore(db.sql);
    let seq = 1;
    for (let batch = 0; batch < 120; batch++) {
      const lines = Array.from({ length: 1 + (batch % 3) }, (_, i) => `[${batch},{"n":${seq + i}}]`);
      await store.append(seq, lines);
      seq += lines.length;
    }
    expect(await store.lastSequence()).toBe(seq - 1);
    const written = seq - 1;
    const seen: number[] = [];
    let position = 0;
    for (;;) {
      const batches = await store.read(position, 7);
      if (batches.length === 0) break;
      for (const batch of batches) {
        expect(batch.firstSeq).toBe(position + 1);
        seen.push(...batch.lines.map((line) => (JSON.parse(line) as [number, { n: number }])[1].n));
        position = batch.lastSeq;
      }
    }
    expect(seen).toEqual(Array.from({ length: written }, (_, i) => i + 1));
    await expect(store.append(5, ['[0,{}]'])).rejects.toMatchObject({ code: '23505' }); // inside a batch
    await expect(store.append(seq - 1, ['[0,{}]', '[0,{}]'])).rejects.toMatchObject({ code: '23505' }); // straddles
    await store.append(seq, ['[0,{}]']);
    for (const snapshotSeq of [9, 100, 20])
      await store.saveSnapshot({ seq: snapshotSeq, stateHash: `h${snapshotSeq}`, state: { at: snapshotSeq } }, 2);
    expect((await store.latestSnapshot(1_000))?.seq).toBe(100);
    expect((await store.latestSnapshot(99))?.state).toEqual({ at: 20 });
    expect(await store.latestSnapshot(19)).toBeNull(); // only the two newest are kept
  });
});

describe('Engine on PostgreSQL', () => {
  it('survives a restart with every acknowledged command and the same state hash', async () => {
    const db = await database();
    const engine = await start(db);
    for (const command of tenantCommands()) expect((await engine.submit(command)).result.status).toBe('OK');
    const acks = await Promise.all(session(600).map((command) => engine.submit(command)));
    expect(acks.map((ack) => ack.sequence)).toEqual(acks.map((_, i) => tenantCommands().length + i + 1));
    const hash = engine.state.stateHash();
    const lastSeq = engine.lastSequence;
    await engine.close();
    engines.length = 0;

    const restarted = await start(db);
    expect(restarted.lastSequence).toBe(lastSeq);
    expect(restarted.recovery.replayedCommands).toBe(lastSeq);
    expect(restarted.state.stateHash()).toBe(hash);
    // It carries on from there: the next command gets the next sequence.
    const next = await restarted.submit(session(1, 600)[0]!);
    expect(next.sequence).toBe(lastSeq + 1);
  });

  it('writes projections equal to the engine state, and snapshots that bound the replay', async () => {
    const db = await database();
    const engine = await start(db, { snapshotIntervalCommands: 150, followerFlushCommandsMax: 40 });
    for (const command of tenantCommands()) await engine.submit(command);
    // Submit in waves so the follower flushes (and snapshots) several times.
    for (let wave = 0; wave < 5; wave++) {
      await Promise.all(session(200, wave * 200).map((command) => engine.submit(command)));
      await engine.settled();
    }
    expect(engine.projectedSequence).toBe(engine.lastSequence);

    const balances = await db.sql<{ owner_id: string; asset: string; bucket: string; amount: string }[]>`
      select owner_id::text, asset, bucket, amount::text from ledger_balances where owner_id > 0 and amount <> 0 order by 1, 2, 3`;
    const expected: string[] = [];
    for (let userId = 1; userId <= 5; userId++) {
      for (const b of engine.state.balancesOf(userId)) {
        if (b.availableMinor !== 0n) expected.push(`${userId} ${b.asset} AVAILABLE ${b.availableMinor}`);
        if (b.lockedMinor !== 0n) expected.push(`${userId} ${b.asset} LOCKED ${b.lockedMinor}`);
      }
    }
    expect(balances.map((r) => `${r.owner_id} ${r.asset} ${r.bucket} ${r.amount}`)).toEqual(expected.sort());

    const perAccount = await db.sql<{ owner_id: string; asset: string; bucket: string; net: string }[]>`
      select owner_id::text, asset, bucket, sum(amount)::text as net from (
        select credit_owner_id as owner_id, asset, credit_bucket as bucket, amount from ledger_transfers
        union all select debit_owner_id, asset, debit_bucket, -amount from ledger_transfers) t
      group by 1, 2, 3 having sum(amount) <> 0 order by 1, 2, 3`;
    // Replaying every projected transfer gives exactly the projected balances: the ledger rows are complete.
    const projected = await db.sql<{ owner_id: string; asset: string; bucket: string; amount: string }[]>`
      select owner_id::text, asset, bucket, amount::text from ledger_balances where amount <> 0 order by 1, 2, 3`;
    expect(perAccount.map((r) => `${r.owner_id} ${r.asset} ${r.bucket} ${r.net}`)).toEqual(
      projected.map((r) => `${r.owner_id} ${r.asset} ${r.bucket} ${r.amount}`),
    );

    const open = await db.sql<{ order_id: string }[]>`
      select order_id::text from orders where status in ('NEW', 'PARTIALLY_FILLED') order by orders.order_id`;
    const openInEngine = [1, 2, 3, 4, 5].flatMap((userId) =>
      engine.state.openOrders(userId).map((o) => String(o.orderId)),
    );
    expect(open.map((r) => r.order_id)).toEqual(openInEngine.sort((a, b) => Number(a) - Number(b)));
    const [tradeCount] = await db.sql<{ n: string }[]>`select count(*)::text as n from trades`;
    expect(Number(tradeCount!.n)).toBe(engine.state.market('BTCUSDT')!.nextTradeId - 1);

    const hash = engine.state.stateHash();
    const lastSeq = engine.lastSequence;
    await engine.close();
    engines.length = 0;
    const restarted = await start(db, { snapshotIntervalCommands: 150 });
    expect(restarted.recovery.snapshotSeq).toBeGreaterThan(lastSeq - 250);
    expect(restarted.recovery.replayedCommands).toBeLessThan(250);
    expect(restarted.state.stateHash()).toBe(hash);
  });

  it('keeps the journal up to its first gap: later batches were never acknowledged and are dropped at start', async () => {
    const db = await database();
    const engine = await start(db);
    const setup = tenantCommands();
    for (const command of setup) await engine.submit(command);
    const hash = engine.state.stateHash();
    await engine.close();
    engines.length = 0;
    // A batch that committed while the one before it failed (two commits run at once), then a crash.
    const store = new PgJournalStore(db.sql);
    await store.append(setup.length + 2, [encodeJournalLine(1, session(1)[0]!)]);
    const restarted = await start(db);
    expect(restarted.lastSequence).toBe(setup.length);
    expect(restarted.state.stateHash()).toBe(hash);
    expect(await store.lastSequence()).toBe(setup.length); // the orphan is gone
    const next = await restarted.submit(session(1)[0]!);
    expect(next.sequence).toBe(setup.length + 1);
  });

  it('refuses a journal written under other engine rules instead of replaying it differently', async () => {
    const db = await database();
    const engine = await start(db);
    await engine.submit(tenantCommands()[0]!);
    await engine.close();
    engines.length = 0;
    expect((await db.sql<{ v: number }[]>`select rules_version as v from engine_meta`)[0]!.v).toBe(
      ENGINE_RULES_VERSION,
    );
    await db.sql`update engine_meta set rules_version = ${ENGINE_RULES_VERSION - 1}`;
    await expect(start(db)).rejects.toThrow(/rules version 1, this build applies version 2/);
    // A journal from before versions were recorded counts as version 1.
    await db.sql`delete from engine_meta`;
    await expect(start(db)).rejects.toBeInstanceOf(RulesVersionError);
  });

  it('refuses a second writer on the same journal', async () => {
    const db = await database();
    if (db.kind !== 'postgres') return; // PGlite is one embedded session: the lock has no second session to stop
    await start(db);
    await expect(Engine.start({ sql: db.sql, follower: 'none' })).rejects.toThrow(/writer lock/);
  });
});
