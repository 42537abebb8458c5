// Proves the operator CLI does what its usage says on a real database: `apikey create` creates the user when
// missing and prints {apiKey, secret, userId} with a secret that decrypts from the stored ciphertext; bad
// arguments exit 2 with the usage and write nothing; bad values exit 1 naming the field and write nothing (not even
// the user); list shows no secrets; delete revokes; DATABASE_URL is required; without EXBOX_MASTER_KEY the key
// file is created once and reused; stderr never shows a secret.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUser } from '../find-user.js';
import { listApiKeys } from '../list-api-keys.js';
import { MasterKeyring, masterKeyId } from '../master-key.js';
import { SeededRandom } from '../testing/seeded-random.js';
import { CLI_USAGE, runCli } from './run-cli.js';

const masterKey = Buffer.from(new SeededRandom(12).bytes(32));
let database: TestDatabase;
const directory = mkdtempSync(join(tmpdir(), 'exbox-auth-cli-'));

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
  rmSync(directory, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: unknown;
}

const run = async (
  argv: string[],
  environment: Record<string, string | undefined> = {},
  files: Record<string, string> = {},
): Promise<Run> => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    environment: { DATABASE_URL: database.url, EXBOX_MASTER_KEY: masterKey.toString('hex'), ...environment },
    stdout: (text) => (stdout += `${text}\n`),
    stderr: (text) => (stderr += `${text}\n`),
    readFile: (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return content;
    },
    masterKeyFile: join(directory, 'master.key'),
  });
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
};

describe('runCli', () => {
  it('prints the usage for --help and no arguments, without a database', async () => {
    for (const argv of [[], ['--help'], ['apikey', 'create', '-h']]) {
      const result = await run(argv, { DATABASE_URL: undefined });
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(CLI_USAGE);
    }
  });

  it('exits 2 with the usage on bad arguments', async () => {
    const cases: [string[], string][] = [
      [['apikey', 'make'], "unknown command 'apikey make'"],
      [['apikey', 'create', '--user', 'x'], "'apikey create' needs --perm"],
      [['apikey', 'create', '--perm', 'read'], "'apikey create' needs --user"],
      [['apikey', 'list', '--user', 'x', '--key', 'y'], "'apikey list' does not take --key"],
      [['user', 'create', '--name'], "Option '--name <value>' argument missing"],
      [['user', 'create', '--nmae', 'x'], "Unknown option '--nmae'"],
    ];
    for (const [argv, message] of cases) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('usage: npm run cli');
    }
  });

  it('requires DATABASE_URL', async () => {
    const result = await run(['user', 'create', '--name', 'nobody'], { DATABASE_URL: undefined });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL is not set');
    const bad = await run(['user', 'create', '--name', 'nobody'], { DATABASE_URL: 'mysql://x' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('DATABASE_URL');
  });

  it('creates users, refusing a taken name', async () => {
    const created = await run(['user', 'create', '--name', 'Operator']);
    expect(created.code).toBe(0);
    expect(created.json).toEqual({ userId: expect.any(Number), username: 'operator' });
    const again = await run(['user', 'create', '--name', 'operator']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('USERNAME_TAKEN');
  });

  it('creates a key (and its user), lists it without the secret, and deletes it', async () => {
    const created = await run([
      'apikey',
      'create',
      '--user',
      'Bot1',
      '--perm',
      'read, trade',
      '--label',
      'market maker',
      '--ip',
      '1.2.3.4,10.0.0.0/8',
    ]);
    expect(created.code).toBe(0);
    const { apiKey, secret, userId } = created.json as { apiKey: string; secret: string; userId: number };
    expect(Object.keys(created.json as object)).toEqual(['apiKey', 'secret', 'userId']);
    expect(apiKey).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(secret).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(created.stderr).not.toContain(secret);
    expect((await findUser({ sql: database.sql, username: 'bot1' }))?.id).toBe(userId);
    const [row] = await database.sql`
      select master_key_id, secret_iv, secret_ciphertext, secret_tag from api_keys where api_key = ${apiKey}`;
    const decrypted = new MasterKeyring(masterKey).decrypt(
      {
        masterKeyId: row?.['master_key_id'] as string,
        iv: row?.['secret_iv'] as Buffer,
        ciphertext: row?.['secret_ciphertext'] as Buffer,
        tag: row?.['secret_tag'] as Buffer,
      },
      apiKey,
      'test',
    );
    expect(decrypted.toString()).toBe(secret);

    const listed = await run(['apikey', 'list', '--user', 'bot1']);
    expect(listed.code).toBe(0);
    expect(listed.json).toEqual([
      expect.objectContaining({
        apiKey,
        userId,
        label: 'market maker',
        permissions: ['read', 'trade'],
        ipAllowList: ['1.2.3.4', '10.0.0.0/8'],
      }),
    ]);
    expect(listed.stdout).not.toContain(secret);

    const deleted = await run(['apikey', 'delete', '--key', apiKey]);
    expect(deleted.code).toBe(0);
    expect(deleted.json).toMatchObject({ deleted: apiKey, userId });
    expect((await run(['apikey', 'list', '--user', 'bot1'])).json).toEqual([]);
    expect((await run(['apikey', 'list', '--user', 'bot1', '--all'])).json).toHaveLength(1);
    const twice = await run(['apikey', 'delete', '--key', apiKey]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('API_KEY_NOT_FOUND');
  });

  it('refuses bad values naming the field, before creating the user', async () => {
    const cases: [string[], string][] = [
      [['--perm', 'read,admin'], 'permissions.1: must be one of read, trade, withdraw'],
      [['--perm', 'withdraw'], 'ipAllowList: a key with the withdraw permission must be restricted'],
      [
        ['--perm', 'read', '--ip', '10.0.0.1/8'],
        'ipAllowList.0: "10.0.0.1/8": host bits set (did you mean 10.0.0.0/8?)',
      ],
      [['--perm', ','], 'permissions: must name at least one of'],
    ];
    for (const [extra, message] of cases) {
      const result = await run(['apikey', 'create', '--user', 'never-created', ...extra]);
      expect(result.code, extra.join(' ')).toBe(1);
      expect(result.stderr).toContain(`INPUT_INVALID: apikey create: ${message}`);
    }
    expect(await findUser({ sql: database.sql, username: 'never-created' })).toBeUndefined();
    const badUser = await run(['apikey', 'create', '--user', 'x', '--perm', 'read']);
    expect(badUser.stderr).toContain('user: must be at least 3 characters');
    const unknown = await run(['apikey', 'list', '--user', 'ghost']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("USER_NOT_FOUND: no user named 'ghost'");
  });

  it('registers an Ed25519 public key from a file, refusing a private key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const files = {
      'public.pem': publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      'private.pem': privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    const created = await run(
      ['apikey', 'create', '--user', 'ed-bot', '--perm', 'read', '--ed25519-public-key', 'public.pem'],
      { EXBOX_MASTER_KEY: undefined },
      files,
    );
    expect(created.code).toBe(0);
    expect(created.json).toEqual({
      apiKey: expect.stringMatching(/^[A-Za-z0-9]{64}$/),
      userId: expect.any(Number),
      type: 'ED25519',
    });
    const refused = await run(
      ['apikey', 'create', '--user', 'ed-bot', '--perm', 'read', '--ed25519-public-key', 'private.pem'],
      {},
      files,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('publicKey: is a private key');
    expect(refused.stderr).not.toContain(files['private.pem'].split('\n')[1]);
    const missing = await run([
      'apikey',
      'create',
      '--user',
      'ed-bot',
      '--perm',
      'read',
      '--ed25519-public-key',
      'nope.pem',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ENOENT');
  });

  it('without EXBOX_MASTER_KEY, creates the key file once (0600) and reuses it', async () => {
    const first = await run(['apikey', 'create', '--user', 'demo', '--perm', 'read'], { EXBOX_MASTER_KEY: undefined });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('created a new master key in');
    expect(statSync(join(directory, 'master.key')).mode & 0o777).toBe(0o600);
    const second = await run(['apikey', 'create', '--user', 'demo', '--perm', 'read'], { EXBOX_MASTER_KEY: undefined });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("using the demo's master key in");
    const ids = await database.sql`
      select distinct master_key_id from api_keys where user_id = ${(first.json as { userId: number }).userId}`;
    expect(ids).toHaveLength(1);
    expect(await listApiKeys({ sql: database.sql, userId: (first.json as { userId: number }).userId })).toHaveLength(2);
  });

  it('re-encrypts secrets under a new master key', async () => {
    const newKey = Buffer.from(new SeededRandom(13).bytes(32));
    const result = await run(['apikey', 'reencrypt'], {
      EXBOX_MASTER_KEY: newKey.toString('base64'),
      EXBOX_MASTER_KEY_PREVIOUS: masterKey.toString('hex'),
    });
    // The secrets from the test before are under the key file's key, which this run does not hold: a clear error.
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MASTER_KEY_UNKNOWN');
    const fileKey = readFileSync(join(directory, 'master.key'), 'utf8').trim();
    const complete = await run(['apikey', 'reencrypt'], {
      EXBOX_MASTER_KEY: newKey.toString('base64'),
      EXBOX_MASTER_KEY_PREVIOUS: `${masterKey.toString('hex')},${fileKey}`,
    });
    expect(complete.code).toBe(0);
    expect(complete.json).toEqual({ reencrypted: expect.any(Number), masterKeyId: masterKeyId(newKey) });
    expect((complete.json as { reencrypted: number }).reencrypted).toBe(2);
    const ids =
      await database.sql`select distinct master_key_id from api_keys where revoked_at is null and key_type = 'HMAC'`;
    expect(ids.map((row) => row['master_key_id'])).toEqual([masterKeyId(newKey)]);
  });
});
