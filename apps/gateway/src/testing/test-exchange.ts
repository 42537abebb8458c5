// A whole exchange for integration tests: a fresh test database (real PostgreSQL, or PGlite), the auth
// package's API key store with real keys, and the gateway with the engine in-process on a free port. Users
// alice and bob are funded; alice also has a read-only key and a key restricted to another IP.
import { randomBytes } from 'node:crypto';
import {
  ApiKeyStore,
  createApiKey,
  ensureUser,
  MasterKeyring,
  sessionCookieName,
  validateSession,
  type Permission,
} from '@exbox/auth';
import { loadDemoTenantConfig, type TenantConfig } from '@exbox/config';
import { createDb } from '@exbox/db';
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { BinanceRestClient } from '../client/rest-client.js';
import { Gateway } from '../gateway.js';
import { keyStoreFrom } from '../http/auth-key-store.js';
import type { RateLimits } from '../http/rate-limiter.js';

export interface TestKey {
  userId: number;
  apiKey: string;
  secret: string;
}

export interface TestExchange {
  gateway: Gateway;
  database: TestDatabase;
  restUrl: string;
  wsUrl: string;
  keys: { alice: TestKey; aliceReadOnly: TestKey; aliceOtherIp: TestKey; bob: TestKey; extra: TestKey[] };
  keyring: MasterKeyring;
  client(key: TestKey): BinanceRestClient;
  /** Credits `units` whole units of `asset` to the user (a deposit with a fresh id). */
  fund(userId: number, asset: string, units: string): Promise<void>;
  close(): Promise<void>;
}

export interface TestExchangeOptions {
  rateLimits?: RateLimits;
  tenant?: TenantConfig;
  /** 'inline' by default (tests run from sources, where the worker's compiled file may not exist). */
  follower?: 'thread' | 'inline' | 'none';
  /** More funded users with trade keys, for load generators. */
  extraUsers?: number;
  /** Passed to the engine (see SequencerOptions). */
  secondCommitMinCommands?: number;
  /** Accept portal session cookies from these origins (GatewayOptions.webSessions), trusted for `webSessionCacheMs`. */
  webOrigins?: string[];
  webSessionCacheMs?: number;
  /** See GatewayOptions.sendQueueBytesMax. */
  sendQueueBytesMax?: number;
  /** Restart: run on the database, keys and master key of this closed exchange (closed with keepDatabase). */
  restartFrom?: TestExchange;
  /** close() leaves the database for a restart (the restarted exchange closes it). */
  keepDatabase?: boolean;
  /** Units of each asset credited to every user (default BTC 100, ETH 1000, USDT 10,000,000). */
  funding?: Record<string, string>;
}

let depositCounter = 0;

export const startTestExchange = async (options: TestExchangeOptions = {}): Promise<TestExchange> => {
  const restart = options.restartFrom;
  const database = restart?.database ?? (await createTestDatabase());
  const keyring = restart?.keyring ?? new MasterKeyring(randomBytes(32));
  const store = await ApiKeyStore.start({ sql: database.sql, keyring });
  const engineDb = createDb(database.url, { applicationName: 'exbox-test-engine', maxConnections: 3 });
  let gateway: Gateway | null = null;
  try {
    const makeKey = async (
      username: string,
      permissions: Permission[],
      ipAllowList: string[] = [],
    ): Promise<TestKey> => {
      const { user } = await ensureUser({ sql: database.sql, username });
      const created = await createApiKey({ sql: database.sql, keyring, userId: user.id, permissions, ipAllowList });
      return { userId: user.id, apiKey: created.apiKey, secret: created.secret };
    };
    const keys = restart?.keys ?? {
      alice: await makeKey('alice', ['read', 'trade']),
      aliceReadOnly: await makeKey('alice', ['read']),
      aliceOtherIp: await makeKey('alice', ['read', 'trade'], ['10.11.12.13']),
      bob: await makeKey('bob', ['read', 'trade']),
      extra: [] as TestKey[],
    };
    for (let i = 1; restart === undefined && i <= (options.extraUsers ?? 0); i++)
      keys.extra.push(await makeKey(`load${i}`, ['read', 'trade']));
    await store.refresh();
    const tenant = options.tenant ?? (await loadDemoTenantConfig());
    gateway = await Gateway.start({
      engine: {
        sql: engineDb.sql,
        databaseUrl: database.url,
        follower: options.follower ?? 'inline',
        ...(options.secondCommitMinCommands === undefined
          ? {}
          : { secondCommitMinCommands: options.secondCommitMinCommands }),
      },
      readSql: database.sql,
      tenant,
      keyStore: keyStoreFrom(store),
      port: 0,
      ...(options.sendQueueBytesMax === undefined ? {} : { sendQueueBytesMax: options.sendQueueBytesMax }),
      ...(options.webOrigins === undefined
        ? {}
        : {
            webSessions: {
              allowedOrigins: options.webOrigins,
              cookieName: sessionCookieName,
              ...(options.webSessionCacheMs === undefined ? {} : { cacheMs: options.webSessionCacheMs }),
              validate: async (sessionId: string) => {
                const found = await validateSession({ sql: database.sql, sessionId });
                return found === undefined
                  ? undefined
                  : { userId: found.session.userId, twoFactorVerified: found.session.twoFactorVerified };
              },
            },
          }),
      rateLimits: options.rateLimits ?? {
        requestWeightPerMinute: 1_000_000,
        ordersPer10s: 100_000,
        ordersPerDay: 10_000_000,
      },
    });
    const running = gateway;
    const decimals = new Map(tenant.assets.map((asset) => [asset.code, asset.decimals]));
    const fund = async (userId: number, asset: string, units: string) => {
      const [whole = '0', fraction = ''] = units.split('.');
      const places = decimals.get(asset) ?? 8;
      const amountMinor = BigInt(whole + fraction.padEnd(places, '0')).toString();
      const { result } = await running.engine.submit({
        type: 'creditDeposit',
        userId,
        asset,
        amountMinor,
        depositId: `test-${process.pid}-${++depositCounter}`,
      });
      if (result.status !== 'OK') throw new Error(`test funding refused: ${JSON.stringify(result)}`);
    };
    const funding = options.funding ?? { BTC: '100', ETH: '1000', USDT: '10000000' };
    for (const key of restart === undefined ? [keys.alice, keys.bob, ...keys.extra] : []) {
      for (const [asset, units] of Object.entries(funding)) await fund(key.userId, asset, units);
    }
    return {
      gateway: running,
      database,
      restUrl: running.url.rest,
      wsUrl: running.url.ws,
      keys,
      keyring,
      client: (key) => new BinanceRestClient({ baseUrl: running.url.rest, apiKey: key.apiKey, secret: key.secret }),
      fund,
      close: async () => {
        await running.close();
        await store.close();
        await engineDb.close();
        if (options.keepDatabase !== true) await database.close();
      },
    };
  } catch (error) {
    await gateway?.close();
    await store.close();
    await engineDb.close();
    await database.close();
    throw error;
  }
};
