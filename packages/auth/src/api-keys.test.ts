// Integration tests of users and API key management on the real PostgreSQL (or PGlite when none answers):
// usernames are validated, normalized and unique (also under concurrency); createApiKey returns a 64-character key
// and secret once and stores only ciphertext (the plaintext appears in no column); inputs are refused with the
// field named and nothing written; the withdraw permission needs an IP allow-list; the per-user limit holds under
// concurrent creation; deleteApiKey is scoped to its user, erases the secret and refuses a second delete; the
// table's constraints refuse rows that bypass these functions; and no error ever carries the secret.
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '@exbox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, type AuthErrorCode } from './codes.js';
import { createApiKey } from './create-api-key.js';
import { createEd25519ApiKey } from './create-ed25519-api-key.js';
import { createUser } from './create-user.js';
import { deleteApiKey } from './delete-api-key.js';
import { ensureUser } from './ensure-user.js';
import { findUser } from './find-user.js';
import { API_KEYS_PER_USER_MAX } from './limits.js';
import { listApiKeys } from './list-api-keys.js';
import { MasterKeyring } from './master-key.js';
import { reencryptApiKeySecrets } from './reencrypt-api-key-secrets.js';
import { SeededRandom } from './testing/seeded-random.js';

let database: TestDatabase;
const keyring = new MasterKeyring(Buffer.from(new SeededRandom(1).bytes(32)));

beforeAll(async () => {
  console.log(`api-keys.test: database ${await testDatabaseKind()}`);
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const rejects = async (promise: Promise<unknown>, code: AuthErrorCode, message?: RegExp): Promise<AuthError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).code).toBe(code);
  if (message !== undefined) expect((error as AuthError).message).toMatch(message);
  return error as AuthError;
};

let userSerial = 0;
const newUser = async () => (await createUser({ sql: database.sql, username: `user-${++userSerial}` })).id;

describe('users', () => {
  it('creates users with increasing ids, lower-cases and trims names, and refuses a taken name', async () => {
    const alice = await createUser({ sql: database.sql, username: '  Alice.Smith ' });
    expect(alice.username).toBe('alice.smith');
    expect(alice.id).toBeGreaterThan(0);
    expect(alice.createdAt).toBeInstanceOf(Date);
    const bob = await createUser({ sql: database.sql, username: 'bob' });
    expect(bob.id).toBeGreaterThan(alice.id);
    await rejects(createUser({ sql: database.sql, username: 'ALICE.SMITH' }), 'USERNAME_TAKEN', /'alice\.smith'/);
    expect(await findUser({ sql: database.sql, username: 'Alice.Smith' })).toEqual(alice);
    expect(await findUser({ sql: database.sql, userId: bob.id })).toEqual(bob);
    expect(await findUser({ sql: database.sql, username: 'nobody' })).toBeUndefined();
  });

  it('refuses malformed usernames, naming the field', async () => {
    for (const username of ['ab', 'x'.repeat(33), '-abc', 'abc-', 'a b c', 'ünï', 'a/b', '']) {
      const error = await rejects(
        createUser({ sql: database.sql, username }),
        'INPUT_INVALID',
        /^createUser: username: /,
      );
      expect(error.field).toBe('username');
    }
    await rejects(createUser({ sql: database.sql, username: 42 as unknown as string }), 'INPUT_INVALID');
  });

  it('ensureUser creates once, also when called concurrently', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => ensureUser({ sql: database.sql, username: 'Concurrent' })),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.user.id)).size).toBe(1);
    expect((await ensureUser({ sql: database.sql, username: 'concurrent' })).created).toBe(false);
  });
});

describe('createApiKey', () => {
  it('returns a 64-character key and secret once, and stores only ciphertext', async () => {
    const userId = await newUser();
    const created = await createApiKey({
      sql: database.sql,
      keyring,
      userId,
      label: ' trading bot ',
      permissions: ['trade', 'read'],
      ipAllowList: ['10.1.0.0/16', '::ffff:1.2.3.4'],
    });
    expect(created.apiKey).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(created.secret).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(created).toMatchObject({
      userId,
      type: 'HMAC',
      label: 'trading bot',
      permissions: ['read', 'trade'],
      ipAllowList: ['10.1.0.0/16', '1.2.3.4'],
      lastUsedAt: null,
      revokedAt: null,
    });
    // No column holds the secret in any encoding; the row holds ciphertext under this keyring's key.
    const [row] = await database.sql`select * from api_keys where id = ${created.id}`;
    const dump = Object.values(row ?? {})
      .map((value) =>
        Buffer.isBuffer(value)
          ? `${value.toString('latin1')} ${value.toString('hex')} ${value.toString('base64')}`
          : JSON.stringify(value),
      )
      .join('\n');
    expect(dump).not.toContain(created.secret);
    expect(dump).not.toContain(Buffer.from(created.secret).toString('hex'));
    expect(dump).not.toContain(Buffer.from(created.secret).toString('base64'));
    expect(row?.['master_key_id']).toBe(keyring.currentId);
    // The ciphertext decrypts to the secret, bound to this API key.
    const plaintext = keyring.decrypt(
      {
        masterKeyId: row?.['master_key_id'] as string,
        iv: row?.['secret_iv'] as Buffer,
        ciphertext: row?.['secret_ciphertext'] as Buffer,
        tag: row?.['secret_tag'] as Buffer,
      },
      created.apiKey,
      'test',
    );
    expect(plaintext.toString()).toBe(created.secret);
    // Listing shows everything but the secret.
    const [listed] = await listApiKeys({ sql: database.sql, userId });
    expect(listed).toEqual({ ...created, secret: undefined, createdAt: listed?.createdAt });
    expect(Object.keys(listed ?? {})).not.toContain('secret');
  });

  it('draws keys from the given source (seeded) and keeps them unique', async () => {
    const userId = await newUser();
    const random = new SeededRandom(99);
    const first = await createApiKey({
      sql: database.sql,
      keyring,
      userId,
      permissions: ['read'],
      randomBytes: random.source,
    });
    expect(first.apiKey).toMatch(/^[A-Za-z0-9]{64}$/);
    // The same seed again draws the same API key: the unique index refuses it, and the error has no secret.
    const again = await createApiKey({
      sql: database.sql,
      keyring,
      userId,
      permissions: ['read'],
      randomBytes: new SeededRandom(99).source,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(String(again)).toMatch(/api_keys_api_key_idx|duplicate key/);
    expect(`${inspect(again, { showHidden: true, depth: 5 })}${JSON.stringify(again)}`).not.toContain(first.secret);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const userId = await newUser();
    const base = { sql: database.sql, keyring, userId, permissions: ['read'] as const };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ permissions: [] }, 'permissions', /permissions: must name at least one of read, trade, withdraw/],
      [{ permissions: ['read', 'admin'] }, 'permissions.1', /permissions\.1: must be one of read, trade, withdraw/],
      [{ permissions: 'read' }, 'permissions', /permissions: must be a list/],
      [{ ipAllowList: ['10.0.0.1/8'] }, 'ipAllowList.0', /ipAllowList\.0: "10\.0\.0\.1\/8": host bits set/],
      [{ ipAllowList: ['1.2.3.4', 'localhost'] }, 'ipAllowList.1', /not an IPv4 or IPv6 address/],
      [{ label: 'x'.repeat(65) }, 'label', /label: must be at most 64 characters/],
      [{ label: 'tab\there' }, 'label', /label: must not contain control characters/],
      [{ userId: 0 }, 'userId', /userId: must be at least 1/],
      [{ userId: 1.5 }, 'userId', /userId: must be a whole number/],
      [{ userId: '1' }, 'userId', /userId: must be a number/],
      [{ permissions: ['withdraw'] }, 'ipAllowList', /withdraw permission must be restricted to IP addresses/],
    ];
    for (const [override, field, message] of cases) {
      const error = await rejects(createApiKey({ ...base, ...override } as never), 'INPUT_INVALID', message);
      expect(error.field, JSON.stringify(override)).toBe(field);
      expect(error.message).toMatch(/^createApiKey: /);
    }
    expect(await listApiKeys({ sql: database.sql, userId, includeRevoked: true })).toEqual([]);
    await rejects(createApiKey({ ...base, userId: 999_999 }), 'USER_NOT_FOUND', /no user with id 999999/);
  });

  it('lets a withdraw key be created with an allow-list', async () => {
    const userId = await newUser();
    const created = await createApiKey({
      sql: database.sql,
      keyring,
      userId,
      permissions: ['withdraw', 'read'],
      ipAllowList: ['203.0.113.7'],
    });
    expect(created.permissions).toEqual(['read', 'withdraw']);
  });

  it(`holds the limit of ${API_KEYS_PER_USER_MAX} active keys per user under concurrent creation`, async () => {
    const userId = await newUser();
    const attempts = await Promise.allSettled(
      Array.from({ length: API_KEYS_PER_USER_MAX + 5 }, () =>
        createApiKey({ sql: database.sql, keyring, userId, permissions: ['read'] }),
      ),
    );
    const created = attempts.filter((attempt) => attempt.status === 'fulfilled');
    const refused = attempts.filter((attempt) => attempt.status === 'rejected');
    expect(created).toHaveLength(API_KEYS_PER_USER_MAX);
    expect(refused).toHaveLength(5);
    for (const attempt of refused) expect((attempt.reason as AuthError).code).toBe('API_KEYS_PER_USER_EXCEEDED');
    // Revoked keys do not count.
    const [first] = await listApiKeys({ sql: database.sql, userId });
    await deleteApiKey({ sql: database.sql, apiKey: first?.apiKey ?? '' });
    await createApiKey({ sql: database.sql, keyring, userId, permissions: ['read'] });
  });
});

describe('deleteApiKey', () => {
  it("revokes only the given user's key, erases the secret, keeps the row, and refuses a second delete", async () => {
    const owner = await newUser();
    const intruder = await newUser();
    const key = await createApiKey({ sql: database.sql, keyring, userId: owner, permissions: ['read', 'trade'] });
    // Another user cannot delete it, and learns nothing from the answer.
    const foreign = await rejects(
      deleteApiKey({ sql: database.sql, apiKey: key.apiKey, userId: intruder }),
      'API_KEY_NOT_FOUND',
    );
    const missing = await rejects(deleteApiKey({ sql: database.sql, apiKey: 'Z'.repeat(64) }), 'API_KEY_NOT_FOUND');
    expect(foreign.message).toBe(missing.message);

    const revoked = await deleteApiKey({ sql: database.sql, apiKey: key.apiKey, userId: owner });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const [row] = await database.sql`
      select secret_ciphertext, secret_iv, secret_tag, master_key_id, revoked_at from api_keys where id = ${key.id}`;
    expect(row).toMatchObject({ secret_ciphertext: null, secret_iv: null, secret_tag: null, master_key_id: null });
    await rejects(deleteApiKey({ sql: database.sql, apiKey: key.apiKey }), 'API_KEY_NOT_FOUND');
    expect(await listApiKeys({ sql: database.sql, userId: owner })).toEqual([]);
    expect(await listApiKeys({ sql: database.sql, userId: owner, includeRevoked: true })).toMatchObject([
      { apiKey: key.apiKey, revokedAt: revoked.revokedAt },
    ]);
    await rejects(deleteApiKey({ sql: database.sql, apiKey: 'short' }), 'INPUT_INVALID', /apiKey: must be 64/);
  });
});

describe('Ed25519 keys', () => {
  it('registers a PEM public key, refusing private keys and other key types', async () => {
    const userId = await newUser();
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const created = await createEd25519ApiKey({ sql: database.sql, userId, publicKey: pem, permissions: ['read'] });
    expect(created).toMatchObject({ type: 'ED25519', userId, permissions: ['read'] });
    expect(created).not.toHaveProperty('secret');

    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const error = await rejects(
      createEd25519ApiKey({ sql: database.sql, userId, publicKey: privatePem, permissions: ['read'] }),
      'INPUT_INVALID',
      /publicKey: is a private key/,
    );
    expect(everything(error)).not.toContain(privatePem.split('\n')[1]);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    for (const bad of [rsa.toString(), 'not a key', '']) {
      await rejects(
        createEd25519ApiKey({ sql: database.sql, userId, publicKey: bad, permissions: ['read'] }),
        'INPUT_INVALID',
        /publicKey: must be an Ed25519 public key in PEM/,
      );
    }
  });
});

describe('the table refuses rows that bypass these functions', () => {
  it('checks key material, permissions, the withdraw rule and the key format', async () => {
    const userId = await newUser();
    const insert = (columns: Record<string, unknown>) =>
      database.sql`insert into api_keys ${database.sql({
        user_id: userId,
        api_key: 'Q'.repeat(64),
        key_type: 'HMAC',
        label: '',
        permissions: database.sql.array(['read']),
        ...columns,
      } as unknown as Record<string, never>)}`;
    const secret = {
      secret_ciphertext: Buffer.alloc(64),
      secret_iv: Buffer.alloc(12),
      secret_tag: Buffer.alloc(16),
      master_key_id: 'x',
    };
    const refusedBy = async (columns: Record<string, unknown>, constraint: string) => {
      const error = await insert(columns).then(
        () => undefined,
        (caught: unknown) => caught as { constraint_name?: string },
      );
      expect(error?.constraint_name, JSON.stringify(Object.keys(columns))).toBe(constraint);
    };
    await refusedBy({}, 'api_keys_key_material');
    await refusedBy({ ...secret, secret_iv: null }, 'api_keys_key_material');
    await refusedBy({ ...secret, secret_tag: Buffer.alloc(8) }, 'api_keys_key_material');
    await refusedBy({ ...secret, public_key: Buffer.alloc(44) }, 'api_keys_key_material');
    await refusedBy({ key_type: 'ED25519' }, 'api_keys_key_material');
    await refusedBy({ key_type: 'RSA', public_key: Buffer.alloc(44) }, 'api_keys_key_type_known');
    await refusedBy({ ...secret, permissions: database.sql.array(['admin']) }, 'api_keys_permissions_known');
    await refusedBy({ ...secret, permissions: database.sql.array([]) }, 'api_keys_permissions_known');
    await refusedBy(
      { ...secret, permissions: database.sql.array(['withdraw']) },
      'api_keys_withdraw_needs_ip_allow_list',
    );
    await refusedBy({ ...secret, api_key: 'short' }, 'api_keys_api_key_format');
    await insert(secret);
    // That row's "secret" is no ciphertext of ours: remove it before the rotation test meets it.
    await database.sql`delete from api_keys where api_key = ${'Q'.repeat(64)}`;
  });
});

describe('master key rotation', () => {
  it('re-encrypts every active secret under the new key, leaving secrets and change_seq unchanged', async () => {
    const userId = await newUser();
    const oldKeyring = new MasterKeyring(Buffer.from(new SeededRandom(2).bytes(32)));
    const keys = await Promise.all(
      [1, 2, 3].map(() => createApiKey({ sql: database.sql, keyring: oldKeyring, userId, permissions: ['read'] })),
    );
    const before = await database.sql`select id, change_seq from api_keys where user_id = ${userId} order by id`;
    const newKey = Buffer.from(new SeededRandom(3).bytes(32));
    const rotated = new MasterKeyring(newKey, [
      Buffer.from(new SeededRandom(2).bytes(32)),
      Buffer.from(new SeededRandom(1).bytes(32)),
    ]);
    const { reencrypted } = await reencryptApiKeySecrets({ sql: database.sql, keyring: rotated });
    expect(reencrypted).toBeGreaterThanOrEqual(3);
    expect(await reencryptApiKeySecrets({ sql: database.sql, keyring: rotated })).toEqual({ reencrypted: 0 });
    const rows = await database.sql`
      select id, api_key, change_seq, master_key_id, secret_ciphertext, secret_iv, secret_tag
      from api_keys where user_id = ${userId} order by id`;
    expect(rows.map((row) => row['change_seq'])).toEqual(before.map((row) => row['change_seq']));
    const secretByApiKey = new Map(keys.map((key) => [key.apiKey, key.secret]));
    for (const row of rows) {
      expect(row['master_key_id']).toBe(rotated.currentId);
      const plaintext = new MasterKeyring(newKey).decrypt(
        {
          masterKeyId: row['master_key_id'] as string,
          iv: row['secret_iv'] as Buffer,
          ciphertext: row['secret_ciphertext'] as Buffer,
          tag: row['secret_tag'] as Buffer,
        },
        row['api_key'] as string,
        'test',
      );
      expect(plaintext.toString()).toBe(secretByApiKey.get(row['api_key'] as string));
    }
  });
});

function everything(error: unknown): string {
  return `${String(error)}\n${(error as Error).stack ?? ''}\n${inspect(error, { showHidden: true, depth: 5 })}`;
}
