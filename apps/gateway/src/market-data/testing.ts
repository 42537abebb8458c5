// Test support for market data: a seeded generator, the demo tenant's markets, committed batches built from
// trades and level changes, and naive recomputations (straight from the raw trades) that the fast paths are
// compared with. Not part of the public API.
import { deriveMarketParameters, loadDemoTenantConfig } from '@exbox/config';
import type { CommittedBatch, EngineEvent, EngineResult, Sequenced } from '@exbox/engine';
import { MarketFormat } from '../binance/format.js';
import { formatMinor } from '../binance/format.js';
import { slotAfter, slotBefore, slotCloseTime, slotStart, type KlineInterval } from './intervals.js';

/** mulberry32: small, fast and good enough to drive test streams; every test prints its seed when it fails. */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

/** Fixed seeds, plus one new seed per run (printed on failure, to be added here when it finds something). */
export const testSeeds = (): number[] => [1, 2, 3, 20_261_122, (Date.now() % 2 ** 31) >>> 0];

/** Runs `body` and, if it throws, says which seed to replay. */
export function withSeed<T>(seed: number, body: (random: SeededRandom) => T): T {
  try {
    return body(new SeededRandom(seed));
  } catch (error) {
    if (error instanceof Error) error.message = `[seed ${seed}] ${error.message}`;
    throw error;
  }
}

export async function withSeedAsync<T>(seed: number, body: (random: SeededRandom) => Promise<T>): Promise<T> {
  try {
    return await body(new SeededRandom(seed));
  } catch (error) {
    if (error instanceof Error) error.message = `[seed ${seed}] ${error.message}`;
    throw error;
  }
}

/** The demo tenant's markets (BTCUSDT: tick 0.01, step 0.00001, 8 decimals each asset). */
export async function demoMarkets(): Promise<Map<string, MarketFormat>> {
  const parameters = deriveMarketParameters(await loadDemoTenantConfig());
  return new Map([...parameters.values()].map((p) => [p.symbol, new MarketFormat(p)]));
}

/** A trade as tests generate it (what the engine's trade event carries that market data reads). */
export interface TestTrade {
  symbol: string;
  tradeId: number;
  seq: number;
  timeMs: number;
  priceTicks: number;
  quantityLots: number;
  takerSide: 'BUY' | 'SELL';
  takerOrderId: number;
  makerOrderId: number;
}

export function tradeEvent(format: MarketFormat, trade: TestTrade): EngineEvent {
  const quoteMinor = BigInt(trade.priceTicks) * BigInt(trade.quantityLots) * format.parameters.quoteMinorPerTickLot;
  const side = (orderId: number, isMaker: boolean) => ({
    orderId,
    userId: orderId % 7,
    clientOrderId: `c${orderId}`,
    executedLots: trade.quantityLots,
    cumulativeQuoteMinor: quoteMinor,
    status: 'PARTIALLY_FILLED' as const,
    feeMinor: 0n,
    isMaker,
  });
  const takerBuys = trade.takerSide === 'BUY';
  return {
    type: 'trade',
    seq: trade.seq,
    symbol: trade.symbol,
    tradeId: trade.tradeId,
    priceTicks: trade.priceTicks,
    quantityLots: trade.quantityLots,
    baseMinor: BigInt(trade.quantityLots) * format.parameters.baseMinorPerLot,
    quoteMinor,
    takerSide: trade.takerSide,
    buy: side(takerBuys ? trade.takerOrderId : trade.makerOrderId, !takerBuys),
    sell: side(takerBuys ? trade.makerOrderId : trade.takerOrderId, takerBuys),
    timeMs: trade.timeMs,
  };
}

export const bookDeltaEvent = (
  symbol: string,
  seq: number,
  side: 'BUY' | 'SELL',
  priceTicks: number,
  quantityLots: number,
): EngineEvent => ({ type: 'bookDelta', seq, symbol, side, priceTicks, quantityLots });

/** One command's result: its sequence, time and events. */
export interface TestCommand {
  seq: number;
  timeMs: number;
  events: EngineEvent[];
}

export function committedBatch(commands: readonly TestCommand[]): CommittedBatch<unknown, EngineResult> {
  const first = commands[0];
  if (first === undefined) throw new Error('committedBatch: no command');
  const results: Sequenced<EngineResult>[] = commands.map((command) => ({
    sequence: command.seq,
    timestampMs: command.timeMs,
    result: { status: 'OK', events: command.events },
  }));
  return { firstSeq: first.seq, lines: commands.map(() => '[]'), commands: commands.map(() => ({})), results };
}

/** Groups trades into commands by seq (trades must be sorted by id). */
export function commandsOf(format: MarketFormat, trades: readonly TestTrade[]): TestCommand[] {
  const commands: TestCommand[] = [];
  for (const trade of trades) {
    const last = commands[commands.length - 1];
    if (last !== undefined && last.seq === trade.seq) last.events.push(tradeEvent(format, trade));
    else commands.push({ seq: trade.seq, timeMs: trade.timeMs, events: [tradeEvent(format, trade)] });
  }
  return commands;
}

/**
 * A seeded stream of trades for one market: commands at increasing times (with quiet gaps of seconds to days),
 * each a taker order sweeping one to a few price levels with one to a few makers per level.
 */
export function randomTrades(
  random: SeededRandom,
  options: { symbol: string; count: number; startMs: number; firstSeq?: number; firstTradeId?: number },
): TestTrade[] {
  const trades: TestTrade[] = [];
  let timeMs = options.startMs;
  let seq = options.firstSeq ?? 1;
  let tradeId = options.firstTradeId ?? 1;
  let orderId = 1_000;
  let price = 5_000_000;
  while (trades.length < options.count) {
    const gap = random.chance(0.02)
      ? random.between(3_600_000, 3 * 86_400_000)
      : random.chance(0.1)
        ? random.between(60_000, 1_800_000)
        : random.between(0, 5_000);
    timeMs += gap;
    seq += random.between(1, 3);
    const takerSide = random.chance(0.5) ? 'BUY' : 'SELL';
    const takerOrderId = orderId++;
    const levels = random.between(1, 3);
    for (let level = 0; level < levels && trades.length < options.count; level++) {
      price = Math.max(1, price + (takerSide === 'BUY' ? 1 : -1) * random.between(0, 50) * (level === 0 ? 0 : 1));
      if (level === 0) price = Math.max(1, price + random.between(-200, 200));
      const makers = random.between(1, 3);
      for (let maker = 0; maker < makers && trades.length < options.count; maker++) {
        trades.push({
          symbol: options.symbol,
          tradeId: tradeId++,
          seq,
          timeMs,
          priceTicks: price,
          quantityLots: random.chance(0.01) ? random.between(1, 2 ** 31 - 1) : random.between(1, 200_000),
          takerSide,
          takerOrderId,
          makerOrderId: orderId++,
        });
      }
    }
  }
  return trades;
}

// ------------------------------------------------------------------------------------------------ naive models

/** Binance's kline row, recomputed from the raw trades of a slot (undefined trades: a flat slot at `close`). */
export function naiveKlineRow(
  format: MarketFormat,
  interval: KlineInterval,
  offsetMs: number,
  openTimeMs: number,
  slotTrades: readonly TestTrade[],
  previousClose: number,
): unknown[] {
  const base = (lots: bigint) => format.baseAmount(lots * format.parameters.baseMinorPerLot);
  const quote = (tickLots: bigint) => format.quoteAmount(tickLots * format.parameters.quoteMinorPerTickLot);
  let volume = 0n;
  let quoteVolume = 0n;
  let takerVolume = 0n;
  let takerQuote = 0n;
  for (const trade of slotTrades) {
    const notional = BigInt(trade.priceTicks) * BigInt(trade.quantityLots);
    volume += BigInt(trade.quantityLots);
    quoteVolume += notional;
    if (trade.takerSide === 'BUY') {
      takerVolume += BigInt(trade.quantityLots);
      takerQuote += notional;
    }
  }
  const prices = slotTrades.map((trade) => trade.priceTicks);
  const open = prices[0] ?? previousClose;
  const close = prices[prices.length - 1] ?? previousClose;
  return [
    openTimeMs,
    format.price(open),
    format.price(prices.length === 0 ? previousClose : Math.max(...prices)),
    format.price(prices.length === 0 ? previousClose : Math.min(...prices)),
    format.price(close),
    base(volume),
    slotCloseTime(interval, openTimeMs, offsetMs),
    quote(quoteVolume),
    slotTrades.length,
    base(takerVolume),
    quote(takerQuote),
    '0',
  ];
}

/**
 * GET /api/v3/klines recomputed from all trades: slots from startTime (or back from endTime or now), slots without
 * trades flat at the previous close, and nothing before a market's first trade.
 */
export function naiveKlines(
  format: MarketFormat,
  trades: readonly TestTrade[],
  interval: KlineInterval,
  query: { startTime?: number; endTime?: number; limit: number; offsetMs?: number },
  nowMs: number,
): unknown[][] {
  const offsetMs = query.offsetMs ?? 0;
  const slotOf = (timeMs: number) => slotStart(interval, timeMs, offsetMs);
  const bySlot = new Map<number, TestTrade[]>();
  for (const trade of trades) {
    const slot = slotOf(trade.timeMs);
    const list = bySlot.get(slot);
    if (list === undefined) bySlot.set(slot, [trade]);
    else list.push(trade);
  }
  const lastTrade = trades[trades.length - 1];
  const current = Math.max(slotOf(nowMs), lastTrade === undefined ? -Infinity : slotOf(lastTrade.timeMs));
  const closeBefore = (slot: number): number | undefined => {
    let close: number | undefined;
    for (const trade of trades) if (trade.timeMs < slot) close = trade.priceTicks;
    return close;
  };
  const slots: number[] = [];
  if (query.startTime !== undefined) {
    let first = slotOf(query.startTime);
    if (first < query.startTime) first = slotAfter(interval, first, offsetMs);
    const last = Math.min(current, query.endTime === undefined ? current : slotOf(query.endTime));
    if (first > last) return [];
    if (closeBefore(first) === undefined) {
      const firstTrade = trades.find((trade) => trade.timeMs >= first);
      if (firstTrade === undefined || slotOf(firstTrade.timeMs) > last) return [];
      first = slotOf(firstTrade.timeMs);
    }
    for (let slot = first; slot <= last && slots.length < query.limit; slot = slotAfter(interval, slot, offsetMs)) {
      slots.push(slot);
    }
  } else {
    const last = Math.min(current, query.endTime === undefined ? current : slotOf(query.endTime));
    for (let slot = last; slots.length < query.limit; slot = slotBefore(interval, slot, offsetMs)) slots.push(slot);
    slots.reverse();
  }
  const rows: unknown[][] = [];
  for (const slot of slots) {
    const slotTrades = bySlot.get(slot) ?? [];
    const previous = closeBefore(slot);
    if (slotTrades.length === 0 && previous === undefined) continue;
    rows.push(naiveKlineRow(format, interval, offsetMs, slot, slotTrades, previous ?? 0));
  }
  return rows;
}

/** Ticker statistics recomputed from the trades in [openTimeMs, closeTimeMs]. */
export function naiveWindow(
  format: MarketFormat,
  trades: readonly TestTrade[],
  openTimeMs: number,
  closeTimeMs: number,
): {
  open: string;
  high: string;
  low: string;
  last: string;
  previousClose: string;
  volume: string;
  quoteVolume: string;
  weightedAverage: string;
  change: string;
  changePercent: string;
  firstId: number;
  lastId: number;
  count: number;
} {
  const inside = trades.filter((trade) => trade.timeMs >= openTimeMs && trade.timeMs <= closeTimeMs);
  const before = trades.filter((trade) => trade.timeMs < openTimeMs);
  const lastEver = trades.filter((trade) => trade.timeMs <= closeTimeMs).at(-1)?.priceTicks ?? 0;
  const previous = before.at(-1)?.priceTicks;
  const prices = inside.map((trade) => trade.priceTicks);
  const open = prices[0] ?? lastEver;
  const last = prices.at(-1) ?? lastEver;
  let volume = 0n;
  let quote = 0n;
  for (const trade of inside) {
    volume += BigInt(trade.quantityLots);
    quote += BigInt(trade.priceTicks) * BigInt(trade.quantityLots);
  }
  const percentScaled = (): bigint => {
    // Rounded half away from zero, independently of the code under test: via doubled numerator.
    const numerator = BigInt(last - open) * 200_000n;
    const denominator = BigInt(open) * 2n;
    const sign = numerator < 0n ? -1n : 1n;
    const magnitude = sign * numerator;
    return sign * ((magnitude + denominator / 2n) / denominator);
  };
  return {
    open: format.price(open),
    high: format.price(prices.length === 0 ? lastEver : Math.max(...prices)),
    low: format.price(prices.length === 0 ? lastEver : Math.min(...prices)),
    last: format.price(last),
    previousClose: format.price(previous ?? (inside.length === 0 ? lastEver : 0)),
    volume: format.baseAmount(volume * format.parameters.baseMinorPerLot),
    quoteVolume: format.quoteAmount(quote * format.parameters.quoteMinorPerTickLot),
    weightedAverage:
      volume === 0n
        ? format.price(0)
        : formatMinor((quote * format.parameters.priceMinorPerTick) / volume, format.quoteDecimals),
    change: format.price(last - open),
    changePercent: open === 0 ? '0.000' : formatMinor(percentScaled(), 3),
    firstId: inside[0]?.tradeId ?? -1,
    lastId: inside.at(-1)?.tradeId ?? -1,
    count: inside.length,
  };
}

/** Aggregate trades recomputed: consecutive trades of one command, one taker order and one price. */
export function naiveAggregates(trades: readonly TestTrade[]): {
  a: number;
  priceTicks: number;
  quantityLots: number;
  f: number;
  l: number;
  T: number;
  m: boolean;
}[] {
  const out: ReturnType<typeof naiveAggregates> = [];
  let previous: TestTrade | undefined;
  for (const trade of trades) {
    const last = out[out.length - 1];
    if (
      last !== undefined &&
      previous !== undefined &&
      previous.seq === trade.seq &&
      previous.takerOrderId === trade.takerOrderId &&
      previous.priceTicks === trade.priceTicks
    ) {
      last.quantityLots += trade.quantityLots;
      last.l = trade.tradeId;
    } else {
      out.push({
        a: trade.tradeId,
        priceTicks: trade.priceTicks,
        quantityLots: trade.quantityLots,
        f: trade.tradeId,
        l: trade.tradeId,
        T: trade.timeMs,
        m: trade.takerSide === 'SELL',
      });
    }
    previous = trade;
  }
  return out;
}

/** A request as the server would build it. */
export const restRequest = (path: string, params: Record<string, string | number>) => ({
  method: 'GET' as const,
  path,
  params: new Map(Object.entries(params).map(([key, value]) => [key, String(value)])),
  ip: '127.0.0.1',
  headers: new Map<string, string>(),
  receivedAtMs: 0,
});
