// The gateway's view of API keys: every active key in memory, so authenticating a request costs a Map lookup and
// one HMAC, never a query. The store loads all active keys at start and polls for changes every
// API_KEY_REFRESH_INTERVAL_MS (1 s).
//
// How fast a deleted key stops working (the bound):
// - Normally within API_KEY_REFRESH_INTERVAL_MS plus one refresh query after the revocation commits. Polling is
//   exact: every change takes an advisory lock in shared mode and draws a change_seq; a poll takes it exclusively,
//   so it reads only after every writer that drew a smaller change_seq has committed (internal/change-lock.ts).
// - At worst API_KEY_STALE_AFTER_MS (10 s) after the commit, whatever happens: a store whose last successful
//   refresh *started* longer ago than that refuses every key (lookup returns undefined, isAvailable() is false).
//   A refresh that started after the commit sees it, so a store that still answers has seen it.
// - A request already past its check when the key is revoked completes.
// New keys appear within the same API_KEY_REFRESH_INTERVAL_MS. Rows changed behind this package's back (without
// the lock and a new change_seq) are caught by a full reload every API_KEY_FULL_RELOAD_INTERVAL_MS.

import { createPublicKey, createSecretKey } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import { AuthError, type AuthErrorCode } from './codes.js';
import { lockApiKeysForPoll } from './internal/change-lock.js';
import { toApiKeyType, toSafeInteger } from './internal/rows.js';
import { IpAllowList } from './ip-allow-list.js';
import {
  API_KEY_FULL_RELOAD_INTERVAL_MS,
  API_KEY_LAST_USED_FLUSH_INTERVAL_MS,
  API_KEY_LAST_USED_FLUSH_ROWS_MAX,
  API_KEY_REFRESH_INTERVAL_MS,
  API_KEY_REFRESH_ROWS_MAX,
  API_KEY_REFRESH_STATEMENT_TIMEOUT_MS,
  API_KEY_STALE_AFTER_MS,
} from './limits.js';
import type { MasterKeyring } from './master-key.js';
import { verifyEd25519Signature, verifyHmacSignature, type VerificationKey } from './signature.js';
import type { ApiKeyType, Permission } from './types.js';

/** One active key as the gateway sees it. Holds no printable secret: the HMAC key is a KeyObject in a private field. */
export interface ApiKeyEntry {
  readonly id: number;
  readonly userId: number;
  readonly apiKey: string;
  readonly type: ApiKeyType;
  readonly permissions: readonly Permission[];
  readonly ipAllowList: IpAllowList;
  hasPermission(permission: Permission): boolean;
  /** True when the allow-list is empty or holds `ip` (IPv4, IPv6 or IPv4-mapped IPv6). */
  allowsIp(ip: string): boolean;
  /**
   * True when `signature` signs `payload` (signaturePayload's): HMAC-SHA256 hex in either case for HMAC keys,
   * base64 Ed25519 for Ed25519 keys. Constant-time; false for malformed signatures; never throws.
   */
  verify(payload: string | Uint8Array, signature: string): boolean;
}

/** What authenticateRequest needs from a store; a test double can implement it. */
export interface ApiKeyLookup {
  /** The active key, or undefined when unknown, revoked, or the store is stale (fail closed). */
  lookup(apiKey: string): ApiKeyEntry | undefined;
  /** False when the store could not refresh for staleAfterMs: every lookup is refused. */
  isAvailable(): boolean;
}

export interface ApiKeyStoreProblem {
  readonly kind: 'REFRESH_FAILED' | 'KEY_UNUSABLE' | 'LAST_USED_FLUSH_FAILED';
  /** Names keys by id, never by secret. */
  readonly message: string;
  readonly apiKeyId?: number;
  readonly code?: AuthErrorCode;
}

export interface ApiKeyStoreOptions {
  readonly sql: Sql;
  /** Decrypts HMAC secrets: must hold every master key that encrypted an active secret. */
  readonly keyring: MasterKeyring;
  /** Default API_KEY_REFRESH_INTERVAL_MS. */
  readonly refreshIntervalMs?: number;
  /** Default API_KEY_STALE_AFTER_MS; must exceed refreshIntervalMs. */
  readonly staleAfterMs?: number;
  /** Default API_KEY_FULL_RELOAD_INTERVAL_MS. */
  readonly fullReloadIntervalMs?: number;
  /** Default API_KEY_LAST_USED_FLUSH_INTERVAL_MS. */
  readonly lastUsedFlushIntervalMs?: number;
  /** False: no timer, the caller runs refresh() (tools and tests). Default true. */
  readonly autoRefresh?: boolean;
  /** A monotonic clock for staleness and intervals; default performance.now. */
  readonly monotonicNowMs?: () => number;
  /** The wall clock for last_used_at; default Date.now. */
  readonly wallNowMs?: () => number;
  /** Where problems go (a key that cannot be decrypted, a failed refresh); default console.error. */
  readonly onProblem?: (problem: ApiKeyStoreProblem) => void;
}

interface KeyRow {
  id: unknown;
  user_id: unknown;
  api_key: string;
  key_type: string;
  permissions: string[];
  ip_allow_list: string[];
  secret_ciphertext: Buffer | null;
  secret_iv: Buffer | null;
  secret_tag: Buffer | null;
  master_key_id: string | null;
  public_key: Buffer | null;
  change_seq: unknown;
  revoked: boolean;
}

interface UnusableKey {
  readonly id: number;
  readonly error: AuthError;
}

class StoredApiKey implements ApiKeyEntry {
  readonly #verification: VerificationKey;
  readonly #onVerified: (id: number) => void;

  constructor(
    readonly id: number,
    readonly userId: number,
    readonly apiKey: string,
    readonly permissions: readonly Permission[],
    readonly ipAllowList: IpAllowList,
    readonly changeSeq: number,
    verification: VerificationKey,
    onVerified: (id: number) => void,
  ) {
    this.#verification = verification;
    this.#onVerified = onVerified;
    Object.freeze(this.permissions);
  }

  get type(): ApiKeyType {
    return this.#verification.type;
  }

  hasPermission(permission: Permission): boolean {
    return this.permissions.includes(permission);
  }

  allowsIp(ip: string): boolean {
    return this.ipAllowList.allows(ip);
  }

  verify(payload: string | Uint8Array, signature: string): boolean {
    const verification = this.#verification;
    const valid =
      verification.type === 'HMAC'
        ? verifyHmacSignature(verification.key, payload, signature)
        : verifyEd25519Signature(verification.publicKey, payload, signature);
    if (valid) this.#onVerified(this.id);
    return valid;
  }

  toJSON() {
    const { id, userId, apiKey, type, permissions } = this;
    return { id, userId, apiKey, type, permissions, ipAllowList: this.ipAllowList.entries };
  }
}

const KEY_COLUMNS = `id, user_id, api_key, key_type, permissions, ip_allow_list, secret_ciphertext, secret_iv,
  secret_tag, master_key_id, public_key, change_seq, revoked_at is not null as revoked`;

export class ApiKeyStore implements ApiKeyLookup {
  readonly #sql: Sql;
  readonly #keyring: MasterKeyring;
  readonly #refreshIntervalMs: number;
  readonly #staleAfterMs: number;
  readonly #fullReloadIntervalMs: number;
  readonly #lastUsedFlushIntervalMs: number;
  readonly #autoRefresh: boolean;
  readonly #monotonicNowMs: () => number;
  readonly #wallNowMs: () => number;
  readonly #onProblem: (problem: ApiKeyStoreProblem) => void;

  #byApiKey = new Map<string, StoredApiKey>();
  /** The largest change_seq applied: the next poll reads rows above it. */
  #cursor = 0;
  /** When the last successful refresh started (monotonic); -Infinity before the first. */
  #lastSuccessStartMs = Number.NEGATIVE_INFINITY;
  #lastFullReloadMs = Number.NEGATIVE_INFINITY;
  #lastUsedFlushMs: number;
  /** Key id -> wall-clock ms of its latest verified request, waiting to be written. */
  readonly #lastUsedMs = new Map<number, number>();
  /** Refreshes run one at a time, in call order. */
  #chain: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  private constructor(options: ApiKeyStoreOptions) {
    this.#sql = options.sql;
    this.#keyring = options.keyring;
    this.#refreshIntervalMs = options.refreshIntervalMs ?? API_KEY_REFRESH_INTERVAL_MS;
    this.#staleAfterMs = options.staleAfterMs ?? API_KEY_STALE_AFTER_MS;
    this.#fullReloadIntervalMs = options.fullReloadIntervalMs ?? API_KEY_FULL_RELOAD_INTERVAL_MS;
    this.#lastUsedFlushIntervalMs = options.lastUsedFlushIntervalMs ?? API_KEY_LAST_USED_FLUSH_INTERVAL_MS;
    this.#autoRefresh = options.autoRefresh ?? true;
    this.#monotonicNowMs = options.monotonicNowMs ?? (() => performance.now());
    this.#wallNowMs = options.wallNowMs ?? (() => Date.now());
    this.#onProblem = options.onProblem ?? ((problem) => console.error(`[auth] ApiKeyStore: ${problem.message}`));
    for (const [name, value] of [
      ['refreshIntervalMs', this.#refreshIntervalMs],
      ['staleAfterMs', this.#staleAfterMs],
      ['fullReloadIntervalMs', this.#fullReloadIntervalMs],
      ['lastUsedFlushIntervalMs', this.#lastUsedFlushIntervalMs],
    ] as const) {
      if (!Number.isFinite(value) || value <= 0) {
        throw new AuthError('INPUT_INVALID', `ApiKeyStore: ${name}: must be a positive number of ms`, name);
      }
    }
    if (this.#staleAfterMs <= this.#refreshIntervalMs) {
      throw new AuthError('INPUT_INVALID', 'ApiKeyStore: staleAfterMs: must exceed refreshIntervalMs', 'staleAfterMs');
    }
    this.#lastUsedFlushMs = this.#monotonicNowMs();
  }

  /**
   * Loads every active key and starts polling. Throws AuthError MASTER_KEY_UNKNOWN when there are HMAC keys and
   * none of them is under a loaded master key (the wrong EXBOX_MASTER_KEY). A single key that cannot be used is
   * reported through onProblem and refused, and the store starts.
   */
  static async start(options: ApiKeyStoreOptions): Promise<ApiKeyStore> {
    const store = new ApiKeyStore(options);
    const unknownMasterKey: UnusableKey[] = [];
    const hmacKeys = await store.#fullReload(unknownMasterKey);
    const first = unknownMasterKey[0];
    if (first !== undefined && unknownMasterKey.length === hmacKeys) {
      throw new AuthError(
        'MASTER_KEY_UNKNOWN',
        `ApiKeyStore: none of the ${hmacKeys} API key secrets is encrypted under a loaded master key ` +
          `(${store.#keyring.ids.join(', ')}): EXBOX_MASTER_KEY is not the key they were created with. ` +
          first.error.message,
      );
    }
    for (const { id, error } of unknownMasterKey) store.#reportUnusable(id, error);
    store.#schedule();
    return store;
  }

  lookup(apiKey: string): ApiKeyEntry | undefined {
    if (!this.isAvailable()) return undefined;
    return this.#byApiKey.get(apiKey);
  }

  isAvailable(): boolean {
    return !this.#closed && this.#monotonicNowMs() - this.#lastSuccessStartMs <= this.#staleAfterMs;
  }

  /** Active keys held. */
  get size(): number {
    return this.#byApiKey.size;
  }

  /**
   * Applies every change committed before this call (after any refresh already running), and writes last-use
   * times when they are due. Rejects when the database fails; the timer reports that and tries again.
   */
  refresh(): Promise<void> {
    const run = () => this.#refreshOnce();
    this.#chain = this.#chain.then(run, run);
    return this.#chain;
  }

  /** Stops polling and writes the last-use times still held. The caller owns `sql` and ends it after. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#chain.catch(() => undefined);
    await this.#flushLastUsed().catch((error: unknown) =>
      this.#report('LAST_USED_FLUSH_FAILED', `writing last-use times failed: ${messageOf(error)}`),
    );
  }

  #schedule(): void {
    if (!this.#autoRefresh || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.refresh()
        .catch((error: unknown) => this.#report('REFRESH_FAILED', `refresh failed: ${messageOf(error)}`))
        .finally(() => this.#schedule());
    }, this.#refreshIntervalMs);
    // The store never keeps a process alive on its own.
    this.#timer.unref();
  }

  async #refreshOnce(): Promise<void> {
    if (this.#closed) return;
    if (this.#monotonicNowMs() - this.#lastFullReloadMs >= this.#fullReloadIntervalMs) {
      await this.#fullReload(undefined);
    } else {
      await this.#poll();
    }
    if (this.#monotonicNowMs() - this.#lastUsedFlushMs >= this.#lastUsedFlushIntervalMs) {
      await this.#flushLastUsed().catch((error: unknown) =>
        this.#report('LAST_USED_FLUSH_FAILED', `writing last-use times failed: ${messageOf(error)}`),
      );
    }
  }

  /** Reads changes above the cursor, a bounded page per transaction, until none are left. */
  async #poll(): Promise<void> {
    const startedMs = this.#monotonicNowMs();
    for (;;) {
      const rows = await this.#locked(
        (transaction) => transaction<KeyRow[]>`
          select ${transaction.unsafe(KEY_COLUMNS)} from api_keys
          where change_seq > ${this.#cursor} order by change_seq limit ${API_KEY_REFRESH_ROWS_MAX}`,
      );
      for (const row of rows) {
        this.#apply(row);
        this.#cursor = Math.max(this.#cursor, toSafeInteger(row.change_seq, 'api_keys.change_seq'));
      }
      if (rows.length < API_KEY_REFRESH_ROWS_MAX) break;
    }
    this.#lastSuccessStartMs = startedMs;
  }

  /**
   * Replaces the whole map: takes the largest change_seq under the lock, then reads every active key in pages by
   * id, then polls from that change_seq (a key revoked while the pages were read has a larger one). Entries whose
   * change_seq is unchanged are kept as they are, without decrypting again. Returns how many HMAC keys it read.
   */
  async #fullReload(unknownMasterKey: UnusableKey[] | undefined): Promise<number> {
    const startedMs = this.#monotonicNowMs();
    const [head] = await this.#locked(
      (transaction) => transaction<{ max_seq: unknown }[]>`
        select coalesce(max(change_seq), 0) as max_seq from api_keys`,
    );
    const maxSeq = toSafeInteger(head?.max_seq, 'max(change_seq)');
    const previousById = new Map([...this.#byApiKey.values()].map((entry) => [entry.id, entry]));
    const next = new Map<string, StoredApiKey>();
    let hmacKeys = 0;
    let afterId = 0;
    for (;;) {
      const rows = await this.#sql<KeyRow[]>`
        select ${this.#sql.unsafe(KEY_COLUMNS)} from api_keys
        where revoked_at is null and id > ${afterId} order by id limit ${API_KEY_REFRESH_ROWS_MAX}`;
      for (const row of rows) {
        const id = toSafeInteger(row.id, 'api_keys.id');
        afterId = id;
        if (row.key_type === 'HMAC') hmacKeys++;
        const previous = previousById.get(id);
        const entry =
          previous !== undefined && previous.changeSeq === toSafeInteger(row.change_seq, 'api_keys.change_seq')
            ? previous
            : this.#entryOf(row, unknownMasterKey);
        if (entry !== undefined) next.set(entry.apiKey, entry);
      }
      if (rows.length < API_KEY_REFRESH_ROWS_MAX) break;
    }
    this.#byApiKey = next;
    this.#cursor = maxSeq;
    this.#lastFullReloadMs = startedMs;
    await this.#poll();
    // The poll set the success time to its own start; the reload's earlier start is the honest one.
    this.#lastSuccessStartMs = startedMs;
    return hmacKeys;
  }

  /** Runs `read` in a transaction holding the poll lock, with bounded lock wait and statement time. */
  async #locked<T>(read: (transaction: TransactionSql) => Promise<T>): Promise<T> {
    const result = await this.#sql.begin(async (transaction) => {
      await transaction.unsafe(`set local statement_timeout = ${API_KEY_REFRESH_STATEMENT_TIMEOUT_MS}`);
      await transaction.unsafe(`set local lock_timeout = ${API_KEY_REFRESH_STATEMENT_TIMEOUT_MS}`);
      await lockApiKeysForPoll(transaction);
      return [await read(transaction)] as const;
    });
    return result[0] as T;
  }

  #apply(row: KeyRow): void {
    if (row.revoked) {
      this.#byApiKey.delete(row.api_key);
      return;
    }
    const entry = this.#entryOf(row, undefined);
    if (entry === undefined) this.#byApiKey.delete(row.api_key);
    else this.#byApiKey.set(row.api_key, entry);
  }

  /**
   * The entry for an active row, or undefined when it cannot be used: such a key is refused, and reported (or, for
   * MASTER_KEY_UNKNOWN at start, collected in `unknownMasterKey` for start to judge).
   */
  #entryOf(row: KeyRow, unknownMasterKey: UnusableKey[] | undefined): StoredApiKey | undefined {
    const id = toSafeInteger(row.id, 'api_keys.id');
    try {
      const type = toApiKeyType(row.key_type);
      const verification = type === 'HMAC' ? this.#hmacKey(row, id) : this.#ed25519Key(row, id);
      return new StoredApiKey(
        id,
        toSafeInteger(row.user_id, 'api_keys.user_id'),
        row.api_key,
        row.permissions as Permission[],
        new IpAllowList(row.ip_allow_list),
        toSafeInteger(row.change_seq, 'api_keys.change_seq'),
        verification,
        (usedId) => this.#lastUsedMs.set(usedId, this.#wallNowMs()),
      );
    } catch (error) {
      if (unknownMasterKey !== undefined && error instanceof AuthError && error.code === 'MASTER_KEY_UNKNOWN') {
        unknownMasterKey.push({ id, error });
      } else {
        this.#reportUnusable(id, error);
      }
      return undefined;
    }
  }

  #hmacKey(row: KeyRow, id: number): VerificationKey {
    const { secret_ciphertext: ciphertext, secret_iv: iv, secret_tag: tag, master_key_id: masterKeyId } = row;
    if (ciphertext === null || iv === null || tag === null || masterKeyId === null) {
      throw new AuthError('SECRET_DECRYPT_FAILED', `API key ${id} has no stored secret`);
    }
    const plaintext = this.#keyring.decrypt({ masterKeyId, iv, ciphertext, tag }, row.api_key, `API key ${id}`);
    try {
      return { type: 'HMAC', key: createSecretKey(plaintext) };
    } finally {
      plaintext.fill(0);
    }
  }

  #ed25519Key(row: KeyRow, id: number): VerificationKey {
    if (row.public_key === null) throw new Error(`API key ${id} has no public key`);
    const publicKey = createPublicKey({ key: row.public_key, format: 'der', type: 'spki' });
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`API key ${id}: the public key is not Ed25519`);
    return { type: 'ED25519', publicKey };
  }

  /** Writes the newest last-use time of up to API_KEY_LAST_USED_FLUSH_ROWS_MAX keys in one statement. */
  async #flushLastUsed(): Promise<void> {
    this.#lastUsedFlushMs = this.#monotonicNowMs();
    if (this.#lastUsedMs.size === 0) return;
    const batch = [...this.#lastUsedMs].slice(0, API_KEY_LAST_USED_FLUSH_ROWS_MAX);
    for (const [id] of batch) this.#lastUsedMs.delete(id);
    try {
      await this.#sql`
        update api_keys set last_used_at = greatest(api_keys.last_used_at, used.at)
        from unnest(${this.#sql.array(batch.map(([id]) => id))}::bigint[],
                    ${this.#sql.array(batch.map(([, ms]) => new Date(ms).toISOString()))}::timestamptz[]) as used(id, at)
        where api_keys.id = used.id`;
    } catch (error) {
      // Keep them for the next flush, unless a newer use arrived meanwhile.
      for (const [id, ms] of batch) if (!this.#lastUsedMs.has(id)) this.#lastUsedMs.set(id, ms);
      throw error;
    }
  }

  #reportUnusable(id: number, error: unknown): void {
    const code = error instanceof AuthError ? error.code : undefined;
    this.#report('KEY_UNUSABLE', `API key ${id} is refused: ${messageOf(error)}`, code, id);
  }

  #report(kind: ApiKeyStoreProblem['kind'], message: string, code?: AuthErrorCode, apiKeyId?: number): void {
    this.#onProblem({
      kind,
      message,
      ...(code === undefined ? {} : { code }),
      ...(apiKeyId === undefined ? {} : { apiKeyId }),
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
