// Proves the named limits and closed vocabularies fit together: packed account keys stay exact and ordered,
// every bucket fits the key, linked sets can hold the biggest helper, amounts match numeric(38,0), and result
// codes are numbered in their documented precedence order.
import { describe, expect, it } from 'vitest';
import {
  AMOUNT_MAX_MINOR,
  ASSET_ID_COUNT,
  ASSET_ID_MAX,
  BUCKET_COUNT,
  Bucket,
  HoldAction,
  LINKED_TRANSFERS_MAX,
  OWNER_ID_MAX,
  ResultCode,
  SYSTEM_OWNER_ID,
  TRADE_TRANSFER_IDS,
  TransferCode,
  WITHDRAWAL_SETTLE_TRANSFER_IDS,
  bucketName,
  isSystemBucket,
  isUserBucket,
  resultCodeName,
} from './index.js';
import { accountKey } from './internal/account.js';
import { Prng } from './testing/prng.js';

describe('limits', () => {
  it('packs the largest account into a safe integer', () => {
    expect(ASSET_ID_COUNT).toBe(ASSET_ID_MAX + 1);
    expect((OWNER_ID_MAX + 1) * ASSET_ID_COUNT * BUCKET_COUNT).toBeLessThanOrEqual(2 ** 53);
    expect(Number.isSafeInteger(accountKey(OWNER_ID_MAX, ASSET_ID_MAX, BUCKET_COUNT - 1))).toBe(true);
    for (const bucket of Object.values(Bucket)) expect(bucket).toBeLessThan(BUCKET_COUNT);
  });

  it('orders packed keys like (owner, asset, bucket) tuples, so sorted snapshots are canonical', () => {
    const prng = new Prng(5);
    const sample = () =>
      [Number(prng.bigint(BigInt(OWNER_ID_MAX) + 1n)), prng.int(ASSET_ID_COUNT), prng.int(BUCKET_COUNT)] as const;
    for (let i = 0; i < 1_000; i++) {
      const a = sample();
      const b = sample();
      const byTuple = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
      expect(Math.sign(accountKey(...a) - accountKey(...b))).toBe(Math.sign(byTuple));
    }
  });

  it('lets a linked set carry the largest helper and bounds amounts to numeric(38,0)', () => {
    expect(LINKED_TRANSFERS_MAX).toBeGreaterThanOrEqual(TRADE_TRANSFER_IDS);
    expect(LINKED_TRANSFERS_MAX).toBeGreaterThanOrEqual(WITHDRAWAL_SETTLE_TRANSFER_IDS);
    expect(AMOUNT_MAX_MINOR.toString()).toBe('9'.repeat(38));
    expect(SYSTEM_OWNER_ID).toBe(0);
  });
});

describe('vocabularies', () => {
  it('numbers result codes 0..n-1 in declaration (precedence) order', () => {
    const values = Object.values(ResultCode);
    expect(values).toEqual(values.map((_, index) => index));
    expect(resultCodeName(ResultCode.OK)).toBe('OK');
  });

  it('splits buckets into user and system kinds with unique values', () => {
    const values = Object.values(Bucket);
    expect(new Set(values).size).toBe(values.length);
    expect(values.filter(isUserBucket).map(bucketName)).toEqual(['AVAILABLE', 'LOCKED', 'WITHDRAWING']);
    expect(values.filter(isSystemBucket).length).toBe(values.length - 3);
  });

  it('keeps transfer codes and hold actions unique', () => {
    for (const vocabulary of [TransferCode, HoldAction]) {
      const values = Object.values(vocabulary);
      expect(new Set(values).size).toBe(values.length);
    }
  });
});
