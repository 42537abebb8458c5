// Proves snapshot()/restore() lose nothing: a ledger restored from a JSON round trip of its snapshot, mid-stream,
// behaves exactly like the original from then on (same results, same transfers, same state hash at every step).
// Also proves the state hash depends on the state and not on the history that led to it, and that restore
// refuses malformed or inconsistent snapshots instead of starting from them.
import { describe, expect, it } from 'vitest';
import { Bucket, Ledger, LedgerInvariantError, SNAPSHOT_FORMAT } from './index.js';
import type { LedgerSnapshot, Transfer } from './index.js';
import { Auditor } from './testing/auditor.js';
import { Prng } from './testing/prng.js';
import { IdSource, applyToLedger, describe as show, generateOperation } from './testing/scenario.js';

function jsonRoundTrip(snapshot: LedgerSnapshot): unknown {
  return JSON.parse(JSON.stringify(snapshot));
}

describe('snapshot and restore', () => {
  it.each([11, 12, 13])('seed %i: a restored ledger continues exactly like the original', (seed) => {
    const prng = new Prng(seed);
    const auditor = new Auditor();
    const ids = new IdSource();
    const original = new Ledger();
    for (let step = 0; step < 400; step++) {
      const op = generateOperation(prng, auditor, ids);
      auditor.apply(op);
      applyToLedger(original, op);
    }
    const snapshot = original.snapshot();
    const restored = Ledger.restore(jsonRoundTrip(snapshot));
    expect(restored.snapshot()).toEqual(snapshot);
    expect(restored.stateHash()).toBe(original.stateHash());
    expect(snapshot.holds.length).toBeGreaterThan(0);

    const fromOriginal: Transfer[] = [];
    const fromRestored: Transfer[] = [];
    original.setSink((transfer) => fromOriginal.push(transfer));
    restored.setSink((transfer) => fromRestored.push(transfer));
    for (let step = 0; step < 400; step++) {
      const op = generateOperation(prng, auditor, ids);
      auditor.apply(op);
      const context = `seed ${seed}, step ${step}, op ${show(op)}`;
      expect(applyToLedger(restored, op), context).toEqual(applyToLedger(original, op));
      expect(restored.stateHash(), context).toBe(original.stateHash());
    }
    expect(fromRestored).toEqual(fromOriginal);
    expect(fromOriginal.length).toBeGreaterThan(100);
    expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(original.snapshot()));
    restored.checkInvariants();
  });

  it('hashes the state, not the history that led to it', () => {
    const first = new Ledger();
    first.deposit({ transferId: 1, ownerId: 1, assetId: 1, amountMinor: 5n, externalKey: 'a' });
    first.deposit({ transferId: 2, ownerId: 2, assetId: 1, amountMinor: 7n, externalKey: 'b' });
    const second = new Ledger();
    second.deposit({ transferId: 1, ownerId: 2, assetId: 1, amountMinor: 7n, externalKey: 'b' });
    second.deposit({ transferId: 2, ownerId: 1, assetId: 1, amountMinor: 5n, externalKey: 'a' });
    // A refused hold leaves an empty account behind in the map; it must not count.
    second.createHold({ transferId: 3, holdId: 1, ownerId: 3, assetId: 1, amountMinor: 1n, bucket: Bucket.LOCKED });
    expect(second.stateHash()).toBe(first.stateHash());
    expect(second.snapshot()).toEqual(first.snapshot());
    first.deposit({ transferId: 3, ownerId: 2, assetId: 1, amountMinor: 1n, externalKey: 'c' });
    expect(second.stateHash()).not.toBe(first.stateHash());
  });

  it('refuses malformed and inconsistent snapshots', () => {
    const ledger = new Ledger();
    ledger.deposit({ transferId: 1, ownerId: 1, assetId: 1, amountMinor: 10n, externalKey: 'a' });
    ledger.createHold({ transferId: 2, holdId: 5, ownerId: 1, assetId: 1, amountMinor: 4n, bucket: Bucket.LOCKED });
    const good = ledger.snapshot();
    expect(() => Ledger.restore(jsonRoundTrip(good))).not.toThrow();
    const broken: [string, (s: LedgerSnapshot) => unknown][] = [
      ['not an object', () => 'nope'],
      ['format', (s) => ({ ...s, format: 'exbox.ledger.snapshot/0' })],
      ['lastTransferId', (s) => ({ ...s, lastTransferId: -1 })],
      ['must be arrays', (s) => ({ ...s, holds: {} })],
      ['not a 4-tuple', (s) => ({ ...s, balances: [[1, 1, 0]] })],
      ['non-zero integer string', (s) => ({ ...s, balances: [...s.balances, [2, 1, 0, '01']] })],
      ['non-zero integer string', (s) => ({ ...s, balances: [...s.balances, [2, 1, 0, 3]] })],
      ['not a valid account', (s) => ({ ...s, balances: [...s.balances, [0, 1, Bucket.AVAILABLE, '3']] })],
      ['duplicate balance', (s) => ({ ...s, balances: [...s.balances, s.balances[0]] })],
      ['sum to', (s) => ({ ...s, balances: [...s.balances, [2, 1, 0, '3']] })],
      ['open holds sum to', (s) => ({ ...s, holds: [] })],
      ['duplicate hold', (s) => ({ ...s, holds: [...s.holds, ...s.holds] })],
      ['account is invalid', (s) => ({ ...s, holds: [[6, 1, 1, Bucket.AVAILABLE, 0, '1', '1']] })],
      ['duplicate external key', (s) => ({ ...s, externalKeys: ['a', 'a'] })],
      ['externalKeys[0] is invalid', (s) => ({ ...s, externalKeys: [''] })],
    ];
    for (const [message, mutate] of broken) {
      const corrupted = mutate(structuredClone(good));
      expect(() => Ledger.restore(corrupted), message).toThrow(LedgerInvariantError);
      expect(() => Ledger.restore(corrupted), message).toThrow(message);
    }
    expect(good.format).toBe(SNAPSHOT_FORMAT);
  });
});
