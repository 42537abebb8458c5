#!/usr/bin/env node
// The engine benchmark (`npm run bench:engine`), on the PostgreSQL at DATABASE_URL (else the local server):
//  1. throughput: gen.mjs --ops 1000000 --seed 1 through the whole engine (sequencer, journal commits, follower
//     thread writing projections) as fast as acknowledgements come back, 16,384 commands in flight;
//  2. latency: gen.mjs --ops 300000 --seed 3 offered at a steady 10,000 commands/s.
// Each run is its own process (bin/replay.js) on a fresh database. Both summaries must equal the matching-only
// replay's (the expected one in shared/workloads/README.md for the first). Targets on the 2-core reference
// machine: >= 50,000 durable ops/s; p99 acknowledgement latency < 10 ms at 10,000 ops/s offered.
// Exits 1 if a summary or a target fails. usage: bench.js [--ops N] (build first: npm run build)
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const EXPECTED_1M_SEED_1 =
  '{"ops":1000000,"trades":417837,"volume":5454663,"notional":"545518259380","rejected":30605,"cancelled":119734,' +
  '"restingBids":39694,"restingAsks":13279,"bestBid":100078,"bestAsk":100080,"tradeHash":"5787e224"}';
const TARGET_DURABLE_OPS_PER_SECOND = 50_000;
const TARGET_P99_MS = 10;
const OFFERED_RATE = 10_000;

const { values } = parseArgs({ options: { 'latency-ops': { type: 'string', default: '300000' } } });
const replayScript = fileURLToPath(new URL('./replay.js', import.meta.url));
const matchingReplay = fileURLToPath(new URL('../../matching/bin/replay.js', import.meta.url));
const generator = fileURLToPath(new URL('../../../../shared/workloads/gen.mjs', import.meta.url));

const workload = async (ops, seed) => {
  const directory = join(tmpdir(), 'exbox-bench');
  const path = join(directory, `flow-ops${ops}-seed${seed}.csv`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  mkdirSync(directory, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  await new Promise((resolve, reject) => {
    const output = createWriteStream(partial);
    const child = spawn(process.execPath, [generator, '--ops', String(ops), '--seed', String(seed)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.pipe(output);
    child.on('close', (code) =>
      code === 0 ? output.close(() => resolve()) : reject(new Error(`gen.mjs exited ${code}`)),
    );
  });
  renameSync(partial, path);
  return path;
};

const runNode = (args) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) =>
      code === 0 ? resolve(stdout.trim().split('\n')) : reject(new Error(`${args.join(' ')} exited ${code}`)),
    );
  });

const field = (lines, name) => Number(lines.find((line) => line.startsWith(`${name}=`))?.slice(name.length + 1));

let failed = false;
const check = (ok, message) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
  if (!ok) failed = true;
};

const throughputFile = await workload(1_000_000, 1);
console.log('throughput run: 1,000,000 ops (seed 1), as fast as acknowledged ...');
const throughput = await runNode([replayScript, throughputFile]);
check(throughput[0] === EXPECTED_1M_SEED_1, `summary equals shared/workloads/README.md (${throughput[0]})`);
const durable = field(throughput, 'durable_ops_per_sec');
check(
  durable >= TARGET_DURABLE_OPS_PER_SECOND,
  `durable_ops_per_sec=${durable} (target >= ${TARGET_DURABLE_OPS_PER_SECOND})`,
);
console.log(
  `     ack latency at saturation: p50 ${field(throughput, 'ack_p50_ms')} ms, p99 ${field(throughput, 'ack_p99_ms')} ms`,
);

const latencyOps = Number(values['latency-ops']);
const latencyFile = await workload(latencyOps, 3);
console.log(`latency run: ${latencyOps} ops (seed 3) offered at ${OFFERED_RATE}/s ...`);
const [expected] = await runNode([matchingReplay, latencyFile]);
const latency = await runNode([replayScript, latencyFile, '--rate', String(OFFERED_RATE)]);
check(latency[0] === expected, 'summary equals the matching-only replay');
const p99 = field(latency, 'ack_p99_ms');
check(
  p99 < TARGET_P99_MS,
  `ack_p99_ms=${p99} at ${OFFERED_RATE} ops/s offered (target < ${TARGET_P99_MS}); p50 ${field(latency, 'ack_p50_ms')} ms`,
);
process.exit(failed ? 1 : 0);
