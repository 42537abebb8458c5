// The follower keeps its own copy of the engine state by re-applying committed journal batches (ADR 0002). It
// writes the projections (orders, trades, transfers, balances) with their watermark, and snapshots its state
// every `snapshotIntervalCommands` so that a restart replays a bounded tail. It never touches the sequencer.
import type { Sql } from 'postgres';
import type { EngineCommand } from '../commands.js';
import type { JournalBatch, JournalStore } from '../journal/journal-store.js';
import { applyBatch, type ReplayedCommand } from '../journal/replay.js';
import {
  followerFlushCommandsMax,
  followerFlushIntervalMs,
  followerQueueBatchesMax,
  recoveryBatchesPerQuery,
  snapshotIntervalCommands,
  snapshotsKept,
} from '../limits.js';
import { EngineState, hashEngineSnapshot } from '../state/engine-state.js';
import { ProjectionBuffer, type BulkWrite } from './projection.js';

export interface FollowerOptions {
  sql: Sql;
  store: JournalStore;
  snapshotIntervalCommands?: number;
  /** Commands gathered before a projection flush. */
  flushCommandsMax?: number;
  /** When caught up, a partial buffer is flushed at most this often (default followerFlushIntervalMs). */
  flushIntervalMs?: number;
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
  private buffer = new ProjectionBuffer();
  /** The flush under way, if any: applying goes on while it commits (at most one at a time). */
  private flushing: Promise<void> | null = null;
  private pumping: Promise<void> | null = null;
  private failure: Error | null = null;
  private lastSnapshotSeq: number;
  /** Batches were dropped because the queue was full: read them back from the journal once it drains. */
  private behind = false;
  private idleWaiters: (() => void)[] = [];
  private lastFlushStartMs = 0;

  private constructor(
    private readonly options: FollowerOptions,
    private readonly bulk: BulkWrite,
    private state: EngineState,
    /** Last sequence applied to `state`. */
    private position: number,
    /** Last sequence whose projection rows are committed. */
    private projectedSeq: number,
  ) {
    this.lastSnapshotSeq = position;
  }

  /** Restores from the newest snapshot at or below the projection watermark; catches up with the journal after. */
  static async start(options: FollowerOptions): Promise<Follower> {
    const projectedSeq = await options.store.projectedSequence();
    const stored = await options.store.latestSnapshot(projectedSeq);
    const state = EngineState.fromStoredSnapshot(stored, followerOptions);
    const follower = new Follower(options, await bulkWriteFor(options.sql), state, stored?.seq ?? 0, projectedSeq);
    // Catching up with the journal happens in the background: the engine serves meanwhile (its own state was
    // recovered separately) and only waits if the lag exceeds its bound.
    follower.behind = true;
    follower.pump();
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

  /**
   * Hands over a committed batch. Batches may overlap what was already applied; a gap, or batches dropped while
   * the queue was full, are read back from the journal, so memory stays bounded however far behind it falls.
   */
  enqueue(batch: JournalBatch): void {
    if (this.failure !== null) return;
    if (this.queue.length >= followerQueueBatchesMax) this.behind = true;
    else this.queue.push(batch);
    this.pump();
  }

  /** Resolves when everything enqueued is applied, projected and flushed. */
  async idle(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (this.pumping === null && this.queue.length === 0 && this.buffer.size === 0 && this.flushing === null) return;
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
        if ((this.queue.length > 0 || this.behind) && this.failure === null) return this.pump();
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const done of waiters) done();
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = this.queue.shift();
      if (batch !== undefined) {
        if (batch.lastSeq <= this.position) continue;
        if (batch.firstSeq > this.position + 1) await this.catchUp(); // a batch was missed: read it back
        await this.process(batch);
        // Let the event loop deliver more batches between two, so flushes group many of them.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      if (this.behind) {
        this.behind = false;
        await this.catchUp();
        continue;
      }
      if (this.buffer.size === 0) break;
      // Caught up with a partial buffer: flush it, but not more often than every flushIntervalMs. Many small
      // transactions cost the database more than few large ones, and that time is taken from the journal's commits.
      const waitMs =
        this.lastFlushStartMs + (this.options.flushIntervalMs ?? followerFlushIntervalMs) - performance.now();
      if (waitMs > 0) {
        await new Promise<void>((resolve) => setTimeout(resolve, waitMs));
        continue;
      }
      await this.startFlush();
    }
    if (this.flushing !== null) await this.flushing;
  }

  /** Applies everything in the journal after the current position, flushing as the buffer fills. */
  private async catchUp(): Promise<void> {
    for (;;) {
      const batches = await this.options.store.read(this.position, recoveryBatchesPerQuery);
      if (batches.length === 0) return;
      for (const batch of batches) {
        // A batch may commit before the one ahead of it (two commits run at once): stop at the gap; the missing
        // batch arrives through enqueue once it is acknowledged.
        if (batch.firstSeq > this.position + 1) return;
        await this.process(batch);
      }
    }
  }

  private async process(batch: JournalBatch): Promise<void> {
    if (batch.lastSeq <= this.position) return;
    const applied = applyBatch<EngineCommand>(batch, this.position, (entry) => this.applyOne(entry));
    this.position = applied.lastSeq;
    const flushMax = this.options.flushCommandsMax ?? followerFlushCommandsMax;
    if (this.buffer.size >= flushMax) await this.startFlush();
  }

  private applyOne(entry: ReplayedCommand<EngineCommand>): void {
    const result = this.state.apply(entry.sequence, entry.timestampMs, entry.command);
    // Below the watermark the rows exist already: re-applying only rebuilds the state.
    if (entry.sequence > this.projectedSeq) this.buffer.add(entry.sequence, entry.timestampMs, result.events);
  }

  /**
   * Hands the current buffer to a flush and goes on applying into a fresh one. The previous flush must finish
   * first, so flushes commit in order and at most two buffers exist. When a snapshot is due it is taken now,
   * while the state is exactly at the buffer's last sequence, and stored once that flush has committed (a
   * snapshot never runs ahead of the projections).
   */
  private async startFlush(): Promise<void> {
    if (this.flushing !== null) await this.flushing;
    const buffer = this.buffer;
    if (buffer.size === 0) return;
    this.buffer = new ProjectionBuffer();
    this.lastFlushStartMs = performance.now();
    for (const asset of this.state.ledgerTrialBalance()) {
      const code = this.state.assetCodes()[asset.assetId - 1]!.asset;
      for (const bucket of SYSTEM_BUCKETS)
        buffer.setSystemBalance(code, bucket, asset.byBucket[bucket], buffer.lastSeq);
    }
    const interval = this.options.snapshotIntervalCommands ?? snapshotIntervalCommands;
    const snapshot = buffer.lastSeq - this.lastSnapshotSeq >= interval ? this.state.snapshot() : null;
    if (snapshot !== null) this.lastSnapshotSeq = buffer.lastSeq;
    const flushing = (async () => {
      this.projectedSeq = await buffer.flush(this.options.sql, this.bulk);
      this.options.onProgress?.(this.projectedSeq);
      if (snapshot !== null) {
        await this.options.store.saveSnapshot(
          { seq: this.projectedSeq, stateHash: hashEngineSnapshot(snapshot), state: snapshot },
          snapshotsKept,
        );
      }
    })();
    this.flushing = flushing;
    flushing.then(
      () => {
        if (this.flushing === flushing) this.flushing = null;
      },
      () => undefined,
    );
  }
}

/** PGlite cannot take COPY FROM STDIN through the wire server (it aborts): it gets INSERTs of unnested arrays. */
const bulkWriteFor = async (sql: Sql): Promise<BulkWrite> => {
  const [row] = await sql<{ version: string }[]>`select version()`;
  return row?.version.includes('PGlite') === true ? 'insert' : 'copy';
};

const followerOptions = { emitTransfers: true, emitBookDeltas: false } as const;
