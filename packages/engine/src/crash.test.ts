// The recovery proof. The engine runs in a child process under load (with its follower thread and frequent
// snapshots) and is killed with SIGKILL at seeded random moments, then restarted, several times. After every kill:
//  - the journal is exactly a prefix of the submitted stream (no loss, no reordering, no duplicate, no gap),
//  - every command the child acknowledged is in it (acknowledged means durable),
//  - the state the restarted child recovers (snapshot + journal tail) has the same hash as a fresh replay of the
//    whole journal, which also passes every ledger and engine invariant,
// and at the end the projections written across all those crashes equal the replayed balances.
// Runs the built child (dist/testing/crash-child.js): `npm test` builds first.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@exbox/db/testing';
import { describe, expect, it } from 'vitest';
import { Random } from './demo/random.js';
import type { EngineCommand } from './commands.js';
import { PgJournalStore } from './journal/journal-store.js';
import { decodeJournalLine } from './sequencer.js';
import { EngineState } from './state/engine-state.js';
import { loadCommand } from './testing/load.js';
import { Engine } from './engine.js';

const childPath = fileURLToPath(new URL('../dist/testing/crash-child.js', import.meta.url));
const SEED = Number(process.env['CRASH_SEED'] ?? 20261122);
const ROUNDS = 5;

interface Run {
  child: ChildProcess;
  ready: Promise<{ lastSeq: number; stateHash: string; snapshotSeq: number }>;
  acks: { sequence: number; index: number }[];
  exited: Promise<number | null>;
}

const run = (url: string): Run => {
  const child = spawn(process.execPath, [childPath, url, String(SEED)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acks: Run['acks'] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<{ lastSeq: number; stateHash: string; snapshotSeq: number }>((resolve, reject) => {
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const [kind, a, b, c] = pending.slice(0, newline).split(' ');
        pending = pending.slice(newline + 1);
        if (kind === 'ready') resolve({ lastSeq: Number(a), stateHash: b!, snapshotSeq: Number(c) });
        else if (kind === 'ack') acks.push({ sequence: Number(a), index: Number(b) });
      }
    });
    void exited.then((code) => reject(new Error(`crash child exited (${code}) before ready: ${stderr}`)));
  });
  return { child, ready, acks, exited };
};

describe('crash recovery under SIGKILL', () => {
  it(`loses nothing acknowledged and recovers exactly (seed ${SEED})`, async () => {
    expect(existsSync(childPath), `${childPath} is missing: run npm run build`).toBe(true);
    const database = await createTestDatabase();
    const randomSource = new Random(SEED);
    const random = () => randomSource.unit();
    const store = new PgJournalStore(database.sql);
    const replayed = new EngineState();
    let replayedSeq = 0;
    let acknowledged = 0;
    let snapshotsUsed = 0;
    /** Applies journaled commands up to `target` to the independent replay, checking each is the stream's next. */
    const replayTo = async (target: number) => {
      while (replayedSeq < target) {
        const batches = await store.read(replayedSeq, 64);
        expect(batches.length, `seed ${SEED}: journal ends before ${target}`).toBeGreaterThan(0);
        for (const batch of batches) {
          batch.lines.forEach((line, i) => {
            const sequence = batch.firstSeq + i;
            if (sequence <= replayedSeq || sequence > target) return;
            const { timestampMs, command } = decodeJournalLine<EngineCommand>(line);
            expect(
              JSON.stringify(command),
              `seed ${SEED}: journal ${sequence} is not stream command ${sequence - 1}`,
            ).toBe(JSON.stringify(loadCommand(SEED, sequence - 1)));
            replayed.apply(sequence, timestampMs, command);
            replayedSeq = sequence;
          });
        }
      }
    };
    try {
      for (let round = 0; round <= ROUNDS; round++) {
        const current = run(database.url);
        const ready = await current.ready;
        // Bring the independent replay up to where the child recovered (it is already adding more) and compare.
        await replayTo(ready.lastSeq);
        expect(ready.lastSeq, `seed ${SEED} round ${round}`).toBe(replayedSeq);
        expect(ready.stateHash, `seed ${SEED} round ${round}: recovered state differs from a fresh replay`).toBe(
          replayed.stateHash(),
        );
        replayed.checkInvariants();
        if (ready.snapshotSeq > 0) snapshotsUsed++;
        if (round === ROUNDS) {
          current.child.kill('SIGKILL');
          await current.exited;
          break;
        }
        // Let it run under load for a seeded while, then kill it wherever it is.
        await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(random() * 1_200)));
        current.child.kill('SIGKILL');
        await current.exited;
        const head = await store.lastSequence();
        for (const ack of current.acks) {
          expect(ack.sequence, `seed ${SEED}: ack of command ${ack.index}`).toBe(ack.index + 1);
          expect(
            ack.sequence,
            `seed ${SEED}: acknowledged ${ack.sequence} is not in the journal (head ${head})`,
          ).toBeLessThanOrEqual(head);
        }
        acknowledged += current.acks.length;
      }
      expect(acknowledged, `seed ${SEED}: the load never got going`).toBeGreaterThan(1_000);
      expect(snapshotsUsed, `seed ${SEED}: no restart used a snapshot`).toBeGreaterThan(0);

      // The projections written by followers that were killed mid-flush catch up and match the replay.
      await replayTo(await store.lastSequence());
      replayed.checkInvariants();
      const engine = await Engine.start({ sql: database.sql, follower: 'inline', writerLock: false });
      await engine.settled();
      expect(engine.state.stateHash()).toBe(replayed.stateHash());
      const rows = await database.sql<{ owner_id: string; asset: string; bucket: string; amount: string }[]>`
        select owner_id::text, asset, bucket, amount::text from ledger_balances where owner_id > 0 and amount <> 0`;
      const projected = new Map(rows.map((r) => [`${r.owner_id} ${r.asset} ${r.bucket}`, BigInt(r.amount)]));
      let compared = 0;
      for (let userId = 1; userId <= 16; userId++) {
        for (const balance of replayed.balancesOf(userId)) {
          expect(projected.get(`${userId} ${balance.asset} AVAILABLE`) ?? 0n).toBe(balance.availableMinor);
          expect(projected.get(`${userId} ${balance.asset} LOCKED`) ?? 0n).toBe(balance.lockedMinor);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(16);
      await engine.close();
    } finally {
      await database.close();
    }
    // Five child engines under load, each killed and recovered: about 80 s alone, longer beside other test files.
  }, 300_000);
});
