#!/usr/bin/env node
// The matching benchmark (`npm run bench:matching`): replays gen.mjs --ops 5000000 --seed 2 with the fast
// book (byte parser) and with the naive baseline (readline + split + the reference book), each in its own
// child process, checks both summaries against the one published in shared/workloads/README.md, and
// reports against the targets:
//   fast matching >= 4,000,000 ops/s; fast whole process >= 4x faster than naive; fast peak RSS <= naive.
// Whole-process time is wall time from spawn to exit. Peak RSS is what each child reports from
// process.resourceUsage().maxRSS. The replays run interleaved, --fast-runs (default 3) and --naive-runs
// (default 2) times: the machine is shared, so the best matching rate and the median whole-process times are
// reported. Exits 1 if a summary or a target fails.
// usage: bench.js [--fast-runs N] [--naive-runs N]     (build first: npx tsc -b packages/matching)
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const OPS = 5_000_000;
const SEED = 2;
const EXPECTED_SUMMARY =
  '{"ops":5000000,"trades":2202809,"volume":28715079,"notional":"2872653235715","rejected":156272,' +
  '"cancelled":602077,"restingBids":35506,"restingAsks":116640,"bestBid":99971,"bestAsk":99974,"tradeHash":"bcc8397c"}';
const TARGET_OPS_PER_SECOND = 4_000_000;
const TARGET_SPEED_RATIO = 4;

const { values } = parseArgs({
  options: {
    'fast-runs': { type: 'string', default: '3' },
    'naive-runs': { type: 'string', default: '2' },
  },
});
const fastRuns = Number.parseInt(values['fast-runs'], 10);
const naiveRuns = Number.parseInt(values['naive-runs'], 10);

const replayScript = fileURLToPath(new URL('./replay.js', import.meta.url));
const generator = fileURLToPath(new URL('../../../../shared/workloads/gen.mjs', import.meta.url));
if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
  console.error('bench: packages/matching is not built; run: npx tsc -b packages/matching');
  process.exit(1);
}

/** Generates the workload once and keeps it in the temp directory (about 100 MB). */
async function cachedWorkload() {
  const directory = join(tmpdir(), 'exbox-bench');
  const path = join(directory, `flow-ops${OPS}-seed${SEED}.csv`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  mkdirSync(directory, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  console.log(`generating ${path} ...`);
  await new Promise((resolve, reject) => {
    const output = createWriteStream(partial);
    const child = spawn(process.execPath, [generator, '--ops', String(OPS), '--seed', String(SEED)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.pipe(output);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`gen.mjs exited with ${code}`));
      else output.close(() => resolve());
    });
  });
  renameSync(partial, path);
  return path;
}

/** Runs one replay child; returns its summary, figures and whole-process wall time. */
function replay(workload, book) {
  return new Promise((resolve, reject) => {
    const startedNs = process.hrtime.bigint();
    const child = spawn(process.execPath, [replayScript, workload, '--book', book], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => (output += text));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
      if (code !== 0) return reject(new Error(`replay --book ${book} exited with ${code}`));
      const lines = output.trim().split('\n');
      const field = (name) => {
        const line = lines.find((candidate) => candidate.startsWith(`${name}=`));
        return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
      };
      resolve({
        summary: lines[0],
        opsPerSecond: Number(lines[lines.length - 1].replace('ops_per_sec=', '')),
        maxRssKb: field('max_rss_kb'),
        wallSeconds,
      });
    });
  });
}

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const megabytes = (kilobytes) => `${(kilobytes / 1024).toFixed(0)} MB`;

const workload = await cachedWorkload();
// Interleaved, one child at a time: the machine is shared, and load that comes and goes then hits both books.
const fast = [];
const naive = [];
for (let run = 0; run < Math.max(fastRuns, naiveRuns); run++) {
  if (run < fastRuns) fast.push(await replay(workload, 'fast'));
  if (run < naiveRuns) naive.push(await replay(workload, 'naive'));
}

let failed = false;
for (const [name, runs] of [
  ['fast', fast],
  ['naive', naive],
]) {
  for (const run of runs) {
    if (run.summary !== EXPECTED_SUMMARY) {
      console.error(
        `${name} summary differs from the expected one:\n  got      ${run.summary}\n  expected ${EXPECTED_SUMMARY}`,
      );
      failed = true;
    }
  }
}

const fastOpsPerSecond = Math.max(...fast.map((run) => run.opsPerSecond));
const fastWallSeconds = median(fast.map((run) => run.wallSeconds));
const naiveWallSeconds = median(naive.map((run) => run.wallSeconds));
const fastRssKb = Math.max(...fast.map((run) => run.maxRssKb));
const naiveRssKb = Math.max(...naive.map((run) => run.maxRssKb));
const ratio = naiveWallSeconds / fastWallSeconds;
const verdict = (ok) => {
  if (!ok) failed = true;
  return ok ? 'PASS' : 'FAIL';
};

console.log(`workload: gen.mjs --ops ${OPS} --seed ${SEED} (${workload}); summaries ${failed ? 'DIFFER' : 'match'}`);
console.log(`machine: ${availableParallelism()} cores, Node ${process.versions.node}`);
console.log(
  `fast:  matching ${fastOpsPerSecond.toLocaleString('en-US')} ops/s (best of ${fastRuns}, median ` +
    `${Math.round(median(fast.map((run) => run.opsPerSecond))).toLocaleString('en-US')}), whole process ` +
    `${fastWallSeconds.toFixed(2)} s (median), peak RSS ${megabytes(fastRssKb)}`,
);
console.log(
  `naive: matching ${Math.round(median(naive.map((run) => run.opsPerSecond))).toLocaleString('en-US')} ops/s (median of ` +
    `${naiveRuns}), whole process ${naiveWallSeconds.toFixed(2)} s (median), peak RSS ${megabytes(naiveRssKb)}`,
);
console.log(`speed ratio (naive / fast whole process): ${ratio.toFixed(2)}x`);
console.log(
  `target fast matching >= ${TARGET_OPS_PER_SECOND.toLocaleString('en-US')} ops/s: ${verdict(fastOpsPerSecond >= TARGET_OPS_PER_SECOND)}`,
);
console.log(
  `target whole process >= ${TARGET_SPEED_RATIO}x faster than naive: ${verdict(ratio >= TARGET_SPEED_RATIO)}`,
);
console.log(`target fast peak RSS <= naive peak RSS: ${verdict(fastRssKb <= naiveRssKb)}`);
process.exit(failed ? 1 : 0);
