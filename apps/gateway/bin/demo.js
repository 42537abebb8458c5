#!/usr/bin/env node
// `npm start`: the exchange demo. Runs the embedded PostgreSQL (PGlite, data in .data/pglite), migrates it and
// starts the whole exchange on it (src/demo/run-exchange-demo.ts): the gateway with the engine in-process, the
// demo tenant, demo users with API keys (the trader's in .data/demo-credentials.json) and a market maker and
// taker trading through the public API. Ctrl-C stops it gracefully; everything acknowledged is in the journal.
// It also serves the trader portal (apps/trader, built by `npm start`'s build step) on --portal-port, as a child
// process on the same database.
// usage: demo.js [--port N] [--host H] [--seed N] [--database-url URL] [--no-bots] [--portal-port N] [--no-portal]
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { demoDataDir, migrate, startEmbeddedPostgres } from '@exbox/db';
import { relaunchWithEngineFlags } from '@exbox/engine';
import { runExchangeDemo } from '../dist/demo/run-exchange-demo.js';

const usage = `usage: npm start -- [--port N] [--host H] [--seed N] [--database-url URL] [--no-bots] [--portal-port N]
  --port N             HTTP and WebSocket port (default 8080; 0 picks a free one)
  --portal-port N      the trader portal's port (default 3000)
  --no-portal          do not start the trader portal
  --credentials PATH   where to write the demo trader's API key (default .data/demo-credentials.json)
  --host H             address to listen on (default 127.0.0.1)
  --seed N             seed of the market maker's prices (default: random, printed)
  --database-url URL   run on this PostgreSQL instead of the embedded one in .data/pglite
  --no-bots            no market maker or taker`;

let args;
try {
  args = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      'database-url': { type: 'string' },
      'no-bots': { type: 'boolean', default: false },
      'portal-port': { type: 'string', default: '3000' },
      'no-portal': { type: 'boolean', default: false },
      credentials: { type: 'string' },
    },
  }).values;
} catch (error) {
  console.error(`demo: ${error.message}\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const port = Number(args.port);
if (!/^\d{1,5}$/.test(args.port) || port > 65_535) {
  console.error(`demo: --port must be 0..65535, got ${JSON.stringify(args.port)}\n${usage}`);
  process.exit(2);
}
const portalPort = Number(args['portal-port']);
if (!/^\d{1,5}$/.test(args['portal-port']) || portalPort < 1 || portalPort > 65_535) {
  console.error(`demo: --portal-port must be 1..65535, got ${JSON.stringify(args['portal-port'])}\n${usage}`);
  process.exit(2);
}
if (args.seed !== undefined && !/^\d{1,9}$/.test(args.seed)) {
  console.error(`demo: --seed must be a whole number, got ${JSON.stringify(args.seed)}\n${usage}`);
  process.exit(2);
}
// The engine runs faster with a larger young generation; that flag cannot be set at runtime, so relaunch with it.
const relaunched = await relaunchWithEngineFlags();
if (relaunched !== null) process.exit(relaunched);

const stop = new globalThis.AbortController();
let firstSignalMs = 0;
const onSignal = (signal) => {
  if (!stop.signal.aborted) {
    firstSignalMs = performance.now();
    console.error(`\n${signal}: stopping gracefully (Ctrl-C again to force)`);
    stop.abort();
  } else if (performance.now() - firstSignalMs > 1_000) {
    console.error(`${signal} again: exiting without draining (the journal keeps everything acknowledged)`);
    process.exit(130);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

let server = null;
if (args['database-url'] === undefined) {
  try {
    server = await startEmbeddedPostgres({ dataDir: demoDataDir });
  } catch (error) {
    console.error(`demo: cannot open the demo database: ${error instanceof Error ? error.message : String(error)}`);
    console.error('demo: is another `npm start` running? Stop it (Ctrl-C) first; its data stays in .data/.');
    process.exit(1);
  }
  console.log(`embedded PostgreSQL (PGlite) at ${server.url}, data in ${demoDataDir}`);
}
const url = server?.url ?? args['database-url'];
const seed = args.seed === undefined ? randomInt(1_000_000_000) : Number(args.seed);
let exitCode = 0;
let portal = null;

/** The trader portal (apps/trader/bin/serve.js) as a child process; its output is prefixed with [portal]. */
function startPortal(databaseUrl, gatewayUrl) {
  const traderDir = new URL('../../trader/', import.meta.url);
  if (!existsSync(new URL('dist/BUILD_ID', traderDir))) {
    console.error('demo: the trader portal is not built (npm run build); serving the API only');
    return null;
  }
  const publicUrl = `http://localhost:${portalPort}`;
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('bin/serve.js', traderDir)), '--port', String(portalPort), '--host', args.host],
    {
      cwd: fileURLToPath(traderDir),
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        EXBOX_GATEWAY_URL: gatewayUrl,
        EXBOX_DEMO: '1',
        EXBOX_PUBLIC_URL: publicUrl,
        NODE_OPTIONS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const relay = (stream, write) => {
    let pending = '';
    stream.setEncoding('utf8').on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('trader portal listening'))
          write(`portal    ${publicUrl}  (demo mailbox at ${publicUrl}/mailbox)`);
        else if (line.trim() !== '' && !line.includes('next.config')) write(`[portal] ${line}`);
      }
    });
  };
  relay(child.stdout, (line) => console.log(line));
  relay(child.stderr, (line) => console.error(line));
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', resolve));
  child.once('exit', (code, signal) => {
    exited = true;
    if (!stop.signal.aborted) console.error(`demo: the trader portal stopped (${signal ?? `exit ${code}`})`);
  });
  return {
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}

try {
  const migrated = await migrate(url);
  console.log(`migrations: ${migrated.appliedCount} applied, ${migrated.totalCount} in all`);
  console.log(`market maker seed ${seed}`);
  await runExchangeDemo({
    databaseUrl: url,
    host: args.host,
    port,
    seed,
    credentialsPath:
      args.credentials ?? fileURLToPath(new URL('../../../.data/demo-credentials.json', import.meta.url)),
    follower: 'thread',
    bots: !args['no-bots'],
    signal: stop.signal,
    print: (line) => console.log(line),
    portalOrigins: [`http://localhost:${portalPort}`, `http://127.0.0.1:${portalPort}`],
    onReady: ({ gateway }) => {
      if (!args['no-portal']) portal = startPortal(url, gateway.url.rest);
    },
  });
} catch (error) {
  exitCode = 1;
  console.error(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (server !== null)
    console.error('demo: if .data/ was written by an older version, `rm -rf .data` starts a fresh demo');
} finally {
  await portal?.stop();
  await server?.stop();
}
process.exit(exitCode);
