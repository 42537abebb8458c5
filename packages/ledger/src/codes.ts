// The ledger's closed vocabularies: buckets, transfer codes, hold actions and result codes.
// Values are small integers because they sit on the hot path and in the journal; they are append-only
// (never renumber a value, the journal and snapshots keep them). Names are for logs, the DB and the edge.

/**
 * Where money sits. An account is (ownerId, assetId, bucket).
 * User buckets belong to owners > 0 and never go negative. System buckets belong to SYSTEM_OWNER_ID (0).
 */
export const Bucket = {
  /** Free to trade or withdraw. */
  AVAILABLE: 0,
  /** Held for open orders: always equals the remaining amount of the owner's open order holds. */
  LOCKED: 1,
  /** Held for pending withdrawals: always equals the remaining amount of the owner's open withdrawal holds. */
  WITHDRAWING: 2,
  /** Trading and withdrawal fees earned by the exchange. */
  FEES: 8,
  /** Mirror of what the exchange's wallets hold; negative (see README: sign convention). */
  CUSTODY: 9,
  /** Deposits credited to users before the funds reached custody. */
  DEPOSITS_IN_FLIGHT: 10,
  /** Withdrawals taken from users and not yet confirmed as having left custody. */
  WITHDRAWALS_IN_FLIGHT: 11,
  /** Counterparty of staff corrections. */
  ADJUSTMENTS: 12,
  /** Insurance fund. */
  INSURANCE: 13,
} as const;
export type Bucket = (typeof Bucket)[keyof typeof Bucket];
export type UserBucket = typeof Bucket.AVAILABLE | typeof Bucket.LOCKED | typeof Bucket.WITHDRAWING;
export type HoldBucket = typeof Bucket.LOCKED | typeof Bucket.WITHDRAWING;
export type SystemBucket = Exclude<Bucket, UserBucket>;

const bucketNames: readonly (string | undefined)[] = invert(Bucket);

export function isBucket(value: number): value is Bucket {
  return Number.isInteger(value) && bucketNames[value] !== undefined;
}

export function isUserBucket(bucket: number): bucket is UserBucket {
  return bucket === Bucket.AVAILABLE || bucket === Bucket.LOCKED || bucket === Bucket.WITHDRAWING;
}

export function isHoldBucket(bucket: number): bucket is HoldBucket {
  return bucket === Bucket.LOCKED || bucket === Bucket.WITHDRAWING;
}

export function isSystemBucket(bucket: number): bucket is SystemBucket {
  return isBucket(bucket) && !isUserBucket(bucket);
}

export function bucketName(bucket: Bucket): keyof typeof Bucket {
  return nameOf(bucketNames, bucket, 'bucket') as keyof typeof Bucket;
}

/**
 * Why a transfer happened. The ledger attaches no rules to a code (as in TigerBeetle, a code is a label for
 * audit and reporting); the helper methods pick the right one.
 */
export const TransferCode = {
  DEPOSIT: 1,
  /** Deposit funds reached custody: DEPOSITS_IN_FLIGHT is settled against CUSTODY. */
  DEPOSIT_CONFIRM: 2,
  WITHDRAWAL_HOLD: 3,
  WITHDRAWAL_SETTLE: 4,
  WITHDRAWAL_RELEASE: 5,
  /** A withdrawal left custody: WITHDRAWALS_IN_FLIGHT is settled against CUSTODY. */
  WITHDRAWAL_CONFIRM: 6,
  WITHDRAWAL_FEE: 7,
  ORDER_HOLD: 8,
  ORDER_RELEASE: 9,
  TRADE_BASE: 10,
  TRADE_QUOTE: 11,
  TRADE_FEE: 12,
  ADJUSTMENT: 13,
  /** Treasury moves between system accounts, e.g. fees into the insurance fund. */
  SYSTEM_MOVE: 14,
} as const;
export type TransferCode = (typeof TransferCode)[keyof typeof TransferCode];

const transferCodeNames: readonly (string | undefined)[] = invert(TransferCode);

export function isTransferCode(value: number): value is TransferCode {
  return Number.isInteger(value) && transferCodeNames[value] !== undefined;
}

export function transferCodeName(code: TransferCode): keyof typeof TransferCode {
  return nameOf(transferCodeNames, code, 'transfer code') as keyof typeof TransferCode;
}

/**
 * What a transfer does to a hold (TigerBeetle's pending transfers, adapted to partial fills).
 * A hold is open from CREATE until its remaining amount reaches zero, by POSTs, RELEASEs or both.
 */
export const HoldAction = {
  /** Plain transfer; must not touch a hold bucket. */
  NONE: 0,
  /** Owner AVAILABLE -> owner LOCKED or WITHDRAWING; opens hold `holdId` with `amountMinor` remaining. */
  CREATE: 1,
  /** Owner AVAILABLE -> the hold's account; adds to the remaining amount (amend up). */
  INCREASE: 2,
  /** The hold's account -> any account of the asset; pays out of the remaining amount (a fill, a settlement). */
  POST: 3,
  /** The hold's account -> owner AVAILABLE; gives back part or all of the remaining amount (amend down, void). */
  RELEASE: 4,
} as const;
export type HoldAction = (typeof HoldAction)[keyof typeof HoldAction];

const holdActionNames: readonly (string | undefined)[] = invert(HoldAction);

export function isHoldAction(value: number): value is HoldAction {
  return Number.isInteger(value) && holdActionNames[value] !== undefined;
}

export function holdActionName(action: HoldAction): keyof typeof HoldAction {
  return nameOf(holdActionNames, action, 'hold action') as keyof typeof HoldAction;
}

/**
 * Every outcome of a ledger operation, in precedence order: when several things are wrong, the result is the
 * first one in this list (checks run in this order, per transfer). Bad input is one of these, never a throw;
 * a throw means a broken invariant, which is a bug.
 */
export const ResultCode = {
  OK: 0,
  /** applyLinked was given no transfers. */
  LINKED_SET_EMPTY: 1,
  /** applyLinked was given more than LINKED_TRANSFERS_MAX transfers. */
  LINKED_SET_TOO_LARGE: 2,
  /** A transfer id is not a positive safe integer. */
  ID_INVALID: 3,
  /**
   * A transfer id is not greater than the last applied one. Ids must strictly increase, which proves them unique
   * without remembering every id ever used.
   */
  ID_ALREADY_USED: 4,
  /** An external key is empty or longer than EXTERNAL_KEY_LENGTH_MAX. */
  EXTERNAL_KEY_INVALID: 5,
  /** An externally keyed operation (e.g. a deposit by chain transaction) was already applied: a replay. */
  EXTERNAL_KEY_ALREADY_USED: 6,
  /** A memo is empty, too long, or missing where one is required (adjustments). */
  MEMO_INVALID: 7,
  AMOUNT_NOT_POSITIVE: 8,
  /** An amount is above AMOUNT_MAX_MINOR. */
  AMOUNT_TOO_LARGE: 9,
  CODE_INVALID: 10,
  /** A reference is neither zero (none) nor a positive safe integer. */
  REFERENCE_INVALID: 11,
  HOLD_ACTION_INVALID: 12,
  /** A hold action without a positive safe-integer hold id, or a hold id on a plain transfer. */
  HOLD_ID_INVALID: 13,
  /** CREATE with the id of a hold that is still open. */
  HOLD_ALREADY_EXISTS: 14,
  /** The hold is not open: it never existed, was voided, or was fully posted. */
  HOLD_NOT_FOUND: 15,
  /** An owner, asset or bucket is out of range, or a user bucket is used on the system owner or vice versa. */
  ACCOUNT_INVALID: 16,
  /** Debit and credit are the same account. */
  ACCOUNTS_MUST_DIFFER: 17,
  /** A plain transfer touches LOCKED or WITHDRAWING: those move only through holds, to keep them equal to holds. */
  HOLD_REQUIRED: 18,
  /** The transfer's asset is not the hold's asset (or a trade's base equals its quote). */
  ASSET_MISMATCH: 19,
  /** The transfer's accounts do not fit the hold action (see HoldAction), or the hold is of the other kind. */
  HOLD_ACCOUNT_MISMATCH: 20,
  /** POST or RELEASE of more than the hold's remaining amount. */
  HOLD_INSUFFICIENT: 21,
  /** The debited user account would go negative. */
  INSUFFICIENT_FUNDS: 22,
  /** A balance would leave [-AMOUNT_MAX_MINOR, AMOUNT_MAX_MINOR]. */
  BALANCE_LIMIT_EXCEEDED: 23,
} as const;
export type ResultCode = (typeof ResultCode)[keyof typeof ResultCode];

const resultCodeNames: readonly (string | undefined)[] = invert(ResultCode);

export function resultCodeName(code: ResultCode): keyof typeof ResultCode {
  return nameOf(resultCodeNames, code, 'result code') as keyof typeof ResultCode;
}

function invert(values: Readonly<Record<string, number>>): (string | undefined)[] {
  const names: (string | undefined)[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (names[value] !== undefined) throw new Error(`ledger: duplicate code value ${value} (${name})`);
    names[value] = name;
  }
  return names;
}

function nameOf(names: readonly (string | undefined)[], value: number, what: string): string {
  const name = names[value];
  if (name === undefined) throw new Error(`ledger: unknown ${what} ${value}`);
  return name;
}
