// Proves the demo's runner end to end on a real database (PostgreSQL, or PGlite when none answers): a first run
// defines the tenant, funds the users, and trades on every market for a few seconds with no command refused for a
// reason the flow should have avoided, then stops, drains and finds money conserved; a second run on the same
// database recovers the first run's journal, continues its sequence, is refused the funding deposits as duplicates
// (no double credit), stops on its abort signal, and conserves money again.
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MARKET_MAKER_COUNT, DEMO_REFERENCE_PRICES, DEMO_TAKER_COUNT } from './demo-tenant.js';
import { runDemo, type DemoOptions, type DemoReport } from './run-demo.js';

/**
 * Rejections the flow may legitimately meet: a taker's market order holds its whole balance of an asset and is
 * refused when that balance is empty. Everything else (INVALID_COMMAND, UNKNOWN_MARKET, the quantity, notional,
 * price and band filters, post-only, stop triggers, duplicate ids, unknown orders) would mean the flow is wrong.
 */
const EXPECTED_FLOW_REJECTIONS: ReadonlySet<string> = new Set(['INSUFFICIENT_BALANCE']);
const FUNDING_DEPOSITS = (DEMO_MARKET_MAKER_COUNT + DEMO_TAKER_COUNT) * 3; // BTC, ETH and USDT each
const SYMBOLS = Object.keys(DEMO_REFERENCE_PRICES);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const run = async (options: Partial<DemoOptions>): Promise<{ report: DemoReport; lines: string[] }> => {
  const lines: string[] = [];
  const report = await runDemo({
    sql: database.sql,
    databaseUrl: database.url,
    // The worker thread runs dist/follower/follower-worker.js, which tests (on sources) do not have.
    follower: 'inline',
    writerLock: database.kind === 'postgres',
    seed: 20_240_601,
    ratePerSec: 2_000,
    durationMs: null,
    inFlightMax: 256,
    summaryIntervalMs: 500,
    print: (line) => lines.push(line),
    ...options,
  });
  return { report, lines };
};

const expectHealthy = (report: DemoReport, lines: string[]) => {
  expect(report.fatal, lines.join('\n')).toBeNull();
  expect(report.invariantError).toBeNull();
  expect(report.money.problems).toEqual([]);
  expect(report.ok).toBe(true);
  const unexpected = [...report.stats.rejectionsByCode.keys()].filter((code) => !EXPECTED_FLOW_REJECTIONS.has(code));
  expect(unexpected.map((code) => report.stats.rejectionExamples.get(code))).toEqual([]);
  for (const symbol of SYMBOLS) expect(report.stats.marketTotals.get(symbol)?.trades ?? 0, symbol).toBeGreaterThan(0);
  expect(
    lines.some((line) => /^\[\d+s\] \d+ cmd\/s acked, \d+ trades, ack p50 .* BTCUSDT \d+\.\d{2}\//.test(line)),
  ).toBe(true);
  expect(lines.some((line) => line.startsWith('money check') && line.endsWith(': ok'))).toBe(true);
};

describe('runDemo', () => {
  let first: DemoReport;

  it('seeds a fresh exchange and trades on every market, refusing nothing it should not, conserving money', async () => {
    const { report, lines } = await run({ durationMs: 3_000 });
    expectHealthy(report, lines);
    expect(report.recovery.lastSeq).toBe(0);
    expect(report.definitionsSubmitted).toBeGreaterThan(0);
    expect(report.depositsCredited).toBe(FUNDING_DEPOSITS);
    expect(report.depositsAlreadyCredited).toBe(0);
    expect(report.firstFlowSequence).toBe(report.definitionsSubmitted + FUNDING_DEPOSITS + 1);
    expect(report.lastSequence).toBe(report.firstFlowSequence! + report.stats.acknowledged - 1);
    expect(report.stats.acknowledged).toBeGreaterThan(1_000);
    first = report;
  });

  it('continues on the same database: recovers, keeps the sequence, credits nothing twice, stops on its signal', async () => {
    expect(first, 'the first run must have passed').toBeDefined();
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 2_000);
    const { report, lines } = await run({ signal: stop.signal, seed: 7 });
    expectHealthy(report, lines);
    expect(report.recovery.lastSeq).toBe(first.lastSequence);
    expect(lines[0]).toMatch(/^engine recovered the journal up to seq \d+/);
    expect(report.definitionsSubmitted).toBe(0);
    expect(report.depositsCredited).toBe(0);
    expect(report.depositsAlreadyCredited).toBe(FUNDING_DEPOSITS);
    expect(report.firstFlowSequence).toBe(first.lastSequence + FUNDING_DEPOSITS + 1);
    expect(lines.filter((line) => line.startsWith('stopping'))).toEqual([
      expect.stringMatching(
        /^stopping \(stop requested\): submitting nothing new, waiting for \d+ commands in flight$/,
      ),
    ]);
  });
});
