// Proves the secret encryption at rest holds: AES-256-GCM round-trips with a fresh IV each time; flipping any bit
// of the ciphertext, IV or tag, or moving a ciphertext to another API key, is detected (the GCM tag); a secret
// under another master key fails with MASTER_KEY_UNKNOWN naming the key ids, never the keys; previous keys decrypt
// during rotation; the environment is validated without echoing values; and the demo's key file is created once,
// mode 0600, reused, and refused when others can read it or it holds no key.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthError } from './codes.js';
import { readAuthEnvironment } from './env.js';
import { MasterKeyring, masterKeyId, readOrCreateMasterKeyFile, resolveMasterKeyring } from './master-key.js';
import { SeededRandom } from './testing/seeded-random.js';

const seeded = new SeededRandom(42);
const keyA = Buffer.from(seeded.bytes(32));
const keyB = Buffer.from(seeded.bytes(32));
const SECRET = 'S3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tABCD';
const API_KEY = 'K'.repeat(64);

const thrown = (run: () => unknown): AuthError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return error as AuthError;
  }
  throw new Error('expected a throw');
};

/** Everything an error shows: message, stack, own properties, JSON. */
const everything = (error: unknown) =>
  `${String(error)}\n${(error as Error).stack ?? ''}\n${inspect(error, { showHidden: true, depth: 5 })}\n${JSON.stringify(error)}`;

describe('MasterKeyring', () => {
  const keyring = new MasterKeyring(keyA);

  it('round-trips a secret with a fresh IV every time', () => {
    const first = keyring.encrypt(Buffer.from(SECRET), API_KEY);
    const second = keyring.encrypt(Buffer.from(SECRET), API_KEY);
    expect(first.masterKeyId).toBe(masterKeyId(keyA));
    expect(first.iv).toHaveLength(12);
    expect(first.tag).toHaveLength(16);
    expect(Buffer.from(first.iv).equals(Buffer.from(second.iv))).toBe(false);
    expect(Buffer.from(first.ciphertext).equals(Buffer.from(second.ciphertext))).toBe(false);
    expect(Buffer.from(first.ciphertext).includes(Buffer.from(SECRET))).toBe(false);
    expect(keyring.decrypt(first, API_KEY, 'API key 1').toString()).toBe(SECRET);
    expect(keyring.decrypt(second, API_KEY, 'API key 1').toString()).toBe(SECRET);
  });

  it('detects every single-bit change of ciphertext, IV and tag (the GCM tag)', () => {
    const encrypted = keyring.encrypt(Buffer.from(SECRET), API_KEY);
    for (const part of ['ciphertext', 'iv', 'tag'] as const) {
      for (let byte = 0; byte < encrypted[part].length; byte++) {
        const bit = 1 << (byte % 8);
        const altered = Buffer.from(encrypted[part]);
        altered[byte] = (altered[byte] ?? 0) ^ bit;
        const error = thrown(() => keyring.decrypt({ ...encrypted, [part]: altered }, API_KEY, 'API key 1'));
        expect(error.code, `${part}[${byte}]`).toBe('SECRET_DECRYPT_FAILED');
        expect(error.message).toContain('API key 1');
        expect(everything(error)).not.toContain(SECRET);
      }
    }
  });

  it('detects a truncated or extended ciphertext and a wrong-length tag or IV', () => {
    const encrypted = keyring.encrypt(Buffer.from(SECRET), API_KEY);
    const cases = [
      { ...encrypted, ciphertext: encrypted.ciphertext.subarray(1) },
      { ...encrypted, ciphertext: Buffer.concat([encrypted.ciphertext, Buffer.from([0])]) },
      { ...encrypted, tag: encrypted.tag.subarray(0, 12) },
      { ...encrypted, iv: encrypted.iv.subarray(0, 8) },
    ];
    for (const secret of cases) {
      expect(thrown(() => keyring.decrypt(secret, API_KEY, 'API key 1')).code).toBe('SECRET_DECRYPT_FAILED');
    }
  });

  it("refuses a ciphertext moved to another API key's row", () => {
    const encrypted = keyring.encrypt(Buffer.from(SECRET), API_KEY);
    expect(thrown(() => keyring.decrypt(encrypted, 'L'.repeat(64), 'API key 2')).code).toBe('SECRET_DECRYPT_FAILED');
  });

  it('fails clearly under the wrong master key, naming key ids and never a key or the secret', () => {
    const encrypted = keyring.encrypt(Buffer.from(SECRET), API_KEY);
    const wrong = new MasterKeyring(keyB);
    const error = thrown(() => wrong.decrypt(encrypted, API_KEY, 'API key 7'));
    expect(error.code).toBe('MASTER_KEY_UNKNOWN');
    expect(error.message).toContain(`API key 7 is encrypted under master key ${masterKeyId(keyA)}`);
    expect(error.message).toContain(`loaded: ${masterKeyId(keyB)}`);
    expect(error.message).toContain('EXBOX_MASTER_KEY');
    const shown = everything(error);
    for (const material of [SECRET, keyA.toString('hex'), keyA.toString('base64'), keyB.toString('base64')]) {
      expect(shown).not.toContain(material);
    }
    // Even with the ids forged to match, the wrong key cannot decrypt.
    const forged = { ...encrypted, masterKeyId: masterKeyId(keyB) };
    expect(thrown(() => wrong.decrypt(forged, API_KEY, 'API key 7')).code).toBe('SECRET_DECRYPT_FAILED');
  });

  it('decrypts with previous keys and encrypts with the current one (rotation)', () => {
    const old = new MasterKeyring(keyA).encrypt(Buffer.from(SECRET), API_KEY);
    const rotated = new MasterKeyring(keyB, [keyA]);
    expect(rotated.currentId).toBe(masterKeyId(keyB));
    expect(rotated.ids).toEqual([masterKeyId(keyB), masterKeyId(keyA)]);
    expect(rotated.decrypt(old, API_KEY, 'API key 1').toString()).toBe(SECRET);
    expect(rotated.encrypt(Buffer.from(SECRET), API_KEY).masterKeyId).toBe(masterKeyId(keyB));
  });

  it('shows ids only when printed or serialized, and refuses keys of the wrong size', () => {
    const shown = `${inspect(keyring, { showHidden: true, depth: 5 })} ${JSON.stringify(keyring)} ${String(keyring)}`;
    expect(shown).toContain(masterKeyId(keyA));
    expect(shown).not.toContain(keyA.toString('hex'));
    expect(shown).not.toContain(keyA.toString('base64'));
    expect(thrown(() => new MasterKeyring(keyA.subarray(0, 16))).code).toBe('MASTER_KEY_INVALID');
  });
});

describe('readAuthEnvironment', () => {
  it('reads EXBOX_MASTER_KEY as hex or base64 and EXBOX_MASTER_KEY_PREVIOUS as a list', () => {
    expect(readAuthEnvironment({ EXBOX_MASTER_KEY: keyA.toString('hex') }).EXBOX_MASTER_KEY).toEqual(keyA);
    expect(readAuthEnvironment({ EXBOX_MASTER_KEY: keyA.toString('hex').toUpperCase() }).EXBOX_MASTER_KEY).toEqual(
      keyA,
    );
    expect(readAuthEnvironment({ EXBOX_MASTER_KEY: ` ${keyA.toString('base64')}\n` }).EXBOX_MASTER_KEY).toEqual(keyA);
    expect(
      readAuthEnvironment({ EXBOX_MASTER_KEY_PREVIOUS: `${keyA.toString('hex')},${keyB.toString('base64')}` })
        .EXBOX_MASTER_KEY_PREVIOUS,
    ).toEqual([keyA, keyB]);
    const defaults = {
      EXBOX_MAIL_FROM: 'exbox <no-reply@localhost>',
      EXBOX_PUBLIC_URL: 'http://localhost:3000',
    };
    expect(readAuthEnvironment({ EXBOX_MASTER_KEY: '' })).toEqual(defaults);
    expect(readAuthEnvironment({})).toEqual(defaults);
  });

  it('refuses keys of the wrong size or encoding, naming the variable and never echoing its value', () => {
    const bad = [
      keyA.toString('hex').slice(0, 62),
      `${keyA.toString('hex')}00`,
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      `${keyA.toString('base64').slice(0, -2)}!!`,
      'correct horse battery staple',
    ];
    for (const value of bad) {
      const error = thrown(() => readAuthEnvironment({ EXBOX_MASTER_KEY: value }));
      expect(error.code).toBe('MASTER_KEY_INVALID');
      expect(error.message).toContain('EXBOX_MASTER_KEY: must be 32 bytes');
      expect(everything(error)).not.toContain(value.trim());
    }
    const previous = thrown(() =>
      readAuthEnvironment({ EXBOX_MASTER_KEY_PREVIOUS: `${keyA.toString('hex')},${keyB.toString('hex').slice(1)}` }),
    );
    expect(previous.message).toContain('EXBOX_MASTER_KEY_PREVIOUS: entry 2 must be 32 bytes');
    expect(everything(previous)).not.toContain(keyA.toString('hex'));
  });
});

describe('the master key file and resolveMasterKeyring', () => {
  const directory = mkdtempSync(join(tmpdir(), 'exbox-auth-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('creates the file once with mode 0600 in a 0700 directory, then reuses it', () => {
    const path = join(directory, 'fresh', 'master.key');
    const first = readOrCreateMasterKeyFile(path);
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(directory, 'fresh')).mode & 0o777).toBe(0o700);
    const second = readOrCreateMasterKeyFile(path);
    expect(second).toEqual({ key: first.key, created: false });
    expect(readFileSync(path, 'utf8').trim()).toBe(first.key.toString('base64'));
  });

  it('refuses a file that others can read, or that holds no key, without printing its content', () => {
    const open = join(directory, 'open.key');
    writeFileSync(open, keyA.toString('hex'), { mode: 0o644 });
    chmodSync(open, 0o644);
    const tooOpen = thrown(() => readOrCreateMasterKeyFile(open));
    expect(tooOpen.code).toBe('MASTER_KEY_INVALID');
    expect(tooOpen.message).toContain('mode 0644');
    expect(tooOpen.message).toContain('chmod 600');
    const garbage = join(directory, 'garbage.key');
    writeFileSync(garbage, 'not a key at all', { mode: 0o600 });
    const noKey = thrown(() => readOrCreateMasterKeyFile(garbage));
    expect(noKey.code).toBe('MASTER_KEY_INVALID');
    expect(noKey.message).not.toContain('not a key at all');
  });

  it('prefers EXBOX_MASTER_KEY, falls back to the key file only when one is allowed', () => {
    const keyFile = join(directory, 'resolve.key');
    const fromEnvironment = resolveMasterKeyring({
      environment: { EXBOX_MASTER_KEY: keyA.toString('hex'), EXBOX_MASTER_KEY_PREVIOUS: keyB.toString('hex') },
      keyFile,
    });
    expect(fromEnvironment.source).toBe('environment');
    expect(fromEnvironment.keyring.ids).toEqual([masterKeyId(keyA), masterKeyId(keyB)]);
    expect(() => statSync(keyFile)).toThrow();

    const fromFile = resolveMasterKeyring({ environment: {}, keyFile });
    expect(fromFile).toMatchObject({ source: 'file', keyFile, created: true });
    expect(resolveMasterKeyring({ environment: {}, keyFile })).toMatchObject({ created: false });
    expect(resolveMasterKeyring({ environment: {}, keyFile }).keyring.currentId).toBe(fromFile.keyring.currentId);

    const missing = thrown(() => resolveMasterKeyring({ environment: {} }));
    expect(missing.code).toBe('MASTER_KEY_MISSING');
    expect(missing.message).toContain('EXBOX_MASTER_KEY is not set');
  });
});
