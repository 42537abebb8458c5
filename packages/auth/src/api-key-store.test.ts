// Integration tests of ApiKeyStore on the real PostgreSQL (or PGlite): it loads active keys and verifies their
// signatures; a created key appears and a deleted key stops verifying on the next refresh, and with the default
// timer within API_KEY_REFRESH_INTERVAL_MS (measured); a store that cannot refresh refuses every key after
// staleAfterMs (fail closed, the hard bound); polling misses no change made concurrently with it; a tampered or
// swapped ciphertext is refused and reported without the secret while other keys keep working; the wrong master
// key fails at start, clearly; rows changed behind the package's back are caught by the full reload; last use is
// written in batches; and neither entries nor problems ever show a secret.
import { generateKeyPairSync, sign } from 'node:crypto';
import { inspect } from 'node:util';
import { createDb } from '@exbox/db';
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore, type ApiKeyStoreOptions, type ApiKeyStoreProblem } from './api-key-store.js';
import { AuthError } from './codes.js';
import { createApiKey } from './create-api-key.js';
import { createEd25519ApiKey } from './create-ed25519-api-key.js';
import { createUser } from './create-user.js';
import { lockApiKeysForChange } from './internal/change-lock.js';
import { deleteApiKey } from './delete-api-key.js';
import { API_KEY_REFRESH_INTERVAL_MS } from './limits.js';
import { MasterKeyring } from './master-key.js';
import { signHmac } from './signature.js';
import { SeededRandom } from './testing/seeded-random.js';
import type { CreatedApiKey, Permission } from './types.js';

const keyring = new MasterKeyring(Buffer.from(new SeededRandom(5).bytes(32)));
const otherKeyring = new MasterKeyring(Buffer.from(new SeededRandom(6).bytes(32)));
const PAYLOAD = 'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=100&timestamp=1700000000000';

let database: TestDatabase;
const stores: ApiKeyStore[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await database?.close();
});

const start = async (options: Partial<ApiKeyStoreOptions> = {}, problems: ApiKeyStoreProblem[] = []) => {
  const store = await ApiKeyStore.start({
    sql: database.sql,
    keyring,
    autoRefresh: false,
    onProblem: (problem) => problems.push(problem),
    ...options,
  });
  stores.push(store);
  return store;
};

let userSerial = 0;
const newKey = async (
  permissions: Permission[] = ['read', 'trade'],
  ipAllowList: string[] = [],
  options: { sql?: TestDatabase['sql']; keyring?: MasterKeyring } = {},
): Promise<CreatedApiKey> => {
  const sql = options.sql ?? database.sql;
  const user = await createUser({ sql, username: `store-user-${++userSerial}` });
  return createApiKey({ sql, keyring: options.keyring ?? keyring, userId: user.id, permissions, ipAllowList });
};

const verifies = (store: ApiKeyStore, key: CreatedApiKey) =>
  store.lookup(key.apiKey)?.verify(PAYLOAD, signHmac(key.secret, PAYLOAD)) ?? false;

/** Waits until `condition` holds, polling every 5 ms; returns the ms it took. */
const waitFor = async (condition: () => boolean, timeoutMs: number): Promise<number> => {
  const startMs = performance.now();
  while (!condition()) {
    if (performance.now() - startMs > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - startMs;
};

describe('ApiKeyStore', () => {
  it("loads active keys and verifies their owners' signatures, never another user's", async () => {
    const alice = await newKey(['read'], ['10.0.0.0/8']);
    const bob = await newKey(['read', 'trade']);
    const store = await start();
    const entry = store.lookup(alice.apiKey);
    expect(entry).toMatchObject({ id: alice.id, userId: alice.userId, apiKey: alice.apiKey, type: 'HMAC' });
    expect(entry?.permissions).toEqual(['read']);
    expect(entry?.ipAllowList.entries).toEqual(['10.0.0.0/8']);
    expect(entry?.hasPermission('read')).toBe(true);
    expect(entry?.hasPermission('trade')).toBe(false);
    expect(entry?.allowsIp('::ffff:10.1.2.3')).toBe(true);
    expect(entry?.allowsIp('11.0.0.1')).toBe(false);
    expect(verifies(store, alice)).toBe(true);
    expect(verifies(store, bob)).toBe(true);
    // Bob's secret does not sign for Alice's key, nor the reverse.
    expect(entry?.verify(PAYLOAD, signHmac(bob.secret, PAYLOAD))).toBe(false);
    expect(store.lookup(bob.apiKey)?.verify(PAYLOAD, signHmac(alice.secret, PAYLOAD))).toBe(false);
    expect(store.lookup('Z'.repeat(64))).toBeUndefined();
    // Nothing printable holds the secret.
    const shown = `${inspect(entry, { showHidden: true, depth: 8 })} ${JSON.stringify(entry)} ${inspect(store, { showHidden: true, depth: 8 })}`;
    expect(shown).not.toContain(alice.secret);
    expect(shown).not.toContain(Buffer.from(alice.secret).toString('hex'));
  });

  it('picks up a created key and drops a deleted one on the next refresh', async () => {
    const store = await start();
    const key = await newKey();
    expect(store.lookup(key.apiKey)).toBeUndefined();
    await store.refresh();
    expect(verifies(store, key)).toBe(true);
    const entry = store.lookup(key.apiKey);
    await deleteApiKey({ sql: database.sql, apiKey: key.apiKey });
    await store.refresh();
    expect(store.lookup(key.apiKey)).toBeUndefined();
    // An entry held from before still verifies (a request already past its check completes), but no new
    // lookup finds the key.
    expect(entry?.verify(PAYLOAD, signHmac(key.secret, PAYLOAD))).toBe(true);
  });

  it(`with the default timer, a deleted key stops verifying within API_KEY_REFRESH_INTERVAL_MS (${API_KEY_REFRESH_INTERVAL_MS} ms) plus a query (1 s of slack for a busy machine)`, async () => {
    const key = await newKey();
    const store = await start({ autoRefresh: true });
    expect(verifies(store, key)).toBe(true);
    const deletedMs = performance.now();
    await deleteApiKey({ sql: database.sql, apiKey: key.apiKey });
    await waitFor(() => !verifies(store, key), API_KEY_REFRESH_INTERVAL_MS + 2_000);
    const tookMs = performance.now() - deletedMs;
    expect(tookMs).toBeLessThan(API_KEY_REFRESH_INTERVAL_MS + 1_000);
    // And a new key works within the same bound.
    const created = await newKey();
    expect(await waitFor(() => verifies(store, created), API_KEY_REFRESH_INTERVAL_MS + 2_000)).toBeLessThan(
      API_KEY_REFRESH_INTERVAL_MS + 1_000,
    );
  });

  it('refuses every key once it has not refreshed for staleAfterMs (injected clock)', async () => {
    let nowMs = 0;
    const key = await newKey();
    const store = await start({ monotonicNowMs: () => nowMs, refreshIntervalMs: 100, staleAfterMs: 1_000 });
    nowMs = 1_000;
    expect(store.isAvailable()).toBe(true);
    expect(verifies(store, key)).toBe(true);
    nowMs = 1_001;
    expect(store.isAvailable()).toBe(false);
    expect(store.lookup(key.apiKey)).toBeUndefined();
    // A successful refresh makes it available again, counted from when that refresh started.
    await store.refresh();
    expect(store.isAvailable()).toBe(true);
    nowMs = 2_001;
    expect(store.isAvailable()).toBe(true);
    nowMs = 2_002;
    expect(store.isAvailable()).toBe(false);
  });

  it('fails closed when the database goes away, and reports the failed refreshes', async () => {
    const key = await newKey();
    const pool = createDb(database.url, { maxConnections: 1 });
    const problems: ApiKeyStoreProblem[] = [];
    const store = await start({ sql: pool.sql, autoRefresh: true, refreshIntervalMs: 20, staleAfterMs: 300 }, problems);
    expect(verifies(store, key)).toBe(true);
    await pool.close();
    const tookMs = await waitFor(() => !store.isAvailable(), 5_000);
    expect(tookMs).toBeLessThan(1_000);
    expect(store.lookup(key.apiKey)).toBeUndefined();
    expect(problems.some((problem) => problem.kind === 'REFRESH_FAILED')).toBe(true);
  });

  it('misses no change made while it polls (creates and deletes racing 40 refreshes)', async () => {
    const store = await start();
    const user = await createUser({ sql: database.sql, username: 'racer' });
    const random = new SeededRandom(31);
    const writers = (async () => {
      const live: string[] = [];
      for (let i = 0; i < 60; i++) {
        if (live.length > 0 && (random.below(3) === 0 || live.length >= 25)) {
          const [apiKey] = live.splice(random.below(live.length), 1);
          await deleteApiKey({ sql: database.sql, apiKey: apiKey ?? '' });
        } else {
          live.push(
            (await createApiKey({ sql: database.sql, keyring, userId: user.id, permissions: ['read'] })).apiKey,
          );
        }
      }
    })();
    const pollers = (async () => {
      for (let i = 0; i < 40; i++) await store.refresh();
    })();
    await Promise.all([writers, pollers]);
    await store.refresh();
    const active = await database.sql<{ api_key: string }[]>`
      select api_key from api_keys where revoked_at is null`;
    expect(new Set(active.map((row) => row.api_key)).size).toBe(store.size);
    for (const row of active) expect(store.lookup(row.api_key), row.api_key).toBeDefined();
  });

  it('waits for a writer that drew a change_seq before it polls, so its key cannot be skipped', async () => {
    const store = await start();
    const user = await createUser({ sql: database.sql, username: 'slow-writer' });
    const apiKey = 'W'.repeat(64);
    const secret = keyring.encrypt(Buffer.from('s'.repeat(64)), apiKey);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let drew = () => {};
    const drawn = new Promise<void>((resolve) => (drew = resolve));
    // A writer inside its transaction: lock taken, change_seq drawn, not committed yet.
    const writer = database.sql.begin(async (transaction) => {
      await lockApiKeysForChange(transaction);
      await transaction`
        insert into api_keys (user_id, api_key, key_type, label, permissions, secret_ciphertext, secret_iv,
          secret_tag, master_key_id)
        values (${user.id}, ${apiKey}, 'HMAC', '', '{read}', ${Buffer.from(secret.ciphertext)},
          ${Buffer.from(secret.iv)}, ${Buffer.from(secret.tag)}, ${secret.masterKeyId})`;
      drew();
      await gate;
    });
    await drawn;
    // A later writer commits a larger change_seq meanwhile (on PostgreSQL; PGlite runs one transaction at a time).
    const later = database.kind === 'postgres' ? newKey() : undefined;
    let polled = false;
    const poll = store.refresh().then(() => (polled = true));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(polled).toBe(false);
    release();
    await writer;
    await poll;
    expect(store.lookup(apiKey)).toBeDefined();
    if (later !== undefined) {
      await store.refresh();
      expect(store.lookup((await later).apiKey)).toBeDefined();
    }
  });

  it('refuses a tampered or swapped ciphertext and reports it without the secret; other keys keep working', async () => {
    const problems: ApiKeyStoreProblem[] = [];
    const store = await start({}, problems);
    const tampered = await newKey();
    const first = await newKey();
    const second = await newKey();
    const healthy = await newKey();
    await store.refresh();
    expect([tampered, first, second, healthy].every((key) => verifies(store, key))).toBe(true);

    // One bit of the ciphertext flipped (an attacker with write access to the database), and two rows'
    // ciphertexts swapped; change_seq bumped so the store rereads them.
    await database.sql`
      update api_keys set secret_ciphertext = set_byte(secret_ciphertext, 3, get_byte(secret_ciphertext, 3) # 1),
        change_seq = nextval('api_key_change_seq')
      where id = ${tampered.id}`;
    await database.sql`
      update api_keys as target set secret_ciphertext = source.secret_ciphertext, secret_iv = source.secret_iv,
        secret_tag = source.secret_tag, change_seq = nextval('api_key_change_seq')
      from api_keys as source
      where (target.id, source.id) in ((${first.id}, ${second.id}), (${second.id}, ${first.id}))`;
    await store.refresh();

    for (const key of [tampered, first, second]) expect(store.lookup(key.apiKey)).toBeUndefined();
    expect(verifies(store, healthy)).toBe(true);
    const reported = problems.filter((problem) => problem.kind === 'KEY_UNUSABLE');
    expect(reported.map((problem) => problem.apiKeyId).sort()).toEqual([tampered.id, first.id, second.id].sort());
    for (const problem of reported) {
      expect(problem.code).toBe('SECRET_DECRYPT_FAILED');
      expect(problem.message).toMatch(/^API key \d+ is refused: API key \d+ failed authentication/);
    }
    const shown = JSON.stringify(problems);
    for (const key of [tampered, first, second]) expect(shown).not.toContain(key.secret);
  });

  it('catches rows changed behind its back on the full reload', async () => {
    let nowMs = 0;
    const store = await start({ monotonicNowMs: () => nowMs, fullReloadIntervalMs: 60_000, staleAfterMs: 1e9 });
    const key = await newKey();
    await store.refresh();
    expect(verifies(store, key)).toBe(true);
    // Revoked by hand, without the lock or a new change_seq: the poll cannot see it...
    await database.sql`update api_keys set revoked_at = now(), secret_ciphertext = null, secret_iv = null,
      secret_tag = null, master_key_id = null where id = ${key.id}`;
    await store.refresh();
    expect(verifies(store, key)).toBe(true);
    // ...the full reload does.
    nowMs = 60_000;
    await store.refresh();
    expect(store.lookup(key.apiKey)).toBeUndefined();
  });

  it('writes last use in batches: a verified request counts, a failed one does not', async () => {
    let wallMs = Date.parse('2030-01-02T03:04:05.678Z');
    const store = await start({ wallNowMs: () => wallMs });
    const used = await newKey();
    const attacked = await newKey();
    await store.refresh();
    expect(verifies(store, used)).toBe(true);
    wallMs += 1_000;
    expect(verifies(store, used)).toBe(true);
    expect(store.lookup(attacked.apiKey)?.verify(PAYLOAD, signHmac(used.secret, PAYLOAD))).toBe(false);
    await store.close();
    const rows = await database.sql<{ id: string; used: string | null }[]>`
      select id, to_json(last_used_at) #>> '{}' as used from api_keys where id in (${used.id}, ${attacked.id})
      order by id`;
    expect(rows.map((row) => (row.used === null ? null : new Date(row.used).toISOString()))).toEqual([
      '2030-01-02T03:04:06.678Z',
      null,
    ]);
  });

  it('verifies Ed25519 keys', async () => {
    const user = await createUser({ sql: database.sql, username: 'ed-user' });
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const key = await createEd25519ApiKey({
      sql: database.sql,
      userId: user.id,
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      permissions: ['read'],
    });
    const store = await start();
    const entry = store.lookup(key.apiKey);
    expect(entry?.type).toBe('ED25519');
    const signature = sign(null, Buffer.from(PAYLOAD), privateKey).toString('base64');
    expect(entry?.verify(PAYLOAD, signature)).toBe(true);
    expect(entry?.verify(`${PAYLOAD}&x=1`, signature)).toBe(false);
  });

  it('refuses nonsense intervals', async () => {
    await expect(start({ refreshIntervalMs: 0 })).rejects.toThrow(/refreshIntervalMs: must be a positive/);
    await expect(start({ refreshIntervalMs: 1_000, staleAfterMs: 1_000 })).rejects.toThrow(
      /staleAfterMs: must exceed refreshIntervalMs/,
    );
  });
});

describe('ApiKeyStore with the wrong master key', () => {
  let own: TestDatabase;
  beforeAll(async () => {
    own = await createTestDatabase();
  });
  afterAll(() => own?.close());

  it('refuses to start when no secret is under a loaded key, naming key ids and no key or secret', async () => {
    const keys = [await newKey(['read'], [], { sql: own.sql }), await newKey(['read'], [], { sql: own.sql })];
    const error = await ApiKeyStore.start({ sql: own.sql, keyring: otherKeyring, autoRefresh: false }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('MASTER_KEY_UNKNOWN');
    const message = (error as AuthError).message;
    expect(message).toContain('none of the 2 API key secrets is encrypted under a loaded master key');
    expect(message).toContain(keyring.currentId);
    expect(message).toContain(otherKeyring.currentId);
    for (const key of keys) expect(inspect(error, { showHidden: true })).not.toContain(key.secret);
  });

  it('starts when only some keys are foreign, refusing and reporting those', async () => {
    const foreign = await newKey(['read'], [], { sql: own.sql, keyring: otherKeyring });
    const problems: ApiKeyStoreProblem[] = [];
    const store = await ApiKeyStore.start({
      sql: own.sql,
      keyring,
      autoRefresh: false,
      onProblem: (problem) => problems.push(problem),
    });
    stores.push(store);
    expect(store.size).toBe(2);
    expect(store.lookup(foreign.apiKey)).toBeUndefined();
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'KEY_UNUSABLE', code: 'MASTER_KEY_UNKNOWN', apiKeyId: foreign.id }),
    ]);
  });
});
