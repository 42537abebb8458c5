// What the demo counts from acknowledged results: commands by kind, rejections by code, trades and volume per
// market, and acknowledgement latencies, both for the whole run and for the window since the last live line.
import type { EngineCommand } from '../commands.js';
import type { EngineResult, RejectCode } from '../state/results.js';

/** Latency buckets per doubling: quantiles are exact to within 2^(1/8) - 1, about 9%. */
const LATENCY_BUCKETS_PER_DOUBLING = 8;
/** Buckets cover 1 microsecond to 2^27 microseconds (more than 2 minutes); slower samples land in the last one. */
const LATENCY_DOUBLINGS = 27;
const LATENCY_BUCKETS = LATENCY_BUCKETS_PER_DOUBLING * LATENCY_DOUBLINGS + 1;

/**
 * Latencies in logarithmic buckets: constant memory and a constant-time reset, so a window per second costs
 * nothing however fast the flow runs.
 */
export class LatencyHistogram {
  private readonly buckets = new Float64Array(LATENCY_BUCKETS);
  count = 0;
  maxMs = 0;

  record(latencyMs: number): void {
    const us = Math.max(1, latencyMs * 1_000);
    const index = Math.min(LATENCY_BUCKETS - 1, Math.floor(Math.log2(us) * LATENCY_BUCKETS_PER_DOUBLING));
    this.buckets[index]!++;
    this.count++;
    if (latencyMs > this.maxMs) this.maxMs = latencyMs;
  }

  /** The latency (ms, the upper edge of its bucket) below which `fraction` of the samples fall; 0 when empty. */
  quantileMs(fraction: number): number {
    if (this.count === 0) return 0;
    const target = Math.max(1, Math.ceil(this.count * fraction));
    let seen = 0;
    for (let i = 0; i < LATENCY_BUCKETS; i++) {
      seen += this.buckets[i]!;
      if (seen >= target) return Math.min(this.maxMs, 2 ** ((i + 1) / LATENCY_BUCKETS_PER_DOUBLING) / 1_000);
    }
    return this.maxMs;
  }

  reset(): void {
    this.buckets.fill(0);
    this.count = 0;
    this.maxMs = 0;
  }
}

export interface MarketTotals {
  trades: number;
  volumeLots: bigint;
  volumeQuoteMinor: bigint;
}

export class DemoStats {
  acknowledged = 0;
  trades = 0;
  readonly commandsByKind = new Map<string, number>();
  readonly rejectionsByCode = new Map<RejectCode, number>();
  /** The first message seen for each rejection code, to show what went wrong. */
  readonly rejectionExamples = new Map<RejectCode, string>();
  readonly marketTotals = new Map<string, MarketTotals>();
  readonly latency = new LatencyHistogram();
  readonly windowLatency = new LatencyHistogram();
  windowAcknowledged = 0;
  windowTrades = 0;

  record(command: EngineCommand, result: EngineResult, latencyMs: number): void {
    this.acknowledged++;
    this.windowAcknowledged++;
    this.latency.record(latencyMs);
    this.windowLatency.record(latencyMs);
    const kind = commandKind(command);
    this.commandsByKind.set(kind, (this.commandsByKind.get(kind) ?? 0) + 1);
    if (result.status !== 'OK') {
      this.rejectionsByCode.set(result.code, (this.rejectionsByCode.get(result.code) ?? 0) + 1);
      if (!this.rejectionExamples.has(result.code))
        this.rejectionExamples.set(result.code, `${kind}: ${result.message}`);
    }
    for (const event of result.events) {
      if (event.type !== 'trade') continue;
      this.trades++;
      this.windowTrades++;
      let totals = this.marketTotals.get(event.symbol);
      if (totals === undefined) {
        totals = { trades: 0, volumeLots: 0n, volumeQuoteMinor: 0n };
        this.marketTotals.set(event.symbol, totals);
      }
      totals.trades++;
      totals.volumeLots += BigInt(event.quantityLots);
      totals.volumeQuoteMinor += event.quoteMinor;
    }
  }

  /** Clears the per-window counters after a live line was printed. */
  resetWindow(): void {
    this.windowAcknowledged = 0;
    this.windowTrades = 0;
    this.windowLatency.reset();
  }
}

/** A short name for a command: its type, and for orders their type and time in force ("LIMIT/IOC"). */
export const commandKind = (command: EngineCommand): string => {
  if (command.type !== 'placeOrder') return command.type;
  return command.timeInForce === undefined || command.timeInForce === 'GTC'
    ? command.orderType
    : `${command.orderType}/${command.timeInForce}`;
};
