// Proves the drizzle tables are what the projector and the DESIGN's "DB constraint" rely on, by generating their
// DDL with drizzle-kit and running it on an embedded Postgres (PGlite): user buckets refuse negative balances,
// system buckets may go negative (CUSTODY does), owners and buckets must be of the same kind, transfers must be
// positive between two different accounts with known names, and external keys are unique.
import { PGlite } from '@electric-sql/pglite';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from './schema.js';

describe('ledger schema', () => {
  let db: PGlite;

  beforeAll(async () => {
    db = new PGlite();
    const empty = generateDrizzleJson({});
    const current = generateDrizzleJson(schema);
    for (const statement of await generateMigration(empty, current)) await db.exec(statement);
  });

  afterAll(async () => {
    await db.close();
  });

  it('declares the two tables with their keys', () => {
    const transfers = getTableConfig(schema.ledgerTransfers);
    const balances = getTableConfig(schema.ledgerBalances);
    expect(transfers.name).toBe('ledger_transfers');
    expect(transfers.columns.find((column) => column.name === 'id')?.primary).toBe(true);
    expect(transfers.columns.find((column) => column.name === 'amount')?.getSQLType()).toBe('numeric(38, 0)');
    expect(balances.name).toBe('ledger_balances');
    expect(balances.primaryKeys[0]?.columns.map((column) => column.name)).toEqual(['owner_id', 'asset', 'bucket']);
  });

  const balance = (owner: number, bucket: string, amount: string) =>
    db.query(
      `INSERT INTO ledger_balances (owner_id, asset, bucket, amount, last_sequence) VALUES ($1, 'BTC', $2, $3, 1)`,
      [owner, bucket, amount],
    );

  it('keeps user balances non-negative and lets system accounts go negative', async () => {
    await balance(1, 'AVAILABLE', '0');
    await balance(2, 'LOCKED', '5');
    await balance(0, 'CUSTODY', '-5');
    await expect(balance(3, 'AVAILABLE', '-1')).rejects.toThrow(/ledger_balances_user_non_negative/);
    await expect(balance(3, 'WITHDRAWING', '-1')).rejects.toThrow(/ledger_balances_user_non_negative/);
    await expect(balance(0, 'AVAILABLE', '1')).rejects.toThrow(/ledger_balances_owner_kind/);
    await expect(balance(4, 'FEES', '1')).rejects.toThrow(/ledger_balances_owner_kind/);
    await expect(balance(4, 'SAVINGS', '1')).rejects.toThrow(/ledger_balances_bucket_known/);
    await expect(balance(1, 'AVAILABLE', '2')).rejects.toThrow(/ledger_balances_pk|duplicate key/);
    await balance(5, 'AVAILABLE', '9'.repeat(38));
    await expect(balance(6, 'AVAILABLE', '1' + '0'.repeat(38))).rejects.toThrow(/overflow/);
  });

  const transfer = (id: number, values: Partial<Record<string, string | number | null>> = {}) => {
    const row = {
      id,
      sequence: 1,
      debit_owner_id: 0,
      debit_bucket: 'CUSTODY',
      credit_owner_id: 1,
      credit_bucket: 'AVAILABLE',
      asset: 'BTC',
      amount: '10',
      code: 'DEPOSIT',
      reference: 0,
      hold_id: null,
      hold_action: null,
      external_key: null,
      memo: null,
      created_at: '2025-01-01T00:00:00Z',
      ...values,
    };
    const columns = Object.keys(row);
    return db.query(
      `INSERT INTO ledger_transfers (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(row),
    );
  };

  it('accepts well-formed transfers and refuses malformed ones', async () => {
    await transfer(1, { external_key: 'btc:tx1:0' });
    await transfer(2, {
      debit_owner_id: 1,
      debit_bucket: 'AVAILABLE',
      credit_bucket: 'LOCKED',
      code: 'ORDER_HOLD',
      hold_id: 7,
      hold_action: 'CREATE',
    });
    await expect(transfer(1)).rejects.toThrow(/duplicate key/);
    await expect(transfer(3, { external_key: 'btc:tx1:0' })).rejects.toThrow(/ledger_transfers_external_key_idx/);
    await expect(transfer(4, { amount: '0' })).rejects.toThrow(/ledger_transfers_amount_positive/);
    await expect(transfer(5, { debit_owner_id: 1, debit_bucket: 'AVAILABLE' })).rejects.toThrow(
      /ledger_transfers_accounts_differ/,
    );
    await expect(transfer(6, { code: 'GIFT' })).rejects.toThrow(/ledger_transfers_code_known/);
    await expect(transfer(7, { credit_bucket: 'SAVINGS' })).rejects.toThrow(/ledger_transfers_credit_bucket_known/);
    await expect(transfer(8, { hold_action: 'STEAL' })).rejects.toThrow(/ledger_transfers_hold_action_known/);
  });
});
