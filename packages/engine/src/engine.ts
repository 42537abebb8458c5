// The engine as a running service: recovers its state from the newest snapshot plus the journal tail, then
// sequences commands (acknowledging each once durable) and hands committed batches to the follower and to
// whoever publishes events (the gateway). One writer per database, enforced by an advisory lock.
import type { Sql } from 'postgres';
import type { EngineCommand } from './commands.js';
import { Follower } from './follower/follower.js';
import { FollowerThread, type FollowerHandle } from './follower/follower-thread.js';
import { acquireWriterLock, checkRulesVersion, PgJournalStore, type JournalStore } from './journal/journal-store.js';
import { replayJournal } from './journal/replay.js';
import { projectorLagCommandsMax } from './limits.js';
import { Sequencer, type CommittedBatch, type Sequenced } from './sequencer.js';
import { ENGINE_RULES_VERSION, EngineState } from './state/engine-state.js';
import type { EngineResult } from './state/results.js';

export interface EngineOptions {
  /** Pool for the journal (the sequencer's commits) and recovery reads. */
  sql: Sql;
  /** For the follower thread's own connections; required when follower is 'thread'. */
  databaseUrl?: string;
  /** 'thread' (default): projections and snapshots on a worker thread. 'inline': same thread (tests, tools). */
  follower?: 'thread' | 'inline' | 'none';
  clock?: () => number;
  /** Take the advisory writer lock (default true). */
  writerLock?: boolean;
  snapshotIntervalCommands?: number;
  /** Commands per projection flush (inline follower; tests make it small to exercise pipelined flushes). */
  followerFlushCommandsMax?: number;
  /** How far the follower may lag before submissions wait (default projectorLagCommandsMax). */
  followerLagCommandsMax?: number;
  /** Receives every committed batch, in order, after its commands were acknowledged. */
  onCommitted?: (batch: CommittedBatch<EngineCommand, EngineResult>) => void;
  /** The engine can no longer go on (journal unavailable, a bug): the process should exit and restart. */
  onFatal?: (error: Error) => void;
  /** See SequencerOptions.secondCommitMinCommands. */
  secondCommitMinCommands?: number;
  /** Emit ledger `transfer` events from the sequencer's state too (default false: the follower projects them). */
  emitTransfers?: boolean;
}

export interface RecoveryReport {
  snapshotSeq: number;
  replayedCommands: number;
  lastSeq: number;
  elapsedMs: number;
}

export class Engine {
  private projectedSeq = 0;
  private closed = false;

  private constructor(
    readonly state: EngineState,
    private readonly sequencer: Sequencer<EngineCommand, EngineResult>,
    private follower: FollowerHandle | null,
    private readonly releaseLock: (() => Promise<void>) | null,
    readonly recovery: RecoveryReport,
  ) {}

  static async start(options: EngineOptions): Promise<Engine> {
    const startedMs = performance.now();
    const clock = options.clock ?? Date.now;
    const releaseLock = options.writerLock === false ? null : await acquireWriterLock(options.sql);
    try {
      await checkRulesVersion(options.sql, ENGINE_RULES_VERSION);
      const store = new PgJournalStore(options.sql);
      const { state, snapshotSeq, lastSeq, lastTimestampMs } = await recoverState(
        store,
        options.emitTransfers ?? false,
      );
      // Batches beyond a gap were committed but never acknowledged; the next batch will reuse their sequences.
      await store.truncateAfter(lastSeq);
      let engine: Engine | null = null;
      let fatal: Error | null = null;
      const onFatal = (error: Error) => {
        fatal = error;
        options.onFatal?.(error);
      };
      const sequencer = new Sequencer<EngineCommand, EngineResult>({
        machine: state,
        store,
        clock,
        lastSequence: lastSeq,
        lastTimestampMs,
        ...(options.secondCommitMinCommands === undefined
          ? {}
          : { secondCommitMinCommands: options.secondCommitMinCommands }),
        onFatal,
        onCommitted: (batch) => {
          engine?.follower?.enqueue({
            firstSeq: batch.firstSeq,
            lastSeq: batch.firstSeq + batch.lines.length - 1,
            lines: batch.lines,
          });
          options.onCommitted?.(batch);
        },
      });
      const lagMax = options.followerLagCommandsMax ?? projectorLagCommandsMax;
      const onProgress = (projectedSeq: number) => {
        if (engine === null) return;
        engine.projectedSeq = projectedSeq;
        sequencer.poke();
      };
      const onFollowerError = (error: Error) =>
        onFatal(new Error(`follower failed: ${error.message}`, { cause: error }));
      engine = new Engine(state, sequencer, null, releaseLock, {
        snapshotSeq,
        replayedCommands: lastSeq - snapshotSeq,
        lastSeq,
        elapsedMs: 0,
      });
      const mode = options.follower ?? 'thread';
      if (mode !== 'none') {
        sequencer.setAdmissionGate(() => sequencer.lastSequence - (engine?.projectedSeq ?? 0) < lagMax);
        engine.follower =
          mode === 'inline'
            ? await startInlineFollower(options, store, onProgress, onFollowerError)
            : await FollowerThread.start({
                databaseUrl: options.databaseUrl ?? missing('databaseUrl is required for a follower thread'),
                ...(options.snapshotIntervalCommands === undefined
                  ? {}
                  : { snapshotIntervalCommands: options.snapshotIntervalCommands }),
                onProgress,
                onError: onFollowerError,
              });
      }
      if (fatal !== null) throw fatal;
      engine.recovery.elapsedMs = Math.round(performance.now() - startedMs);
      return engine;
    } catch (error) {
      await releaseLock?.();
      throw error;
    }
  }

  /** Sequences, applies and journals one command; resolves with its result once durable. */
  submit(command: EngineCommand): Promise<Sequenced<EngineResult>> {
    if (this.closed) return Promise.reject(new Error('engine is closed'));
    return this.sequencer.submit(command);
  }

  get lastSequence(): number {
    return this.sequencer.lastSequence;
  }

  get committedSequence(): number {
    return this.sequencer.committedSequence;
  }

  get projectedSequence(): number {
    return this.projectedSeq;
  }

  /** Resolves once everything submitted so far is committed. */
  drain(): Promise<void> {
    return this.sequencer.drain();
  }

  /** Resolves once everything committed so far is also projected (history tables are current). */
  async settled(): Promise<void> {
    await this.sequencer.drain();
    await this.follower?.idle();
  }

  /** Stops accepting commands, waits for commits and projections, stops the follower and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.sequencer.drain();
    } finally {
      await this.follower?.close();
      await this.releaseLock?.();
    }
  }
}

/** Rebuilds the sequencer's state: the newest snapshot, proven by its hash, then every journaled command after it. */
export const recoverState = async (
  store: JournalStore,
  emitTransfers = false,
): Promise<{ state: EngineState; snapshotSeq: number; lastSeq: number; lastTimestampMs: number }> => {
  const stored = await store.latestSnapshot(Number.MAX_SAFE_INTEGER);
  const state = EngineState.fromStoredSnapshot(stored, { emitTransfers, emitBookDeltas: true });
  const snapshotSeq = stored?.seq ?? 0;
  const replayed = await replayJournal<EngineCommand>(store, snapshotSeq, (entry) => {
    state.apply(entry.sequence, entry.timestampMs, entry.command);
  });
  return { state, snapshotSeq, lastSeq: replayed.lastSeq, lastTimestampMs: replayed.lastTimestampMs };
};

const startInlineFollower = async (
  options: EngineOptions,
  store: JournalStore,
  onProgress: (projectedSeq: number) => void,
  onError: (error: Error) => void,
): Promise<FollowerHandle> => {
  const follower = await Follower.start({
    sql: options.sql,
    store,
    ...(options.snapshotIntervalCommands === undefined
      ? {}
      : { snapshotIntervalCommands: options.snapshotIntervalCommands }),
    ...(options.followerFlushCommandsMax === undefined ? {} : { flushCommandsMax: options.followerFlushCommandsMax }),
    onProgress,
    onError,
  });
  onProgress(follower.projectedSequence);
  return { enqueue: (batch) => follower.enqueue(batch), idle: () => follower.idle(), close: () => follower.idle() };
};

const missing = (message: string): never => {
  throw new Error(message);
};
