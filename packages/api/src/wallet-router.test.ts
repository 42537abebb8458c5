// Proves wallet.history on PostgreSQL (or PGlite): a signed-in user sees their own deposits, withdrawals (pending,
// settled with a fee, given back) and balance corrections, newest first, with amounts in the asset's decimals,
// and nothing else: not their order holds and trades, not another user's deposits or withdrawals, not the
// exchange's own system moves. The ledger rows are written here as packages/ledger writes them (deposit,
// holdWithdrawal, settleWithdrawal, releaseWithdrawal, adjust, an order hold and a trade), so the test checks the
// router against the ledger's recording conventions rather than against itself. Signed-out callers are refused.
import { MasterKeyring } from '@exbox/auth';
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTraderContext } from './context.js';
import { createTraderCaller } from './root.js';
import { walletHistoryLimitMax } from './routers/wallet.js';

let database: TestDatabase;
const keyring = new MasterKeyring(Buffer.alloc(32, 9));
const ORIGIN = 'https://portal.example';
const password = 'correct horse battery';

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const contextWith = (cookie?: string) =>
  createTraderContext({
    sql: database.sql,
    keyring,
    headers: new Headers({ origin: ORIGIN, host: 'portal.example', ...(cookie === undefined ? {} : { cookie }) }),
    ip: '10.2.2.2',
    linkBaseUrl: ORIGIN,
    demoMailbox: true,
  });

let serial = 0;
/** A verified, signed-in portal account: its user id and a caller carrying its session cookie. */
async function signedInUser() {
  const anonymous = createTraderCaller(await contextWith());
  const email = `wallet${++serial}@example.com`;
  await anonymous.auth.signUp({ email, password });
  const [mail] = await anonymous.mailbox.list({ to: email });
  await anonymous.auth.verifyEmail({ token: /enter this code: (\S+)/.exec(mail?.body ?? '')?.[1] ?? '' });
  const loginContext = await contextWith();
  await createTraderCaller(loginContext).auth.login({ email, password });
  const cookie = loginContext.cookies.written[0]?.split(';')[0];
  const caller = createTraderCaller(await contextWith(cookie));
  const me = await caller.auth.me();
  return { userId: me!.id, caller };
}

let transferId = 0;
let sequence = 0;
/** One ledger_transfers row, as the engine's projection writes it. */
async function transfer(row: {
  debit: [number, string];
  credit: [number, string];
  asset: string;
  amountMinor: bigint;
  code: string;
  reference: number;
  holdId?: number;
  holdAction?: string;
  externalKey?: string;
  memo?: string;
  at: string;
}) {
  const id = ++transferId;
  await database.sql`
    insert into ledger_transfers (id, sequence, debit_owner_id, debit_bucket, credit_owner_id, credit_bucket, asset,
      amount, code, reference, hold_id, hold_action, external_key, memo, created_at)
    values (${id}, ${++sequence}, ${row.debit[0]}, ${row.debit[1]}, ${row.credit[0]}, ${row.credit[1]}, ${row.asset},
      ${row.amountMinor.toString()}, ${row.code}, ${row.reference}, ${row.holdId ?? null}, ${row.holdAction ?? 'NONE'},
      ${row.externalKey ?? null}, ${row.memo ?? null}, ${row.at})`;
  return id;
}

const SYSTEM = 0;
const deposit = (userId: number, asset: string, amountMinor: bigint, depositId: string, at: string) =>
  transfer({
    debit: [SYSTEM, 'CUSTODY'],
    credit: [userId, 'AVAILABLE'],
    asset,
    amountMinor,
    code: 'DEPOSIT',
    reference: sequence + 1,
    externalKey: `deposit:${depositId}`,
    at,
  });
const holdWithdrawal = (userId: number, holdId: number, asset: string, amountMinor: bigint, at: string) =>
  transfer({
    debit: [userId, 'AVAILABLE'],
    credit: [userId, 'WITHDRAWING'],
    asset,
    amountMinor,
    code: 'WITHDRAWAL_HOLD',
    reference: holdId,
    holdId,
    holdAction: 'CREATE',
    at,
  });
async function settleWithdrawal(
  userId: number,
  holdId: number,
  asset: string,
  payoutMinor: bigint,
  feeMinor: bigint,
  at: string,
) {
  await transfer({
    debit: [userId, 'WITHDRAWING'],
    credit: [SYSTEM, 'WITHDRAWALS_IN_FLIGHT'],
    asset,
    amountMinor: payoutMinor,
    code: 'WITHDRAWAL_SETTLE',
    reference: holdId,
    holdId,
    holdAction: 'POST',
    at,
  });
  if (feeMinor > 0n)
    await transfer({
      debit: [userId, 'WITHDRAWING'],
      credit: [SYSTEM, 'FEES'],
      asset,
      amountMinor: feeMinor,
      code: 'WITHDRAWAL_FEE',
      reference: holdId,
      holdId,
      holdAction: 'POST',
      at,
    });
  // The exchange's own confirmation that the coins left custody: system accounts only.
  await transfer({
    debit: [SYSTEM, 'WITHDRAWALS_IN_FLIGHT'],
    credit: [SYSTEM, 'CUSTODY'],
    asset,
    amountMinor: payoutMinor,
    code: 'WITHDRAWAL_CONFIRM',
    reference: holdId,
    at,
  });
}
const releaseWithdrawal = (userId: number, holdId: number, asset: string, amountMinor: bigint, at: string) =>
  transfer({
    debit: [userId, 'WITHDRAWING'],
    credit: [userId, 'AVAILABLE'],
    asset,
    amountMinor,
    code: 'WITHDRAWAL_RELEASE',
    reference: holdId,
    holdId,
    holdAction: 'RELEASE',
    at,
  });
const adjust = (userId: number, asset: string, deltaMinor: bigint, at: string) =>
  transfer({
    debit: deltaMinor > 0n ? [SYSTEM, 'ADJUSTMENTS'] : [userId, 'AVAILABLE'],
    credit: deltaMinor > 0n ? [userId, 'AVAILABLE'] : [SYSTEM, 'ADJUSTMENTS'],
    asset,
    amountMinor: deltaMinor > 0n ? deltaMinor : -deltaMinor,
    code: 'ADJUSTMENT',
    reference: sequence + 1,
    memo: 'staff 7: correction of a misbooked deposit',
    at,
  });
/** An order hold and a trade between two users: trading, not wallet history. */
async function trade(buyerId: number, sellerId: number, holdId: number, at: string) {
  await transfer({
    debit: [buyerId, 'AVAILABLE'],
    credit: [buyerId, 'LOCKED'],
    asset: 'USDT',
    amountMinor: 4_300_000_000_000n,
    code: 'ORDER_HOLD',
    reference: holdId,
    holdId,
    holdAction: 'CREATE',
    at,
  });
  await transfer({
    debit: [sellerId, 'AVAILABLE'],
    credit: [buyerId, 'AVAILABLE'],
    asset: 'BTC',
    amountMinor: 100_000_000n,
    code: 'TRADE_BASE',
    reference: 900 + holdId,
    at,
  });
  await transfer({
    debit: [buyerId, 'LOCKED'],
    credit: [sellerId, 'AVAILABLE'],
    asset: 'USDT',
    amountMinor: 4_300_000_000_000n,
    code: 'TRADE_QUOTE',
    reference: 900 + holdId,
    holdId,
    holdAction: 'POST',
    at,
  });
}

describe('wallet.history', () => {
  it("lists the user's own deposits, withdrawals and corrections, newest first, and nobody else's", async () => {
    const alice = await signedInUser();
    const bob = await signedInUser();
    const a = alice.userId;
    const b = bob.userId;

    await deposit(a, 'BTC', 150_000_000n, 'btc-tx-1:0', '2026-01-01T10:00:00Z');
    await deposit(b, 'BTC', 999_000_000n, 'btc-tx-2:0', '2026-01-01T10:00:01Z');
    await deposit(a, 'USDT', 1_000_000_000_000n, 'bank-ref-77', '2026-01-01T10:01:00Z');
    await trade(a, b, 5001, '2026-01-01T10:02:00Z');
    await holdWithdrawal(a, 5002, 'BTC', 50_000_000n, '2026-01-01T10:03:00Z');
    await holdWithdrawal(b, 5003, 'BTC', 10_000_000n, '2026-01-01T10:03:30Z');
    await settleWithdrawal(a, 5002, 'BTC', 49_950_000n, 50_000n, '2026-01-01T10:04:00Z');
    await holdWithdrawal(a, 5004, 'USDT', 20_000_000_000n, '2026-01-01T10:05:00Z');
    await releaseWithdrawal(a, 5004, 'USDT', 20_000_000_000n, '2026-01-01T10:06:00Z');
    await settleWithdrawal(b, 5003, 'BTC', 10_000_000n, 0n, '2026-01-01T10:06:30Z');
    await adjust(a, 'ETH', 5n, '2026-01-01T10:07:00Z');
    await adjust(a, 'USDT', -250_000_000n, '2026-01-01T10:08:00Z');
    await holdWithdrawal(a, 5005, 'ETH', 3n, '2026-01-01T10:09:00Z');

    const history = await alice.caller.wallet.history();
    expect(
      history.map(({ kind, asset, amount, fee, status, reference }) => [kind, asset, amount, fee, status, reference]),
    ).toEqual([
      ['WITHDRAWAL', 'ETH', '0.00000003', '0', 'PENDING', '5005'],
      ['ADJUSTMENT', 'USDT', '-2.5', '0', 'COMPLETED', null],
      ['ADJUSTMENT', 'ETH', '0.00000005', '0', 'COMPLETED', null],
      ['WITHDRAWAL', 'USDT', '200', '0', 'CANCELLED', '5004'],
      ['WITHDRAWAL', 'BTC', '0.5', '0.0005', 'COMPLETED', '5002'],
      ['DEPOSIT', 'USDT', '10000', '0', 'COMPLETED', 'bank-ref-77'],
      ['DEPOSIT', 'BTC', '1.5', '0', 'COMPLETED', 'btc-tx-1:0'],
    ]);
    const settled = history.find((entry) => entry.id === 'withdrawal:5002');
    expect(settled).toMatchObject({ createdAt: '2026-01-01T10:03:00.000Z', updatedAt: '2026-01-01T10:04:00.000Z' });
    expect(history.find((entry) => entry.id === 'withdrawal:5005')?.updatedAt).toBe('2026-01-01T10:09:00.000Z');
    expect(new Set(history.map((entry) => entry.id)).size).toBe(history.length);

    const bobs = await bob.caller.wallet.history();
    expect(bobs.map(({ kind, amount, status, reference }) => [kind, amount, status, reference])).toEqual([
      ['WITHDRAWAL', '0.1', 'COMPLETED', '5003'],
      ['DEPOSIT', '9.99', 'COMPLETED', 'btc-tx-2:0'],
    ]);

    expect((await alice.caller.wallet.history({ limit: 2 })).map((entry) => entry.id)).toEqual([
      'withdrawal:5005',
      history[1]!.id,
    ]);
  });

  it('is empty for a new account, and refuses signed-out callers and bad limits', async () => {
    const carol = await signedInUser();
    expect(await carol.caller.wallet.history()).toEqual([]);
    const anonymous = createTraderCaller(await contextWith());
    await expect(anonymous.wallet.history()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(carol.caller.wallet.history({ limit: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(carol.caller.wallet.history({ limit: walletHistoryLimitMax + 1 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
