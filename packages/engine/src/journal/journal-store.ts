// The durable side of the sequencer: journal batches and snapshots in PostgreSQL.
// Raw SQL through postgres.js on purpose: this is the hot path, one statement per group commit.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Sql, ReservedSql } from 'postgres';

/** One committed group of sequenced commands: `lines[i]` holds sequence `firstSeq + i`. */
export interface JournalBatch {
  firstSeq: number;
  lastSeq: number;
  lines: readonly string[];
}

export interface StoredSnapshot {
  seq: number;
  stateHash: string;
  state: unknown;
}

export interface JournalStore {
  /** Highest committed sequence, 0 for an empty journal. */
  lastSequence(): Promise<number>;
  /** Commits one batch; resolves only once it is durable. Rejects if any of its sequences exist already. */
  append(firstSeq: number, lines: readonly string[]): Promise<void>;
  /** Committed batches with `lastSeq > afterSeq`, oldest first, at most `batchesMax` of them. */
  read(afterSeq: number, batchesMax: number): Promise<JournalBatch[]>;
  /** The newest snapshot at or below `seqMax`. */
  latestSnapshot(seqMax: number): Promise<StoredSnapshot | null>;
  saveSnapshot(snapshot: StoredSnapshot, keep: number): Promise<void>;
  /** How far the projections are applied (0 when never). */
  projectedSequence(): Promise<number>;
  /**
   * Deletes every batch after `lastSeq`: at start, what lies beyond the first gap of the journal was committed
   * while an earlier batch failed or was cut off by a crash, so it was never acknowledged and must not be replayed.
   */
  truncateAfter(lastSeq: number): Promise<number>;
}

export class JournalCorruptError extends Error {
  override name = 'JournalCorruptError';
}

/** Splits a batch payload and checks it holds exactly the sequences its row claims. */
export const parseBatchRow = (firstSeq: number, lastSeq: number, count: number, payload: string): JournalBatch => {
  const lines = payload.split('\n');
  if (lines.length !== count || lastSeq - firstSeq + 1 !== count) {
    throw new JournalCorruptError(
      `journal batch ${firstSeq}..${lastSeq} holds ${lines.length} lines, row says ${count}`,
    );
  }
  return { firstSeq, lastSeq, lines };
};

export class PgJournalStore implements JournalStore {
  constructor(private readonly sql: Sql) {}

  async lastSequence(): Promise<number> {
    const rows = await this.sql<{ last: string | null }[]>`select max(last_seq)::text as last from engine_journal`;
    return Number(rows[0]?.last ?? 0);
  }

  async append(firstSeq: number, lines: readonly string[]): Promise<void> {
    const lastSeq = firstSeq + lines.length - 1;
    // No committed batch may overlap this one's range: with the primary key this refuses a second writer that got
    // past the advisory lock. Gaps are allowed: two commits run at once and may land in either order; recovery keeps
    // the journal only up to its first gap.
    const inserted = await this.sql`
      insert into engine_journal (first_seq, last_seq, command_count, payload)
      select ${firstSeq}, ${lastSeq}, ${lines.length}, ${lines.join('\n')}
      where not exists (select 1 from engine_journal where last_seq >= ${firstSeq} and first_seq <= ${lastSeq})`;
    if (inserted.count !== 1) {
      throw Object.assign(new Error(`journal batch ${firstSeq}..${lastSeq} overlaps the journal`), { code: '23505' });
    }
  }

  async read(afterSeq: number, batchesMax: number): Promise<JournalBatch[]> {
    const rows = await this.sql<{ first_seq: string; last_seq: string; command_count: number; payload: string }[]>`
      select first_seq::text, last_seq::text, command_count, payload from engine_journal
      where last_seq > ${afterSeq} order by engine_journal.first_seq limit ${batchesMax}`;
    return rows.map((row) =>
      parseBatchRow(Number(row.first_seq), Number(row.last_seq), row.command_count, row.payload),
    );
  }

  async latestSnapshot(seqMax: number): Promise<StoredSnapshot | null> {
    const rows = await this.sql<{ seq: string; state_hash: string; payload: Buffer }[]>`
      select seq::text, state_hash, payload from engine_snapshots where engine_snapshots.seq <= ${seqMax}
      order by engine_snapshots.seq desc limit 1`;
    const row = rows[0];
    if (row === undefined) return null;
    const state: unknown = JSON.parse(gunzipSync(row.payload).toString('utf8'));
    return { seq: Number(row.seq), stateHash: row.state_hash, state };
  }

  async saveSnapshot(snapshot: StoredSnapshot, keep: number): Promise<void> {
    const payload = gzipSync(Buffer.from(JSON.stringify(snapshot.state), 'utf8'), { level: 1 });
    await this.sql.begin(async (tx) => {
      await tx`insert into engine_snapshots (seq, state_hash, payload) values (${snapshot.seq}, ${snapshot.stateHash}, ${payload})
               on conflict (seq) do nothing`;
      await tx`delete from engine_snapshots where seq not in (select seq from engine_snapshots order by seq desc limit ${keep})`;
    });
  }

  async projectedSequence(): Promise<number> {
    const rows = await this.sql<{ last_seq: string }[]>`select last_seq::text from engine_projection where id = 1`;
    return Number(rows[0]?.last_seq ?? 0);
  }

  async truncateAfter(lastSeq: number): Promise<number> {
    const deleted = await this.sql`delete from engine_journal where first_seq > ${lastSeq}`;
    return deleted.count;
  }
}

export class RulesVersionError extends Error {
  override name = 'RulesVersionError';
}

/**
 * Records the rules version on a new journal, and refuses one written under other rules: replaying it would not
 * reproduce the results that were acknowledged. (A journal from before versions were recorded counts as 1.)
 */
export const checkRulesVersion = async (sql: Sql, rulesVersion: number): Promise<void> => {
  const rows = await sql<{ rules_version: number }[]>`select rules_version from engine_meta where id = 1`;
  let stored = rows[0]?.rules_version;
  if (stored === undefined) {
    const [journal] = await sql<
      { n: string }[]
    >`select count(*)::text as n from (select 1 from engine_journal limit 1) j`;
    if (Number(journal!.n) > 0) stored = 1;
    else await sql`insert into engine_meta (id, rules_version) values (1, ${rulesVersion}) on conflict (id) do nothing`;
  }
  if (stored !== undefined && stored !== rulesVersion) {
    throw new RulesVersionError(
      `this journal was written under engine rules version ${stored}, this build applies version ${rulesVersion}: ` +
        'replaying it could refuse or change commands that were acknowledged. Run a build of that version, or ' +
        'start from a new database (the demo keeps its database in .data/: remove it to start afresh).',
    );
  }
};

/**
 * Holds a session-level advisory lock so that a second engine pointed at the same database refuses to start
 * instead of interleaving sequences. Returns a release function.
 */
export const acquireWriterLock = async (sql: Sql, lockKey = 7_204_551): Promise<() => Promise<void>> => {
  const reserved: ReservedSql = await sql.reserve();
  const rows = await reserved<{ locked: boolean }[]>`select pg_try_advisory_lock(${lockKey}) as locked`;
  if (rows[0]?.locked !== true) {
    reserved.release();
    throw new Error('another engine holds the journal writer lock on this database; refusing to start a second writer');
  }
  return async () => {
    await reserved`select pg_advisory_unlock(${lockKey})`;
    reserved.release();
  };
};
