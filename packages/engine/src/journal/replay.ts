// Reading the journal back: recovery and the follower both apply committed commands in sequence order.
import { recoveryBatchesPerQuery } from '../limits.js';
import { decodeJournalLine } from '../sequencer.js';
import type { JournalBatch, JournalStore } from './journal-store.js';

export interface ReplayedCommand<C> {
  sequence: number;
  timestampMs: number;
  command: C;
}

/** Calls `apply` for every journaled command with a sequence above `afterSeq`, in order; returns the last one. */
export const replayJournal = async <C>(
  store: JournalStore,
  afterSeq: number,
  apply: (entry: ReplayedCommand<C>) => void,
): Promise<{ lastSeq: number; lastTimestampMs: number }> => {
  let position = afterSeq;
  let lastTimestampMs = 0;
  for (;;) {
    const batches = await store.read(position, recoveryBatchesPerQuery);
    if (batches.length === 0) return { lastSeq: position, lastTimestampMs };
    for (const batch of batches) {
      // A gap ends the journal: what follows was never acknowledged (see Sequencer.flush).
      if (batch.firstSeq > position + 1) return { lastSeq: position, lastTimestampMs };
      const result = applyBatch(batch, position, apply);
      position = result.lastSeq;
      if (result.lastTimestampMs > 0) lastTimestampMs = result.lastTimestampMs;
    }
  }
};

/** Applies the lines of one batch above `position`; a gap between `position` and the batch is corruption. */
export const applyBatch = <C>(
  batch: JournalBatch,
  position: number,
  apply: (entry: ReplayedCommand<C>) => void,
): { lastSeq: number; lastTimestampMs: number } => {
  if (batch.firstSeq > position + 1) {
    throw new Error(`journal gap: expected sequence ${position + 1}, batch starts at ${batch.firstSeq}`);
  }
  let lastTimestampMs = 0;
  for (let i = Math.max(0, position + 1 - batch.firstSeq); i < batch.lines.length; i++) {
    const { timestampMs, command } = decodeJournalLine<C>(batch.lines[i]!);
    apply({ sequence: batch.firstSeq + i, timestampMs, command });
    lastTimestampMs = timestampMs;
  }
  return { lastSeq: Math.max(position, batch.lastSeq), lastTimestampMs };
};
