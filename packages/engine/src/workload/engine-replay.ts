// Runs a workload (shared/workloads/README.md) through the whole engine: sequencer, journal commits, follower.
// The market's filters accept every workload order, users are assigned round-robin and amply funded, STP is
// off and fees are on; the summary must equal the matching-only replay's. Used by bin/replay.js and the bench.
import {
  DoneReason,
  OrderType,
  RejectReason,
  Side,
  SummarySink,
  TimeInForce,
  formatSummary,
  parseWorkloadLine,
  type ReplaySummary,
} from '@exbox/matching';
import type { EngineCommand } from '../commands.js';
import type { EngineState } from '../state/engine-state.js';
import type { Sequenced } from '../sequencer.js';
import type { EngineResult } from '../state/results.js';

export const WORKLOAD_SYMBOL = 'FLOWUSD';
export const WORKLOAD_USERS = 1_000;
/** Every workload user starts with this much of both assets: more than any workload can spend. */
const FUNDING_MINOR = 10n ** 30n;

/** The tenant a workload runs in: units of one minor unit per tick and per lot, every price and size allowed. */
export const workloadSetupCommands = (users = WORKLOAD_USERS): EngineCommand[] => {
  const commands: EngineCommand[] = [
    { type: 'defineAsset', asset: 'FLOW', decimals: 0 },
    { type: 'defineAsset', asset: 'USD', decimals: 0 },
    { type: 'defineFeeTier', tier: 'default', makerBps: 10, takerBps: 20, isDefault: true },
    {
      type: 'defineMarket',
      symbol: WORKLOAD_SYMBOL,
      base: 'FLOW',
      quote: 'USD',
      quoteMinorPerTickLot: '1',
      baseMinorPerLot: '1',
      minQuantityLots: 1,
      maxQuantityLots: 2 ** 31 - 1,
      minNotionalMinor: '0',
      priceBandBps: 0,
      maxPriceTicks: 2 ** 31 - 1,
    },
  ];
  for (let userId = 1; userId <= users; userId++) {
    for (const asset of ['FLOW', 'USD']) {
      commands.push({
        type: 'creditDeposit',
        userId,
        asset,
        amountMinor: FUNDING_MINOR.toString(),
        depositId: `fund-${userId}-${asset}`,
      });
    }
  }
  return commands;
};

const userOf = (workloadId: number, users: number) => (workloadId % users) + 1;

const TIME_IN_FORCE_NAMES: Readonly<Record<number, 'GTC' | 'IOC' | 'FOK'>> = {
  [TimeInForce.GTC]: 'GTC',
  [TimeInForce.IOC]: 'IOC',
  [TimeInForce.FOK]: 'FOK',
};

/**
 * One workload line as an engine command (client order id = the workload id); null for an empty line. Parsing and
 * its errors are the matching replay's (parseWorkloadLine), so both replays read a file the same way.
 */
export const workloadCommand = (line: string, lineNumber: number, users = WORKLOAD_USERS): EngineCommand | null => {
  const parsed = parseWorkloadLine(line, lineNumber);
  if (parsed === null) return null;
  if (parsed.kind !== 'place' && parsed.kind !== 'cancel')
    throw new Error(`workload line ${lineNumber}: unexpected ${parsed.kind}`);
  const userId = userOf(parsed.orderId, users);
  const clientOrderId = String(parsed.orderId);
  if (parsed.kind === 'cancel') return { type: 'cancelOrder', userId, symbol: WORKLOAD_SYMBOL, clientOrderId };
  const side = parsed.side === Side.BUY ? 'BUY' : 'SELL';
  if (parsed.type === OrderType.MARKET) {
    return {
      type: 'placeOrder',
      userId,
      symbol: WORKLOAD_SYMBOL,
      clientOrderId,
      side,
      orderType: 'MARKET',
      quantityLots: parsed.quantityLots!,
    };
  }
  const postOnly = parsed.type === OrderType.LIMIT_MAKER;
  return {
    type: 'placeOrder',
    userId,
    symbol: WORKLOAD_SYMBOL,
    clientOrderId,
    side,
    orderType: postOnly ? 'LIMIT_MAKER' : 'LIMIT',
    ...(postOnly ? {} : { timeInForce: TIME_IN_FORCE_NAMES[parsed.timeInForce ?? 0] ?? 'GTC' }),
    priceTicks: parsed.priceTicks!,
    quantityLots: parsed.quantityLots!,
  };
};

/** Accumulates the workload summary from acknowledged engine results, in sequence order. */
export class EngineSummary {
  private readonly sink = new SummarySink();
  ops = 0;

  add(command: EngineCommand, acknowledged: Sequenced<EngineResult>): void {
    this.ops++;
    const result = acknowledged.result;
    if (result.status === 'REJECTED') {
      if (result.code === 'POST_ONLY_WOULD_TRADE') this.sink.onRejected(0, RejectReason.POST_ONLY_WOULD_TRADE);
      return;
    }
    for (const event of result.events) {
      if (event.type === 'trade') {
        const taker = event.buy.isMaker ? event.sell : event.buy;
        const maker = event.buy.isMaker ? event.buy : event.sell;
        this.sink.onTrade(
          Number(taker.clientOrderId),
          Number(maker.clientOrderId),
          0,
          0,
          0,
          event.priceTicks,
          event.quantityLots,
        );
      } else if (event.type === 'orderDone') {
        if (event.reason === 'FOK_NOT_FILLABLE') this.sink.onDone(event.orderId, DoneReason.FOK_NOT_FILLABLE);
        else if (event.reason === 'CANCELED' && command.type === 'cancelOrder')
          this.sink.onDone(event.orderId, DoneReason.CANCELLED);
      }
    }
  }

  /** `engine` is a running Engine, or anything holding the replayed state. */
  summary(engine: { readonly state: EngineState }): ReplaySummary {
    const book = engine.state.book(WORKLOAD_SYMBOL);
    const counts = book?.counts();
    return {
      ops: this.ops,
      trades: this.sink.trades,
      volume: this.sink.volumeLots,
      notional: this.sink.notional(),
      rejected: this.sink.rejected,
      cancelled: this.sink.cancelled,
      restingBids: counts?.restingBids ?? 0,
      restingAsks: counts?.restingAsks ?? 0,
      bestBid: book?.bestBidTicks() ?? null,
      bestAsk: book?.bestAskTicks() ?? null,
      tradeHash: this.sink.tradeHash(),
    };
  }

  line(engine: { readonly state: EngineState }): string {
    return formatSummary(this.summary(engine));
  }
}

export interface LatencyRecorder {
  record(latencyMs: number): void;
}

/** Ack latencies in a fixed histogram of 10-microsecond buckets up to 10 s: constant memory however long the run. */
export class LatencyHistogram implements LatencyRecorder {
  private static readonly bucketUs = 10;
  private readonly buckets = new Uint32Array(1_000_000);
  count = 0;

  record(latencyMs: number): void {
    const index = Math.min(this.buckets.length - 1, Math.floor((latencyMs * 1_000) / LatencyHistogram.bucketUs));
    this.buckets[index]!++;
    this.count++;
  }

  /** The latency (ms) below which `fraction` of the samples fall. */
  quantileMs(fraction: number): number {
    if (this.count === 0) return 0;
    const target = Math.ceil(this.count * fraction);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= target) return ((i + 1) * LatencyHistogram.bucketUs) / 1_000;
    }
    return 10_000;
  }
}
