// Tables the ledger owns: Postgres projections of the transfers the engine journals (DESIGN.md: journal first;
// these are rebuilt exactly from it). Loaded through '@exbox/ledger/schema' only, so the pure core never loads
// drizzle. Enumerations are stored by name (bucket 'AVAILABLE', code 'TRADE_BASE'), never by number, and assets by
// their code ('BTC'): the in-memory ids are the engine's mapping, and the database must outlive a renumbering.
import { sql } from 'drizzle-orm';
import { bigint, check, index, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { Bucket, HoldAction, TransferCode, isUserBucket } from './codes.js';

const bucketNames = Object.keys(Bucket) as (keyof typeof Bucket)[];
const userBucketNames = bucketNames.filter((name) => isUserBucket(Bucket[name]));

/** `'A', 'B'` for an IN list; the names are our own constants, never user input. */
function nameList(names: readonly string[]) {
  return sql.raw(names.map((name) => `'${name}'`).join(', '));
}

/**
 * Append-only: one row per applied transfer, written with the batch that journals the command (`sequence`).
 * Never updated or deleted. Debit and credit share one `asset` column because a transfer moves one asset.
 */
export const ledgerTransfers = pgTable(
  'ledger_transfers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    /** The engine command sequence that produced this transfer. */
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    debitOwnerId: bigint('debit_owner_id', { mode: 'number' }).notNull(),
    debitBucket: text('debit_bucket').notNull(),
    creditOwnerId: bigint('credit_owner_id', { mode: 'number' }).notNull(),
    creditBucket: text('credit_bucket').notNull(),
    asset: text('asset').notNull(),
    amountMinor: numeric('amount', { precision: 38, scale: 0, mode: 'bigint' }).notNull(),
    code: text('code').notNull(),
    /** Order, trade, withdrawal, deposit or adjustment id; 0 = none. */
    reference: bigint('reference', { mode: 'number' }).notNull(),
    holdId: bigint('hold_id', { mode: 'number' }),
    holdAction: text('hold_action'),
    externalKey: text('external_key'),
    memo: text('memo'),
    /** The sequencer's timestamp of the command, not the time of the insert (replay must be byte for byte). */
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    // No full per-account indexes: maintaining two random-order btrees cost 60% of projecting a transfer (measured,
    // docs/BENCHMARKS.md). Current balances are in ledger_balances; a user's history is in orders, trades,
    // deposits and withdrawals; account statements over this audit table are an admin query by reference or range.
    index('ledger_transfers_reference_idx').on(table.reference),
    // A user's deposits, withdrawals and corrections (the portal's wallet history): partial, so the trades and
    // holds that are nearly every row skip them and projecting a transfer costs what it did.
    index('ledger_transfers_money_in_idx')
      .on(table.creditOwnerId, table.id)
      .where(sql`${table.code} IN ('DEPOSIT', 'ADJUSTMENT')`),
    index('ledger_transfers_money_out_idx')
      .on(table.debitOwnerId, table.id)
      .where(sql`${table.code} IN ('WITHDRAWAL_HOLD', 'ADJUSTMENT')`),
    // Partial: almost every transfer has no external key, and those need no index entry.
    uniqueIndex('ledger_transfers_external_key_idx')
      .on(table.externalKey)
      .where(sql`${table.externalKey} IS NOT NULL`),
    check('ledger_transfers_amount_positive', sql`${table.amountMinor} > 0`),
    check(
      'ledger_transfers_accounts_differ',
      sql`${table.debitOwnerId} <> ${table.creditOwnerId} OR ${table.debitBucket} <> ${table.creditBucket}`,
    ),
    check('ledger_transfers_debit_bucket_known', sql`${table.debitBucket} IN (${nameList(bucketNames)})`),
    check('ledger_transfers_credit_bucket_known', sql`${table.creditBucket} IN (${nameList(bucketNames)})`),
    check('ledger_transfers_code_known', sql`${table.code} IN (${nameList(Object.keys(TransferCode))})`),
    check(
      'ledger_transfers_hold_action_known',
      sql`${table.holdAction} IS NULL OR ${table.holdAction} IN (${nameList(Object.keys(HoldAction))})`,
    ),
  ],
);

/**
 * Current balance per account (credits - debits), upserted by the projector; `last_sequence` says which command
 * last changed it. User buckets can never be negative here either (DESIGN.md: engine check + DB constraint).
 */
export const ledgerBalances = pgTable(
  'ledger_balances',
  {
    ownerId: bigint('owner_id', { mode: 'number' }).notNull(),
    asset: text('asset').notNull(),
    bucket: text('bucket').notNull(),
    amountMinor: numeric('amount', { precision: 38, scale: 0, mode: 'bigint' }).notNull(),
    lastSequence: bigint('last_sequence', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ name: 'ledger_balances_pk', columns: [table.ownerId, table.asset, table.bucket] }),
    check('ledger_balances_bucket_known', sql`${table.bucket} IN (${nameList(bucketNames)})`),
    check(
      'ledger_balances_user_non_negative',
      sql`${table.bucket} NOT IN (${nameList(userBucketNames)}) OR ${table.amountMinor} >= 0`,
    ),
    // System buckets belong to owner 0 and user buckets to everyone else, as in the in-memory ledger.
    check(
      'ledger_balances_owner_kind',
      sql`(${table.ownerId} = 0) = (${table.bucket} NOT IN (${nameList(userBucketNames)}))`,
    ),
  ],
);
