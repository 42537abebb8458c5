// The ledger's durable form: deterministic (every list sorted) and JSON-safe (amounts as decimal strings).
// parseSnapshot checks the shape strictly; Ledger.restore then checks every invariant on the rebuilt state.
import { isHoldBucket } from './codes.js';
import type { Bucket, HoldBucket } from './codes.js';
import { isAccount, isBoundedString, isPositiveId, isReference } from './internal/account.js';
import { invariant } from './internal/invariant.js';
import { EXTERNAL_KEY_LENGTH_MAX } from './limits.js';

export const SNAPSHOT_FORMAT = 'exbox.ledger.snapshot/1';

/** [ownerId, assetId, bucket, amountMinor]; only non-zero balances, ordered by (owner, asset, bucket). */
export type SnapshotBalance = [ownerId: number, assetId: number, bucket: Bucket, amountMinor: string];

/** [holdId, ownerId, assetId, bucket, reference, heldMinor, remainingMinor]; only open holds, ordered by id. */
export type SnapshotHold = [
  holdId: number,
  ownerId: number,
  assetId: number,
  bucket: HoldBucket,
  reference: number,
  heldMinor: string,
  remainingMinor: string,
];

export interface LedgerSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  lastTransferId: number;
  balances: SnapshotBalance[];
  holds: SnapshotHold[];
  /** Every external idempotency key ever applied, sorted. */
  externalKeys: string[];
}

const INTEGER_PATTERN = /^-?(0|[1-9][0-9]*)$/;

/** Throws LedgerInvariantError on anything that is not a well-formed snapshot. */
export function parseSnapshot(value: unknown): LedgerSnapshot {
  if (!isRecord(value)) return invariant('snapshot: not an object');
  if (value['format'] !== SNAPSHOT_FORMAT) return invariant(`snapshot: format is not ${SNAPSHOT_FORMAT}`);
  const lastTransferId = value['lastTransferId'];
  if (typeof lastTransferId !== 'number' || !isReference(lastTransferId)) {
    return invariant('snapshot: lastTransferId is not a non-negative safe integer');
  }
  const balances = value['balances'];
  const holds = value['holds'];
  const externalKeys = value['externalKeys'];
  if (!Array.isArray(balances) || !Array.isArray(holds) || !Array.isArray(externalKeys)) {
    return invariant('snapshot: balances, holds and externalKeys must be arrays');
  }
  balances.forEach((row: unknown, index) => {
    const where = `snapshot: balances[${index}]`;
    if (!Array.isArray(row) || row.length !== 4) return invariant(`${where} is not a 4-tuple`);
    const [ownerId, assetId, bucket, amount] = row as unknown[];
    if (typeof ownerId !== 'number' || typeof assetId !== 'number' || typeof bucket !== 'number') {
      return invariant(`${where} has a non-numeric account`);
    }
    if (!isAccount(ownerId, assetId, bucket)) return invariant(`${where} is not a valid account`);
    if (!isInteger(amount) || amount === '0') return invariant(`${where} amount is not a non-zero integer string`);
  });
  holds.forEach((row: unknown, index) => {
    const where = `snapshot: holds[${index}]`;
    if (!Array.isArray(row) || row.length !== 7) return invariant(`${where} is not a 7-tuple`);
    const [holdId, ownerId, assetId, bucket, reference, held, remaining] = row as unknown[];
    if (
      typeof holdId !== 'number' ||
      typeof ownerId !== 'number' ||
      typeof assetId !== 'number' ||
      typeof bucket !== 'number' ||
      typeof reference !== 'number'
    ) {
      return invariant(`${where} has a non-numeric id`);
    }
    if (!isPositiveId(holdId)) return invariant(`${where} id is not a positive safe integer`);
    if (!isHoldBucket(bucket) || !isAccount(ownerId, assetId, bucket)) return invariant(`${where} account is invalid`);
    if (!isReference(reference)) return invariant(`${where} reference is invalid`);
    if (!isInteger(held) || !isInteger(remaining)) return invariant(`${where} amounts are not integer strings`);
  });
  externalKeys.forEach((key: unknown, index) => {
    if (!isBoundedString(key, EXTERNAL_KEY_LENGTH_MAX)) invariant(`snapshot: externalKeys[${index}] is invalid`);
  });
  return value as unknown as LedgerSnapshot;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 80 && INTEGER_PATTERN.test(value);
}
