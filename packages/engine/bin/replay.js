#!/usr/bin/env node
// Runs a workload through the whole engine against PostgreSQL (DATABASE_URL, else the local test server; a
// fresh database is created and dropped) and prints: the summary JSON line (identical to the matching replay's),
// durable_ops_per_sec=N, ack_p50_ms=X and ack_p99_ms=Y.
// usage: replay.js FLOW.csv [--rate OPS_PER_SEC] [--in-flight N] [--follower thread|inline|none]
//                  [--database-url URL --no-settle]   (recovery bench: journal into an existing database, then
//                  exit right after the last acknowledgement, leaving the follower mid-flight like a crash)
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createDb } from '@exbox/db';
import { createTestDatabase } from '@exbox/db/testing';
import {
  Engine,
  EngineSummary,
  LatencyHistogram,
  relaunchWithEngineFlags,
  workloadCommand,
  workloadSetupCommands,
} from '../dist/index.js';

// The engine's heap settings need a fresh process: run again with them (once) and pass on the exit code.
const relaunched = await relaunchWithEngineFlags();
if (relaunched !== null) process.exit(relaunched);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rate: { type: 'string', default: '0' },
    'in-flight': { type: 'string', default: '16384' },
    follower: { type: 'string', default: 'thread' },
    'database-url': { type: 'string' },
    'no-settle': { type: 'boolean', default: false },
  },
});
const file = positionals[0];
if (file === undefined) {
  console.error('usage: replay.js FLOW.csv [--rate OPS_PER_SEC] [--in-flight N] [--follower thread|inline|none]');
  process.exit(2);
}
const ratePerSec = Number(values.rate);
const inFlightMax = Number(values['in-flight']);

const database =
  values['database-url'] === undefined
    ? await createTestDatabase()
    : { ...createDb(values['database-url'], { maxConnections: 4 }), url: values['database-url'], kind: 'postgres' };
const engine = await Engine.start({ sql: database.sql, databaseUrl: database.url, follower: values.follower });
try {
  await Promise.all(workloadSetupCommands().map((command) => engine.submit(command)));
  const summary = new EngineSummary();
  const latency = new LatencyHistogram();
  let outstanding = 0;
  let wake = null;
  let failure = null;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const startMs = performance.now();
  let lastAckMs = startMs;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    const command = workloadCommand(line, lineNumber);
    if (command === null) continue;
    if (ratePerSec > 0) {
      const dueMs = startMs + (summary.ops + outstanding) * (1_000 / ratePerSec);
      const aheadMs = dueMs - performance.now();
      if (aheadMs > 1) await new Promise((resolve) => setTimeout(resolve, aheadMs));
    }
    while (outstanding >= inFlightMax) await new Promise((resolve) => (wake = resolve));
    if (failure !== null) throw failure;
    const submittedMs = performance.now();
    outstanding++;
    engine.submit(command).then(
      (acknowledged) => {
        lastAckMs = performance.now();
        latency.record(lastAckMs - submittedMs);
        summary.add(command, acknowledged);
        outstanding--;
        if (wake !== null && outstanding < inFlightMax) {
          const resume = wake;
          wake = null;
          resume();
        }
      },
      (error) => (failure = error),
    );
  }
  await engine.drain();
  if (failure !== null) throw failure;
  const seconds = (lastAckMs - startMs) / 1_000;
  if (values['no-settle']) {
    console.log(summary.line(engine));
    console.log(`durable_ops_per_sec=${Math.round(summary.ops / seconds)}`);
    console.log(`projection_lag_commands=${engine.lastSequence - engine.projectedSequence}`);
    process.exit(0); // no drain of the follower, no unlock: as abrupt as a crash after the last commit
  }
  const projectionStartMs = performance.now();
  await engine.settled();
  console.log(summary.line(engine));
  console.error(
    `# ${summary.ops} ops in ${seconds.toFixed(2)} s; follower finished projecting ${((performance.now() - projectionStartMs) / 1000).toFixed(2)} s after the last ack; database ${database.kind}`,
  );
  console.log(`durable_ops_per_sec=${Math.round(summary.ops / seconds)}`);
  console.log(`ack_p50_ms=${latency.quantileMs(0.5)}`);
  console.log(`ack_p99_ms=${latency.quantileMs(0.99)}`);
} finally {
  await engine.close();
  await database.close();
}
