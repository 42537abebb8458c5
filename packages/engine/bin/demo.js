#!/usr/bin/env node
// `npm start`: the engine demo. Runs the embedded PostgreSQL (PGlite, data in .data/pglite), migrates it, and hands
// it to runDemo (src/demo/run-demo.ts), which recovers the engine, seeds the demo tenant and drives a simulated
// order flow. Ctrl-C (SIGINT) or SIGTERM stops it gracefully: nothing new is submitted, every commit and projection
// is drained, the database is closed, and the exit code says whether money was conserved (0) or not (1).
// usage: demo.js [--seed N] [--rate N] [--duration SECONDS] [--in-flight N] [--follower MODE] [--database-url URL]
import { createDb, demoDataDir, migrate, startEmbeddedPostgres } from '@exbox/db';
import { DEMO_USAGE, DemoUsageError, parseDemoArguments, randomSeed, runDemo } from '../dist/demo/index.js';

let args;
try {
  args = parseDemoArguments(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof DemoUsageError)) throw error;
  console.error(`demo: ${error.message}\n${DEMO_USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(DEMO_USAGE);
  process.exit(0);
}

// A signal's first delivery stops the run gracefully. Ctrl-C under `npm start` can reach us twice at once (from the
// terminal and forwarded by npm), so only a later one (a second Ctrl-C) forces an exit without draining.
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
if (args.databaseUrl === null) {
  try {
    server = await startEmbeddedPostgres({ dataDir: demoDataDir });
  } catch (error) {
    // Most likely another demo holds the data directory: the message names its process and the lock file.
    console.error(`demo: cannot open the demo database: ${error instanceof Error ? error.message : String(error)}`);
    console.error('demo: is another `npm start` running? Stop it (Ctrl-C) first; its data stays in .data/.');
    process.exit(1);
  }
  console.log(`embedded PostgreSQL (PGlite) at ${server.url}, data in ${demoDataDir}`);
}
const url = server?.url ?? args.databaseUrl;
let exitCode = 1;
try {
  const migrated = await migrate(url);
  console.log(`migrations: ${migrated.appliedCount} applied, ${migrated.totalCount} in all`);
  const database = createDb(url, { applicationName: 'exbox-demo' });
  try {
    const report = await runDemo({
      sql: database.sql,
      databaseUrl: url,
      follower: args.follower,
      seed: args.seed ?? randomSeed(),
      ratePerSec: args.ratePerSec,
      durationMs: args.durationMs,
      inFlightMax: args.inFlightMax,
      signal: stop.signal,
      print: (line) => console.log(line),
    });
    exitCode = report.ok ? 0 : 1;
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (server !== null) {
    console.error('demo: if .data/ was written by an older version of the engine, `rm -rf .data` starts a fresh demo');
  }
} finally {
  await server?.stop();
}
// Exit explicitly: an idle pool timer or a worker must not keep a finished demo alive.
process.exit(exitCode);
