import type { Bucket, HoldAction, HoldBucket, ResultCode, TransferCode } from './codes.js';

/**
 * One applied, append-only movement of `amountMinor` of one asset from a debit account to a credit account.
 * Both sides share the asset, so every transfer sums to zero per asset by construction.
 * Every emitted transfer has exactly these fields (null or 0 when absent), in this order.
 */
export interface Transfer {
  /** Positive safe integer, strictly greater than every id applied before it. */
  readonly id: number;
  readonly debitOwnerId: number;
  readonly debitBucket: Bucket;
  readonly creditOwnerId: number;
  readonly creditBucket: Bucket;
  readonly assetId: number;
  /** > 0 and <= AMOUNT_MAX_MINOR. */
  readonly amountMinor: bigint;
  readonly code: TransferCode;
  /** The order, trade, withdrawal, deposit or adjustment this belongs to; 0 = none. */
  readonly reference: number;
  /** The hold this transfer opens, grows, posts from or releases; 0 with HoldAction.NONE. */
  readonly holdId: number;
  readonly holdAction: HoldAction;
  /** Idempotency key of an externally originated operation (e.g. `btc:txid:vout`), remembered forever. */
  readonly externalKey: string | null;
  /** Free text, e.g. the reason of a staff adjustment. */
  readonly memo: string | null;
}

/** What applyLinked accepts: a Transfer whose hold, reference, key and memo fields may be left out. */
export interface TransferInput {
  readonly id: number;
  readonly debitOwnerId: number;
  readonly debitBucket: Bucket;
  readonly creditOwnerId: number;
  readonly creditBucket: Bucket;
  readonly assetId: number;
  readonly amountMinor: bigint;
  readonly code: TransferCode;
  readonly reference?: number;
  readonly holdId?: number;
  readonly holdAction?: HoldAction;
  readonly externalKey?: string | null;
  readonly memo?: string | null;
}

/** Receives every applied transfer, in order, once its operation has fully succeeded. Must not call the ledger. */
export type TransferSink = (transfer: Transfer) => void;

/**
 * Outcome of an all-or-nothing operation. On failure nothing was applied; `index` is the position of the failing
 * transfer (for settleTrade and settleWithdrawal, the offset of its id from `transferId`), or -1 when the set
 * as a whole was rejected before any transfer was looked at.
 */
export interface LinkedResult {
  readonly result: ResultCode;
  readonly index: number;
}

/** An open hold: a pending transfer that has not been fully posted or released yet. */
export interface HoldView {
  readonly holdId: number;
  readonly ownerId: number;
  readonly assetId: number;
  readonly bucket: HoldBucket;
  readonly reference: number;
  /** Everything ever put on hold (created plus increased). */
  readonly heldMinor: bigint;
  /** What can still be posted or released; > 0 while the hold is open. */
  readonly remainingMinor: bigint;
}

export interface AccountBalance {
  readonly assetId: number;
  readonly bucket: Bucket;
  readonly amountMinor: bigint;
}
