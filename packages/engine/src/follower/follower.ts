// The follower keeps its own copy of the engine state by re-applying committed journal batches (ADR 0002). It
// writes the projections (orders, trades, transfers, balances) with their watermark, and snapshots its state
// every `snapshotIntervalCommands` so that a restart replays a bounded tail. It never touches the sequencer.
import type { Sql } from 'postgres';
import type { EngineCommand } from '../commands.js';
import type { JournalBatch, JournalStore } from '../journal/journal-store.js';
import { applyBatch, replayJournal, type ReplayedCommand } from '../journal/replay.js';
import { projectorLagCommandsMax, snapshotIntervalCommands, snapshotsKept } from '../limits.js';
import { EngineState, type EngineSnapshot } from '../state/engine-state.js';
import { ProjectionBuffer } from './projection.js';

export interface FollowerOptions {
  sql: Sql;
  store: JournalStore;
  snapshotIntervalCommands?: number;
  /** Commands gathered before a projection flush; also flushed whenever the follower catches up. */
  flushCommandsMax?: number;
  onProgress?: (projectedSeq: number) => void;
  onError?: (error: Error) => void;
}

const SYSTEM_BUCKETS = [
  'FEES',
  'CUSTODY',
  'DEPOSITS_IN_FLIGHT',
  'WITHDRAWALS_IN_FLIGHT',
  'ADJUSTMENTS',
  'INSURANCE',
] as const;

export class Follower {
  private readonly queue: JournalBatch[] = [];
  private readonly buffer = new ProjectionBuffer();
  private pumping: Promise<void> | null = null;
  private failure: Error | null = null;
  private lastSnapshotSeq: number;
  private idleWaiters: (() => void)[] = [];

  private constructor(
    private readonly options: FollowerOptions,
    private state: EngineState,
    /** Last sequence applied to `state`. */
    private position: number,
    /** Last sequence whose projection rows are committed. */
    private projectedSeq: number,
  ) {
    this.lastSnapshotSeq = position;
  }

  /** Restores from the newest snapshot at or below the projection watermark and catches up with the journal. */
  static async start(options: FollowerOptions): Promise<Follower> {
    const projectedSeq = await options.store.projectedSequence();
    const stored = await options.store.latestSnapshot(projectedSeq);
    const state =
      stored === null ? newFollowerState() : restoreFollowerState(stored.state as EngineSnapshot, stored.stateHash);
    const follower = new Follower(options, state, stored?.seq ?? 0, projectedSeq);
    await follower.catchUp();
    return follower;
  }

  get appliedSequence(): number {
    return this.position;
  }

  get projectedSequence(): number {
    return this.projectedSeq;
  }

  /** The follower's state (tests compare it with the sequencer's). */
  get engineState(): EngineState {
    return this.state;
  }

  /** Hands over a committed batch; batches may overlap what was already applied, gaps are read from the journal. */
  enqueue(batch: JournalBatch): void {
    if (this.failure !== null) return;
    this.queue.push(batch);
    this.pump();
  }

  /** Resolves when everything enqueued is applied, projected and flushed. */
  async idle(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (this.pumping === null && this.queue.length === 0 && this.buffer.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (this.failure !== null) throw this.failure;
  }

  private pump(): void {
    if (this.pumping !== null) return;
    this.pumping = this.drain()
      .catch((error: unknown) => {
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.options.onError?.(this.failure);
      })
      .finally(() => {
        this.pumping = null;
        if (this.queue.length > 0 && this.failure === null) return this.pump();
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const done of waiters) done();
      });
  }

  private async drain(): Promise<void> {
    const flushMax = this.options.flushCommandsMax ?? Math.min(20_000, projectorLagCommandsMax / 4);
    while (this.queue.length > 0) {
      const batch = this.queue.shift()!;
      if (batch.lastSeq <= this.position) continue;
      if (batch.firstSeq > this.position + 1) await this.catchUp(); // a batch was missed: read it back
      if (batch.lastSeq <= this.position) continue;
      const applied = applyBatch<EngineCommand>(batch, this.position, (entry) => this.applyOne(entry));
      this.position = applied.lastSeq;
      if (this.buffer.size >= flushMax) await this.flush();
      // Let the event loop deliver more batches between two, so flushes group many of them.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await this.flush();
  }

  private async catchUp(): Promise<void> {
    const result = await replayJournal<EngineCommand>(this.options.store, this.position, (entry) =>
      this.applyOne(entry),
    );
    this.position = result.lastSeq;
    await this.flush();
  }

  private applyOne(entry: ReplayedCommand<EngineCommand>): void {
    const result = this.state.apply(entry.sequence, entry.timestampMs, entry.command);
    // Below the watermark the rows exist already: re-applying only rebuilds the state.
    if (entry.sequence > this.projectedSeq) this.buffer.add(entry.sequence, entry.timestampMs, result.events);
  }

  private async flush(): Promise<void> {
    if (this.buffer.size > 0) {
      for (const asset of this.state.ledgerTrialBalance()) {
        const code = this.state.assetCodes()[asset.assetId - 1]!.asset;
        for (const bucket of SYSTEM_BUCKETS)
          this.buffer.setSystemBalance(code, bucket, asset.byBucket[bucket], this.buffer.lastSeq);
      }
      this.projectedSeq = await this.buffer.flush(this.options.sql);
      this.options.onProgress?.(this.projectedSeq);
    }
    const interval = this.options.snapshotIntervalCommands ?? snapshotIntervalCommands;
    // Snapshot only what is projected, so a restart from it never skips projection rows.
    if (this.position === this.projectedSeq && this.position - this.lastSnapshotSeq >= interval) {
      const snapshot = this.state.snapshot();
      await this.options.store.saveSnapshot(
        { seq: this.position, stateHash: this.state.stateHash(), state: snapshot },
        snapshotsKept,
      );
      this.lastSnapshotSeq = this.position;
    }
  }
}

const followerOptions = { emitTransfers: true, emitBookDeltas: false } as const;

const newFollowerState = (): EngineState => new EngineState(followerOptions);

/** Restores a snapshot and proves it whole: its recomputed hash must equal the one stored beside it. */
export const restoreFollowerState = (
  snapshot: EngineSnapshot,
  stateHash: string,
  options = followerOptions,
): EngineState => {
  const state = EngineState.restore(snapshot, options);
  const actual = state.stateHash();
  if (actual !== stateHash) throw new Error(`snapshot hash mismatch: stored ${stateHash}, restored ${actual}`);
  return state;
};
