// Every bound the ledger relies on, named once (TIGER_STYLE: put a limit on everything).
// limits.test.ts checks how they relate to each other.

/** The owner of every system account (fees, custody, in-flight, adjustments, insurance). */
export const SYSTEM_OWNER_ID = 0;

/**
 * Account keys are packed into one safe integer, `(ownerId * ASSET_ID_COUNT + assetId) * BUCKET_COUNT + bucket`,
 * so a balance lookup is a single Map probe on a number. The three bounds below are what makes that exact.
 */
export const BUCKET_COUNT = 16;
export const ASSET_ID_MAX = 0xffff;
export const ASSET_ID_COUNT = ASSET_ID_MAX + 1;
/** 2^33 - 1: about 8.6 billion owners, the most that keeps the packed account key below 2^53. */
export const OWNER_ID_MAX = 2 ** 33 - 1;

/** Transfer, hold and reference ids are positive safe integers (Postgres bigint holds them all). */
export const ID_MAX = Number.MAX_SAFE_INTEGER;

/** numeric(38,0) is the widest amount Postgres stores for us; no amount and no balance may exceed it. */
export const AMOUNT_MAX_MINOR = 10n ** 38n - 1n;

/** A linked set is applied all-or-nothing; a trade needs 4 transfers, a withdrawal settlement 2. */
export const LINKED_TRANSFERS_MAX = 16;

/** Transfer ids settleTrade consumes, at fixed offsets from its first id: base, quote, buyer fee, seller fee. */
export const TRADE_TRANSFER_IDS = 4;
/** Transfer ids settleWithdrawal consumes: the payout and the fee. */
export const WITHDRAWAL_SETTLE_TRANSFER_IDS = 2;

/** External idempotency keys (e.g. `chain:txid:vout`) and memos are short strings kept in bounded memory. */
export const EXTERNAL_KEY_LENGTH_MAX = 128;
export const MEMO_LENGTH_MAX = 256;
