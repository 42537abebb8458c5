// Proves the follower keeps up however its batches arrive: batches dropped because its queue was full, gaps, and
// overlaps are all read back from the journal, and what it projects and its state equal a straight replay.
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineCommand } from '../commands.js';
import { PgJournalStore, type JournalBatch } from '../journal/journal-store.js';
import { followerQueueBatchesMax } from '../limits.js';
import { encodeJournalLine } from '../sequencer.js';
import { EngineState } from '../state/engine-state.js';
import { tenantCommands } from '../testing/fixtures.js';
import { Follower } from './follower.js';

let database: TestDatabase | null = null;
afterEach(async () => {
  await database?.close();
  database = null;
});

const commands = (): EngineCommand[] => {
  const list: EngineCommand[] = [...tenantCommands()];
  for (let userId = 1; userId <= 4; userId++) {
    list.push({
      type: 'creditDeposit',
      userId,
      asset: 'USDT',
      amountMinor: '100000000000000',
      depositId: `u${userId}`,
    });
    list.push({ type: 'creditDeposit', userId, asset: 'BTC', amountMinor: '100000000000', depositId: `b${userId}` });
  }
  for (let i = 0; i < 900; i++) {
    const userId = 1 + (i % 4);
    list.push({
      type: 'placeOrder',
      userId,
      symbol: 'BTCUSDT',
      clientOrderId: `o${i}`,
      side: i % 3 === 0 ? 'SELL' : 'BUY',
      orderType: 'LIMIT',
      timeInForce: 'GTC',
      priceTicks: 5_000_000 + (i % 9) - 4,
      quantityLots: 50 + (i % 40),
    });
  }
  return list;
};

describe('Follower', () => {
  it('reads back what it dropped or missed and ends equal to a straight replay', async () => {
    database = await createTestDatabase();
    const store = new PgJournalStore(database.sql);
    const all = commands();
    // Started on an empty journal, it is then handed every batch in one burst, far more than its queue holds.
    const follower = await Follower.start({
      sql: database.sql,
      store,
      flushCommandsMax: 37,
      snapshotIntervalCommands: 100,
    });
    const batches: JournalBatch[] = [];
    for (let first = 1; first <= all.length; first += 5) {
      const lines = all.slice(first - 1, first + 4).map((command, i) => encodeJournalLine(1_000 + first + i, command));
      await store.append(first, lines);
      batches.push({ firstSeq: first, lastSeq: first + lines.length - 1, lines });
    }
    expect(batches.length).toBeGreaterThan(2 * followerQueueBatchesMax);
    for (const batch of batches) follower.enqueue(batch);
    for (const batch of batches.slice(0, 10)) follower.enqueue(batch); // and some again: overlaps change nothing
    await follower.idle();
    expect(follower.appliedSequence).toBe(all.length);
    expect(follower.projectedSequence).toBe(all.length);

    const replayed = new EngineState();
    all.forEach((command, i) => replayed.apply(i + 1, 1_000 + i + 1, command));
    expect(follower.engineState.stateHash()).toBe(replayed.stateHash());
    const [orders] = await database.sql<{ n: string }[]>`select count(*)::text as n from orders`;
    expect(Number(orders!.n)).toBe(900);
    const snapshot = await store.latestSnapshot(Number.MAX_SAFE_INTEGER);
    expect(snapshot!.seq).toBeGreaterThan(all.length - 140);

    // A restarted follower starts from that snapshot and finds nothing left to do.
    const again = await Follower.start({ sql: database.sql, store });
    expect(again.projectedSequence).toBe(all.length);
    await again.idle();
    expect(again.appliedSequence).toBe(all.length);
    expect(again.engineState.stateHash()).toBe(replayed.stateHash());
  });
});
