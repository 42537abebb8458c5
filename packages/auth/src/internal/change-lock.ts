// The lock that makes ApiKeyStore's polling exact. Every change to api_keys that a cache must see takes this
// advisory lock in shared mode, in its own transaction, before it draws a change_seq; a poll takes it in exclusive
// mode before it reads. So when a poll reads, every writer that drew a change_seq before it has committed (or
// rolled back), and every later writer draws a larger one: polling for change_seq above the largest seen misses
// nothing. Transaction-scoped, so it also holds on the embedded server (db README: no session-level locks there).

import type { TransactionSql } from 'postgres';

/** 'auth' in ASCII, then 1: any fixed bigint no other package uses. */
export const API_KEY_CHANGE_LOCK_ID = 0x6175_7468_0001;

export async function lockApiKeysForChange(transaction: TransactionSql): Promise<void> {
  await transaction`select pg_advisory_xact_lock_shared(${API_KEY_CHANGE_LOCK_ID}::bigint)`;
}

export async function lockApiKeysForPoll(transaction: TransactionSql): Promise<void> {
  await transaction`select pg_advisory_xact_lock(${API_KEY_CHANGE_LOCK_ID}::bigint)`;
}
