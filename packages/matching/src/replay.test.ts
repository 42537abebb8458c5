// Proves the replay reproduces the workload summaries: the byte parser with the fast book agrees with the
// line parser with the naive book on generated workloads, whatever the chunk boundaries, and the 1M-op
// seed-1 workload gives exactly the summary published in shared/workloads/README.md. How: workloads come
// from shared/workloads/gen.mjs (spawned with a seed), are replayed in process, and summaries compared.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createOrderBook } from './book.js';
import { SeededRandom } from './internal/testing.js';
import {
  LineReplay,
  WorkloadFormatError,
  WorkloadReplay,
  formatSummary,
  replayWorkload,
  replayWorkloadText,
} from './replay.js';

// The workload generator lives beside the repository: <repo>/../shared/workloads/gen.mjs.
const GENERATOR = fileURLToPath(new URL('../../../../shared/workloads/gen.mjs', import.meta.url));

function generate(ops: number, seed: number): Buffer {
  return execFileSync(process.execPath, [GENERATOR, '--ops', String(ops), '--seed', String(seed)], {
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** Cuts a buffer into random-sized chunks, so lines straddle chunk boundaries. */
function chunksOf(bytes: Buffer, seed: number): Buffer[] {
  const random = new SeededRandom(seed);
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length;) {
    const length = random.chance(0.1) ? random.between(1, 3) : random.between(1, 70_000);
    chunks.push(bytes.subarray(start, start + length));
    start += length;
  }
  return chunks;
}

describe('workload replay', () => {
  it.each([3, 4, 5, 6, 7])('seed %i: fast (bytes) and naive (lines) replays agree', (seed) => {
    const workload = generate(40_000, seed);
    const fast = replayWorkload(chunksOf(workload, seed), 'fast');
    const naive = replayWorkloadText(workload.toString('latin1'), 'naive');
    expect(fast, `seed ${seed}`).toEqual(naive);
    expect(fast.ops).toBe(40_000);
    expect(fast.trades).toBeGreaterThan(1000);
    // The other pairings too: the parser and the book are independent.
    expect(replayWorkload([workload], 'naive'), `seed ${seed}`).toEqual(fast);
    expect(replayWorkloadText(workload.toString('latin1'), 'fast'), `seed ${seed}`).toEqual(fast);
  });

  it('both books end in the same, valid state', () => {
    const workload = generate(40_000, 8);
    const fast = new WorkloadReplay({ book: createOrderBook({ implementation: 'fast' }) });
    const naive = new LineReplay({ book: createOrderBook({ implementation: 'naive' }) });
    fast.feed(workload);
    for (const line of workload.toString('latin1').split('\n')) naive.line(line);
    expect(fast.finish()).toEqual(naive.finish());
    fast.book.validateInternalState();
    naive.book.validateInternalState();
    expect(fast.book.stateHash()).toBe(naive.book.stateHash());
  });

  it('gives the published summary for gen.mjs --ops 1000000 --seed 1', () => {
    const summary = replayWorkload([generate(1_000_000, 1)]);
    expect(formatSummary(summary)).toBe(
      '{"ops":1000000,"trades":417837,"volume":5454663,"notional":"545518259380","rejected":30605,"cancelled":119734,' +
        '"restingBids":39694,"restingAsks":13279,"bestBid":100078,"bestAsk":100080,"tradeHash":"5787e224"}',
    );
  });

  it('accepts CRLF line ends and a last line without a newline', () => {
    const text = 'L,1,S,100,5,GTC\r\nL,2,B,101,2,IOC\r\nM,3,B,1\r\nC,1\r\nL,4,B,99,1,POST\r\nL,5,B,99,9,FOK';
    const summary = replayWorkload([Buffer.from(text)]);
    expect(summary).toMatchObject({ ops: 6, trades: 2, volume: 3, notional: '300', cancelled: 1, rejected: 1 });
    expect(replayWorkloadText(text)).toEqual(summary);
    expect(summary.tradeHash).toMatch(/^[0-9a-f]{8}$/);
  });

  it('names the line of malformed input', () => {
    for (const bad of ['X,1', 'L,1,Q,100,5,GTC', 'L,1,B,100,5,DAY', 'L,1,B,,5,GTC', 'M,1,B,5,7', 'C,1x']) {
      const input = `C,9\n${bad}\n`;
      expect(() => replayWorkload([Buffer.from(input)]), bad).toThrow(WorkloadFormatError);
      expect(() => replayWorkload([Buffer.from(input)]), bad).toThrow(/line 2/);
      expect(() => replayWorkloadText(input), bad).toThrow(/line 2/);
    }
  });
});
