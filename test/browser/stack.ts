// The whole product as a user meets it, for browser tests and the portal's budget benchmark: the exchange demo
// (gateway with the engine, market maker, outbox delivery and demo funding) on a fresh database, and the built
// trader portal (apps/trader/bin/serve.js) as its own process, configured the way `npm start` configures it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { runExchangeDemo, type DemoCredentials } from '@exbox/gateway';
import type { Sql } from 'postgres';

export interface PortalStack {
  /** The portal as the browser opens it (http://localhost:PORT). */
  portalUrl: string;
  /** The gateway on the same hostname as the portal (what the portal's pages use). */
  gatewayUrl: string;
  /** The demo trader's API key (user "demo"), as `npm start` writes it. */
  credentials: DemoCredentials;
  sql: Sql;
  /** What the portal process printed, for failure messages. */
  portalOutput: () => string;
  stop: () => Promise<void>;
}

const traderDir = fileURLToPath(new URL('../../apps/trader/', import.meta.url));

export interface PortalStackOptions {
  /** Run the market maker and taker (default true). */
  bots?: boolean;
}

export async function startPortalStack(options: PortalStackOptions = {}): Promise<PortalStack> {
  if (!existsSync(join(traderDir, 'dist', 'BUILD_ID'))) {
    throw new Error('the trader portal is not built: run `npm run build` (npm test does it when needed)');
  }
  const database: TestDatabase = await createTestDatabase();
  const directory = mkdtempSync(join(tmpdir(), 'exbox-portal-stack-'));
  const portalPort = await freePort();
  const portalUrl = `http://localhost:${portalPort}`;
  const stopDemo = new AbortController();
  const demoLines: string[] = [];
  let demoFailure: unknown = null;
  let onReady: (value: { gatewayPort: number; credentials: DemoCredentials }) => void = () => undefined;
  let onFailure: (error: unknown) => void = () => undefined;
  const ready = new Promise<{ gatewayPort: number; credentials: DemoCredentials }>((resolve, reject) => {
    onReady = resolve;
    onFailure = reject;
  });
  const demoRun = runExchangeDemo({
    databaseUrl: database.url,
    host: '127.0.0.1',
    port: 0,
    seed: 7,
    credentialsPath: join(directory, 'demo-credentials.json'),
    masterKeyFile: join(directory, 'master.key'),
    follower: 'inline',
    bots: options.bots ?? true,
    signal: stopDemo.signal,
    print: (line) => demoLines.push(line),
    portalOrigins: [portalUrl, `http://127.0.0.1:${portalPort}`],
    onReady: ({ gateway, credentials }) =>
      onReady({ gatewayPort: Number(new URL(gateway.url.rest).port), credentials }),
  }).catch((error: unknown) => {
    demoFailure = error;
    onFailure(error);
  });
  let portal: ChildProcess | null = null;
  const stop = async () => {
    if (portal !== null && portal.exitCode === null) {
      const exited = new Promise((resolve) => portal!.once('exit', resolve));
      portal.kill('SIGTERM');
      await exited;
    }
    stopDemo.abort();
    await demoRun;
    await database.close();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    const { gatewayPort, credentials } = await ready;
    // The same key for the demo (API secrets it created) and the portal (secrets of keys users create there).
    const masterKey = readFileSync(join(directory, 'master.key'), 'utf8').trim();
    let output = '';
    portal = spawn(process.execPath, [join(traderDir, 'bin', 'serve.js'), '--port', String(portalPort)], {
      cwd: traderDir,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        EXBOX_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`,
        EXBOX_DEMO: '1',
        EXBOX_MASTER_KEY: masterKey,
        EXBOX_PUBLIC_URL: portalUrl,
        NODE_OPTIONS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const listening = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('trader portal listening')) resolve();
      };
      portal!.stdout!.on('data', onData);
      portal!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      portal!.once('exit', (code) => reject(new Error(`the portal exited (${code}) before listening:\n${output}`)));
    });
    await withTimeout(listening, 30_000, () => `the portal did not start within 30 s:\n${output}`);
    return {
      portalUrl,
      gatewayUrl: `http://localhost:${gatewayPort}`,
      credentials: { ...credentials, restUrl: `http://localhost:${gatewayPort}` },
      sql: database.sql,
      portalOutput: () => output,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    if (demoFailure !== null)
      throw new Error(`the exchange demo failed: ${String(demoFailure)}\n${demoLines.join('\n')}`, { cause: error });
    throw error;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
