// Runs the demo on a database it is given: starts the engine (recovering whatever an earlier run journaled), defines
// the demo tenant, funds the demo users, drives the simulated order flow at a bounded rate with a bounded number of
// submissions awaiting acknowledgement, prints one live line per second, and when told to stop, drains the engine
// and proves that money was conserved. The database's life cycle is the caller's: bin/demo.js runs the embedded
// one, tests a test database.
import type { Sql } from 'postgres';
import { loadDemoTenantConfig, type TenantConfig } from '@exbox/config';
import type { EngineCommand } from '../commands.js';
import { Engine, type RecoveryReport } from '../engine.js';
import { pendingDefinitionCommands } from '../tenant.js';
import type { DemoMarket } from './demo-market.js';
import { DemoStats } from './demo-stats.js';
import { demoActors, demoFundingCommands, demoMarkets, plannedDepositsMinor } from './demo-tenant.js';
import { checkMoneyConserved, formatMoneyCheck, type MoneyCheck } from './money-check.js';
import { OrderFlow } from './order-flow.js';

/**
 * Snapshots every 50,000 commands (the engine's default is 500,000): at the demo's rate a restart then shows a
 * snapshot plus a replayed tail of at most half a minute, rather than a replay of the whole journal.
 */
export const DEMO_SNAPSHOT_INTERVAL_COMMANDS = 50_000;
const SUMMARY_INTERVAL_MS_DEFAULT = 1_000;
/** After a stall (a long commit, a GC pause) the pacer catches up at most this much, instead of bursting. */
const PACER_CATCH_UP_MS = 100;
/** Commands issued per turn of the event loop, so acknowledgements and the live line get their turn too. */
const BURST_COMMANDS_MAX = 512;
/** Longest sleep between pacer checks, so a stop request is noticed quickly. */
const PACER_SLEEP_MS_MAX = 50;

export interface DemoOptions {
  /** Pool for the engine's journal. */
  sql: Sql;
  /** For the follower thread's own connections. */
  databaseUrl: string;
  /**
   * 'thread' in the demo; 'inline' in tests, where the worker's compiled file does not exist; 'none' runs without
   * projections and snapshots.
   */
  follower: 'thread' | 'inline' | 'none';
  writerLock?: boolean;
  seed: number;
  /** Target commands per second; 0 = as fast as acknowledgements allow. */
  ratePerSec: number;
  /** Stop after this long; null = until `signal` aborts. */
  durationMs: number | null;
  /** Most submissions awaiting acknowledgement. */
  inFlightMax: number;
  /** Aborting it stops the flow gracefully: nothing new is submitted, everything in flight is acknowledged. */
  signal?: AbortSignal;
  print: (line: string) => void;
  summaryIntervalMs?: number;
  /** The tenant; default: the demo tenant. */
  config?: TenantConfig;
}

export interface DemoReport {
  /** Money conserved, engine invariants hold, and the engine never failed. */
  ok: boolean;
  seed: number;
  recovery: RecoveryReport;
  definitionsSubmitted: number;
  depositsCredited: number;
  /** Deposits refused as DUPLICATE_DEPOSIT because an earlier run credited them (as intended). */
  depositsAlreadyCredited: number;
  /** The sequence of the flow's first command; null when the flow never ran. */
  firstFlowSequence: number | null;
  lastSequence: number;
  flowMs: number;
  /** The flow's commands only (setup commands are counted above). */
  stats: DemoStats;
  money: MoneyCheck;
  invariantError: string | null;
  fatal: Error | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export const runDemo = async (options: DemoOptions): Promise<DemoReport> => {
  const print = options.print;
  const config = options.config ?? (await loadDemoTenantConfig());
  const markets = demoMarkets(config);
  const actors = demoActors();
  const funding = demoFundingCommands(config, actors);
  let fatal: Error | null = null;
  const engine = await Engine.start({
    sql: options.sql,
    databaseUrl: options.databaseUrl,
    follower: options.follower,
    ...(options.writerLock === undefined ? {} : { writerLock: options.writerLock }),
    snapshotIntervalCommands: DEMO_SNAPSHOT_INTERVAL_COMMANDS,
    onFatal: (error) => (fatal ??= error),
  });
  const recovery = { ...engine.recovery };
  const stats = new DemoStats();
  // Pure: the definitions the journal does not hold yet, exactly as the config gives them.
  const definitions = pendingDefinitionCommands(config, engine.state);
  let depositsCredited = 0;
  let depositsAlreadyCredited = 0;
  let flow: { firstSequence: number | null; elapsedMs: number } = { firstSequence: null, elapsedMs: 0 };
  try {
    print(describeRecovery(recovery));
    if (recovery.lastSeq > 0) for (const line of describeBooks(engine, markets)) print(line);

    const defined = await Promise.all(definitions.map((command) => engine.submit(command)));
    for (const [i, { result }] of defined.entries()) {
      if (result.status !== 'OK') {
        throw new Error(
          `the journal's exchange conflicts with the demo tenant (${JSON.stringify(definitions[i])}: ` +
            `${result.code}, ${result.message}); remove .data/ to start a fresh demo`,
        );
      }
    }
    print(
      `tenant "${config.tenant.id}": ${config.assets.length} assets, ${config.markets.length} markets, ` +
        `${Object.keys(config.fees.tiers).length} fee tiers; ` +
        (definitions.length === 0 ? 'already defined in the journal' : `${definitions.length} definitions journaled`),
    );

    const funded = await Promise.all(funding.map((command) => engine.submit(command)));
    for (const [i, { result }] of funded.entries()) {
      if (result.status === 'OK') depositsCredited++;
      else if (result.code === 'DUPLICATE_DEPOSIT') depositsAlreadyCredited++;
      else throw new Error(`funding deposit ${funding[i]!.depositId} was refused: ${result.code}, ${result.message}`);
    }
    print(
      `funded ${actors.marketMakerIds.length} market makers (users ${range(actors.marketMakerIds)}) and ` +
        `${actors.takerIds.length} takers (users ${range(actors.takerIds)}): ${depositsCredited} deposits credited` +
        (depositsAlreadyCredited === 0
          ? ''
          : `, ${depositsAlreadyCredited} refused as DUPLICATE_DEPOSIT (credited by an earlier run: stable deposit ids)`),
    );

    if (!options.signal?.aborted && fatal === null) {
      print(
        `order flow: seed ${options.seed} (repeat with --seed ${options.seed}), ` +
          `${markets.map((m) => m.symbol).join(', ')}, ` +
          `${options.ratePerSec === 0 ? 'as fast as acknowledged' : `target ${options.ratePerSec} commands/s`}, ` +
          `at most ${options.inFlightMax} in flight, ` +
          (options.durationMs === null ? 'until Ctrl-C' : `for ${options.durationMs / 1_000} s`),
      );
      if (options.follower === 'none') print('projections and snapshots are off (--follower none)');
      flow = await driveFlow(engine, markets, options, stats, () => fatal, print, {
        state: engine.state,
        markets,
        actors,
        seed: options.seed,
        runId: engine.lastSequence,
      });
    }
  } finally {
    // Drains commits and projections, stops the follower and releases the writer lock, also after a failure.
    try {
      await engine.close();
    } catch (error) {
      fatal ??= error instanceof Error ? error : new Error(String(error));
    }
  }

  let invariantError: string | null = null;
  try {
    engine.state.checkInvariants();
  } catch (error) {
    invariantError = error instanceof Error ? error.message : String(error);
  }
  const money = checkMoneyConserved(engine.state, plannedDepositsMinor(funding));
  const report: DemoReport = {
    ok: money.ok && invariantError === null && fatal === null,
    seed: options.seed,
    recovery,
    definitionsSubmitted: definitions.length,
    depositsCredited,
    depositsAlreadyCredited,
    firstFlowSequence: flow.firstSequence,
    lastSequence: engine.lastSequence,
    flowMs: flow.elapsedMs,
    stats,
    money,
    invariantError,
    fatal,
  };
  for (const line of describeFinal(report, engine, markets, options)) print(line);
  return report;
};

/**
 * Submits the flow's commands until told to stop: paced to the target rate, never more than `inFlightMax` awaiting
 * acknowledgement, and each decided after the previous one was applied.
 */
const driveFlow = async (
  engine: Engine,
  markets: readonly DemoMarket[],
  options: DemoOptions,
  stats: DemoStats,
  fatal: () => Error | null,
  print: (line: string) => void,
  flowOptions: ConstructorParameters<typeof OrderFlow>[0],
): Promise<{ firstSequence: number | null; elapsedMs: number }> => {
  const orderFlow = new OrderFlow(flowOptions);
  let outstanding = 0;
  let failure: Error | null = null;
  let firstSequence: number | null = null;
  let wake: (() => void) | null = null;
  const waitForAck = () => new Promise<void>((resolve) => (wake = resolve));
  const submit = (command: EngineCommand): Promise<void> => {
    const submittedMs = performance.now();
    outstanding++;
    return engine
      .submit(command)
      .then(
        (acknowledged) => {
          stats.record(command, acknowledged.result, performance.now() - submittedMs);
          if (firstSequence === null || acknowledged.sequence < firstSequence) firstSequence = acknowledged.sequence;
        },
        (error: unknown) => {
          failure ??= error instanceof Error ? error : new Error(String(error));
        },
      )
      .finally(() => {
        outstanding--;
        const resume = wake;
        wake = null;
        resume?.();
      });
  };

  const startMs = performance.now();
  const intervalMs = options.ratePerSec > 0 ? 1_000 / options.ratePerSec : 0;
  let nextDueMs = startMs;
  let windowStartMs = startMs;
  const summaryTimer = setInterval(() => {
    const nowMs = performance.now();
    print(formatLiveLine(nowMs - startMs, nowMs - windowStartMs, stats, engine, markets, options.follower !== 'none'));
    stats.resetWindow();
    windowStartMs = nowMs;
  }, options.summaryIntervalMs ?? SUMMARY_INTERVAL_MS_DEFAULT);

  const stopReason = (): string | null => {
    if (options.signal?.aborted === true) return 'stop requested';
    if (fatal() !== null || failure !== null) return 'the engine failed';
    if (options.durationMs !== null && performance.now() - startMs >= options.durationMs) return 'duration reached';
    return null;
  };
  let reason: string | null;
  try {
    while ((reason = stopReason()) === null) {
      if (outstanding >= options.inFlightMax) {
        await waitForAck();
        continue;
      }
      const nowMs = performance.now();
      if (intervalMs > 0) {
        if (nextDueMs > nowMs) {
          await sleep(Math.min(nextDueMs - nowMs, PACER_SLEEP_MS_MAX));
          continue;
        }
        nextDueMs = Math.max(nextDueMs, nowMs - PACER_CATCH_UP_MS);
      }
      for (
        let burst = 0;
        burst < BURST_COMMANDS_MAX && outstanding < options.inFlightMax && (intervalMs === 0 || nextDueMs <= nowMs);
        burst++
      ) {
        nextDueMs += intervalMs;
        const command = orderFlow.next();
        if (command === null) continue;
        const sequenceBefore = engine.lastSequence;
        const acknowledged = submit(command);
        // The engine applies a command synchronously unless it must queue it (its follower fell too far behind);
        // then wait for it, so the next decision still sees the state after every earlier command.
        if (engine.lastSequence === sequenceBefore) {
          await acknowledged;
          break;
        }
      }
      // Lets the sequencer flush the batch and acknowledgements arrive.
      await nextTurn();
    }
    const elapsedMs = performance.now() - startMs;
    print(`stopping (${reason}): submitting nothing new, waiting for ${outstanding} commands in flight`);
    while (outstanding > 0) await waitForAck();
    return { firstSequence, elapsedMs };
  } finally {
    clearInterval(summaryTimer);
  }
};

const range = (ids: readonly number[]) => `${ids[0]}-${ids[ids.length - 1]}`;

const describeRecovery = (recovery: RecoveryReport): string =>
  recovery.lastSeq === 0
    ? `engine started on an empty journal (a fresh exchange) in ${recovery.elapsedMs} ms`
    : `engine recovered the journal up to seq ${recovery.lastSeq}: snapshot at seq ${recovery.snapshotSeq} ` +
      `+ ${recovery.replayedCommands} commands replayed, in ${recovery.elapsedMs} ms`;

const describeBooks = (engine: Engine, markets: readonly DemoMarket[]): string[] =>
  markets.map((market) => {
    const book = engine.state.book(market.symbol);
    const counts = book?.counts();
    if (book === undefined || counts === undefined) return `  ${market.symbol}: not defined yet`;
    return (
      `  ${market.symbol}: ${counts.restingBids} bids, ${counts.restingAsks} asks, ${counts.pendingStops} stops resting; ` +
      `best ${market.formatPrice(book.bestBidTicks())} / ${market.formatPrice(book.bestAskTicks())}, ` +
      `last ${market.formatPrice(book.lastTradePriceTicks())}`
    );
  });

const milliseconds = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

/** One line, no screen control: it reads the same in a terminal and in a CI log. */
export const formatLiveLine = (
  elapsedMs: number,
  windowMs: number,
  stats: DemoStats,
  engine: Pick<Engine, 'state' | 'lastSequence' | 'projectedSequence'>,
  markets: readonly DemoMarket[],
  projecting = true,
): string => {
  const perSecond = windowMs > 0 ? Math.round((stats.windowAcknowledged * 1_000) / windowMs) : 0;
  const books = markets.map((market) => {
    const book = engine.state.book(market.symbol);
    if (book === undefined) return `${market.symbol} -`;
    return (
      `${market.symbol} ${market.formatPrice(book.bestBidTicks())}/${market.formatPrice(book.bestAskTicks())}` +
      ` last ${market.formatPrice(book.lastTradePriceTicks())}`
    );
  });
  return (
    `[${Math.round(elapsedMs / 1_000)}s] ${perSecond} cmd/s acked, ${stats.trades} trades, ` +
    `ack p50 ${milliseconds(stats.windowLatency.quantileMs(0.5))} p99 ${milliseconds(stats.windowLatency.quantileMs(0.99))} ms, ` +
    `projection lag ${projecting ? engine.lastSequence - engine.projectedSequence : 'off'} | ${books.join(' | ')}`
  );
};

const describeFinal = (
  report: DemoReport,
  engine: Engine,
  markets: readonly DemoMarket[],
  options: DemoOptions,
): string[] => {
  const stats = report.stats;
  const seconds = report.flowMs / 1_000;
  const lines = [
    `flow ran ${seconds.toFixed(1)} s: ${stats.acknowledged} commands acknowledged ` +
      `(${seconds > 0 ? Math.round(stats.acknowledged / seconds) : 0}/s), ${stats.trades} trades; ` +
      `journal at seq ${report.lastSequence}` +
      (options.follower === 'none' ? '' : `, projected to seq ${engine.projectedSequence}`),
    `  commands: ${[...stats.commandsByKind].map(([kind, count]) => `${kind} ${count}`).join(', ') || 'none'}`,
    `  ack latency: p50 ${milliseconds(stats.latency.quantileMs(0.5))} ms, p99 ${milliseconds(stats.latency.quantileMs(0.99))} ms, ` +
      `max ${milliseconds(stats.latency.maxMs)} ms`,
  ];
  for (const market of markets) {
    const totals = stats.marketTotals.get(market.symbol);
    const book = engine.state.book(market.symbol);
    lines.push(
      `  ${market.symbol}: ${totals?.trades ?? 0} trades, volume ${market.formatQuantity(totals?.volumeLots ?? 0n)} ` +
        `${market.base} / ${market.formatQuoteMinor(totals?.volumeQuoteMinor ?? 0n)} ${market.quote}; ` +
        `bid ${market.formatPrice(book?.bestBidTicks() ?? null)} ask ${market.formatPrice(book?.bestAskTicks() ?? null)} ` +
        `last ${market.formatPrice(book?.lastTradePriceTicks() ?? null)}`,
    );
  }
  const rejections = [...stats.rejectionsByCode].map(
    ([code, count]) => `${code} ${count} (e.g. ${stats.rejectionExamples.get(code) ?? '?'})`,
  );
  lines.push(`  rejections: ${rejections.length === 0 ? 'none' : rejections.join('; ')}`);
  lines.push(
    `money check (per asset: the ledger nets to zero; users' balances + fees = deposits): ${report.money.ok ? 'ok' : 'FAILED'}`,
  );
  lines.push(...formatMoneyCheck(report.money));
  lines.push(`engine invariants (books, holds, balances, open orders): ${report.invariantError ?? 'ok'}`);
  if (report.fatal !== null) lines.push(`engine failed: ${report.fatal.message}`);
  return lines;
};
