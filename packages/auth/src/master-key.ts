// The master key that encrypts API key secrets at rest. HMAC verification needs the secret itself (a hash would
// not do), so each secret is stored encrypted with AES-256-GCM under a master key the database never sees: a
// stolen database, backup or replica gives ciphertext only. Each ciphertext records the id of its master key, so
// keys can rotate: new secrets use the current key, and older keys stay loaded for decryption until every secret
// has been re-encrypted (reencryptApiKeySecrets).

import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { demoDataDir } from '@exbox/db';
import { AuthError, assert } from './codes.js';
import { parseMasterKeyText, readAuthEnvironment } from './env.js';
import { MASTER_KEY_BYTES, SECRET_IV_BYTES, SECRET_TAG_BYTES } from './limits.js';

/** A secret as stored: AES-256-GCM output and the id of the master key that made it. */
export interface EncryptedSecret {
  readonly masterKeyId: string;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/** Binds a ciphertext to what it encrypts, so one row's secret pasted into another row fails to decrypt. */
const ASSOCIATED_DATA_PREFIX = 'exbox/auth/api-key-secret/v1:';
const KEY_ID_LABEL = 'exbox/auth/master-key-id/v1';
const KEY_ID_BYTES = 8;

/**
 * A master key's id: the first 8 bytes of HMAC-SHA256(key, label), in hex. It tells which key encrypted a
 * secret, and that a configured key is the wrong one, without revealing anything about the key.
 */
export function masterKeyId(key: Uint8Array): string {
  return createHmac('sha256', key).update(KEY_ID_LABEL).digest().subarray(0, KEY_ID_BYTES).toString('hex');
}

/**
 * The current master key (encrypts) and any previous ones (decrypt only). Keys are held as KeyObjects in private
 * fields: printing, inspecting or serializing a keyring shows ids only.
 */
export class MasterKeyring {
  readonly currentId: string;
  readonly #keys = new Map<string, KeyObject>();

  constructor(current: Uint8Array, previous: readonly Uint8Array[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== MASTER_KEY_BYTES) {
        throw new AuthError('MASTER_KEY_INVALID', `a master key must be ${MASTER_KEY_BYTES} bytes`);
      }
      this.#keys.set(masterKeyId(key), createSecretKey(key));
    }
    this.currentId = masterKeyId(current);
  }

  /** Ids of every loaded key, current first. */
  get ids(): readonly string[] {
    return [...this.#keys.keys()];
  }

  has(masterKeyId: string): boolean {
    return this.#keys.has(masterKeyId);
  }

  /** Encrypts under the current key with a fresh random IV; `context` (the API key) is authenticated, not stored. */
  encrypt(plaintext: Uint8Array, context: string): EncryptedSecret {
    const key = this.#keys.get(this.currentId);
    assert(key !== undefined, 'the current master key is loaded');
    const iv = randomBytes(SECRET_IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: SECRET_TAG_BYTES });
    cipher.setAAD(Buffer.from(ASSOCIATED_DATA_PREFIX + context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { masterKeyId: this.currentId, iv, ciphertext, tag: cipher.getAuthTag() };
  }

  /**
   * Decrypts and authenticates. Throws AuthError MASTER_KEY_UNKNOWN when the secret's key is not loaded (the wrong
   * EXBOX_MASTER_KEY), SECRET_DECRYPT_FAILED when the ciphertext, IV, tag or context was altered. `what` names the
   * secret in the message (e.g. "API key 12"); the message never holds key material or plaintext.
   */
  decrypt(encrypted: EncryptedSecret, context: string, what: string): Buffer {
    const key = this.#keys.get(encrypted.masterKeyId);
    if (key === undefined) {
      throw new AuthError(
        'MASTER_KEY_UNKNOWN',
        `${what} is encrypted under master key ${encrypted.masterKeyId}, which is not loaded (loaded: ${this.ids.join(', ')}); ` +
          'set EXBOX_MASTER_KEY (or EXBOX_MASTER_KEY_PREVIOUS) to the key that encrypted it',
      );
    }
    if (encrypted.iv.length !== SECRET_IV_BYTES || encrypted.tag.length !== SECRET_TAG_BYTES) {
      throw new AuthError('SECRET_DECRYPT_FAILED', `${what}: stored IV or tag has the wrong length`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.iv, { authTagLength: SECRET_TAG_BYTES });
      decipher.setAAD(Buffer.from(ASSOCIATED_DATA_PREFIX + context, 'utf8'));
      decipher.setAuthTag(encrypted.tag);
      return Buffer.concat([decipher.update(encrypted.ciphertext), decipher.final()]);
    } catch {
      throw new AuthError(
        'SECRET_DECRYPT_FAILED',
        `${what} failed authentication under master key ${encrypted.masterKeyId}: the stored secret was altered`,
      );
    }
  }

  /** What util.inspect (and so printing) shows. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `MasterKeyring { currentId: '${this.currentId}', ids: [${this.ids.map((id) => `'${id}'`).join(', ')}] }`;
  }

  toJSON(): { currentId: string; ids: readonly string[] } {
    return { currentId: this.currentId, ids: this.ids };
  }
}

/** The demo's key file: `.data/master.key` at the repository root, beside the embedded database. */
export const demoMasterKeyFile = join(dirname(demoDataDir), 'master.key');

const KEY_FILE_MODE = 0o600;
const KEY_DIRECTORY_MODE = 0o700;

/**
 * Reads the master key in `path`, creating the file with a new random key first when it does not exist. For the
 * demo and development: production sets EXBOX_MASTER_KEY. The file is created atomically with mode 0600 (written
 * to a temporary file, then linked into place, so two processes starting together end up with the same key), and
 * a file that others can read is refused, as ssh refuses a private key.
 */
export function readOrCreateMasterKeyFile(path: string): { key: Buffer; created: boolean } {
  let created = false;
  try {
    statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    created = createKeyFile(path);
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AuthError(
      'MASTER_KEY_INVALID',
      `master key file ${path} has mode ${mode.toString(8).padStart(4, '0')}, readable by others: chmod 600 it`,
    );
  }
  const key = parseMasterKeyText(readFileSync(path, 'utf8'));
  if (key === undefined) {
    throw new AuthError(
      'MASTER_KEY_INVALID',
      `master key file ${path} does not hold a ${MASTER_KEY_BYTES}-byte key in hex or base64`,
    );
  }
  return { key, created };
}

/** True when this call created the file; false when another process linked its own first. */
function createKeyFile(path: string): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: KEY_DIRECTORY_MODE });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const descriptor = openSync(temporary, 'wx', KEY_FILE_MODE);
  try {
    writeSync(descriptor, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`);
  } finally {
    closeSync(descriptor);
  }
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

export interface ResolveMasterKeyringOptions {
  /** Default: this process's environment. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /**
   * When EXBOX_MASTER_KEY is unset: a key file to read or create (the demo: demoMasterKeyFile). Omitted: a missing
   * EXBOX_MASTER_KEY is an error (MASTER_KEY_MISSING).
   */
  readonly keyFile?: string;
}

export interface ResolvedMasterKeyring {
  readonly keyring: MasterKeyring;
  /** Where the current key came from. */
  readonly source: 'environment' | 'file';
  /** The key file used, when source is 'file'. */
  readonly keyFile?: string;
  /** True when the key file did not exist and a new key was written to it. */
  readonly created: boolean;
}

/** The keyring from EXBOX_MASTER_KEY (and EXBOX_MASTER_KEY_PREVIOUS), else from the key file when one is allowed. */
export function resolveMasterKeyring(options: ResolveMasterKeyringOptions = {}): ResolvedMasterKeyring {
  const environment = readAuthEnvironment(options.environment);
  const previous = environment.EXBOX_MASTER_KEY_PREVIOUS ?? [];
  if (environment.EXBOX_MASTER_KEY !== undefined) {
    return {
      keyring: new MasterKeyring(environment.EXBOX_MASTER_KEY, previous),
      source: 'environment',
      created: false,
    };
  }
  if (options.keyFile === undefined) {
    throw new AuthError(
      'MASTER_KEY_MISSING',
      `EXBOX_MASTER_KEY is not set: generate one with \`openssl rand -base64 ${MASTER_KEY_BYTES}\` and keep it out of the database`,
    );
  }
  const { key, created } = readOrCreateMasterKeyFile(options.keyFile);
  return { keyring: new MasterKeyring(key, previous), source: 'file', keyFile: options.keyFile, created };
}
