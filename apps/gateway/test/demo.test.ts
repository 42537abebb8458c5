// Proves `npm start`'s exchange demo works as a user meets it: it writes credentials that trade through the REST
// API, its market maker keeps every book two-sided and trading through the public API, and a restart on the same
// database reuses the trader's key and credits none of the funding twice.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@exbox/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { BinanceRestClient } from '../src/client/rest-client.js';
import { login } from '@exbox/auth';
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
    expect(lines).toContain(
      `portal login ${demoPortalAccount.email} / ${demoPortalAccount.password} (trader portal on :3000)`,
    );
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
});
