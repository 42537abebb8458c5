import { isSystemBucket, isUserBucket } from '../codes.js';
import { ASSET_ID_COUNT, ASSET_ID_MAX, BUCKET_COUNT, OWNER_ID_MAX, SYSTEM_OWNER_ID } from '../limits.js';

/** Packs an account into one safe integer; the limits make it exact, collision-free and ordered like the tuple. */
export function accountKey(ownerId: number, assetId: number, bucket: number): number {
  return (ownerId * ASSET_ID_COUNT + assetId) * BUCKET_COUNT + bucket;
}

/** Owner and asset in range, and the bucket of the owner's kind: system buckets on owner 0, user buckets above. */
export function isAccount(ownerId: number, assetId: number, bucket: number): boolean {
  return (
    Number.isSafeInteger(ownerId) &&
    ownerId >= 0 &&
    ownerId <= OWNER_ID_MAX &&
    Number.isInteger(assetId) &&
    assetId >= 0 &&
    assetId <= ASSET_ID_MAX &&
    (ownerId === SYSTEM_OWNER_ID ? isSystemBucket(bucket) : isUserBucket(bucket))
  );
}

export function isPositiveId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

/** 0 means "no reference". */
export function isReference(reference: number): boolean {
  return Number.isSafeInteger(reference) && reference >= 0;
}

export function isBoundedString(value: unknown, lengthMax: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= lengthMax;
}
