// The in-memory double-entry ledger the engine applies on every balance change.
//
// Sign convention: balance = credits - debits, for every account. User accounts never go below zero; system
// accounts may, and CUSTODY does: crediting a user's deposit debits CUSTODY, so -CUSTODY is what the exchange's
// wallets should hold. Every transfer debits and credits the same asset by the same amount, so per asset all
// balances sum to zero at every instant.
//
// Operations are all-or-nothing: transfers are validated and applied one at a time (a later transfer of a linked
// set sees the effects of the earlier ones, as in TigerBeetle's linked chains), and on the first failure the
// applied ones are undone in reverse before returning. Nobody observes the intermediate state: transfers reach the
// sink only after the whole operation succeeded.
import { createHash } from 'node:crypto';
import {
  Bucket,
  HoldAction,
  ResultCode,
  TransferCode,
  bucketName,
  isHoldAction,
  isHoldBucket,
  isTransferCode,
  isUserBucket,
} from './codes.js';
import type { HoldBucket, SystemBucket } from './codes.js';
import { accountKey, isAccount, isBoundedString, isPositiveId, isReference } from './internal/account.js';
import { assertNever, invariant } from './internal/invariant.js';
import {
  AMOUNT_MAX_MINOR,
  EXTERNAL_KEY_LENGTH_MAX,
  LINKED_TRANSFERS_MAX,
  MEMO_LENGTH_MAX,
  SYSTEM_OWNER_ID,
} from './limits.js';
import { parseSnapshot, SNAPSHOT_FORMAT } from './snapshot.js';
import type { LedgerSnapshot } from './snapshot.js';
import type { AccountBalance, HoldView, LinkedResult, Transfer, TransferInput, TransferSink } from './transfer.js';

export interface LedgerOptions {
  /** Receives every applied transfer (the engine journals them); the ledger keeps none of them. */
  readonly sink?: TransferSink;
}

export interface DepositParams {
  readonly transferId: number;
  readonly ownerId: number;
  readonly assetId: number;
  readonly amountMinor: bigint;
  /** Idempotency key, e.g. `btc:txid:vout`: a replayed deposit returns EXTERNAL_KEY_ALREADY_USED. */
  readonly externalKey: string;
  /** CUSTODY (funds already in our wallets, the default) or DEPOSITS_IN_FLIGHT (credited before they arrive). */
  readonly source?: typeof Bucket.CUSTODY | typeof Bucket.DEPOSITS_IN_FLIGHT;
  /** The custody package's deposit id. */
  readonly reference?: number;
}

export interface CreateHoldParams {
  readonly transferId: number;
  /** One namespace for order and withdrawal holds: e.g. the sequence number of the command that opens it. */
  readonly holdId: number;
  readonly ownerId: number;
  readonly assetId: number;
  readonly amountMinor: bigint;
  /** LOCKED for an order, WITHDRAWING for a withdrawal. */
  readonly bucket: HoldBucket;
  /** Defaults to ORDER_HOLD or WITHDRAWAL_HOLD by bucket. */
  readonly code?: TransferCode;
  /** Defaults to holdId. */
  readonly reference?: number;
}

export interface PostFromHoldParams {
  readonly transferId: number;
  readonly holdId: number;
  readonly amountMinor: bigint;
  readonly creditOwnerId: number;
  /** Any bucket except LOCKED and WITHDRAWING. */
  readonly creditBucket: Bucket;
  readonly code: TransferCode;
  /** Defaults to the hold's reference. */
  readonly reference?: number;
}

export interface VoidHoldParams {
  readonly transferId: number;
  readonly holdId: number;
  /** Defaults to ORDER_RELEASE or WITHDRAWAL_RELEASE by the hold's bucket. */
  readonly code?: TransferCode;
  /** Defaults to the hold's reference. */
  readonly reference?: number;
}

export interface ResizeHoldParams {
  readonly transferId: number;
  readonly holdId: number;
  /** The hold's new remaining amount: lower releases the difference to AVAILABLE, higher holds more, 0 voids. */
  readonly remainingMinor: bigint;
  /** Defaults to ORDER_/WITHDRAWAL_ HOLD when growing, RELEASE when shrinking. */
  readonly code?: TransferCode;
  /** Defaults to the hold's reference. */
  readonly reference?: number;
}

export interface SettleTradeParams {
  /** First of TRADE_TRANSFER_IDS ids: base leg +0, quote leg +1, buyer fee +2, seller fee +3 (unused ids skipped). */
  readonly transferId: number;
  /** Reference of every leg. */
  readonly tradeId: number;
  readonly baseAssetId: number;
  readonly quoteAssetId: number;
  readonly buyerId: number;
  readonly sellerId: number;
  /** The buyer's order hold, in quote, LOCKED. */
  readonly buyerHoldId: number;
  /** The seller's order hold, in base, LOCKED. */
  readonly sellerHoldId: number;
  /** Base paid out of the seller's hold to the buyer. */
  readonly baseMinor: bigint;
  /** Quote paid out of the buyer's hold to the seller. */
  readonly quoteMinor: bigint;
  /** In base, from the buyer's AVAILABLE (the base just received pays it); 0 = no fee transfer. */
  readonly buyerFeeMinor: bigint;
  /** In quote, from the seller's AVAILABLE (the quote just received pays it); 0 = no fee transfer. */
  readonly sellerFeeMinor: bigint;
}

export interface HoldWithdrawalParams {
  readonly transferId: number;
  readonly holdId: number;
  readonly withdrawalId: number;
  readonly ownerId: number;
  readonly assetId: number;
  /** Payout plus fee. */
  readonly amountMinor: bigint;
}

export interface SettleWithdrawalParams {
  /** First of WITHDRAWAL_SETTLE_TRANSFER_IDS ids: payout +0, fee +1 (skipped when the fee is 0). */
  readonly transferId: number;
  readonly holdId: number;
  /** Taken from the hold into FEES; the rest of the hold goes to WITHDRAWALS_IN_FLIGHT. Defaults to 0. */
  readonly feeMinor?: bigint;
  /** Defaults to the hold's reference (the withdrawal id). */
  readonly reference?: number;
}

export interface ReleaseWithdrawalParams {
  readonly transferId: number;
  readonly holdId: number;
  /** Defaults to the hold's reference (the withdrawal id). */
  readonly reference?: number;
}

export interface ConfirmWithdrawalParams {
  readonly transferId: number;
  readonly assetId: number;
  readonly amountMinor: bigint;
  /** The withdrawal id. */
  readonly reference: number;
  /** e.g. the chain transaction id, to make confirmation idempotent. */
  readonly externalKey?: string | null;
}

export interface ConfirmDepositParams {
  readonly transferId: number;
  readonly assetId: number;
  readonly amountMinor: bigint;
  /** The deposit id. */
  readonly reference: number;
  readonly externalKey?: string | null;
}

export interface MoveSystemFundsParams {
  readonly transferId: number;
  readonly assetId: number;
  readonly fromBucket: SystemBucket;
  readonly toBucket: SystemBucket;
  readonly amountMinor: bigint;
  /** Defaults to SYSTEM_MOVE. */
  readonly code?: TransferCode;
  readonly reference?: number;
  readonly memo?: string | null;
  readonly externalKey?: string | null;
}

export interface AdjustParams {
  readonly transferId: number;
  /** The audit record of the staff action. */
  readonly adjustmentId: number;
  readonly ownerId: number;
  readonly assetId: number;
  /** Signed: > 0 credits the user's AVAILABLE from ADJUSTMENTS, < 0 debits it (never below zero). */
  readonly amountMinor: bigint;
  /** Required reason, kept on the transfer. */
  readonly reason: string;
}

/** Per asset totals: one entry per bucket, the user and system subtotals, and their sum (always zero). */
export interface AssetTrialBalance {
  readonly assetId: number;
  readonly byBucket: Readonly<Record<keyof typeof Bucket, bigint>>;
  readonly usersMinor: bigint;
  readonly systemMinor: bigint;
  readonly netMinor: bigint;
}

const LINKED_OK: LinkedResult = Object.freeze({ result: ResultCode.OK, index: -1 });

class Account {
  readonly key: number;
  readonly ownerId: number;
  readonly assetId: number;
  readonly bucket: Bucket;
  balanceMinor: bigint;

  constructor(key: number, ownerId: number, assetId: number, bucket: Bucket, balanceMinor: bigint) {
    this.key = key;
    this.ownerId = ownerId;
    this.assetId = assetId;
    this.bucket = bucket;
    this.balanceMinor = balanceMinor;
  }
}

class Hold {
  readonly holdId: number;
  readonly ownerId: number;
  readonly assetId: number;
  readonly bucket: HoldBucket;
  readonly reference: number;
  heldMinor: bigint;
  remainingMinor: bigint;

  constructor(
    holdId: number,
    ownerId: number,
    assetId: number,
    bucket: HoldBucket,
    reference: number,
    heldMinor: bigint,
    remainingMinor: bigint,
  ) {
    this.holdId = holdId;
    this.ownerId = ownerId;
    this.assetId = assetId;
    this.bucket = bucket;
    this.reference = reference;
    this.heldMinor = heldMinor;
    this.remainingMinor = remainingMinor;
  }
}

/** One shape for every transfer the ledger emits (one hidden class on the hot path). */
function makeTransfer(
  id: number,
  debitOwnerId: number,
  debitBucket: Bucket,
  creditOwnerId: number,
  creditBucket: Bucket,
  assetId: number,
  amountMinor: bigint,
  code: TransferCode,
  reference: number,
  holdId: number,
  holdAction: HoldAction,
  externalKey: string | null,
  memo: string | null,
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
    reference,
    holdId,
    holdAction,
    externalKey,
    memo,
  };
}

function failed(result: ResultCode, index: number): LinkedResult {
  return { result, index };
}

// Placeholders for fields a helper derives from a hold that does not exist. Validation returns HOLD_NOT_FOUND
// before it looks at any of them, so they only keep the precedence of the earlier checks intact.
const MISSING_HOLD_AMOUNT_MINOR = 1n;

export class Ledger {
  private readonly accounts = new Map<number, Account>();
  /** Accounts per owner, for balancesOf without scanning every account. */
  private readonly accountsByOwner = new Map<number, Account[]>();
  private readonly holds = new Map<number, Hold>();
  private readonly externalKeys = new Set<string>();
  private lastTransferIdValue = 0;
  private sink: TransferSink;

  // The operation in progress: what was applied so far, to emit on success or undo on failure.
  private readonly appliedTransfers: Transfer[] = [];
  /** Per applied transfer, the hold it closed (to reopen on undo), else null. */
  private readonly closedHolds: (Hold | null)[] = [];
  private lastTransferIdAtStart = 0;
  private emitting = false;

  // Scratch results of validate(), consumed by applyValidated(): avoids allocating a tuple per transfer.
  private scratchDebit: Account | undefined = undefined;
  private scratchCredit: Account | undefined = undefined;
  private scratchHold: Hold | undefined = undefined;

  constructor(options: LedgerOptions = {}) {
    this.sink = options.sink ?? noSink;
  }

  /** Rebuilds a ledger from snapshot(); throws on a malformed snapshot or one that breaks an invariant. */
  static restore(snapshot: unknown, options: LedgerOptions = {}): Ledger {
    const parsed = parseSnapshot(snapshot);
    const ledger = new Ledger(options);
    ledger.lastTransferIdValue = parsed.lastTransferId;
    for (const [ownerId, assetId, bucket, amount] of parsed.balances) {
      const key = accountKey(ownerId, assetId, bucket);
      if (ledger.accounts.has(key)) invariant(`snapshot: duplicate balance ${ownerId}/${assetId}/${bucket}`);
      ledger.createAccount(key, ownerId, assetId, bucket).balanceMinor = BigInt(amount);
    }
    for (const [holdId, ownerId, assetId, bucket, reference, held, remaining] of parsed.holds) {
      if (ledger.holds.has(holdId)) invariant(`snapshot: duplicate hold ${holdId}`);
      ledger.holds.set(holdId, new Hold(holdId, ownerId, assetId, bucket, reference, BigInt(held), BigInt(remaining)));
    }
    for (const key of parsed.externalKeys) {
      if (ledger.externalKeys.has(key)) invariant(`snapshot: duplicate external key ${JSON.stringify(key)}`);
      ledger.externalKeys.add(key);
    }
    ledger.checkInvariants();
    return ledger;
  }

  setSink(sink: TransferSink): void {
    this.sink = sink;
  }

  // ---------------------------------------------------------------------------------------------- queries

  get lastTransferId(): number {
    return this.lastTransferIdValue;
  }

  get openHoldCount(): number {
    return this.holds.size;
  }

  /** The balance of an account (credits - debits); 0 for an account that never moved or does not exist. */
  balance(ownerId: number, assetId: number, bucket: Bucket): bigint {
    if (!isAccount(ownerId, assetId, bucket)) return 0n;
    return this.accounts.get(accountKey(ownerId, assetId, bucket))?.balanceMinor ?? 0n;
  }

  /** Every non-zero balance of an owner, ordered by asset then bucket. */
  balancesOf(ownerId: number): AccountBalance[] {
    const owned = this.accountsByOwner.get(ownerId);
    if (owned === undefined) return [];
    const result: AccountBalance[] = [];
    for (const account of [...owned].sort(byKey)) {
      if (account.balanceMinor !== 0n) {
        result.push({ assetId: account.assetId, bucket: account.bucket, amountMinor: account.balanceMinor });
      }
    }
    return result;
  }

  /** An open hold, or undefined once it was fully posted or released (or never existed). */
  hold(holdId: number): HoldView | undefined {
    const hold = this.holds.get(holdId);
    return hold === undefined ? undefined : holdView(hold);
  }

  hasExternalKey(externalKey: string): boolean {
    return this.externalKeys.has(externalKey);
  }

  // ------------------------------------------------------------------------------------------- operations

  /** Applies one transfer; see applyLinked. */
  apply(input: TransferInput): ResultCode {
    return this.applySingle(normalize(input));
  }

  /**
   * Applies transfers all-or-nothing, in order, each validated against the state left by the ones before it.
   * On failure nothing is applied and the result names the first failing transfer.
   */
  applyLinked(inputs: readonly TransferInput[]): LinkedResult {
    if (inputs.length === 0) return failed(ResultCode.LINKED_SET_EMPTY, -1);
    if (inputs.length > LINKED_TRANSFERS_MAX) return failed(ResultCode.LINKED_SET_TOO_LARGE, -1);
    this.begin();
    for (let index = 0; index < inputs.length; index++) {
      const result = this.applyOne(normalize(inputs[index] as TransferInput));
      if (result !== ResultCode.OK) return this.rollback(result, index);
    }
    this.commit();
    return LINKED_OK;
  }

  /** Credits a user's AVAILABLE from CUSTODY (or DEPOSITS_IN_FLIGHT), once per external key. */
  deposit(params: DepositParams): ResultCode {
    const source = params.source ?? Bucket.CUSTODY;
    if (source !== Bucket.CUSTODY && source !== Bucket.DEPOSITS_IN_FLIGHT) return ResultCode.ACCOUNT_INVALID;
    return this.applySingle(
      makeTransfer(
        params.transferId,
        SYSTEM_OWNER_ID,
        source,
        params.ownerId,
        Bucket.AVAILABLE,
        params.assetId,
        params.amountMinor,
        TransferCode.DEPOSIT,
        params.reference ?? 0,
        0,
        HoldAction.NONE,
        params.externalKey ?? '',
        null,
      ),
    );
  }

  /** Moves AVAILABLE -> LOCKED (order) or WITHDRAWING (withdrawal) and opens hold `holdId` for that amount. */
  createHold(params: CreateHoldParams): ResultCode {
    const bucket = params.bucket;
    const code = params.code ?? (bucket === Bucket.LOCKED ? TransferCode.ORDER_HOLD : TransferCode.WITHDRAWAL_HOLD);
    return this.applySingle(
      makeTransfer(
        params.transferId,
        params.ownerId,
        Bucket.AVAILABLE,
        params.ownerId,
        bucket,
        params.assetId,
        params.amountMinor,
        code,
        params.reference ?? params.holdId,
        params.holdId,
        HoldAction.CREATE,
        null,
        null,
      ),
    );
  }

  /** Pays `amountMinor` out of an open hold to any non-hold account; the hold closes when nothing remains. */
  postFromHold(params: PostFromHoldParams): ResultCode {
    const hold = this.holds.get(params.holdId);
    return this.applySingle(
      makeTransfer(
        params.transferId,
        hold?.ownerId ?? SYSTEM_OWNER_ID,
        hold?.bucket ?? Bucket.LOCKED,
        params.creditOwnerId,
        params.creditBucket,
        hold?.assetId ?? 0,
        params.amountMinor,
        params.code,
        params.reference ?? hold?.reference ?? 0,
        params.holdId,
        HoldAction.POST,
        null,
        null,
      ),
    );
  }

  /** Releases everything that remains on an open hold back to its owner's AVAILABLE and closes it. */
  voidHold(params: VoidHoldParams): ResultCode {
    const hold = this.holds.get(params.holdId);
    return this.applySingle(this.releaseTransfer(params.transferId, params.holdId, hold, undefined, params));
  }

  /**
   * Sets an open hold's remaining amount: lower releases the difference (price improvement, amend down; 0 voids),
   * higher moves more from AVAILABLE, equal does nothing and emits no transfer.
   */
  resizeHold(params: ResizeHoldParams): ResultCode {
    const hold = this.holds.get(params.holdId);
    const target = params.remainingMinor;
    const valid = typeof target === 'bigint' && target >= 0n;
    if (hold !== undefined && valid && target > hold.remainingMinor) {
      return this.applySingle(
        makeTransfer(
          params.transferId,
          hold.ownerId,
          Bucket.AVAILABLE,
          hold.ownerId,
          hold.bucket,
          hold.assetId,
          target - hold.remainingMinor,
          params.code ?? (hold.bucket === Bucket.LOCKED ? TransferCode.ORDER_HOLD : TransferCode.WITHDRAWAL_HOLD),
          params.reference ?? hold.reference,
          hold.holdId,
          HoldAction.INCREASE,
          null,
          null,
        ),
      );
    }
    if (hold !== undefined && target === hold.remainingMinor) return ResultCode.OK;
    // An invalid target becomes a zero release, so validation answers AMOUNT_NOT_POSITIVE in precedence order.
    const releaseMinor = !valid ? 0n : hold === undefined ? MISSING_HOLD_AMOUNT_MINOR : hold.remainingMinor - target;
    return this.applySingle(this.releaseTransfer(params.transferId, params.holdId, hold, releaseMinor, params));
  }

  /**
   * Settles one trade as linked transfers: base out of the seller's hold to the buyer, quote out of the buyer's
   * hold to the seller, then each non-zero fee from the receiver's AVAILABLE to FEES. All or nothing.
   */
  settleTrade(params: SettleTradeParams): LinkedResult {
    if (params.baseAssetId === params.quoteAssetId) return failed(ResultCode.ASSET_MISMATCH, -1);
    const id = params.transferId;
    const tradeId = params.tradeId;
    this.begin();
    let result = this.applyOne(
      makeTransfer(
        id,
        params.sellerId,
        Bucket.LOCKED,
        params.buyerId,
        Bucket.AVAILABLE,
        params.baseAssetId,
        params.baseMinor,
        TransferCode.TRADE_BASE,
        tradeId,
        params.sellerHoldId,
        HoldAction.POST,
        null,
        null,
      ),
    );
    if (result !== ResultCode.OK) return this.rollback(result, 0);
    result = this.applyOne(
      makeTransfer(
        id + 1,
        params.buyerId,
        Bucket.LOCKED,
        params.sellerId,
        Bucket.AVAILABLE,
        params.quoteAssetId,
        params.quoteMinor,
        TransferCode.TRADE_QUOTE,
        tradeId,
        params.buyerHoldId,
        HoldAction.POST,
        null,
        null,
      ),
    );
    if (result !== ResultCode.OK) return this.rollback(result, 1);
    if (params.buyerFeeMinor !== 0n) {
      result = this.applyOne(
        makeTransfer(
          id + 2,
          params.buyerId,
          Bucket.AVAILABLE,
          SYSTEM_OWNER_ID,
          Bucket.FEES,
          params.baseAssetId,
          params.buyerFeeMinor,
          TransferCode.TRADE_FEE,
          tradeId,
          0,
          HoldAction.NONE,
          null,
          null,
        ),
      );
      if (result !== ResultCode.OK) return this.rollback(result, 2);
    }
    if (params.sellerFeeMinor !== 0n) {
      result = this.applyOne(
        makeTransfer(
          id + 3,
          params.sellerId,
          Bucket.AVAILABLE,
          SYSTEM_OWNER_ID,
          Bucket.FEES,
          params.quoteAssetId,
          params.sellerFeeMinor,
          TransferCode.TRADE_FEE,
          tradeId,
          0,
          HoldAction.NONE,
          null,
          null,
        ),
      );
      if (result !== ResultCode.OK) return this.rollback(result, 3);
    }
    this.commit();
    return LINKED_OK;
  }

  /** Moves AVAILABLE -> WITHDRAWING and opens a withdrawal hold referencing the withdrawal. */
  holdWithdrawal(params: HoldWithdrawalParams): ResultCode {
    return this.createHold({
      transferId: params.transferId,
      holdId: params.holdId,
      ownerId: params.ownerId,
      assetId: params.assetId,
      amountMinor: params.amountMinor,
      bucket: Bucket.WITHDRAWING,
      code: TransferCode.WITHDRAWAL_HOLD,
      reference: params.withdrawalId,
    });
  }

  /**
   * Consumes a whole withdrawal hold: the fee to FEES and the rest to WITHDRAWALS_IN_FLIGHT, where it waits for
   * confirmWithdrawal. The fee must be below the held amount. All or nothing.
   */
  settleWithdrawal(params: SettleWithdrawalParams): LinkedResult {
    const hold = this.holds.get(params.holdId);
    const feeMinor = params.feeMinor ?? 0n;
    if (typeof feeMinor !== 'bigint' || feeMinor < 0n) return failed(ResultCode.AMOUNT_NOT_POSITIVE, 1);
    const ownerId = hold?.ownerId ?? SYSTEM_OWNER_ID;
    const assetId = hold?.assetId ?? 0;
    const reference = params.reference ?? hold?.reference ?? 0;
    this.begin();
    let result = this.applyOne(
      makeTransfer(
        params.transferId,
        ownerId,
        Bucket.WITHDRAWING,
        SYSTEM_OWNER_ID,
        Bucket.WITHDRAWALS_IN_FLIGHT,
        assetId,
        hold === undefined ? MISSING_HOLD_AMOUNT_MINOR : hold.remainingMinor - feeMinor,
        TransferCode.WITHDRAWAL_SETTLE,
        reference,
        params.holdId,
        HoldAction.POST,
        null,
        null,
      ),
    );
    if (result !== ResultCode.OK) return this.rollback(result, 0);
    if (feeMinor !== 0n) {
      result = this.applyOne(
        makeTransfer(
          params.transferId + 1,
          ownerId,
          Bucket.WITHDRAWING,
          SYSTEM_OWNER_ID,
          Bucket.FEES,
          assetId,
          feeMinor,
          TransferCode.WITHDRAWAL_FEE,
          reference,
          params.holdId,
          HoldAction.POST,
          null,
          null,
        ),
      );
      if (result !== ResultCode.OK) return this.rollback(result, 1);
    }
    // A fee of exactly the hold would leave a zero payout, rejected above; so the hold is closed now.
    if (this.holds.has(params.holdId)) invariant(`settleWithdrawal left hold ${params.holdId} open`);
    this.commit();
    return LINKED_OK;
  }

  /** Gives a withdrawal hold back to AVAILABLE (rejected or cancelled withdrawal) and closes it. */
  releaseWithdrawal(params: ReleaseWithdrawalParams): ResultCode {
    const hold = this.holds.get(params.holdId);
    return this.applySingle(
      makeTransfer(
        params.transferId,
        hold?.ownerId ?? SYSTEM_OWNER_ID,
        Bucket.WITHDRAWING,
        hold?.ownerId ?? SYSTEM_OWNER_ID,
        Bucket.AVAILABLE,
        hold?.assetId ?? 0,
        hold?.remainingMinor ?? MISSING_HOLD_AMOUNT_MINOR,
        TransferCode.WITHDRAWAL_RELEASE,
        params.reference ?? hold?.reference ?? 0,
        params.holdId,
        HoldAction.RELEASE,
        null,
        null,
      ),
    );
  }

  /** The withdrawal left custody: WITHDRAWALS_IN_FLIGHT -> CUSTODY. */
  confirmWithdrawal(params: ConfirmWithdrawalParams): ResultCode {
    return this.moveSystemFunds({
      transferId: params.transferId,
      assetId: params.assetId,
      fromBucket: Bucket.WITHDRAWALS_IN_FLIGHT,
      toBucket: Bucket.CUSTODY,
      amountMinor: params.amountMinor,
      code: TransferCode.WITHDRAWAL_CONFIRM,
      reference: params.reference,
      externalKey: params.externalKey ?? null,
    });
  }

  /** Deposit funds credited from DEPOSITS_IN_FLIGHT reached custody: CUSTODY -> DEPOSITS_IN_FLIGHT. */
  confirmDeposit(params: ConfirmDepositParams): ResultCode {
    return this.moveSystemFunds({
      transferId: params.transferId,
      assetId: params.assetId,
      fromBucket: Bucket.CUSTODY,
      toBucket: Bucket.DEPOSITS_IN_FLIGHT,
      amountMinor: params.amountMinor,
      code: TransferCode.DEPOSIT_CONFIRM,
      reference: params.reference,
      externalKey: params.externalKey ?? null,
    });
  }

  /** A transfer between two system accounts (treasury: fees to insurance, reconciliation corrections). */
  moveSystemFunds(params: MoveSystemFundsParams): ResultCode {
    return this.applySingle(
      makeTransfer(
        params.transferId,
        SYSTEM_OWNER_ID,
        params.fromBucket,
        SYSTEM_OWNER_ID,
        params.toBucket,
        params.assetId,
        params.amountMinor,
        params.code ?? TransferCode.SYSTEM_MOVE,
        params.reference ?? 0,
        0,
        HoldAction.NONE,
        params.externalKey ?? null,
        params.memo ?? null,
      ),
    );
  }

  /** A staff correction of a user's AVAILABLE against ADJUSTMENTS, with its reason as the memo. */
  adjust(params: AdjustParams): ResultCode {
    const amount = params.amountMinor;
    const credit = typeof amount === 'bigint' && amount > 0n;
    return this.applySingle(
      makeTransfer(
        params.transferId,
        credit ? SYSTEM_OWNER_ID : params.ownerId,
        credit ? Bucket.ADJUSTMENTS : Bucket.AVAILABLE,
        credit ? params.ownerId : SYSTEM_OWNER_ID,
        credit ? Bucket.AVAILABLE : Bucket.ADJUSTMENTS,
        params.assetId,
        typeof amount === 'bigint' && amount < 0n ? -amount : amount,
        TransferCode.ADJUSTMENT,
        params.adjustmentId,
        0,
        HoldAction.NONE,
        null,
        params.reason ?? '',
      ),
    );
  }

  // ------------------------------------------------------------------------------------------- invariants

  /** Throws LedgerInvariantError naming the first broken invariant. O(accounts + holds). */
  checkInvariants(): void {
    const sumByAsset = new Map<number, bigint>();
    for (const account of this.accounts.values()) {
      const { ownerId, assetId, bucket, balanceMinor } = account;
      if (!isAccount(ownerId, assetId, bucket)) invariant(`account ${ownerId}/${assetId}/${bucket} is not valid`);
      const where = `account ${ownerId}/${assetId}/${bucketName(bucket)}`;
      if (account.key !== accountKey(ownerId, assetId, bucket)) invariant(`${where} has key ${account.key}`);
      if (this.accounts.get(account.key) !== account) invariant(`${where} is not indexed under its key`);
      if (typeof balanceMinor !== 'bigint') invariant(`${where} balance is not a bigint`);
      if (ownerId !== SYSTEM_OWNER_ID && balanceMinor < 0n) invariant(`${where} is negative: ${balanceMinor}`);
      if (balanceMinor > AMOUNT_MAX_MINOR || balanceMinor < -AMOUNT_MAX_MINOR) {
        invariant(`${where} is out of range: ${balanceMinor}`);
      }
      sumByAsset.set(assetId, (sumByAsset.get(assetId) ?? 0n) + balanceMinor);
    }
    for (const [assetId, sum] of sumByAsset) {
      if (sum !== 0n) invariant(`asset ${assetId}: balances sum to ${sum}, not 0 (money created or destroyed)`);
    }
    let indexed = 0;
    for (const [ownerId, owned] of this.accountsByOwner) {
      for (const account of owned) {
        if (account.ownerId !== ownerId || this.accounts.get(account.key) !== account) {
          invariant(`owner index of ${ownerId} lists a foreign account ${account.key}`);
        }
      }
      indexed += owned.length;
    }
    if (indexed !== this.accounts.size) invariant(`owner index lists ${indexed} of ${this.accounts.size} accounts`);

    const heldByAccount = new Map<number, bigint>();
    for (const [holdId, hold] of this.holds) {
      const where = `hold ${holdId}`;
      if (hold.holdId !== holdId || !isPositiveId(holdId)) invariant(`${where} is indexed as ${hold.holdId}`);
      if (!isHoldBucket(hold.bucket)) invariant(`${where} is in bucket ${hold.bucket}`);
      if (!isAccount(hold.ownerId, hold.assetId, hold.bucket)) invariant(`${where} has an invalid account`);
      if (!isReference(hold.reference)) invariant(`${where} has reference ${hold.reference}`);
      if (hold.remainingMinor <= 0n) invariant(`${where} is open with remaining ${hold.remainingMinor}`);
      if (hold.remainingMinor > hold.heldMinor) {
        invariant(`${where} has remaining ${hold.remainingMinor} above held ${hold.heldMinor}`);
      }
      const key = accountKey(hold.ownerId, hold.assetId, hold.bucket);
      heldByAccount.set(key, (heldByAccount.get(key) ?? 0n) + hold.remainingMinor);
    }
    for (const account of this.accounts.values()) {
      if (!isHoldBucket(account.bucket)) continue;
      const held = heldByAccount.get(account.key) ?? 0n;
      if (account.balanceMinor !== held) {
        invariant(
          `account ${account.ownerId}/${account.assetId}/${bucketName(account.bucket)} is ${account.balanceMinor} ` +
            `but its open holds sum to ${held}`,
        );
      }
      heldByAccount.delete(account.key);
    }
    for (const [key, held] of heldByAccount) invariant(`open holds of ${held} on account ${key} that has no balance`);

    for (const key of this.externalKeys) {
      if (!isBoundedString(key, EXTERNAL_KEY_LENGTH_MAX)) invariant(`external key ${JSON.stringify(key)} is invalid`);
    }
    if (!isReference(this.lastTransferIdValue)) invariant(`last transfer id ${this.lastTransferIdValue} is invalid`);
    if (this.appliedTransfers.length !== 0) invariant('an operation is still in progress');
  }

  /** Per asset (ascending), the total of every bucket across owners; netMinor is always 0. */
  trialBalance(): AssetTrialBalance[] {
    const byAsset = new Map<number, Record<keyof typeof Bucket, bigint>>();
    for (const account of this.accounts.values()) {
      let totals = byAsset.get(account.assetId);
      if (totals === undefined) {
        totals = zeroBuckets();
        byAsset.set(account.assetId, totals);
      }
      totals[bucketName(account.bucket)] += account.balanceMinor;
    }
    return [...byAsset.entries()]
      .sort(([a], [b]) => a - b)
      .map(([assetId, byBucket]) => {
        let usersMinor = 0n;
        let systemMinor = 0n;
        for (const name of Object.keys(Bucket) as (keyof typeof Bucket)[]) {
          if (isUserBucket(Bucket[name])) usersMinor += byBucket[name];
          else systemMinor += byBucket[name];
        }
        return { assetId, byBucket, usersMinor, systemMinor, netMinor: usersMinor + systemMinor };
      });
  }

  // ----------------------------------------------------------------------------------- snapshot and hash

  /** Deterministic, JSON-safe state: non-zero balances, open holds and external keys, each sorted. */
  snapshot(): LedgerSnapshot {
    return {
      format: SNAPSHOT_FORMAT,
      lastTransferId: this.lastTransferIdValue,
      balances: this.sortedAccounts().map((a) => [a.ownerId, a.assetId, a.bucket, a.balanceMinor.toString()]),
      holds: this.sortedHolds().map((h) => [
        h.holdId,
        h.ownerId,
        h.assetId,
        h.bucket,
        h.reference,
        h.heldMinor.toString(),
        h.remainingMinor.toString(),
      ]),
      externalKeys: [...this.externalKeys].sort(),
    };
  }

  /**
   * SHA-256 over the same canonical content as snapshot(), streamed row by row: equal hashes mean equal
   * balances, holds, external keys and last transfer id, whatever history led there.
   */
  stateHash(): string {
    const hash = createHash('sha256');
    hash.update(`${SNAPSHOT_FORMAT}\nlast ${this.lastTransferIdValue}\n`);
    for (const a of this.sortedAccounts()) hash.update(`b ${a.ownerId} ${a.assetId} ${a.bucket} ${a.balanceMinor}\n`);
    for (const h of this.sortedHolds()) {
      hash.update(
        `h ${h.holdId} ${h.ownerId} ${h.assetId} ${h.bucket} ${h.reference} ${h.heldMinor} ${h.remainingMinor}\n`,
      );
    }
    // JSON quoting keeps keys containing spaces or newlines unambiguous.
    for (const key of [...this.externalKeys].sort()) hash.update(`k ${JSON.stringify(key)}\n`);
    return hash.digest('hex');
  }

  // ------------------------------------------------------------------------------------------- internals

  private sortedAccounts(): Account[] {
    const accounts: Account[] = [];
    for (const account of this.accounts.values()) if (account.balanceMinor !== 0n) accounts.push(account);
    return accounts.sort(byKey);
  }

  private sortedHolds(): Hold[] {
    return [...this.holds.values()].sort((a, b) => a.holdId - b.holdId);
  }

  private releaseTransfer(
    transferId: number,
    holdId: number,
    hold: Hold | undefined,
    amountMinor: bigint | undefined,
    params: { readonly code?: TransferCode; readonly reference?: number },
  ): Transfer {
    const ownerId = hold?.ownerId ?? SYSTEM_OWNER_ID;
    return makeTransfer(
      transferId,
      ownerId,
      hold?.bucket ?? Bucket.LOCKED,
      ownerId,
      Bucket.AVAILABLE,
      hold?.assetId ?? 0,
      amountMinor ?? hold?.remainingMinor ?? MISSING_HOLD_AMOUNT_MINOR,
      params.code ??
        (hold?.bucket === Bucket.WITHDRAWING ? TransferCode.WITHDRAWAL_RELEASE : TransferCode.ORDER_RELEASE),
      params.reference ?? hold?.reference ?? 0,
      holdId,
      HoldAction.RELEASE,
      null,
      null,
    );
  }

  private applySingle(transfer: Transfer): ResultCode {
    this.begin();
    const result = this.applyOne(transfer);
    if (result !== ResultCode.OK) return this.rollback(result, 0).result;
    this.commit();
    return ResultCode.OK;
  }

  private begin(): void {
    if (this.emitting) invariant('the transfer sink called back into the ledger');
    if (this.appliedTransfers.length !== 0) invariant('an operation began inside another');
    this.lastTransferIdAtStart = this.lastTransferIdValue;
  }

  private commit(): void {
    const applied = this.appliedTransfers;
    this.emitting = true;
    try {
      for (let index = 0; index < applied.length; index++) this.sink(applied[index] as Transfer);
    } finally {
      this.emitting = false;
      applied.length = 0;
      this.closedHolds.length = 0;
    }
  }

  /** Undoes, newest first, what the failed operation applied so far; the state is as before begin(). */
  private rollback(result: ResultCode, index: number): LinkedResult {
    const applied = this.appliedTransfers;
    for (let i = applied.length - 1; i >= 0; i--) this.undo(applied[i] as Transfer, this.closedHolds[i] ?? null);
    applied.length = 0;
    this.closedHolds.length = 0;
    this.lastTransferIdValue = this.lastTransferIdAtStart;
    return failed(result, index);
  }

  private applyOne(transfer: Transfer): ResultCode {
    const result = this.validate(transfer);
    if (result !== ResultCode.OK) return result;
    this.applyValidated(transfer);
    return ResultCode.OK;
  }

  /** Every check, in ResultCode precedence order. Leaves the accounts and hold it found in the scratch fields. */
  private validate(t: Transfer): ResultCode {
    if (!isPositiveId(t.id)) return ResultCode.ID_INVALID;
    if (t.id <= this.lastTransferIdValue) return ResultCode.ID_ALREADY_USED;
    const externalKey = t.externalKey;
    if (externalKey !== null) {
      if (!isBoundedString(externalKey, EXTERNAL_KEY_LENGTH_MAX)) return ResultCode.EXTERNAL_KEY_INVALID;
      if (this.externalKeys.has(externalKey)) return ResultCode.EXTERNAL_KEY_ALREADY_USED;
    }
    if (t.memo !== null && !isBoundedString(t.memo, MEMO_LENGTH_MAX)) return ResultCode.MEMO_INVALID;
    const amount = t.amountMinor;
    if (typeof amount !== 'bigint' || amount <= 0n) return ResultCode.AMOUNT_NOT_POSITIVE;
    if (amount > AMOUNT_MAX_MINOR) return ResultCode.AMOUNT_TOO_LARGE;
    if (!isTransferCode(t.code)) return ResultCode.CODE_INVALID;
    if (!isReference(t.reference)) return ResultCode.REFERENCE_INVALID;
    const action = t.holdAction;
    if (!isHoldAction(action)) return ResultCode.HOLD_ACTION_INVALID;
    let hold: Hold | undefined = undefined;
    if (action === HoldAction.NONE) {
      if (t.holdId !== 0) return ResultCode.HOLD_ID_INVALID;
    } else {
      if (!isPositiveId(t.holdId)) return ResultCode.HOLD_ID_INVALID;
      hold = this.holds.get(t.holdId);
      if (action === HoldAction.CREATE) {
        if (hold !== undefined) return ResultCode.HOLD_ALREADY_EXISTS;
      } else if (hold === undefined) {
        return ResultCode.HOLD_NOT_FOUND;
      }
    }
    const debitOwnerId = t.debitOwnerId;
    const debitBucket = t.debitBucket;
    const creditOwnerId = t.creditOwnerId;
    const creditBucket = t.creditBucket;
    const assetId = t.assetId;
    if (!isAccount(debitOwnerId, assetId, debitBucket) || !isAccount(creditOwnerId, assetId, creditBucket)) {
      return ResultCode.ACCOUNT_INVALID;
    }
    if (debitOwnerId === creditOwnerId && debitBucket === creditBucket) return ResultCode.ACCOUNTS_MUST_DIFFER;
    if (hold === undefined) {
      if (action === HoldAction.NONE) {
        if (isHoldBucket(debitBucket) || isHoldBucket(creditBucket)) return ResultCode.HOLD_REQUIRED;
      } else if (
        // CREATE: owner AVAILABLE -> the same owner's LOCKED or WITHDRAWING.
        debitBucket !== Bucket.AVAILABLE ||
        creditOwnerId !== debitOwnerId ||
        !isHoldBucket(creditBucket)
      ) {
        return ResultCode.HOLD_ACCOUNT_MISMATCH;
      }
    } else {
      if (hold.assetId !== assetId) return ResultCode.ASSET_MISMATCH;
      const ownerId = hold.ownerId;
      let fits: boolean;
      switch (action) {
        case HoldAction.INCREASE:
          fits =
            debitOwnerId === ownerId &&
            debitBucket === Bucket.AVAILABLE &&
            creditOwnerId === ownerId &&
            creditBucket === hold.bucket;
          break;
        case HoldAction.POST:
          fits = debitOwnerId === ownerId && debitBucket === hold.bucket && !isHoldBucket(creditBucket);
          break;
        case HoldAction.RELEASE:
          fits =
            debitOwnerId === ownerId &&
            debitBucket === hold.bucket &&
            creditOwnerId === ownerId &&
            creditBucket === Bucket.AVAILABLE;
          break;
        default:
          return invariant(`hold action ${action} reached account checks with hold ${hold.holdId}`);
      }
      if (!fits) return ResultCode.HOLD_ACCOUNT_MISMATCH;
      if (action !== HoldAction.INCREASE && amount > hold.remainingMinor) return ResultCode.HOLD_INSUFFICIENT;
    }
    const debit = this.accounts.get(accountKey(debitOwnerId, assetId, debitBucket));
    const credit = this.accounts.get(accountKey(creditOwnerId, assetId, creditBucket));
    const debitAfter = (debit?.balanceMinor ?? 0n) - amount;
    if (debitOwnerId !== SYSTEM_OWNER_ID && debitAfter < 0n) return ResultCode.INSUFFICIENT_FUNDS;
    if (debitAfter < -AMOUNT_MAX_MINOR) return ResultCode.BALANCE_LIMIT_EXCEEDED;
    if ((credit?.balanceMinor ?? 0n) + amount > AMOUNT_MAX_MINOR) return ResultCode.BALANCE_LIMIT_EXCEEDED;
    this.scratchDebit = debit;
    this.scratchCredit = credit;
    this.scratchHold = hold;
    return ResultCode.OK;
  }

  private applyValidated(t: Transfer): void {
    const amount = t.amountMinor;
    const debit =
      this.scratchDebit ??
      this.createAccount(
        accountKey(t.debitOwnerId, t.assetId, t.debitBucket),
        t.debitOwnerId,
        t.assetId,
        t.debitBucket,
      );
    const credit =
      this.scratchCredit ??
      this.createAccount(
        accountKey(t.creditOwnerId, t.assetId, t.creditBucket),
        t.creditOwnerId,
        t.assetId,
        t.creditBucket,
      );
    const hold = this.scratchHold;
    this.scratchDebit = undefined;
    this.scratchCredit = undefined;
    this.scratchHold = undefined;

    debit.balanceMinor -= amount;
    credit.balanceMinor += amount;
    if (debit.ownerId !== SYSTEM_OWNER_ID && debit.balanceMinor < 0n) {
      invariant(`transfer ${t.id} overdrew account ${debit.ownerId}/${debit.assetId}/${debit.bucket}`);
    }

    let closed: Hold | null = null;
    switch (t.holdAction) {
      case HoldAction.NONE:
        break;
      case HoldAction.CREATE:
        this.holds.set(
          t.holdId,
          new Hold(t.holdId, t.creditOwnerId, t.assetId, t.creditBucket as HoldBucket, t.reference, amount, amount),
        );
        break;
      case HoldAction.INCREASE:
        if (hold === undefined) return invariant(`transfer ${t.id} grew a missing hold ${t.holdId}`);
        hold.heldMinor += amount;
        hold.remainingMinor += amount;
        break;
      case HoldAction.POST:
      case HoldAction.RELEASE:
        if (hold === undefined) return invariant(`transfer ${t.id} drew on a missing hold ${t.holdId}`);
        hold.remainingMinor -= amount;
        if (hold.remainingMinor < 0n) invariant(`transfer ${t.id} overdrew hold ${t.holdId}`);
        if (hold.remainingMinor === 0n) {
          this.holds.delete(t.holdId);
          closed = hold;
        }
        break;
      default:
        return assertNever(t.holdAction);
    }
    if (t.externalKey !== null) this.externalKeys.add(t.externalKey);
    this.lastTransferIdValue = t.id;
    this.appliedTransfers.push(t);
    this.closedHolds.push(closed);
  }

  /** The exact inverse of applyValidated, for a transfer applied within the current operation. */
  private undo(t: Transfer, closed: Hold | null): void {
    const debit = this.accounts.get(accountKey(t.debitOwnerId, t.assetId, t.debitBucket));
    const credit = this.accounts.get(accountKey(t.creditOwnerId, t.assetId, t.creditBucket));
    if (debit === undefined || credit === undefined) return invariant(`undo of transfer ${t.id}: missing account`);
    debit.balanceMinor += t.amountMinor;
    credit.balanceMinor -= t.amountMinor;
    switch (t.holdAction) {
      case HoldAction.NONE:
        break;
      case HoldAction.CREATE:
        if (!this.holds.delete(t.holdId)) invariant(`undo of transfer ${t.id}: hold ${t.holdId} is gone`);
        break;
      case HoldAction.INCREASE: {
        const hold = this.holds.get(t.holdId);
        if (hold === undefined) return invariant(`undo of transfer ${t.id}: hold ${t.holdId} is gone`);
        hold.heldMinor -= t.amountMinor;
        hold.remainingMinor -= t.amountMinor;
        break;
      }
      case HoldAction.POST:
      case HoldAction.RELEASE: {
        const hold = closed ?? this.holds.get(t.holdId);
        if (hold === undefined) return invariant(`undo of transfer ${t.id}: hold ${t.holdId} is gone`);
        hold.remainingMinor += t.amountMinor;
        if (closed !== null) this.holds.set(t.holdId, closed);
        break;
      }
      default:
        return assertNever(t.holdAction);
    }
    if (t.externalKey !== null) this.externalKeys.delete(t.externalKey);
  }

  private createAccount(key: number, ownerId: number, assetId: number, bucket: Bucket): Account {
    const account = new Account(key, ownerId, assetId, bucket, 0n);
    this.accounts.set(key, account);
    const owned = this.accountsByOwner.get(ownerId);
    if (owned === undefined) this.accountsByOwner.set(ownerId, [account]);
    else owned.push(account);
    return account;
  }
}

function noSink(): void {}

function byKey(a: Account, b: Account): number {
  return a.key - b.key;
}

function holdView(hold: Hold): HoldView {
  return {
    holdId: hold.holdId,
    ownerId: hold.ownerId,
    assetId: hold.assetId,
    bucket: hold.bucket,
    reference: hold.reference,
    heldMinor: hold.heldMinor,
    remainingMinor: hold.remainingMinor,
  };
}

function zeroBuckets(): Record<keyof typeof Bucket, bigint> {
  const totals = {} as Record<keyof typeof Bucket, bigint>;
  for (const name of Object.keys(Bucket) as (keyof typeof Bucket)[]) totals[name] = 0n;
  return totals;
}

/** Copies caller input into the one emitted shape, so later mutation of the input cannot reach the journal. */
function normalize(input: TransferInput): Transfer {
  return makeTransfer(
    input.id,
    input.debitOwnerId,
    input.debitBucket,
    input.creditOwnerId,
    input.creditBucket,
    input.assetId,
    input.amountMinor,
    input.code,
    input.reference ?? 0,
    input.holdId ?? 0,
    input.holdAction ?? HoldAction.NONE,
    input.externalKey ?? null,
    input.memo ?? null,
  );
}
