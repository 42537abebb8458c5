#!/usr/bin/env node
// Replays a workload file (shared/workloads/README.md) through a book and prints, on stdout:
//   first line: the summary JSON;  then parse_ms=, matching_ms=, max_rss_kb=;  last line: ops_per_sec=N.
// ops_per_sec counts matching only: the fast path parses each chunk into a batch of commands, then applies the
// batch to the book, and only that second step is timed (performance.now() around each batch of 16,384 lines);
// the baseline does the same with readline + split. parse_ms is the rest of the process's replay time.
// usage: replay.js FLOW.csv [--book fast|naive]     (build first: npx tsc -b packages/matching)
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { LineReplay, WorkloadFormatError, WorkloadReplay, createOrderBook, formatSummary } from '../dist/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { book: { type: 'string', default: 'fast' } },
});
const file = positionals[0];
if (file === undefined || (values.book !== 'fast' && values.book !== 'naive')) {
  console.error('usage: replay.js FLOW.csv [--book fast|naive]');
  process.exit(2);
}

const CHUNK_BYTES = 1 << 20;
const clock = () => performance.now();
const startedMs = clock();

/** Fixed-size chunks read synchronously into one reused buffer: the file is never held in memory whole. */
function replayFast() {
  const replay = new WorkloadReplay({ book: createOrderBook({ implementation: 'fast' }), clock });
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const descriptor = openSync(file, 'r');
  try {
    for (;;) {
      const length = readSync(descriptor, chunk, 0, CHUNK_BYTES, null);
      if (length === 0) break;
      replay.feed(chunk.subarray(0, length));
    }
  } finally {
    closeSync(descriptor);
  }
  return replay;
}

/** The straightforward baseline: readline over a stream, a string and a split per line, the naive book. */
async function replayNaive() {
  const replay = new LineReplay({ book: createOrderBook({ implementation: 'naive' }), clock });
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) replay.line(line);
  return replay;
}

let replay;
let summary;
try {
  replay = values.book === 'fast' ? replayFast() : await replayNaive();
  summary = replay.finish();
} catch (error) {
  // Bad input (a malformed line, a missing file) is reported plainly; anything else is a bug worth a trace.
  if (!(error instanceof WorkloadFormatError) && error?.code === undefined) throw error;
  console.error(`replay: ${error.message}`);
  process.exit(1);
}
const totalMs = clock() - startedMs;
const opsPerSecond = replay.matchingMs > 0 ? Math.round(summary.ops / (replay.matchingMs / 1000)) : 0;
console.log(formatSummary(summary));
console.log(`parse_ms=${Math.round(totalMs - replay.matchingMs)}`);
console.log(`matching_ms=${Math.round(replay.matchingMs)}`);
console.log(`max_rss_kb=${process.resourceUsage().maxRSS}`);
console.log(`ops_per_sec=${opsPerSecond}`);
