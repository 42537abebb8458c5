// A journal kept in memory, for the deterministic simulator and unit tests: it follows the same contract as
// PgJournalStore (a duplicate first sequence is a unique violation) and can be told to fail or stall.
import type { JournalBatch, JournalStore, StoredSnapshot } from './journal-store.js';

export class MemoryJournalStore implements JournalStore {
  readonly batches: JournalBatch[] = [];
  readonly snapshots: StoredSnapshot[] = [];
  projected = 0;
  /** Each append consults this first: return an Error to fail that attempt, or a number of ms to stall it. */
  appendFault: ((firstSeq: number, attempt: number) => Error | number | null) | null = null;
  private attempts = new Map<number, number>();

  lastSequence(): Promise<number> {
    return Promise.resolve(this.batches.at(-1)?.lastSeq ?? 0);
  }

  async append(firstSeq: number, lines: readonly string[]): Promise<void> {
    const attempt = (this.attempts.get(firstSeq) ?? 0) + 1;
    this.attempts.set(firstSeq, attempt);
    const fault = this.appendFault?.(firstSeq, attempt) ?? null;
    if (fault instanceof Error) throw fault;
    if (typeof fault === 'number') await new Promise((resolve) => setTimeout(resolve, fault));
    if (this.batches.some((batch) => batch.firstSeq === firstSeq)) {
      throw Object.assign(new Error(`duplicate key value: first_seq ${firstSeq}`), { code: '23505' });
    }
    const lastSeq = firstSeq + lines.length - 1;
    if (this.batches.some((batch) => batch.lastSeq >= firstSeq && batch.firstSeq <= lastSeq)) {
      throw Object.assign(new Error(`journal batch ${firstSeq}..${lastSeq} overlaps the journal`), { code: '23505' });
    }
    this.batches.push({ firstSeq, lastSeq, lines: [...lines] });
    this.batches.sort((a, b) => a.firstSeq - b.firstSeq);
  }

  read(afterSeq: number, batchesMax: number): Promise<JournalBatch[]> {
    return Promise.resolve(this.batches.filter((batch) => batch.lastSeq > afterSeq).slice(0, batchesMax));
  }

  latestSnapshot(seqMax: number): Promise<StoredSnapshot | null> {
    const candidates = this.snapshots.filter((snapshot) => snapshot.seq <= seqMax);
    return Promise.resolve(candidates.at(-1) ?? null);
  }

  saveSnapshot(snapshot: StoredSnapshot, keep: number): Promise<void> {
    if (!this.snapshots.some((existing) => existing.seq === snapshot.seq)) {
      this.snapshots.push(structuredClone(snapshot));
      this.snapshots.sort((a, b) => a.seq - b.seq);
    }
    this.snapshots.splice(0, Math.max(0, this.snapshots.length - keep));
    return Promise.resolve();
  }

  projectedSequence(): Promise<number> {
    return Promise.resolve(this.projected);
  }

  truncateAfter(lastSeq: number): Promise<number> {
    const kept = this.batches.filter((batch) => batch.firstSeq <= lastSeq);
    const deleted = this.batches.length - kept.length;
    this.batches.splice(0, this.batches.length, ...kept);
    return Promise.resolve(deleted);
  }
}
