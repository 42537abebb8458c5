// Proves each ledger operation does exactly its documented movement and that every attack on it is refused with
// the right result code and leaves no trace: overdraws, double-spent and double-posted holds, voids after a full
// post, zero and negative amounts, replayed ids and idempotency keys, and linked sets failing midway. After every
// scenario the full invariant check runs, and refusals are checked to change neither the state hash nor the sink.
import { describe, expect, it } from 'vitest';
import {
  AMOUNT_MAX_MINOR,
  Bucket,
  HoldAction,
  LINKED_TRANSFERS_MAX,
  Ledger,
  LedgerInvariantError,
  ResultCode,
  SYSTEM_OWNER_ID,
  TransferCode,
  resultCodeName,
} from './index.js';
import type { ResultCode as ResultCodeValue, Transfer, TransferInput } from './index.js';

const BTC = 1;
const USDT = 2;
const ALICE = 101;
const BOB = 102;

function setup() {
  const emitted: Transfer[] = [];
  const ledger = new Ledger({ sink: (transfer) => emitted.push(transfer) });
  let nextId = 1;
  const id = (count = 1): number => {
    const first = nextId;
    nextId += count;
    return first;
  };
  const fund = (ownerId: number, assetId: number, amountMinor: bigint): void => {
    const transferId = id();
    expectOk(ledger.deposit({ transferId, ownerId, assetId, amountMinor, externalKey: `fund-${transferId}` }));
  };
  return { ledger, emitted, id, fund };
}

function expectOk(result: ResultCodeValue): void {
  expect(resultCodeName(result)).toBe('OK');
}

function expectResult(result: ResultCodeValue, expected: ResultCodeValue): void {
  expect(resultCodeName(result)).toBe(resultCodeName(expected));
}

/** Runs a refused operation and proves it changed nothing: same state hash, nothing emitted, invariants hold. */
function expectRefused(context: ReturnType<typeof setup>, expected: ResultCodeValue, run: () => ResultCodeValue) {
  const hashBefore = context.ledger.stateHash();
  const emittedBefore = context.emitted.length;
  expectResult(run(), expected);
  expect(context.ledger.stateHash()).toBe(hashBefore);
  expect(context.emitted.length).toBe(emittedBefore);
  context.ledger.checkInvariants();
}

describe('deposit', () => {
  it('credits AVAILABLE from CUSTODY, which goes negative by the same amount', () => {
    const { ledger, emitted, id } = setup();
    expectOk(ledger.deposit({ transferId: id(), ownerId: ALICE, assetId: BTC, amountMinor: 150n, externalKey: 'tx1' }));
    expect(ledger.balance(ALICE, BTC, Bucket.AVAILABLE)).toBe(150n);
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.CUSTODY)).toBe(-150n);
    expect(emitted).toEqual([
      {
        id: 1,
        debitOwnerId: SYSTEM_OWNER_ID,
        debitBucket: Bucket.CUSTODY,
        creditOwnerId: ALICE,
        creditBucket: Bucket.AVAILABLE,
        assetId: BTC,
        amountMinor: 150n,
        code: TransferCode.DEPOSIT,
        reference: 0,
        holdId: 0,
        holdAction: HoldAction.NONE,
        externalKey: 'tx1',
        memo: null,
      },
    ]);
    expect(ledger.hasExternalKey('tx1')).toBe(true);
    ledger.checkInvariants();
  });

  it('refuses a replayed external key, even under a fresh transfer id', () => {
    const context = setup();
    const { ledger, id } = context;
    expectOk(ledger.deposit({ transferId: id(), ownerId: ALICE, assetId: BTC, amountMinor: 5n, externalKey: 'tx1' }));
    expectRefused(context, ResultCode.EXTERNAL_KEY_ALREADY_USED, () =>
      ledger.deposit({ transferId: id(), ownerId: ALICE, assetId: BTC, amountMinor: 5n, externalKey: 'tx1' }),
    );
    expect(ledger.balance(ALICE, BTC, Bucket.AVAILABLE)).toBe(5n);
  });

  it('refuses a transfer id that is not above the last applied one', () => {
    const context = setup();
    const { ledger } = context;
    expectOk(ledger.deposit({ transferId: 7, ownerId: ALICE, assetId: BTC, amountMinor: 5n, externalKey: 'a' }));
    for (const transferId of [7, 6, 1]) {
      expectRefused(context, ResultCode.ID_ALREADY_USED, () =>
        ledger.deposit({ transferId, ownerId: ALICE, assetId: BTC, amountMinor: 5n, externalKey: 'b' }),
      );
    }
    for (const transferId of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN]) {
      expectRefused(context, ResultCode.ID_INVALID, () =>
        ledger.deposit({ transferId, ownerId: ALICE, assetId: BTC, amountMinor: 5n, externalKey: 'b' }),
      );
    }
    expect(ledger.lastTransferId).toBe(7);
  });

  it('refuses zero, negative and oversized amounts, bad keys and accounts', () => {
    const context = setup();
    const { ledger, id } = context;
    const deposit = (overrides: Partial<Parameters<Ledger['deposit']>[0]>) => () =>
      ledger.deposit({
        transferId: id(),
        ownerId: ALICE,
        assetId: BTC,
        amountMinor: 5n,
        externalKey: 'k',
        ...overrides,
      });
    expectRefused(context, ResultCode.AMOUNT_NOT_POSITIVE, deposit({ amountMinor: 0n }));
    expectRefused(context, ResultCode.AMOUNT_NOT_POSITIVE, deposit({ amountMinor: -5n }));
    expectRefused(context, ResultCode.AMOUNT_NOT_POSITIVE, deposit({ amountMinor: 5 as unknown as bigint }));
    expectRefused(context, ResultCode.AMOUNT_TOO_LARGE, deposit({ amountMinor: AMOUNT_MAX_MINOR + 1n }));
    expectRefused(context, ResultCode.EXTERNAL_KEY_INVALID, deposit({ externalKey: '' }));
    expectRefused(context, ResultCode.EXTERNAL_KEY_INVALID, deposit({ externalKey: 'x'.repeat(129) }));
    expectRefused(context, ResultCode.ACCOUNT_INVALID, deposit({ ownerId: SYSTEM_OWNER_ID }));
    expectRefused(context, ResultCode.ACCOUNT_INVALID, deposit({ ownerId: -1 }));
    expectRefused(context, ResultCode.ACCOUNT_INVALID, deposit({ assetId: 0x10000 }));
    expectRefused(context, ResultCode.ACCOUNT_INVALID, deposit({ source: Bucket.FEES as typeof Bucket.CUSTODY }));
    expectRefused(context, ResultCode.REFERENCE_INVALID, deposit({ reference: -3 }));
  });

  it('credits from DEPOSITS_IN_FLIGHT and settles it against CUSTODY on confirmation', () => {
    const { ledger, id } = setup();
    expectOk(
      ledger.deposit({
        transferId: id(),
        ownerId: ALICE,
        assetId: BTC,
        amountMinor: 40n,
        externalKey: 'tx',
        source: Bucket.DEPOSITS_IN_FLIGHT,
        reference: 9,
      }),
    );
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.DEPOSITS_IN_FLIGHT)).toBe(-40n);
    expectOk(ledger.confirmDeposit({ transferId: id(), assetId: BTC, amountMinor: 40n, reference: 9 }));
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.DEPOSITS_IN_FLIGHT)).toBe(0n);
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.CUSTODY)).toBe(-40n);
    ledger.checkInvariants();
  });
});

describe('holds', () => {
  it('createHold moves AVAILABLE to LOCKED and opens a hold for the amount', () => {
    const { ledger, emitted, id, fund } = setup();
    fund(ALICE, USDT, 1_000n);
    expectOk(
      ledger.createHold({
        transferId: id(),
        holdId: 50,
        ownerId: ALICE,
        assetId: USDT,
        amountMinor: 300n,
        bucket: Bucket.LOCKED,
      }),
    );
    expect(ledger.balance(ALICE, USDT, Bucket.AVAILABLE)).toBe(700n);
    expect(ledger.balance(ALICE, USDT, Bucket.LOCKED)).toBe(300n);
    expect(ledger.hold(50)).toEqual({
      holdId: 50,
      ownerId: ALICE,
      assetId: USDT,
      bucket: Bucket.LOCKED,
      reference: 50,
      heldMinor: 300n,
      remainingMinor: 300n,
    });
    expect(emitted.at(-1)).toMatchObject({ code: TransferCode.ORDER_HOLD, holdAction: HoldAction.CREATE, holdId: 50 });
    ledger.checkInvariants();
  });

  it('refuses to hold more than is available, or to reopen an open hold id', () => {
    const context = setup();
    const { ledger, id, fund } = context;
    fund(ALICE, USDT, 100n);
    const hold = (holdId: number, amountMinor: bigint) => () =>
      ledger.createHold({
        transferId: id(),
        holdId,
        ownerId: ALICE,
        assetId: USDT,
        amountMinor,
        bucket: Bucket.LOCKED,
      });
    expectRefused(context, ResultCode.INSUFFICIENT_FUNDS, hold(1, 101n));
    expectRefused(context, ResultCode.INSUFFICIENT_FUNDS, () =>
      ledger.createHold({
        transferId: id(),
        holdId: 1,
        ownerId: BOB,
        assetId: USDT,
        amountMinor: 1n,
        bucket: Bucket.LOCKED,
      }),
    );
    expectOk(hold(1, 60n)());
    expectRefused(context, ResultCode.HOLD_ALREADY_EXISTS, hold(1, 10n));
    expectRefused(context, ResultCode.INSUFFICIENT_FUNDS, hold(2, 41n));
    expectRefused(context, ResultCode.HOLD_ID_INVALID, hold(0, 1n));
    expectRefused(context, ResultCode.ACCOUNTS_MUST_DIFFER, () =>
      ledger.createHold({
        transferId: id(),
        holdId: 3,
        ownerId: ALICE,
        assetId: USDT,
        amountMinor: 1n,
        bucket: Bucket.AVAILABLE as typeof Bucket.LOCKED,
      }),
    );
  });

  it('posts partially many times, refuses to post past the remaining, and closes at zero', () => {
    const context = setup();
    const { ledger, id, fund } = context;
    fund(ALICE, USDT, 100n);
    expectOk(
      ledger.createHold({
        transferId: id(),
        holdId: 1,
        ownerId: ALICE,
        assetId: USDT,
        amountMinor: 100n,
        bucket: Bucket.LOCKED,
      }),
    );
    const post = (amountMinor: bigint) => () =>
      ledger.postFromHold({
        transferId: id(),
        holdId: 1,
        amountMinor,
        creditOwnerId: BOB,
        creditBucket: Bucket.AVAILABLE,
        code: TransferCode.TRADE_QUOTE,
      });
    expectOk(post(30n)());
    expectOk(post(30n)());
    expect(ledger.hold(1)?.remainingMinor).toBe(40n);
    // Double spend: more than what remains, though the user still has it in total.
    expectRefused(context, ResultCode.HOLD_INSUFFICIENT, post(41n));
    expectRefused(context, ResultCode.AMOUNT_NOT_POSITIVE, post(0n));
    expectRefused(context, ResultCode.AMOUNT_NOT_POSITIVE, post(-1n));
    expectOk(post(40n)());
    expect(ledger.hold(1)).toBeUndefined();
    expect(ledger.openHoldCount).toBe(0);
    // Double post and void after a full post: the hold is gone.
    expectRefused(context, ResultCode.HOLD_NOT_FOUND, post(1n));
    expectRefused(context, ResultCode.HOLD_NOT_FOUND, () => ledger.voidHold({ transferId: id(), holdId: 1 }));
    expect(ledger.balance(BOB, USDT, Bucket.AVAILABLE)).toBe(100n);
    expect(ledger.balance(ALICE, USDT, Bucket.LOCKED)).toBe(0n);
  });

  it('refuses to post into a hold bucket or from a hold of another asset', () => {
    const context = setup();
    const { ledger, id, fund } = context;
    fund(ALICE, USDT, 100n);
    expectOk(
      ledger.createHold({
        transferId: id(),
        holdId: 1,
        ownerId: ALICE,
        assetId: USDT,
        amountMinor: 100n,
        bucket: Bucket.LOCKED,
      }),
    );
    expectRefused(context, ResultCode.HOLD_ACCOUNT_MISMATCH, () =>
      ledger.postFromHold({
        transferId: id(),
        holdId: 1,
        amountMinor: 1n,
        creditOwnerId: BOB,
        creditBucket: Bucket.LOCKED,
        code: TransferCode.TRADE_QUOTE,
      }),
    );
    expectRefused(context, ResultCode.ASSET_MISMATCH, () =>
      ledger.apply({
        id: id(),
        debitOwnerId: ALICE,
        debitBucket: Bucket.LOCKED,
        creditOwnerId: BOB,
        creditBucket: Bucket.AVAILABLE,
        assetId: BTC,
        amountMinor: 1n,
        code: TransferCode.TRADE_BASE,
        holdId: 1,
        holdAction: HoldAction.POST,
      }),
    );
    expectRefused(context, ResultCode.HOLD_ACCOUNT_MISMATCH, () =>
      ledger.apply({
        id: id(),
        debitOwnerId: BOB,
        debitBucket: Bucket.LOCKED,
        creditOwnerId: ALICE,
        creditBucket: Bucket.AVAILABLE,
        assetId: USDT,
        amountMinor: 1n,
        code: TransferCode.TRADE_QUOTE,
        holdId: 1,
        holdAction: HoldAction.POST,
      }),
    );
  });

  it('voidHold releases exactly the remaining amount once', () => {
    const context = setup();
    const { ledger, emitted, id, fund } = context;
    fund(ALICE, USDT, 100n);
    expectOk(
      ledger.createHold({
        transferId: id(),
        holdId: 1,
        ownerId: ALICE,
        assetId: USDT,
        amountMinor: 80n,
        bucket: Bucket.LOCKED,
      }),
    );
    expectOk(
      ledger.postFromHold({
        transferId: id(),
        holdId: 1,
        amountMinor: 30n,
        creditOwnerId: BOB,
        creditBucket: Bucket.AVAILABLE,
        code: TransferCode.TRADE_QUOTE,
      }),
    );
    expectOk(ledger.voidHold({ transferId: id(), holdId: 1 }));
    expect(emitted.at(-1)).toMatchObject({
      amountMinor: 50n,
      code: TransferCode.ORDER_RELEASE,
      holdAction: HoldAction.RELEASE,
      creditOwnerId: ALICE,
      creditBucket: Bucket.AVAILABLE,
    });
    expect(ledger.balance(ALICE, USDT, Bucket.AVAILABLE)).toBe(70n);
    expect(ledger.balance(ALICE, USDT, Bucket.LOCKED)).toBe(0n);
    expectRefused(context, ResultCode.HOLD_NOT_FOUND, () => ledger.voidHold({ transferId: id(), holdId: 1 }));
  });

  it('resizeHold releases on the way down, holds more on the way up, and voids at zero', () => {
    const context = setup();
    const { ledger, emitted, id, fund } = context;
    fund(ALICE, USDT, 100n);
    expectOk(
      ledger.createHold({
        transferId: id(),
        holdId: 1,
        ownerId: ALICE,
        assetId: USDT,
        amountMinor: 50n,
        bucket: Bucket.LOCKED,
      }),
    );
    expectOk(ledger.resizeHold({ transferId: id(), holdId: 1, remainingMinor: 20n }));
    expect(emitted.at(-1)).toMatchObject({ amountMinor: 30n, holdAction: HoldAction.RELEASE });
    expectOk(ledger.resizeHold({ transferId: id(), holdId: 1, remainingMinor: 90n }));
    expect(emitted.at(-1)).toMatchObject({
      amountMinor: 70n,
      holdAction: HoldAction.INCREASE,
      code: TransferCode.ORDER_HOLD,
    });
    expect(ledger.hold(1)).toMatchObject({ heldMinor: 120n, remainingMinor: 90n });
    const emittedBefore = emitted.length;
    expectOk(ledger.resizeHold({ transferId: id(), holdId: 1, remainingMinor: 90n }));
    expect(emitted.length).toBe(emittedBefore);
    expectRefused(context, ResultCode.INSUFFICIENT_FUNDS, () =>
      ledger.resizeHold({ transferId: id(), holdId: 1, remainingMinor: 101n }),
    );
    expectRefused(context, ResultCode.AMOUNT_NOT_POSITIVE, () =>
      ledger.resizeHold({ transferId: id(), holdId: 1, remainingMinor: -1n }),
    );
    expectRefused(context, ResultCode.HOLD_NOT_FOUND, () =>
      ledger.resizeHold({ transferId: id(), holdId: 2, remainingMinor: 1n }),
    );
    expectOk(ledger.resizeHold({ transferId: id(), holdId: 1, remainingMinor: 0n }));
    expect(ledger.hold(1)).toBeUndefined();
    expect(ledger.balance(ALICE, USDT, Bucket.AVAILABLE)).toBe(100n);
    ledger.checkInvariants();
  });

  it('refuses plain transfers that touch LOCKED or WITHDRAWING, which only holds may move', () => {
    const context = setup();
    const { ledger, id, fund } = context;
    fund(ALICE, USDT, 100n);
    expectRefused(context, ResultCode.HOLD_REQUIRED, () =>
      ledger.apply({
        id: id(),
        debitOwnerId: ALICE,
        debitBucket: Bucket.AVAILABLE,
        creditOwnerId: ALICE,
        creditBucket: Bucket.LOCKED,
        assetId: USDT,
        amountMinor: 1n,
        code: TransferCode.ORDER_HOLD,
      }),
    );
    expectRefused(context, ResultCode.HOLD_ID_INVALID, () =>
      ledger.apply({
        id: id(),
        debitOwnerId: ALICE,
        debitBucket: Bucket.AVAILABLE,
        creditOwnerId: BOB,
        creditBucket: Bucket.AVAILABLE,
        assetId: USDT,
        amountMinor: 1n,
        code: TransferCode.ADJUSTMENT,
        holdId: 5,
      }),
    );
    // A plain user-to-user transfer is allowed.
    expectOk(
      ledger.apply({
        id: id(),
        debitOwnerId: ALICE,
        debitBucket: Bucket.AVAILABLE,
        creditOwnerId: BOB,
        creditBucket: Bucket.AVAILABLE,
        assetId: USDT,
        amountMinor: 1n,
        code: TransferCode.ADJUSTMENT,
      }),
    );
  });
});

describe('settleTrade', () => {
  // Alice sells 2 BTC to Bob for 60,000 USDT; Bob pays a fee of 1 in BTC, Alice 30 in USDT.
  function trade() {
    const context = setup();
    const { ledger, id, fund } = context;
    fund(ALICE, BTC, 5n);
    fund(BOB, USDT, 100_000n);
    expectOk(
      ledger.createHold({
        transferId: id(),
        holdId: 11,
        ownerId: ALICE,
        assetId: BTC,
        amountMinor: 3n,
        bucket: Bucket.LOCKED,
      }),
    );
    expectOk(
      ledger.createHold({
        transferId: id(),
        holdId: 12,
        ownerId: BOB,
        assetId: USDT,
        amountMinor: 90_000n,
        bucket: Bucket.LOCKED,
      }),
    );
    const params = {
      transferId: 100,
      tradeId: 7,
      baseAssetId: BTC,
      quoteAssetId: USDT,
      buyerId: BOB,
      sellerId: ALICE,
      buyerHoldId: 12,
      sellerHoldId: 11,
      baseMinor: 2n,
      quoteMinor: 60_000n,
      buyerFeeMinor: 1n,
      sellerFeeMinor: 30n,
    };
    return { ...context, params };
  }

  it('moves base and quote out of the holds and each fee from the receiver to FEES', () => {
    const { ledger, emitted, params } = trade();
    const before = emitted.length;
    expect(ledger.settleTrade(params)).toEqual({ result: ResultCode.OK, index: -1 });
    const legs = emitted.slice(before);
    expect(legs.map((t) => [t.id, t.code, t.amountMinor, t.reference])).toEqual([
      [100, TransferCode.TRADE_BASE, 2n, 7],
      [101, TransferCode.TRADE_QUOTE, 60_000n, 7],
      [102, TransferCode.TRADE_FEE, 1n, 7],
      [103, TransferCode.TRADE_FEE, 30n, 7],
    ]);
    expect(ledger.balancesOf(ALICE)).toEqual([
      { assetId: BTC, bucket: Bucket.AVAILABLE, amountMinor: 2n },
      { assetId: BTC, bucket: Bucket.LOCKED, amountMinor: 1n },
      { assetId: USDT, bucket: Bucket.AVAILABLE, amountMinor: 59_970n },
    ]);
    expect(ledger.balancesOf(BOB)).toEqual([
      // Bob had no BTC: his fee is paid from the base this very trade delivered.
      { assetId: BTC, bucket: Bucket.AVAILABLE, amountMinor: 1n },
      { assetId: USDT, bucket: Bucket.AVAILABLE, amountMinor: 10_000n },
      { assetId: USDT, bucket: Bucket.LOCKED, amountMinor: 30_000n },
    ]);
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.FEES)).toBe(1n);
    expect(ledger.balance(SYSTEM_OWNER_ID, USDT, Bucket.FEES)).toBe(30n);
    expect(ledger.hold(11)?.remainingMinor).toBe(1n);
    expect(ledger.hold(12)?.remainingMinor).toBe(30_000n);
    expect(ledger.lastTransferId).toBe(103);
    ledger.checkInvariants();
  });

  it('omits zero fees and leaves their ids unused', () => {
    const { ledger, emitted, params } = trade();
    const before = emitted.length;
    expect(ledger.settleTrade({ ...params, buyerFeeMinor: 0n, sellerFeeMinor: 0n }).result).toBe(ResultCode.OK);
    expect(emitted.slice(before).map((t) => t.id)).toEqual([100, 101]);
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.FEES)).toBe(0n);
    ledger.checkInvariants();
  });

  it('closes a hold the trade consumes completely', () => {
    const { ledger, params } = trade();
    expect(ledger.settleTrade({ ...params, baseMinor: 3n }).result).toBe(ResultCode.OK);
    expect(ledger.hold(11)).toBeUndefined();
    ledger.checkInvariants();
  });

  it('applies nothing when a later leg fails, and names the failing leg', () => {
    const context = trade();
    const { ledger, emitted, params } = context;
    const hashBefore = ledger.stateHash();
    const cases: [Partial<typeof params>, ResultCodeValue, number][] = [
      // Alice receives 60,000 USDT and has no other USDT: a fee above that overdraws her at the last leg.
      [{ sellerFeeMinor: 60_001n }, ResultCode.INSUFFICIENT_FUNDS, 3],
      [{ buyerFeeMinor: 3n }, ResultCode.INSUFFICIENT_FUNDS, 2],
      [{ sellerFeeMinor: -1n }, ResultCode.AMOUNT_NOT_POSITIVE, 3],
      [{ quoteMinor: 90_001n }, ResultCode.HOLD_INSUFFICIENT, 1],
      [{ baseMinor: 4n }, ResultCode.HOLD_INSUFFICIENT, 0],
      [{ buyerHoldId: 99 }, ResultCode.HOLD_NOT_FOUND, 1],
      [{ buyerHoldId: 11 }, ResultCode.ASSET_MISMATCH, 1],
      [{ sellerId: BOB }, ResultCode.HOLD_ACCOUNT_MISMATCH, 0],
      [{ quoteAssetId: BTC }, ResultCode.ASSET_MISMATCH, -1],
      [{ transferId: 1 }, ResultCode.ID_ALREADY_USED, 0],
      [{ tradeId: -1 }, ResultCode.REFERENCE_INVALID, 0],
    ];
    for (const [overrides, result, index] of cases) {
      const emittedBefore = emitted.length;
      expect({ overrides, ...ledger.settleTrade({ ...params, ...overrides }) }).toEqual({ overrides, result, index });
      expect(ledger.stateHash()).toBe(hashBefore);
      expect(emitted.length).toBe(emittedBefore);
      expect(ledger.lastTransferId).toBe(4);
      ledger.checkInvariants();
    }
    expect(ledger.settleTrade(params).result).toBe(ResultCode.OK);
  });

  it('undoes a hold it closed in an earlier leg when a later leg fails', () => {
    const { ledger, params } = trade();
    const hashBefore = ledger.stateHash();
    expect(ledger.settleTrade({ ...params, baseMinor: 3n, sellerFeeMinor: 70_000n })).toEqual({
      result: ResultCode.INSUFFICIENT_FUNDS,
      index: 3,
    });
    expect(ledger.hold(11)?.remainingMinor).toBe(3n);
    expect(ledger.stateHash()).toBe(hashBefore);
    ledger.checkInvariants();
  });
});

describe('applyLinked', () => {
  const plain = (id: number, amountMinor: bigint, overrides: Partial<TransferInput> = {}): TransferInput => ({
    id,
    debitOwnerId: ALICE,
    debitBucket: Bucket.AVAILABLE,
    creditOwnerId: BOB,
    creditBucket: Bucket.AVAILABLE,
    assetId: USDT,
    amountMinor,
    code: TransferCode.ADJUSTMENT,
    ...overrides,
  });

  it('refuses empty and oversized sets', () => {
    const { ledger } = setup();
    expect(ledger.applyLinked([])).toEqual({ result: ResultCode.LINKED_SET_EMPTY, index: -1 });
    const many = Array.from({ length: LINKED_TRANSFERS_MAX + 1 }, (_, i) => plain(i + 1, 1n));
    expect(ledger.applyLinked(many)).toEqual({ result: ResultCode.LINKED_SET_TOO_LARGE, index: -1 });
  });

  it('fails midway without applying anything: balances, holds, keys and ids all rolled back', () => {
    const { ledger, emitted, fund } = setup();
    fund(ALICE, USDT, 100n);
    fund(BOB, USDT, 10n);
    const hashBefore = ledger.stateHash();
    const emittedBefore = emitted.length;
    const result = ledger.applyLinked([
      plain(10, 60n, { externalKey: 'ext-1' }),
      plain(11, 30n, { creditBucket: Bucket.LOCKED, creditOwnerId: ALICE, holdId: 5, holdAction: HoldAction.CREATE }),
      plain(12, 30n, { debitBucket: Bucket.LOCKED, holdId: 5, holdAction: HoldAction.POST }),
      plain(13, 11n),
    ]);
    expect(result).toEqual({ result: ResultCode.INSUFFICIENT_FUNDS, index: 3 });
    expect(ledger.stateHash()).toBe(hashBefore);
    expect(emitted.length).toBe(emittedBefore);
    expect(ledger.hasExternalKey('ext-1')).toBe(false);
    expect(ledger.hold(5)).toBeUndefined();
    expect(ledger.lastTransferId).toBe(2);
    ledger.checkInvariants();
    // The same set minus the overdraft applies, in order, with later transfers seeing earlier ones.
    expect(ledger.applyLinked([plain(10, 60n, { externalKey: 'ext-1' }), plain(13, 10n)]).result).toBe(ResultCode.OK);
    expect(ledger.balance(ALICE, USDT, Bucket.AVAILABLE)).toBe(30n);
    ledger.checkInvariants();
  });

  it('requires ids to increase within the set', () => {
    const { ledger, fund } = setup();
    fund(ALICE, USDT, 100n);
    expect(ledger.applyLinked([plain(10, 1n), plain(10, 1n)])).toEqual({
      result: ResultCode.ID_ALREADY_USED,
      index: 1,
    });
    expect(ledger.applyLinked([plain(10, 1n), plain(9, 1n)])).toEqual({ result: ResultCode.ID_ALREADY_USED, index: 1 });
    expect(ledger.lastTransferId).toBe(1);
  });

  it('refuses a key repeated within one set', () => {
    const { ledger, fund } = setup();
    fund(ALICE, USDT, 100n);
    const result = ledger.applyLinked([plain(10, 1n, { externalKey: 'k' }), plain(11, 1n, { externalKey: 'k' })]);
    expect(result).toEqual({ result: ResultCode.EXTERNAL_KEY_ALREADY_USED, index: 1 });
    expect(ledger.hasExternalKey('k')).toBe(false);
  });

  it('reports the first fault in precedence order when a transfer has several', () => {
    const { ledger } = setup();
    const faults: [Partial<TransferInput>, ResultCodeValue][] = [
      [{ id: 0, amountMinor: 0n, assetId: -1 }, ResultCode.ID_INVALID],
      [{ memo: '', amountMinor: 0n }, ResultCode.MEMO_INVALID],
      [{ amountMinor: 0n, code: 999 as TransferCode }, ResultCode.AMOUNT_NOT_POSITIVE],
      [{ code: 999 as TransferCode, reference: -1 }, ResultCode.CODE_INVALID],
      [{ reference: 1.5, holdAction: 9 as HoldAction }, ResultCode.REFERENCE_INVALID],
      [{ holdAction: 9 as HoldAction }, ResultCode.HOLD_ACTION_INVALID],
      [{ holdAction: HoldAction.POST, holdId: 1, assetId: -1 }, ResultCode.HOLD_NOT_FOUND],
      [{ assetId: -1, creditOwnerId: ALICE }, ResultCode.ACCOUNT_INVALID],
      [{ creditOwnerId: ALICE }, ResultCode.ACCOUNTS_MUST_DIFFER],
      [{ creditBucket: Bucket.WITHDRAWING }, ResultCode.HOLD_REQUIRED],
      [{ debitOwnerId: SYSTEM_OWNER_ID }, ResultCode.ACCOUNT_INVALID],
      [{}, ResultCode.INSUFFICIENT_FUNDS],
    ];
    for (const [overrides, expected] of faults) {
      expect([overrides, resultCodeName(ledger.apply(plain(1, 5n, overrides)))]).toEqual([
        overrides,
        resultCodeName(expected),
      ]);
    }
  });

  it('refuses balances beyond numeric(38,0) on system accounts', () => {
    const context = setup();
    const { ledger, id } = context;
    expectOk(
      ledger.deposit({
        transferId: id(),
        ownerId: ALICE,
        assetId: BTC,
        amountMinor: AMOUNT_MAX_MINOR,
        externalKey: 'a',
      }),
    );
    expectRefused(context, ResultCode.BALANCE_LIMIT_EXCEEDED, () =>
      ledger.deposit({ transferId: id(), ownerId: BOB, assetId: BTC, amountMinor: 1n, externalKey: 'b' }),
    );
  });
});

describe('withdrawals', () => {
  it('holds, settles with a fee into in-flight, and confirms against custody', () => {
    const { ledger, emitted, id, fund } = setup();
    fund(ALICE, BTC, 1_000n);
    expectOk(
      ledger.holdWithdrawal({
        transferId: id(),
        holdId: 70,
        withdrawalId: 5,
        ownerId: ALICE,
        assetId: BTC,
        amountMinor: 600n,
      }),
    );
    expect(ledger.balance(ALICE, BTC, Bucket.WITHDRAWING)).toBe(600n);
    expect(ledger.hold(70)).toMatchObject({ bucket: Bucket.WITHDRAWING, reference: 5 });
    const before = emitted.length;
    expect(ledger.settleWithdrawal({ transferId: id(2), holdId: 70, feeMinor: 10n }).result).toBe(ResultCode.OK);
    expect(emitted.slice(before).map((t) => [t.code, t.creditBucket, t.amountMinor, t.reference])).toEqual([
      [TransferCode.WITHDRAWAL_SETTLE, Bucket.WITHDRAWALS_IN_FLIGHT, 590n, 5],
      [TransferCode.WITHDRAWAL_FEE, Bucket.FEES, 10n, 5],
    ]);
    expect(ledger.hold(70)).toBeUndefined();
    expect(ledger.balance(ALICE, BTC, Bucket.WITHDRAWING)).toBe(0n);
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.WITHDRAWALS_IN_FLIGHT)).toBe(590n);
    expectOk(
      ledger.confirmWithdrawal({
        transferId: id(),
        assetId: BTC,
        amountMinor: 590n,
        reference: 5,
        externalKey: 'btc:tx9',
      }),
    );
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.WITHDRAWALS_IN_FLIGHT)).toBe(0n);
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.CUSTODY)).toBe(-410n);
    expect(ledger.balance(ALICE, BTC, Bucket.AVAILABLE)).toBe(400n);
    ledger.checkInvariants();
  });

  it('releases a withdrawal hold back to AVAILABLE exactly once', () => {
    const context = setup();
    const { ledger, id, fund } = context;
    fund(ALICE, BTC, 100n);
    expectOk(
      ledger.holdWithdrawal({
        transferId: id(),
        holdId: 70,
        withdrawalId: 5,
        ownerId: ALICE,
        assetId: BTC,
        amountMinor: 100n,
      }),
    );
    expectRefused(context, ResultCode.INSUFFICIENT_FUNDS, () =>
      ledger.holdWithdrawal({
        transferId: id(),
        holdId: 71,
        withdrawalId: 6,
        ownerId: ALICE,
        assetId: BTC,
        amountMinor: 1n,
      }),
    );
    expectOk(ledger.releaseWithdrawal({ transferId: id(), holdId: 70 }));
    expect(ledger.balance(ALICE, BTC, Bucket.AVAILABLE)).toBe(100n);
    expectRefused(context, ResultCode.HOLD_NOT_FOUND, () => ledger.releaseWithdrawal({ transferId: id(), holdId: 70 }));
    expect(ledger.settleWithdrawal({ transferId: id(), holdId: 70 })).toEqual({
      result: ResultCode.HOLD_NOT_FOUND,
      index: 0,
    });
  });

  it('refuses to settle an order hold as a withdrawal, or a fee that leaves no payout', () => {
    const { ledger, id, fund } = setup();
    fund(ALICE, BTC, 100n);
    expectOk(
      ledger.createHold({
        transferId: id(),
        holdId: 1,
        ownerId: ALICE,
        assetId: BTC,
        amountMinor: 50n,
        bucket: Bucket.LOCKED,
      }),
    );
    expectOk(
      ledger.holdWithdrawal({
        transferId: id(),
        holdId: 2,
        withdrawalId: 5,
        ownerId: ALICE,
        assetId: BTC,
        amountMinor: 50n,
      }),
    );
    const hashBefore = ledger.stateHash();
    expect(ledger.settleWithdrawal({ transferId: id(), holdId: 1 })).toEqual({
      result: ResultCode.HOLD_ACCOUNT_MISMATCH,
      index: 0,
    });
    expect(ledger.settleWithdrawal({ transferId: id(), holdId: 2, feeMinor: 50n })).toEqual({
      result: ResultCode.AMOUNT_NOT_POSITIVE,
      index: 0,
    });
    expect(ledger.settleWithdrawal({ transferId: id(), holdId: 2, feeMinor: -1n })).toEqual({
      result: ResultCode.AMOUNT_NOT_POSITIVE,
      index: 1,
    });
    expect(ledger.stateHash()).toBe(hashBefore);
    // An order hold cannot be released as a withdrawal either.
    expect(resultCodeName(ledger.releaseWithdrawal({ transferId: id(), holdId: 1 }))).toBe('HOLD_ACCOUNT_MISMATCH');
  });
});

describe('adjust', () => {
  it('credits and debits AVAILABLE against ADJUSTMENTS, never below zero, always with a reason', () => {
    const context = setup();
    const { ledger, emitted, id } = context;
    const adjust =
      (amountMinor: bigint, reason = 'ticket 42: lost deposit') =>
      () =>
        ledger.adjust({ transferId: id(), adjustmentId: 42, ownerId: ALICE, assetId: BTC, amountMinor, reason });
    expectOk(adjust(100n)());
    expect(emitted.at(-1)).toMatchObject({
      debitBucket: Bucket.ADJUSTMENTS,
      memo: 'ticket 42: lost deposit',
      reference: 42,
    });
    expectOk(adjust(-40n)());
    expect(emitted.at(-1)).toMatchObject({ creditBucket: Bucket.ADJUSTMENTS, amountMinor: 40n });
    expect(ledger.balance(ALICE, BTC, Bucket.AVAILABLE)).toBe(60n);
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.ADJUSTMENTS)).toBe(-60n);
    expectRefused(context, ResultCode.INSUFFICIENT_FUNDS, adjust(-61n));
    expectRefused(context, ResultCode.AMOUNT_NOT_POSITIVE, adjust(0n));
    expectRefused(context, ResultCode.MEMO_INVALID, adjust(5n, ''));
    expectRefused(context, ResultCode.MEMO_INVALID, adjust(5n, 'x'.repeat(257)));
    expectRefused(context, ResultCode.MEMO_INVALID, adjust(5n, null as unknown as string));
  });

  it('moves funds between system accounts only', () => {
    const context = setup();
    const { ledger, id, fund } = context;
    fund(ALICE, BTC, 10n);
    expectOk(
      ledger.moveSystemFunds({
        transferId: id(),
        assetId: BTC,
        fromBucket: Bucket.FEES,
        toBucket: Bucket.INSURANCE,
        amountMinor: 3n,
        memo: 'seed the fund',
      }),
    );
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.FEES)).toBe(-3n);
    expect(ledger.balance(SYSTEM_OWNER_ID, BTC, Bucket.INSURANCE)).toBe(3n);
    expectRefused(context, ResultCode.ACCOUNT_INVALID, () =>
      ledger.moveSystemFunds({
        transferId: id(),
        assetId: BTC,
        fromBucket: Bucket.AVAILABLE as typeof Bucket.FEES,
        toBucket: Bucket.INSURANCE,
        amountMinor: 3n,
      }),
    );
  });
});

describe('invariants and state', () => {
  it('trialBalance totals every bucket per asset and nets to zero', () => {
    const { ledger, id, fund } = setup();
    fund(ALICE, BTC, 10n);
    fund(BOB, USDT, 7n);
    expectOk(
      ledger.createHold({
        transferId: id(),
        holdId: 1,
        ownerId: ALICE,
        assetId: BTC,
        amountMinor: 4n,
        bucket: Bucket.LOCKED,
      }),
    );
    const [btc, usdt] = ledger.trialBalance();
    expect(btc).toMatchObject({ assetId: BTC, usersMinor: 10n, systemMinor: -10n, netMinor: 0n });
    expect(btc?.byBucket).toMatchObject({ AVAILABLE: 6n, LOCKED: 4n, CUSTODY: -10n, FEES: 0n });
    expect(usdt).toMatchObject({ assetId: USDT, usersMinor: 7n, netMinor: 0n });
  });

  it('checkInvariants names a corrupted balance, a negative user and a hold that disagrees with LOCKED', () => {
    const corrupt = (mutate: (internals: LedgerInternals) => void): (() => void) => {
      const { ledger, id, fund } = setup();
      fund(ALICE, BTC, 10n);
      expectOk(
        ledger.createHold({
          transferId: id(),
          holdId: 1,
          ownerId: ALICE,
          assetId: BTC,
          amountMinor: 4n,
          bucket: Bucket.LOCKED,
        }),
      );
      ledger.checkInvariants();
      mutate(ledger as unknown as LedgerInternals);
      return () => ledger.checkInvariants();
    };
    const account = (internals: LedgerInternals, bucket: number) => {
      const found = [...internals.accounts.values()].find((a) => a.ownerId === ALICE && a.bucket === bucket);
      if (found === undefined) throw new Error('test setup: account not found');
      return found;
    };
    expect(corrupt((l) => (account(l, Bucket.AVAILABLE).balanceMinor += 1n))).toThrow(/asset 1: balances sum to 1/);
    expect(
      corrupt((l) => {
        account(l, Bucket.AVAILABLE).balanceMinor = -1n;
        account(l, Bucket.LOCKED).balanceMinor += 7n;
      }),
    ).toThrow(/account 101\/1\/AVAILABLE is negative: -1/);
    expect(
      corrupt((l) => {
        const hold = l.holds.get(1);
        if (hold !== undefined) hold.remainingMinor = 3n;
      }),
    ).toThrow(/LOCKED is 4 but its open holds sum to 3/);
    expect(corrupt(() => undefined)).not.toThrow();
    expect(corrupt((l) => l.holds.delete(1))).toThrow(LedgerInvariantError);
  });

  it('refuses a sink that calls back into the ledger', () => {
    const ledger: Ledger = new Ledger({
      sink: () => {
        ledger.deposit({ transferId: 99, ownerId: BOB, assetId: BTC, amountMinor: 1n, externalKey: 'inner' });
      },
    });
    expect(() =>
      ledger.deposit({ transferId: 1, ownerId: ALICE, assetId: BTC, amountMinor: 1n, externalKey: 'outer' }),
    ).toThrow(/sink called back/);
  });

  it('answers queries for unknown or invalid accounts with zero and nothing', () => {
    const { ledger } = setup();
    expect(ledger.balance(ALICE, BTC, Bucket.AVAILABLE)).toBe(0n);
    expect(ledger.balance(-5, 1e9, 77 as typeof Bucket.AVAILABLE)).toBe(0n);
    expect(ledger.balancesOf(ALICE)).toEqual([]);
    expect(ledger.hold(1)).toBeUndefined();
  });
});

interface LedgerInternals {
  accounts: Map<number, { ownerId: number; bucket: number; balanceMinor: bigint }>;
  holds: Map<number, { remainingMinor: bigint }>;
}
