// The auditor: a deliberately simple second implementation of the ledger's rules, for the model-based tests.
// It shares no code with Ledger beyond the vocabularies (codes and limits): string-keyed maps, a full copy of
// the state per operation instead of undo, and balances that can be recomputed from the list of every accepted
// transfer. Each operation is expanded into the transfers it must produce, checked one by one on the copy, and
// the copy replaces the state only if all pass. Tests compare its expected result and transfers with the ledger's.
import { Bucket, HoldAction, ResultCode, TransferCode } from '../codes.js';
import type { HoldBucket, ResultCode as ResultCodeValue } from '../codes.js';
import type { Transfer } from '../transfer.js';
import {
  AMOUNT_MAX_MINOR,
  ASSET_ID_MAX,
  EXTERNAL_KEY_LENGTH_MAX,
  LINKED_TRANSFERS_MAX,
  MEMO_LENGTH_MAX,
  OWNER_ID_MAX,
} from '../limits.js';

export type Operation =
  | { kind: 'linked'; transfers: Transfer[] }
  | {
      kind: 'deposit';
      transferId: number;
      ownerId: number;
      assetId: number;
      amountMinor: bigint;
      externalKey: string;
      source: typeof Bucket.CUSTODY | typeof Bucket.DEPOSITS_IN_FLIGHT;
    }
  | {
      kind: 'createHold';
      transferId: number;
      holdId: number;
      ownerId: number;
      assetId: number;
      amountMinor: bigint;
      bucket: HoldBucket;
    }
  | {
      kind: 'postFromHold';
      transferId: number;
      holdId: number;
      amountMinor: bigint;
      creditOwnerId: number;
      creditBucket: Bucket;
    }
  | { kind: 'voidHold'; transferId: number; holdId: number }
  | { kind: 'resizeHold'; transferId: number; holdId: number; remainingMinor: bigint }
  | {
      kind: 'settleTrade';
      transferId: number;
      tradeId: number;
      baseAssetId: number;
      quoteAssetId: number;
      buyerId: number;
      sellerId: number;
      buyerHoldId: number;
      sellerHoldId: number;
      baseMinor: bigint;
      quoteMinor: bigint;
      buyerFeeMinor: bigint;
      sellerFeeMinor: bigint;
    }
  | {
      kind: 'holdWithdrawal';
      transferId: number;
      holdId: number;
      withdrawalId: number;
      ownerId: number;
      assetId: number;
      amountMinor: bigint;
    }
  | { kind: 'settleWithdrawal'; transferId: number; holdId: number; feeMinor: bigint }
  | { kind: 'releaseWithdrawal'; transferId: number; holdId: number }
  | { kind: 'confirmWithdrawal'; transferId: number; assetId: number; amountMinor: bigint; reference: number }
  | {
      kind: 'adjust';
      transferId: number;
      adjustmentId: number;
      ownerId: number;
      assetId: number;
      amountMinor: bigint;
      reason: string;
    };

export interface AuditHold {
  ownerId: number;
  assetId: number;
  bucket: HoldBucket;
  reference: number;
  heldMinor: bigint;
  remainingMinor: bigint;
}

export interface Expected {
  result: ResultCodeValue;
  index: number;
  transfers: Transfer[];
}

interface State {
  balances: Map<string, bigint>;
  holds: Map<number, AuditHold>;
  keys: Set<string>;
  lastId: number;
}

const USER_BUCKETS: readonly number[] = [Bucket.AVAILABLE, Bucket.LOCKED, Bucket.WITHDRAWING];
const SYSTEM_BUCKETS: readonly number[] = [
  Bucket.FEES,
  Bucket.CUSTODY,
  Bucket.DEPOSITS_IN_FLIGHT,
  Bucket.WITHDRAWALS_IN_FLIGHT,
  Bucket.ADJUSTMENTS,
  Bucket.INSURANCE,
];

export function key(ownerId: number, assetId: number, bucket: number): string {
  return `${ownerId}:${assetId}:${bucket}`;
}

export class Auditor {
  private state: State = { balances: new Map(), holds: new Map(), keys: new Set(), lastId: 0 };
  /** Every transfer ever accepted, in order: the auditor's source of truth. */
  readonly history: Transfer[] = [];

  get lastId(): number {
    return this.state.lastId;
  }

  balance(ownerId: number, assetId: number, bucket: number): bigint {
    return this.state.balances.get(key(ownerId, assetId, bucket)) ?? 0n;
  }

  openHolds(): [number, AuditHold][] {
    return [...this.state.holds.entries()];
  }

  usedKeys(): string[] {
    return [...this.state.keys];
  }

  /** Every account the auditor knows with a non-zero balance. */
  nonZeroBalances(): Map<string, bigint> {
    return new Map([...this.state.balances].filter(([, amount]) => amount !== 0n));
  }

  /** Balances rebuilt from nothing but the accepted transfers. */
  recomputeFromHistory(): Map<string, bigint> {
    const balances = new Map<string, bigint>();
    for (const t of this.history) {
      const debit = key(t.debitOwnerId, t.assetId, t.debitBucket);
      const credit = key(t.creditOwnerId, t.assetId, t.creditBucket);
      balances.set(debit, (balances.get(debit) ?? 0n) - t.amountMinor);
      balances.set(credit, (balances.get(credit) ?? 0n) + t.amountMinor);
    }
    return new Map([...balances].filter(([, amount]) => amount !== 0n));
  }

  /** Decides what `operation` must do, and does it to the auditor's own state when it succeeds. */
  apply(operation: Operation): Expected {
    const plan = this.expand(operation);
    if (plan.setResult !== undefined) return { ...plan.setResult, transfers: [] };
    if (plan.transfers.length === 0) return { result: ResultCode.OK, index: -1, transfers: [] };
    if (plan.transfers.length > LINKED_TRANSFERS_MAX) throw new Error('auditor: plan too large');
    const next = copy(this.state);
    for (let i = 0; i < plan.transfers.length; i++) {
      const t = plan.transfers[i] as Transfer;
      const result = check(next, t);
      if (result !== ResultCode.OK) {
        return { result, index: plan.indexes[i] ?? i, transfers: [] };
      }
      applyTo(next, t);
    }
    this.state = next;
    this.history.push(...plan.transfers);
    return { result: ResultCode.OK, index: -1, transfers: plan.transfers };
  }

  /** The transfers an operation must produce and, per transfer, the index a failure reports. */
  private expand(op: Operation): {
    transfers: Transfer[];
    indexes: number[];
    setResult?: { result: ResultCodeValue; index: number };
  } {
    const holds = this.state.holds;
    const one = (t: Transfer) => ({ transfers: [t], indexes: [0] });
    switch (op.kind) {
      case 'linked':
        return { transfers: op.transfers, indexes: op.transfers.map((_, index) => index) };
      case 'deposit':
        return one(
          transfer(
            op.transferId,
            0,
            op.source,
            op.ownerId,
            Bucket.AVAILABLE,
            op.assetId,
            op.amountMinor,
            TransferCode.DEPOSIT,
            {
              externalKey: op.externalKey,
            },
          ),
        );
      case 'createHold':
      case 'holdWithdrawal': {
        const bucket = op.kind === 'createHold' ? op.bucket : Bucket.WITHDRAWING;
        return one(
          transfer(
            op.transferId,
            op.ownerId,
            Bucket.AVAILABLE,
            op.ownerId,
            bucket,
            op.assetId,
            op.amountMinor,
            bucket === Bucket.LOCKED ? TransferCode.ORDER_HOLD : TransferCode.WITHDRAWAL_HOLD,
            {
              reference: op.kind === 'createHold' ? op.holdId : op.withdrawalId,
              holdId: op.holdId,
              holdAction: HoldAction.CREATE,
            },
          ),
        );
      }
      case 'postFromHold': {
        const hold = holds.get(op.holdId);
        return one(
          transfer(
            op.transferId,
            hold?.ownerId ?? 0,
            hold?.bucket ?? Bucket.LOCKED,
            op.creditOwnerId,
            op.creditBucket,
            hold?.assetId ?? 0,
            op.amountMinor,
            TransferCode.TRADE_QUOTE,
            { reference: hold?.reference ?? 0, holdId: op.holdId, holdAction: HoldAction.POST },
          ),
        );
      }
      case 'voidHold':
      case 'releaseWithdrawal': {
        const hold = holds.get(op.holdId);
        const bucket = op.kind === 'voidHold' ? (hold?.bucket ?? Bucket.LOCKED) : Bucket.WITHDRAWING;
        const code =
          op.kind === 'releaseWithdrawal' || hold?.bucket === Bucket.WITHDRAWING
            ? TransferCode.WITHDRAWAL_RELEASE
            : TransferCode.ORDER_RELEASE;
        return one(
          transfer(
            op.transferId,
            hold?.ownerId ?? 0,
            bucket,
            hold?.ownerId ?? 0,
            Bucket.AVAILABLE,
            hold?.assetId ?? 0,
            hold?.remainingMinor ?? 1n,
            code,
            {
              reference: hold?.reference ?? 0,
              holdId: op.holdId,
              holdAction: HoldAction.RELEASE,
            },
          ),
        );
      }
      case 'resizeHold': {
        const hold = holds.get(op.holdId);
        const target = op.remainingMinor;
        if (hold !== undefined && target === hold.remainingMinor) return { transfers: [], indexes: [] };
        if (hold !== undefined && target > hold.remainingMinor) {
          return one(
            transfer(
              op.transferId,
              hold.ownerId,
              Bucket.AVAILABLE,
              hold.ownerId,
              hold.bucket,
              hold.assetId,
              target - hold.remainingMinor,
              hold.bucket === Bucket.LOCKED ? TransferCode.ORDER_HOLD : TransferCode.WITHDRAWAL_HOLD,
              { reference: hold.reference, holdId: op.holdId, holdAction: HoldAction.INCREASE },
            ),
          );
        }
        const amount = target < 0n ? 0n : hold === undefined ? 1n : hold.remainingMinor - target;
        return one(
          transfer(
            op.transferId,
            hold?.ownerId ?? 0,
            hold?.bucket ?? Bucket.LOCKED,
            hold?.ownerId ?? 0,
            Bucket.AVAILABLE,
            hold?.assetId ?? 0,
            amount,
            hold?.bucket === Bucket.WITHDRAWING ? TransferCode.WITHDRAWAL_RELEASE : TransferCode.ORDER_RELEASE,
            { reference: hold?.reference ?? 0, holdId: op.holdId, holdAction: HoldAction.RELEASE },
          ),
        );
      }
      case 'settleTrade': {
        if (op.baseAssetId === op.quoteAssetId)
          return { transfers: [], indexes: [], setResult: { result: ResultCode.ASSET_MISMATCH, index: -1 } };
        const hold = { holdAction: HoldAction.POST, reference: op.tradeId };
        const fee = { reference: op.tradeId };
        const transfers = [
          transfer(
            op.transferId,
            op.sellerId,
            Bucket.LOCKED,
            op.buyerId,
            Bucket.AVAILABLE,
            op.baseAssetId,
            op.baseMinor,
            TransferCode.TRADE_BASE,
            {
              ...hold,
              holdId: op.sellerHoldId,
            },
          ),
          transfer(
            op.transferId + 1,
            op.buyerId,
            Bucket.LOCKED,
            op.sellerId,
            Bucket.AVAILABLE,
            op.quoteAssetId,
            op.quoteMinor,
            TransferCode.TRADE_QUOTE,
            {
              ...hold,
              holdId: op.buyerHoldId,
            },
          ),
        ];
        const indexes = [0, 1];
        if (op.buyerFeeMinor !== 0n) {
          transfers.push(
            transfer(
              op.transferId + 2,
              op.buyerId,
              Bucket.AVAILABLE,
              0,
              Bucket.FEES,
              op.baseAssetId,
              op.buyerFeeMinor,
              TransferCode.TRADE_FEE,
              fee,
            ),
          );
          indexes.push(2);
        }
        if (op.sellerFeeMinor !== 0n) {
          transfers.push(
            transfer(
              op.transferId + 3,
              op.sellerId,
              Bucket.AVAILABLE,
              0,
              Bucket.FEES,
              op.quoteAssetId,
              op.sellerFeeMinor,
              TransferCode.TRADE_FEE,
              fee,
            ),
          );
          indexes.push(3);
        }
        return { transfers, indexes };
      }
      case 'settleWithdrawal': {
        if (op.feeMinor < 0n) {
          return { transfers: [], indexes: [], setResult: { result: ResultCode.AMOUNT_NOT_POSITIVE, index: 1 } };
        }
        const hold = holds.get(op.holdId);
        const common = { reference: hold?.reference ?? 0, holdId: op.holdId, holdAction: HoldAction.POST };
        const ownerId = hold?.ownerId ?? 0;
        const assetId = hold?.assetId ?? 0;
        const payout = hold === undefined ? 1n : hold.remainingMinor - op.feeMinor;
        const transfers = [
          transfer(
            op.transferId,
            ownerId,
            Bucket.WITHDRAWING,
            0,
            Bucket.WITHDRAWALS_IN_FLIGHT,
            assetId,
            payout,
            TransferCode.WITHDRAWAL_SETTLE,
            common,
          ),
        ];
        if (op.feeMinor !== 0n) {
          transfers.push(
            transfer(
              op.transferId + 1,
              ownerId,
              Bucket.WITHDRAWING,
              0,
              Bucket.FEES,
              assetId,
              op.feeMinor,
              TransferCode.WITHDRAWAL_FEE,
              common,
            ),
          );
        }
        return { transfers, indexes: [0, 1] };
      }
      case 'confirmWithdrawal':
        return one(
          transfer(
            op.transferId,
            0,
            Bucket.WITHDRAWALS_IN_FLIGHT,
            0,
            Bucket.CUSTODY,
            op.assetId,
            op.amountMinor,
            TransferCode.WITHDRAWAL_CONFIRM,
            {
              reference: op.reference,
            },
          ),
        );
      case 'adjust': {
        const credit = op.amountMinor > 0n;
        return one(
          transfer(
            op.transferId,
            credit ? 0 : op.ownerId,
            credit ? Bucket.ADJUSTMENTS : Bucket.AVAILABLE,
            credit ? op.ownerId : 0,
            credit ? Bucket.AVAILABLE : Bucket.ADJUSTMENTS,
            op.assetId,
            op.amountMinor < 0n ? -op.amountMinor : op.amountMinor,
            TransferCode.ADJUSTMENT,
            { reference: op.adjustmentId, memo: op.reason },
          ),
        );
      }
    }
  }
}

function transfer(
  id: number,
  debitOwnerId: number,
  debitBucket: Bucket,
  creditOwnerId: number,
  creditBucket: Bucket,
  assetId: number,
  amountMinor: bigint,
  code: TransferCode,
  extra: { reference?: number; holdId?: number; holdAction?: HoldAction; externalKey?: string; memo?: string } = {},
): Transfer {
  return {
    id,
    debitOwnerId,
    debitBucket,
    creditOwnerId,
    creditBucket,
    assetId,
    amountMinor,
    code,
    reference: extra.reference ?? 0,
    holdId: extra.holdId ?? 0,
    holdAction: extra.holdAction ?? HoldAction.NONE,
    externalKey: extra.externalKey ?? null,
    memo: extra.memo ?? null,
  };
}

function copy(state: State): State {
  return {
    balances: new Map(state.balances),
    holds: new Map([...state.holds].map(([id, hold]) => [id, { ...hold }])),
    keys: new Set(state.keys),
    lastId: state.lastId,
  };
}

function validAccount(ownerId: number, assetId: number, bucket: number): boolean {
  if (!Number.isSafeInteger(ownerId) || ownerId < 0 || ownerId > OWNER_ID_MAX) return false;
  if (!Number.isInteger(assetId) || assetId < 0 || assetId > ASSET_ID_MAX) return false;
  return ownerId === 0 ? SYSTEM_BUCKETS.includes(bucket) : USER_BUCKETS.includes(bucket);
}

function isHoldBucket(bucket: number): boolean {
  return bucket === Bucket.LOCKED || bucket === Bucket.WITHDRAWING;
}

/** The rules, written as plainly as possible, in the documented precedence order. */
function check(state: State, t: Transfer): ResultCodeValue {
  if (!Number.isSafeInteger(t.id) || t.id <= 0) return ResultCode.ID_INVALID;
  if (t.id <= state.lastId) return ResultCode.ID_ALREADY_USED;
  if (t.externalKey !== null) {
    if (t.externalKey.length === 0 || t.externalKey.length > EXTERNAL_KEY_LENGTH_MAX) {
      return ResultCode.EXTERNAL_KEY_INVALID;
    }
    if (state.keys.has(t.externalKey)) return ResultCode.EXTERNAL_KEY_ALREADY_USED;
  }
  if (t.memo !== null && (t.memo.length === 0 || t.memo.length > MEMO_LENGTH_MAX)) return ResultCode.MEMO_INVALID;
  if (t.amountMinor <= 0n) return ResultCode.AMOUNT_NOT_POSITIVE;
  if (t.amountMinor > AMOUNT_MAX_MINOR) return ResultCode.AMOUNT_TOO_LARGE;
  if (!Object.values(TransferCode).includes(t.code)) return ResultCode.CODE_INVALID;
  if (!Number.isSafeInteger(t.reference) || t.reference < 0) return ResultCode.REFERENCE_INVALID;
  const hold = state.holds.get(t.holdId);
  if (t.holdAction === HoldAction.NONE) {
    if (t.holdId !== 0) return ResultCode.HOLD_ID_INVALID;
  } else {
    if (!Number.isSafeInteger(t.holdId) || t.holdId <= 0) return ResultCode.HOLD_ID_INVALID;
    if (t.holdAction === HoldAction.CREATE && hold !== undefined) return ResultCode.HOLD_ALREADY_EXISTS;
    if (t.holdAction !== HoldAction.CREATE && hold === undefined) return ResultCode.HOLD_NOT_FOUND;
  }
  if (!validAccount(t.debitOwnerId, t.assetId, t.debitBucket)) return ResultCode.ACCOUNT_INVALID;
  if (!validAccount(t.creditOwnerId, t.assetId, t.creditBucket)) return ResultCode.ACCOUNT_INVALID;
  if (t.debitOwnerId === t.creditOwnerId && t.debitBucket === t.creditBucket) return ResultCode.ACCOUNTS_MUST_DIFFER;
  const touchesHoldBucket = isHoldBucket(t.debitBucket) || isHoldBucket(t.creditBucket);
  if (t.holdAction === HoldAction.NONE && touchesHoldBucket) return ResultCode.HOLD_REQUIRED;
  if (t.holdAction === HoldAction.CREATE) {
    const fits =
      t.debitBucket === Bucket.AVAILABLE && t.creditOwnerId === t.debitOwnerId && isHoldBucket(t.creditBucket);
    if (!fits) return ResultCode.HOLD_ACCOUNT_MISMATCH;
  }
  if (hold !== undefined && t.holdAction !== HoldAction.NONE && t.holdAction !== HoldAction.CREATE) {
    if (hold.assetId !== t.assetId) return ResultCode.ASSET_MISMATCH;
    const fromOwnerAvailable = t.debitOwnerId === hold.ownerId && t.debitBucket === Bucket.AVAILABLE;
    const fromHold = t.debitOwnerId === hold.ownerId && t.debitBucket === hold.bucket;
    const toHold = t.creditOwnerId === hold.ownerId && t.creditBucket === hold.bucket;
    const toOwnerAvailable = t.creditOwnerId === hold.ownerId && t.creditBucket === Bucket.AVAILABLE;
    const fits =
      t.holdAction === HoldAction.INCREASE
        ? fromOwnerAvailable && toHold
        : t.holdAction === HoldAction.POST
          ? fromHold && !isHoldBucket(t.creditBucket)
          : fromHold && toOwnerAvailable;
    if (!fits) return ResultCode.HOLD_ACCOUNT_MISMATCH;
    if (t.holdAction !== HoldAction.INCREASE && t.amountMinor > hold.remainingMinor) {
      return ResultCode.HOLD_INSUFFICIENT;
    }
  }
  const debitAfter = (state.balances.get(key(t.debitOwnerId, t.assetId, t.debitBucket)) ?? 0n) - t.amountMinor;
  const creditAfter = (state.balances.get(key(t.creditOwnerId, t.assetId, t.creditBucket)) ?? 0n) + t.amountMinor;
  if (t.debitOwnerId !== 0 && debitAfter < 0n) return ResultCode.INSUFFICIENT_FUNDS;
  if (debitAfter < -AMOUNT_MAX_MINOR || creditAfter > AMOUNT_MAX_MINOR) return ResultCode.BALANCE_LIMIT_EXCEEDED;
  return ResultCode.OK;
}

function applyTo(state: State, t: Transfer): void {
  const debit = key(t.debitOwnerId, t.assetId, t.debitBucket);
  const credit = key(t.creditOwnerId, t.assetId, t.creditBucket);
  state.balances.set(debit, (state.balances.get(debit) ?? 0n) - t.amountMinor);
  state.balances.set(credit, (state.balances.get(credit) ?? 0n) + t.amountMinor);
  const hold = state.holds.get(t.holdId);
  if (t.holdAction === HoldAction.CREATE) {
    state.holds.set(t.holdId, {
      ownerId: t.creditOwnerId,
      assetId: t.assetId,
      bucket: t.creditBucket as HoldBucket,
      reference: t.reference,
      heldMinor: t.amountMinor,
      remainingMinor: t.amountMinor,
    });
  } else if (hold !== undefined && t.holdAction === HoldAction.INCREASE) {
    hold.heldMinor += t.amountMinor;
    hold.remainingMinor += t.amountMinor;
  } else if (hold !== undefined && t.holdAction !== HoldAction.NONE) {
    hold.remainingMinor -= t.amountMinor;
    if (hold.remainingMinor === 0n) state.holds.delete(t.holdId);
  }
  if (t.externalKey !== null) state.keys.add(t.externalKey);
  state.lastId = t.id;
}
