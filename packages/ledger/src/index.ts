// @exbox/ledger: the pure, in-memory double-entry ledger the engine applies on every balance change.
// Drizzle tables live behind the separate '@exbox/ledger/schema' entry so this core loads no ORM.
export { Ledger } from './ledger.js';
export type {
  AdjustParams,
  AssetTrialBalance,
  ConfirmDepositParams,
  ConfirmWithdrawalParams,
  CreateHoldParams,
  DepositParams,
  HoldWithdrawalParams,
  LedgerOptions,
  MoveSystemFundsParams,
  PostFromHoldParams,
  ReleaseWithdrawalParams,
  ResizeHoldParams,
  SettleTradeParams,
  SettleWithdrawalParams,
  VoidHoldParams,
} from './ledger.js';
export {
  Bucket,
  HoldAction,
  ResultCode,
  TransferCode,
  bucketName,
  holdActionName,
  isBucket,
  isHoldBucket,
  isSystemBucket,
  isUserBucket,
  resultCodeName,
  transferCodeName,
} from './codes.js';
export type { HoldBucket, SystemBucket, UserBucket } from './codes.js';
export type { AccountBalance, HoldView, LinkedResult, Transfer, TransferInput, TransferSink } from './transfer.js';
export { LedgerInvariantError } from './internal/invariant.js';
export { SNAPSHOT_FORMAT } from './snapshot.js';
export type { LedgerSnapshot, SnapshotBalance, SnapshotHold } from './snapshot.js';
export * from './limits.js';
