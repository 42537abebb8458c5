// Proves `npm start`'s exchange demo works as a user meets it: it writes credentials that trade through the REST
// API, its market maker keeps every book two-sided and trading through the public API, and a restart on the same
// database reuses the trader's key and credits none of the funding twice.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@exbox/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { BinanceRestClient } from '../src/client/rest-client.js';
import { listMailbox, login, signUp, verifyEmail } from '@exbox/auth';
import { demoPortalAccount, runExchangeDemo, type DemoCredentials } from '../src/demo/run-exchange-demo.js';
import type { Gateway } from '../src/gateway.js';

const directory = mkdtempSync(join(tmpdir(), 'exbox-demo-test-'));
const database = await createTestDatabase();
afterAll(async () => {
  await database.close();
});

/** Runs the demo until `whileRunning` returns, then stops it; returns what it printed. */
const runDemoWhile = async (whileRunning: (gateway: Gateway, credentials: DemoCredentials) => Promise<void>) => {
  const stop = new AbortController();
  const lines: string[] = [];
  let failure: unknown = null;
  await runExchangeDemo({
    databaseUrl: database.url,
    host: '127.0.0.1',
    port: 0,
    seed: 11,
    credentialsPath: join(directory, 'demo-credentials.json'),
    masterKeyFile: join(directory, 'master.key'),
    follower: 'inline',
    signal: stop.signal,
    print: (line) => lines.push(line),
    statusIntervalMs: 500,
    onReady: ({ gateway, credentials }) => {
      whileRunning(gateway, credentials)
        .catch((error: unknown) => (failure = error))
        .finally(() => stop.abort());
    },
  });
  if (failure !== null) throw failure;
  return lines;
};

/** The user's available USDT in the engine's committed state, in minor units. */
const usdtOf = (gateway: Gateway, userId: number): bigint =>
  gateway.engine.state.balancesOf(userId).find((balance) => balance.asset === 'USDT')?.availableMinor ?? 0n;

describe('the exchange demo', () => {
  it('writes working credentials and keeps every book two-sided and trading', async () => {
    const lines = await runDemoWhile(async (gateway, credentials) => {
      const written = JSON.parse(readFileSync(join(directory, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
      expect(written).toEqual(credentials);
      expect(written.restUrl).toBe(gateway.url.rest);
      const client = new BinanceRestClient({
        baseUrl: written.restUrl,
        apiKey: written.apiKey,
        secret: written.secret,
      });
      const account = await client.signed<{ balances: { asset: string; free: string }[] }>('GET', '/api/v3/account');
      expect(account.balances.find((balance) => balance.asset === 'USDT')?.free).toBe('1000000.00000000');
      // Give the market maker time to quote and the taker time to trade on every market.
      const deadline = Date.now() + 20_000;
      for (const symbol of ['BTCUSDT', 'ETHUSDT', 'ETHBTC']) {
        for (;;) {
          const depth = await client.get<{ bids: unknown[]; asks: unknown[] }>('/api/v3/depth', { symbol });
          const trades = await client.get<unknown[]>('/api/v3/trades', { symbol });
          if (depth.bids.length >= 3 && depth.asks.length >= 3 && trades.length > 0) break;
          if (Date.now() > deadline) throw new Error(`${symbol} is not two-sided and trading after 20 s`);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    });
    expect(lines.some((line) => line.startsWith('funded the demo users'))).toBe(true);
    expect(lines).toContain(`portal login ${demoPortalAccount.email} / ${demoPortalAccount.password}`);
    const { session } = await login({ sql: database.sql, ...demoPortalAccount });
    expect(session.userId).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(/^stopped at sequence \d+/);
  });

  it('restarts on the same database without crediting anything twice, keeping the trader key', async () => {
    const before = JSON.parse(readFileSync(join(directory, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    const lines = await runDemoWhile(async (gateway, credentials) => {
      expect(credentials.apiKey).toBe(before.apiKey);
      expect(gateway.engine.recovery.lastSeq).toBeGreaterThan(0);
      const client = new BinanceRestClient({
        baseUrl: credentials.restUrl,
        apiKey: credentials.apiKey,
        secret: credentials.secret,
      });
      const account = await client.signed<{ balances: { asset: string; free: string; locked: string }[] }>(
        'GET',
        '/api/v3/account',
      );
      const btc = account.balances.find((balance) => balance.asset === 'BTC')!;
      expect(Number(btc.free) + Number(btc.locked)).toBe(10);
    });
    expect(lines.some((line) => line.startsWith('funded the demo users'))).toBe(false);
  });

  it('funds a portal account once, when its email is verified, and never twice', async () => {
    const email = 'new-trader@example.test';
    const password = 'a long enough password 1';
    let userId = 0;
    const lines = await runDemoWhile(async (gateway) => {
      await signUp({ sql: database.sql, email, password, linkBaseUrl: 'http://localhost:3000' });
      const [mail] = await listMailbox({ sql: database.sql, to: email, limit: 1 });
      const token = decodeURIComponent(/token=([^\s&]+)/.exec(mail?.body ?? '')?.[1] ?? '');
      // Not verified yet: nothing credited after the funding tick.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const [row] = await database.sql<{ id: number }[]>`select id::float8 as id from users where email = ${email}`;
      userId = row!.id;
      expect(usdtOf(gateway, userId)).toBe(0n);
      await verifyEmail({ sql: database.sql, token });
      const deadline = Date.now() + 10_000;
      while (usdtOf(gateway, userId) === 0n) {
        if (Date.now() > deadline) throw new Error('the verified account was not funded within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(usdtOf(gateway, userId)).toBe(1_000_000n * 10n ** 8n);
    });
    expect(lines).toContain(`funded portal account ${userId}`);
    // A restart looks at every verified account again and credits nothing twice.
    await runDemoWhile(async (gateway) => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(usdtOf(gateway, userId)).toBe(1_000_000n * 10n ** 8n);
    });
  });
});
