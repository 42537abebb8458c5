// Random operation streams for the model-based tests: mostly plausible engine traffic (deposits, order holds,
// trades with fees, partial posts, voids, amends, withdrawals, adjustments), salted with invalid operations
// (overdraws, unknown or closed holds, replayed ids and keys, zero and negative amounts, oversized fees).
import { Bucket, HoldAction, TransferCode } from '../codes.js';
import type { ResultCode } from '../codes.js';
import type { Ledger } from '../ledger.js';
import { AMOUNT_MAX_MINOR, ASSET_ID_MAX, OWNER_ID_MAX } from '../limits.js';
import type { LinkedResult, Transfer } from '../transfer.js';
import type { Auditor, AuditHold, Operation } from './auditor.js';
import type { Prng } from './prng.js';

export const USERS: readonly number[] = [1, 2, 3, 4, 5, 6, OWNER_ID_MAX];
export const ASSETS: readonly number[] = [0, 1, 7, ASSET_ID_MAX];

/** Ids for one run: transfer ids (monotonic, with room for a trade's four), hold ids, keys and references. */
export class IdSource {
  private transferId = 0;
  private holdId = 0;
  private keyCount = 0;

  transfer(prng: Prng, auditor: Auditor, count = 1): number {
    if (prng.chance(0.02) && auditor.lastId > 0) return prng.int(auditor.lastId) + 1; // replayed id
    if (prng.chance(0.005)) return prng.pick([0, -1, 0.5]); // malformed id
    const first = Math.max(this.transferId, auditor.lastId) + 1;
    this.transferId = first + count - 1;
    return first;
  }

  hold(): number {
    return ++this.holdId;
  }

  key(prng: Prng, auditor: Auditor): string {
    const used = auditor.usedKeys();
    if (used.length > 0 && prng.chance(0.08)) return prng.pick(used); // replayed deposit
    return `chain:tx${++this.keyCount}:${prng.int(4)}`;
  }
}

function amount(prng: Prng): bigint {
  const roll = prng.int(100);
  if (roll < 60) return BigInt(1 + prng.int(1_000));
  if (roll < 85) return BigInt(1 + prng.int(1_000_000_000));
  if (roll < 90) return 0n;
  if (roll < 93) return -BigInt(1 + prng.int(100));
  if (roll < 98) return 1n + prng.bigint(10n ** 18n) * 10n ** 12n;
  return AMOUNT_MAX_MINOR / 3n + BigInt(prng.int(1_000));
}

/** Mostly within what is there, sometimes one above it, sometimes anything. */
function amountUpTo(prng: Prng, available: bigint): bigint {
  const roll = prng.int(100);
  if (available > 0n && roll < 80) return 1n + prng.bigint(available);
  if (roll < 90) return available + 1n;
  return amount(prng);
}

function openHolds(auditor: Auditor, bucket: Bucket): [number, AuditHold][] {
  return auditor.openHolds().filter(([, hold]) => hold.bucket === bucket);
}

/** An open hold of the bucket most of the time, else an id that is not open (closed, never used, or invalid). */
function holdId(prng: Prng, auditor: Auditor, ids: IdSource, bucket: Bucket): number {
  const open = openHolds(auditor, bucket);
  if (open.length > 0 && prng.chance(0.9)) return prng.pick(open)[0];
  if (prng.chance(0.5)) {
    const any = auditor.openHolds();
    if (any.length > 0) return prng.pick(any)[0];
  }
  return prng.chance(0.9) ? ids.hold() : 0;
}

export function generateOperation(prng: Prng, auditor: Auditor, ids: IdSource): Operation {
  if (prng.chance(0.05)) return linkedSet(prng, auditor, ids);
  const roll = prng.int(100);
  const user = prng.pick(USERS);
  const asset = prng.pick(ASSETS);
  if (roll < 14) {
    return {
      kind: 'deposit',
      transferId: ids.transfer(prng, auditor),
      ownerId: prng.chance(0.02) ? 0 : user,
      assetId: asset,
      amountMinor: amount(prng),
      externalKey: ids.key(prng, auditor),
      source: prng.chance(0.7) ? Bucket.CUSTODY : Bucket.DEPOSITS_IN_FLIGHT,
    };
  }
  if (roll < 30) {
    const open = auditor.openHolds();
    return {
      kind: 'createHold',
      transferId: ids.transfer(prng, auditor),
      holdId: open.length > 0 && prng.chance(0.04) ? prng.pick(open)[0] : ids.hold(),
      ownerId: user,
      assetId: asset,
      amountMinor: amountUpTo(prng, auditor.balance(user, asset, Bucket.AVAILABLE)),
      bucket: Bucket.LOCKED,
    };
  }
  if (roll < 52) {
    const trade = tradeBetweenHolds(prng, auditor, ids);
    if (trade !== undefined) return trade;
  }
  if (roll < 57) {
    const id = holdId(prng, auditor, ids, Bucket.LOCKED);
    const remaining = auditor.openHolds().find(([openId]) => openId === id)?.[1].remainingMinor ?? 0n;
    const toSystem = prng.chance(0.2);
    return {
      kind: 'postFromHold',
      transferId: ids.transfer(prng, auditor),
      holdId: id,
      amountMinor: amountUpTo(prng, remaining),
      creditOwnerId: toSystem ? 0 : prng.pick(USERS),
      creditBucket: toSystem ? Bucket.INSURANCE : prng.chance(0.95) ? Bucket.AVAILABLE : Bucket.LOCKED,
    };
  }
  if (roll < 65) {
    return {
      kind: 'voidHold',
      transferId: ids.transfer(prng, auditor),
      holdId: holdId(prng, auditor, ids, Bucket.LOCKED),
    };
  }
  if (roll < 72) {
    const id = holdId(prng, auditor, ids, Bucket.LOCKED);
    const remaining = auditor.openHolds().find(([openId]) => openId === id)?.[1].remainingMinor ?? 0n;
    const choice = prng.int(10);
    const target =
      choice < 4 ? prng.bigint(remaining + 1n) : choice < 7 ? remaining + amount(prng) : choice < 8 ? remaining : -1n;
    return { kind: 'resizeHold', transferId: ids.transfer(prng, auditor), holdId: id, remainingMinor: target };
  }
  if (roll < 78) {
    return {
      kind: 'holdWithdrawal',
      transferId: ids.transfer(prng, auditor),
      holdId: ids.hold(),
      withdrawalId: 1 + prng.int(1_000_000),
      ownerId: user,
      assetId: asset,
      amountMinor: amountUpTo(prng, auditor.balance(user, asset, Bucket.AVAILABLE)),
    };
  }
  if (roll < 84) {
    const id = holdId(prng, auditor, ids, Bucket.WITHDRAWING);
    const remaining = auditor.openHolds().find(([openId]) => openId === id)?.[1].remainingMinor ?? 0n;
    const choice = prng.int(10);
    const fee = choice < 4 ? 0n : choice < 8 ? prng.bigint(remaining + 1n) : choice < 9 ? remaining : -1n;
    return { kind: 'settleWithdrawal', transferId: ids.transfer(prng, auditor, 2), holdId: id, feeMinor: fee };
  }
  if (roll < 87) {
    return {
      kind: 'releaseWithdrawal',
      transferId: ids.transfer(prng, auditor),
      holdId: holdId(prng, auditor, ids, Bucket.WITHDRAWING),
    };
  }
  if (roll < 91) {
    const inFlight = auditor.balance(0, asset, Bucket.WITHDRAWALS_IN_FLIGHT);
    return {
      kind: 'confirmWithdrawal',
      transferId: ids.transfer(prng, auditor),
      assetId: asset,
      amountMinor: inFlight > 0n && prng.chance(0.8) ? 1n + prng.bigint(inFlight) : amount(prng),
      reference: 1 + prng.int(1_000_000),
    };
  }
  const available = auditor.balance(user, asset, Bucket.AVAILABLE);
  return {
    kind: 'adjust',
    transferId: ids.transfer(prng, auditor),
    adjustmentId: 1 + prng.int(1_000_000),
    ownerId: user,
    assetId: asset,
    amountMinor: prng.chance(0.5) ? amount(prng) : -amountUpTo(prng, available),
    reason: prng.chance(0.97) ? `case ${prng.int(1000)}` : '',
  };
}

/** A raw linked set of 2 to 4 transfers mixing keyed deposits, user-to-user moves, fees and new holds. */
function linkedSet(prng: Prng, auditor: Auditor, ids: IdSource): Operation {
  const count = 2 + prng.int(3);
  let id = ids.transfer(prng, auditor, count);
  const transfers: Transfer[] = [];
  for (let i = 0; i < count; i++) {
    const from = prng.pick(USERS);
    const to = prng.pick(USERS);
    const asset = prng.pick(ASSETS);
    const roll = prng.int(4);
    const base = {
      id: id,
      assetId: asset,
      amountMinor: amountUpTo(prng, auditor.balance(from, asset, Bucket.AVAILABLE)),
      reference: prng.int(1000),
      holdId: 0,
      holdAction: HoldAction.NONE,
      externalKey: null,
      memo: null,
    };
    if (roll === 0) {
      transfers.push({
        ...base,
        debitOwnerId: 0,
        debitBucket: Bucket.CUSTODY,
        creditOwnerId: to,
        creditBucket: Bucket.AVAILABLE,
        code: TransferCode.DEPOSIT,
        externalKey: ids.key(prng, auditor),
      });
    } else if (roll === 1) {
      transfers.push({
        ...base,
        debitOwnerId: from,
        debitBucket: Bucket.AVAILABLE,
        creditOwnerId: 0,
        creditBucket: Bucket.FEES,
        code: TransferCode.TRADE_FEE,
      });
    } else if (roll === 2) {
      transfers.push({
        ...base,
        debitOwnerId: from,
        debitBucket: Bucket.AVAILABLE,
        creditOwnerId: from,
        creditBucket: Bucket.LOCKED,
        code: TransferCode.ORDER_HOLD,
        holdId: ids.hold(),
        holdAction: HoldAction.CREATE,
      });
    } else {
      transfers.push({
        ...base,
        debitOwnerId: from,
        debitBucket: Bucket.AVAILABLE,
        creditOwnerId: to,
        creditBucket: Bucket.AVAILABLE,
        code: TransferCode.ADJUSTMENT,
        memo: 'internal transfer',
      });
    }
    // Mostly increasing ids, sometimes a repeat inside the set.
    id = prng.chance(0.97) ? id + 1 : id;
  }
  return { kind: 'linked', transfers };
}

/** Two open order holds of different assets become a trade; the legs fit most of the time. */
function tradeBetweenHolds(prng: Prng, auditor: Auditor, ids: IdSource): Operation | undefined {
  const locked = openHolds(auditor, Bucket.LOCKED);
  if (locked.length < 2) return undefined;
  const [sellerHoldId, seller] = prng.pick(locked);
  const quotes = locked.filter(([id, hold]) => id !== sellerHoldId && hold.assetId !== seller.assetId);
  if (quotes.length === 0) return undefined;
  const [buyerHoldId, buyer] = prng.pick(quotes);
  const baseMinor = prng.chance(0.93) ? 1n + prng.bigint(seller.remainingMinor) : seller.remainingMinor + 1n;
  const quoteMinor = prng.chance(0.93) ? 1n + prng.bigint(buyer.remainingMinor) : buyer.remainingMinor + 1n;
  const fee = (received: bigint): bigint => {
    const choice = prng.int(10);
    if (choice < 4) return 0n;
    if (choice < 9) return prng.bigint(received / 10n + 1n);
    return received + prng.bigint(1_000n); // may exceed what the payer has: the whole trade must fail
  };
  return {
    kind: 'settleTrade',
    transferId: ids.transfer(prng, auditor, 4),
    tradeId: 1 + prng.int(1_000_000),
    baseAssetId: seller.assetId,
    quoteAssetId: prng.chance(0.01) ? seller.assetId : buyer.assetId,
    buyerId: prng.chance(0.97) ? buyer.ownerId : prng.pick(USERS),
    sellerId: seller.ownerId,
    buyerHoldId: prng.chance(0.98) ? buyerHoldId : ids.hold(),
    sellerHoldId,
    baseMinor,
    quoteMinor,
    buyerFeeMinor: fee(baseMinor),
    sellerFeeMinor: fee(quoteMinor),
  };
}

/** Runs an operation on the ledger through its public helpers; single results get index -1 on OK, else 0. */
export function applyToLedger(ledger: Ledger, op: Operation): LinkedResult {
  const single = (result: ResultCode): LinkedResult => ({ result, index: result === 0 ? -1 : 0 });
  switch (op.kind) {
    case 'linked':
      return ledger.applyLinked(op.transfers);
    case 'deposit':
      return single(ledger.deposit(op));
    case 'createHold':
      return single(ledger.createHold(op));
    case 'postFromHold':
      return single(ledger.postFromHold({ ...op, code: TransferCode.TRADE_QUOTE }));
    case 'voidHold':
      return single(ledger.voidHold(op));
    case 'resizeHold':
      return single(ledger.resizeHold(op));
    case 'settleTrade':
      return ledger.settleTrade(op);
    case 'holdWithdrawal':
      return single(ledger.holdWithdrawal(op));
    case 'settleWithdrawal':
      return ledger.settleWithdrawal(op);
    case 'releaseWithdrawal':
      return single(ledger.releaseWithdrawal(op));
    case 'confirmWithdrawal':
      return single(ledger.confirmWithdrawal(op));
    case 'adjust':
      return single(ledger.adjust(op));
  }
}

/** JSON for failure messages: bigints as strings. */
export function describe(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? `${field}n` : field));
}
