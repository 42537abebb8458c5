// Proves the sequencer's contract with a deterministic state machine: sequences are dense and ordered,
// nothing is acknowledged before its batch is durable, batches stay within their bound, a lost commit reply
// is recognised, and a failed journal stops the engine without acknowledging what was not journaled.
import { describe, expect, it } from 'vitest';
import { MemoryJournalStore } from './journal/memory-journal-store.js';
import { decodeJournalLine, Sequencer, SequencerStoppedError, type StateMachine } from './sequencer.js';

/** Sums the values it is given; its result is the running total, so any reordering shows. */
class Summer implements StateMachine<{ add: number }, number> {
  total = 0;
  apply(_sequence: number, _timestampMs: number, command: { add: number }): number {
    this.total += command.add;
    return this.total;
  }
}

const make = (store: MemoryJournalStore, options: { batch?: number; inFlight?: number; clock?: () => number } = {}) => {
  const fatal: Error[] = [];
  const committed: number[] = [];
  const machine = new Summer();
  const sequencer = new Sequencer({
    machine,
    store,
    clock: options.clock ?? (() => 1_000),
    lastSequence: 0,
    lastTimestampMs: 0,
    batchCommandsMax: options.batch ?? 4,
    inFlightCommandsMax: options.inFlight ?? 8,
    onCommitted: (batch) => committed.push(batch.firstSeq),
    onFatal: (error) => fatal.push(error),
  });
  return { sequencer, machine, fatal, committed };
};

describe('Sequencer', () => {
  it('assigns dense sequences in submission order and journals every command', async () => {
    const store = new MemoryJournalStore();
    const { sequencer } = make(store);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => sequencer.submit({ add: i + 1 })));
    expect(results.map((r) => r.sequence)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(results.at(-1)!.result).toBe((50 * 51) / 2);
    const lines = store.batches.flatMap((batch) => batch.lines);
    expect(lines.map((line) => decodeJournalLine<{ add: number }>(line).command.add)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(Math.max(...store.batches.map((batch) => batch.lines.length))).toBeLessThanOrEqual(4);
  });

  it('acknowledges nothing before the batch holding it is committed', async () => {
    const store = new MemoryJournalStore();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    store.appendFault = () => null;
    const originalAppend = store.append.bind(store);
    store.append = async (firstSeq, lines) => {
      await gate;
      return originalAppend(firstSeq, lines);
    };
    const { sequencer } = make(store);
    let acknowledged = false;
    const pending = sequencer.submit({ add: 1 }).then(() => (acknowledged = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acknowledged).toBe(false);
    expect(store.batches).toHaveLength(0);
    release();
    await pending;
    expect(acknowledged).toBe(true);
    expect(store.batches).toHaveLength(1);
  });

  it('keeps timestamps non-decreasing when the wall clock steps back', async () => {
    const store = new MemoryJournalStore();
    const times = [500, 400, 600, 100];
    const { sequencer } = make(store, { clock: () => times.shift() ?? 0 });
    const results = await Promise.all([1, 2, 3, 4].map((add) => sequencer.submit({ add })));
    expect(results.map((r) => r.timestampMs)).toEqual([500, 500, 600, 600]);
  });

  it('waits instead of growing past its in-flight bound, then admits in order', async () => {
    const store = new MemoryJournalStore();
    store.appendFault = () => 5; // every commit stalls 5 ms
    const { sequencer, machine } = make(store, { batch: 2, inFlight: 4 });
    const all = Array.from({ length: 40 }, (_, i) => sequencer.submit({ add: 1 }).then((r) => r.result + i * 0));
    expect(machine.total).toBeLessThanOrEqual(4); // only the in-flight bound was applied synchronously
    const totals = await Promise.all(all);
    expect(totals).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(store.batches.every((batch) => batch.lines.length <= 2)).toBe(true);
  });

  it('acknowledges in sequence order when a later batch commits first, and not at all past a failed one', async () => {
    const store = new MemoryJournalStore();
    // The first batch's commit is slow; the second one lands first.
    store.appendFault = (firstSeq) => (firstSeq === 1 ? 30 : null);
    const { sequencer } = make(store, { batch: 2, inFlight: 8 });
    const order: number[] = [];
    const all = [1, 2, 3, 4].map((add) => sequencer.submit({ add }).then((r) => order.push(r.sequence)));
    await Promise.all(all);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(store.batches.map((b) => b.firstSeq)).toEqual([1, 3]);

    const failing = new MemoryJournalStore();
    failing.appendFault = (firstSeq) => (firstSeq === 1 ? new Error('disk gone') : null);
    const second = make(failing, { batch: 2, inFlight: 8 });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((add) => second.sequencer.submit({ add })));
    // Batch 3..4 may have committed, but it followed a failed batch: it is never acknowledged.
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(second.fatal).toHaveLength(1);
  });

  it('retries a failed commit and accepts its own batch when the first reply was lost', async () => {
    const store = new MemoryJournalStore();
    const original = store.append.bind(store);
    let calls = 0;
    store.append = async (firstSeq, lines) => {
      calls++;
      if (calls === 1) {
        await original(firstSeq, lines); // lands, but the reply is lost
        throw new Error('connection reset');
      }
      return original(firstSeq, lines);
    };
    const { sequencer, fatal } = make(store);
    const result = await sequencer.submit({ add: 7 });
    expect(result.sequence).toBe(1);
    expect(fatal).toHaveLength(0);
    expect(store.batches).toHaveLength(1);
  });

  it('stops, acknowledging nothing unjournaled, when the journal keeps failing', async () => {
    const store = new MemoryJournalStore();
    store.appendFault = () => new Error('disk full');
    const { sequencer, fatal } = make(store);
    const outcomes = await Promise.allSettled([sequencer.submit({ add: 1 }), sequencer.submit({ add: 2 })]);
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(fatal).toHaveLength(1);
    await expect(sequencer.submit({ add: 3 })).rejects.toBeInstanceOf(SequencerStoppedError);
    expect(store.batches).toHaveLength(0);
  });

  it('refuses to continue when another writer took the sequence', async () => {
    const store = new MemoryJournalStore();
    await store.append(1, ['[1,{"add":99}]']);
    const { sequencer, fatal } = make(store); // believes the journal is empty
    await expect(sequencer.submit({ add: 1 })).rejects.toBeInstanceOf(SequencerStoppedError);
    expect(fatal[0]?.message).toMatch(/duplicate/);
  });
});
