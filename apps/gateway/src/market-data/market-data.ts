// Public market data, Binance-compatible: committed engine batches in, stream events and REST answers out.
//
// The server calls applyCommitted() for every committed batch in order (only committed data ever leaves), tick()
// every 100 ms for the time-aggregated streams, and mounts endpoints(). Everything here is synchronous and cheap
// on the hot path: a level change is O(log levels), a trade updates the tape and one candle per interval, and a
// stream payload is built only when hasSubscribers() says someone listens. Database reads (history at startup,
// REST reads older than memory) are the only asynchronous work.
import type { CommittedBatch, EngineEvent, EngineResult } from '@exbox/engine';
import type { Sql } from 'postgres';
import { errors } from '../binance/errors.js';
import type { MarketFormat } from '../binance/format.js';
import type { Endpoint } from '../http/types.js';
import { BookMirror } from './book-mirror.js';
import { foldCandles, type Candle, type CandleTrade } from './candle.js';
import { CandleSeries } from './candle-series.js';
import {
  HistoryReader,
  queryCandles,
  queryLastPriceBefore,
  queryTrades,
  readCommittedSeq,
  readProjectedSeq,
  toTapeTrades,
  waitForProjection,
} from './history.js';
import {
  DAY_MS,
  HOUR_MS,
  KLINE_INTERVALS,
  MINUTE_MS,
  SECOND_MS,
  alignedWithUtc,
  foldSource,
  slotAfter,
  slotBefore,
  slotStart,
  type KlineInterval,
} from './intervals.js';
import {
  aggTradesScanTradesMax,
  aggTradesWindowMsMax,
  avgPriceMinutes,
  depthSlowPeriodMs,
  historyDayCandles,
  historyHourCandles,
  historyMinuteCandles,
  historySecondCandles,
  klineCandlesKept,
  klinePeriodMs,
  minuteCandlesKept,
  partialDepthLevels,
  projectionPollMs,
  projectionWaitMsDefault,
  recentTradesKept,
  tradesLimitMax,
} from './limits.js';
import {
  aggTradeEvent,
  aggTradeJson,
  diffEvent,
  flatCandle,
  groupAggregates,
  klineEvent,
  klineRow,
  levelsJson,
  miniTickerEvent,
  rollingTickerEvent,
  ticker24hrJson,
  tickerEvent,
  tickerMiniJson,
  tickerValues,
  tickerWindowJson,
  tradeJson,
  type AggregateTrade,
  type BookTop,
  type DepthSnapshot,
  type KlineRow,
  type TickerValues,
} from './payloads.js';
import { marketDataEndpoints } from './rest.js';
import {
  ALL_MINI_TICKERS_STREAM,
  ALL_TICKERS_STREAM,
  ROLLING_STREAM_WINDOWS,
  allRollingTickersStream,
  isValidStreamName,
  marketStreamNames,
  type MarketStreamNames,
  type RollingStreamWindow,
} from './streams.js';
import { TradeTape, type TapeTrade } from './trade-tape.js';
import { formatWeightedAverage, windowKey, windowStats } from './window-stats.js';

export interface MarketDataOptions {
  /** The markets to serve (more can be added with addMarket). */
  markets: readonly MarketFormat[];
  /** Milliseconds since the epoch: event times, ticker windows, the current kline. */
  clock: () => number;
  /** Sends one stream event (`btcusdt@trade`, `!ticker@arr`...); the server wraps combined streams and serialises. */
  publish: (stream: string, payload: object) => void;
  /** Whether a stream has subscribers; payloads are only built for those that do. Default: every stream has. */
  hasSubscribers?: (stream: string) => boolean;
  /** The trades projection, for REST reads older than memory (historicalTrades, aggTrades, klines). */
  sql?: Sql;
  /**
   * The first depth update id (each market counts from it). Default clock() * 1000, so ids keep increasing across
   * restarts while a market changes fewer than 1000 levels per millisecond on average.
   */
  initialUpdateId?: number;
}

export interface BookLevel {
  priceTicks: number;
  quantityLots: number;
}

export interface LoadHistoryOptions {
  /**
   * Load trades of commands up to this sequence: the engine's committed sequence when the books were loaded.
   * Default: the sequence before the first batch applied, else the journal's last committed sequence. Batches at
   * or below it that arrive later only move the books (their trades are history's).
   */
  throughSeq?: number;
  /** How long to wait for the projection to reach throughSeq (default projectionWaitMsDefault). */
  projectionWaitMs?: number;
}

export interface HistoryReport {
  throughSeq: number;
  projectedSeq: number;
  /** False when the projection had not reached throughSeq in time: the newest history may have holes. */
  complete: boolean;
  trades: number;
  candles: number;
}

export interface KlineQuery {
  startTime?: number;
  endTime?: number;
  limit: number;
  /** The time zone kline slots are aligned to (milliseconds ahead of UTC). */
  timeZoneOffsetMs?: number;
}

export interface AggTradesQuery {
  fromId?: number;
  startTime?: number;
  endTime?: number;
  limit: number;
}

type TickerKind = 'mini' | 'full' | RollingStreamWindow;

/** An aggregate trade being assembled while its command's trades arrive. */
interface OpenAggregate extends AggregateTrade {
  market: Market;
}

/** The memory view of one interval's candles in one time zone: native (UTC) or folded from a finer interval. */
interface KlineMemory {
  completeFromMs: number;
  range(fromMs: number, toMs: number): Candle[];
  closeBefore(timeMs: number): { known: boolean; closeTicks: number | undefined };
}

/** Everything kept for one market. */
class Market {
  readonly symbol: string;
  readonly streams: MarketStreamNames;
  readonly book: BookMirror;
  readonly tape = new TradeTape(recentTradesKept);
  readonly series: Readonly<Record<KlineInterval, CandleSeries>>;
  /** The newest trade (0/-1 before the first). */
  lastTradeId = -1;
  lastPriceTicks = 0;
  lastQuantityLots = 0;
  lastTimeMs = 0;
  /** The newest trade's command and taker order, to tell whether the next trade continues its aggregate. */
  lastSeq = -1;
  lastTakerOrderId = -1;
  /** Subscriber answers cached for one batch (epoch). */
  epoch = -1;
  sendTrade = false;
  sendAggregate = false;
  recordFast = false;
  recordSlow = false;
  sendBookTicker = false;
  touched = false;
  lastBookTicker = '';
  openAggregate: OpenAggregate | undefined = undefined;
  readonly klineSent = new Map<KlineInterval, { openTimeMs: number; version: number }>();
  readonly arrayKeys = new Map<TickerKind, string>();
  readonly partialCache = new Map<number, { updateId: number; payload: DepthSnapshot }>();

  constructor(
    readonly format: MarketFormat,
    initialUpdateId: number,
  ) {
    this.symbol = format.symbol;
    this.streams = marketStreamNames(format.symbol);
    this.book = new BookMirror(initialUpdateId);
    this.series = Object.fromEntries(
      KLINE_INTERVALS.map((interval) => [
        interval,
        new CandleSeries(interval, interval === '1m' ? minuteCandlesKept : klineCandlesKept),
      ]),
    ) as Record<KlineInterval, CandleSeries>;
  }

  bookTop(): BookTop {
    const bid = this.book.bids.best();
    const ask = this.book.asks.best();
    return {
      bidTicks: bid?.priceTicks ?? 0,
      bidLots: bid?.quantityLots ?? 0,
      askTicks: ask?.priceTicks ?? 0,
      askLots: ask?.quantityLots ?? 0,
    };
  }
}

/** The window of a ticker kind. */
const tickerWindowMs = (kind: TickerKind): number => (kind === '1h' ? HOUR_MS : kind === '4h' ? 4 * HOUR_MS : DAY_MS);

/** A window ending now opens on the minute (Binance: up to 59999 ms wider than asked). */
export const windowOpenTime = (nowMs: number, windowMs: number): number =>
  Math.floor((nowMs - windowMs) / MINUTE_MS) * MINUTE_MS;

export class MarketData {
  private readonly clock: () => number;
  private readonly publish: (stream: string, payload: object) => void;
  private readonly hasSubscribers: (stream: string) => boolean;
  private readonly reader: HistoryReader | undefined;
  private readonly initialUpdateId: number;
  private readonly markets = new Map<string, Market>();
  private epoch = 0;
  private readonly touched: Market[] = [];
  private readonly aggregatesOpen: Market[] = [];
  /** The first sequence applyCommitted saw, and the sequence history was loaded through. */
  private firstLiveSeq: number | undefined = undefined;
  private historyThroughSeq = -1;
  private historyLoaded = false;
  private nextSecondMs = 0;
  private nextKlineMs = 0;

  constructor(options: MarketDataOptions) {
    this.clock = options.clock;
    this.publish = options.publish;
    this.hasSubscribers = options.hasSubscribers ?? (() => true);
    this.reader = options.sql === undefined ? undefined : new HistoryReader(options.sql);
    this.initialUpdateId = options.initialUpdateId ?? Math.floor(this.clock()) * 1000;
    if (!Number.isSafeInteger(this.initialUpdateId) || this.initialUpdateId < 0) {
      throw new Error(`market data: initial update id ${this.initialUpdateId}`);
    }
    for (const format of options.markets) this.addMarket(format);
  }

  /** Serves one more market (defined at runtime); a market already served is left as it is. */
  addMarket(format: MarketFormat): void {
    if (this.markets.has(format.symbol)) return;
    this.markets.set(format.symbol, new Market(format, this.initialUpdateId));
  }

  /** The markets served, by symbol. */
  symbols(): string[] {
    return [...this.markets.keys()];
  }

  private market(symbol: string): Market {
    const market = this.markets.get(symbol);
    if (market === undefined) throw errors.badSymbol();
    return market;
  }

  /** Whether a market is served (REST handlers answer -1121 otherwise). */
  hasMarket(symbol: string): boolean {
    return this.markets.has(symbol);
  }

  // ------------------------------------------------------------------------------------------------- loading

  /**
   * Replaces a market's book with the engine's committed book (levels as ticks and total lots), at startup before
   * the first batch. Bumps the update id, so a client holding an older snapshot resynchronises.
   */
  loadBook(symbol: string, bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    const market = this.markets.get(symbol);
    if (market === undefined) throw new Error(`market data: loadBook for unknown market ${symbol}`);
    market.book.load(bids, asks);
    market.partialCache.clear();
    market.lastBookTicker = '';
  }

  /**
   * Rebuilds recent trades, candles and the rolling windows from the `trades` projection, so charts and tickers
   * have no hole after a restart. Safe to run while batches are applied: it loads trades of commands up to
   * `throughSeq` (clamped below the first live batch) and merges them under what live batches added since.
   * What it reads per market: the last recentTradesKept trades and candles aggregated by PostgreSQL (1000 seconds,
   * 30000 minutes, 12000 hours and 31000 days, which cover every interval's kept candles and the 7-day windows).
   */
  async loadHistory(sql: Sql, options: LoadHistoryOptions = {}): Promise<HistoryReport> {
    // A second load would count the history twice.
    if (this.historyLoaded) throw new Error('market data: history is loaded once, at startup');
    this.historyLoaded = true;
    let throughSeq =
      this.firstLiveSeq !== undefined
        ? Math.min(options.throughSeq ?? Infinity, this.firstLiveSeq - 1)
        : (options.throughSeq ?? Math.max(await readCommittedSeq(sql), await readProjectedSeq(sql)));
    // From here on, batches at or below throughSeq (committed, their callback still on its way) are history's.
    throughSeq = Math.max(throughSeq, this.historyThroughSeq);
    this.historyThroughSeq = throughSeq;
    const projectedSeq = await waitForProjection(
      sql,
      throughSeq,
      options.projectionWaitMs ?? projectionWaitMsDefault,
      projectionPollMs,
    );
    const report: HistoryReport = {
      throughSeq,
      projectedSeq,
      complete: projectedSeq >= throughSeq,
      trades: 0,
      candles: 0,
    };
    for (const market of this.markets.values()) {
      const counts = await this.loadMarketHistory(sql, market, throughSeq);
      report.trades += counts.trades;
      report.candles += counts.candles;
    }
    return report;
  }

  private async loadMarketHistory(
    sql: Sql,
    market: Market,
    throughSeq: number,
  ): Promise<{ trades: number; candles: number }> {
    const nowMs = this.clock();
    const groups: { granularityMs: number; count: number; intervals: KlineInterval[] }[] = [
      { granularityMs: SECOND_MS, count: historySecondCandles, intervals: ['1s'] },
      { granularityMs: MINUTE_MS, count: historyMinuteCandles, intervals: ['1m', '3m', '5m', '15m', '30m'] },
      { granularityMs: HOUR_MS, count: historyHourCandles, intervals: ['1h', '2h', '4h', '6h', '8h', '12h'] },
      { granularityMs: DAY_MS, count: historyDayCandles, intervals: ['1d', '3d', '1w', '1M'] },
    ];
    const loaded: { interval: KlineInterval; candles: Candle[]; fromMs: number; closeBefore: number | undefined }[] =
      [];
    let candleCount = 0;
    for (const group of groups) {
      const fromMs =
        Math.floor(nowMs / group.granularityMs) * group.granularityMs - (group.count - 1) * group.granularityMs;
      const fine = await queryCandles(sql, market.symbol, group.granularityMs, 0, fromMs, Infinity, throughSeq);
      const before = await queryLastPriceBefore(sql, market.symbol, fromMs, throughSeq);
      for (const interval of group.intervals) {
        let completeFromMs = slotStart(interval, fromMs);
        if (completeFromMs < fromMs) completeFromMs = slotAfter(interval, completeFromMs);
        const inside = fine.filter((candle) => candle.openTimeMs >= completeFromMs);
        const outside = fine.filter((candle) => candle.openTimeMs < completeFromMs);
        const closeBefore = outside.length > 0 ? outside[outside.length - 1]!.closeTicks : before;
        const candles = foldCandles(inside, interval);
        candleCount += candles.length;
        loaded.push({ interval, candles, fromMs: completeFromMs, closeBefore });
      }
    }
    const rows = await queryTrades(sql, market.symbol, { descending: true, limit: recentTradesKept + 1, throughSeq });
    rows.reverse();
    const previous = rows.length > recentTradesKept ? rows.shift() : undefined;
    const trades = toTapeTrades(rows, previous);
    // Merge synchronously: no batch can interleave between here and the end of this function.
    for (const { interval, candles, fromMs, closeBefore } of loaded) {
      market.series[interval].mergeHistory(candles, fromMs, closeBefore);
    }
    market.tape.prepend(trades);
    const newest = trades[trades.length - 1];
    if (newest !== undefined && newest.tradeId > market.lastTradeId) {
      market.lastTradeId = newest.tradeId;
      market.lastPriceTicks = newest.priceTicks;
      market.lastQuantityLots = newest.quantityLots;
      market.lastTimeMs = newest.timeMs;
    }
    return { trades: trades.length, candles: candleCount };
  }

  // ------------------------------------------------------------------------------------------- committed batches

  /** Folds one committed batch in and publishes the real-time streams. Batches must come in sequence order. */
  applyCommitted(batch: CommittedBatch<unknown, EngineResult>): void {
    const epoch = ++this.epoch;
    const nowMs = this.clock();
    this.firstLiveSeq ??= batch.firstSeq;
    for (const sequenced of batch.results) {
      const events = sequenced.result.events;
      const replayed = sequenced.sequence <= this.historyThroughSeq;
      for (const event of events) {
        if (event.type === 'trade') {
          if (!replayed) this.applyTrade(event, sequenced.sequence, epoch, nowMs);
        } else if (event.type === 'bookDelta') this.applyBookDelta(event, epoch);
      }
      // An aggregate never spans commands: publish what this command assembled.
      for (const market of this.aggregatesOpen) this.closeAggregate(market, nowMs);
      this.aggregatesOpen.length = 0;
    }
    for (const market of this.touched) {
      market.touched = false;
      if (market.sendBookTicker) this.publishBookTicker(market);
      else market.lastBookTicker = '';
    }
    this.touched.length = 0;
  }

  private prepare(market: Market, epoch: number): void {
    if (market.epoch === epoch) return;
    market.epoch = epoch;
    const has = this.hasSubscribers;
    market.sendTrade = has(market.streams.trade);
    market.sendAggregate = has(market.streams.aggTrade);
    market.recordFast = has(market.streams.depthFast);
    market.recordSlow = has(market.streams.depthSlow);
    market.sendBookTicker = has(market.streams.bookTicker);
  }

  private applyTrade(event: Extract<EngineEvent, { type: 'trade' }>, seq: number, epoch: number, nowMs: number): void {
    const market = this.markets.get(event.symbol);
    if (market === undefined) return;
    this.prepare(market, epoch);
    const takerOrderId = event.takerSide === 'BUY' ? event.buy.orderId : event.sell.orderId;
    const startsAggregate = !(
      market.lastSeq === seq &&
      market.lastTakerOrderId === takerOrderId &&
      market.lastPriceTicks === event.priceTicks &&
      market.lastTradeId + 1 === event.tradeId
    );
    const isBuyerMaker = event.takerSide === 'SELL';
    market.tape.push({
      tradeId: event.tradeId,
      timeMs: event.timeMs,
      priceTicks: event.priceTicks,
      quantityLots: event.quantityLots,
      isBuyerMaker,
      startsAggregate,
    });
    const candleTrade: CandleTrade = {
      tradeId: event.tradeId,
      timeMs: event.timeMs,
      priceTicks: event.priceTicks,
      quantityLots: event.quantityLots,
      takerBuys: !isBuyerMaker,
    };
    for (const interval of KLINE_INTERVALS) market.series[interval].addTrade(candleTrade);
    market.lastTradeId = event.tradeId;
    market.lastPriceTicks = event.priceTicks;
    market.lastQuantityLots = event.quantityLots;
    market.lastTimeMs = event.timeMs;
    market.lastSeq = seq;
    market.lastTakerOrderId = takerOrderId;

    const format = market.format;
    if (market.sendTrade) {
      this.publish(market.streams.trade, {
        e: 'trade',
        E: nowMs,
        s: market.symbol,
        t: event.tradeId,
        p: format.price(event.priceTicks),
        q: format.quantity(event.quantityLots),
        T: event.timeMs,
        m: isBuyerMaker,
        M: true,
      });
    }
    if (!market.sendAggregate) return;
    const open = market.openAggregate;
    if (open !== undefined && !startsAggregate) {
      open.quantityLots += event.quantityLots;
      open.lastTradeId = event.tradeId;
      return;
    }
    if (open !== undefined) this.closeAggregate(market, nowMs);
    market.openAggregate = {
      market,
      aggregateId: event.tradeId,
      priceTicks: event.priceTicks,
      quantityLots: event.quantityLots,
      firstTradeId: event.tradeId,
      lastTradeId: event.tradeId,
      timeMs: event.timeMs,
      isBuyerMaker,
    };
    this.aggregatesOpen.push(market);
  }

  private closeAggregate(market: Market, nowMs: number): void {
    const open = market.openAggregate;
    if (open === undefined) return;
    market.openAggregate = undefined;
    this.publish(market.streams.aggTrade, aggTradeEvent(market.format, open, nowMs));
  }

  private applyBookDelta(event: Extract<EngineEvent, { type: 'bookDelta' }>, epoch: number): void {
    const market = this.markets.get(event.symbol);
    if (market === undefined) return;
    this.prepare(market, epoch);
    market.book.apply(event.side, event.priceTicks, event.quantityLots, market.recordFast, market.recordSlow);
    if (!market.touched) {
      market.touched = true;
      this.touched.push(market);
    }
  }

  private publishBookTicker(market: Market): void {
    const top = market.bookTop();
    const key = `${top.bidTicks}:${top.bidLots}:${top.askTicks}:${top.askLots}`;
    if (key === market.lastBookTicker) return;
    market.lastBookTicker = key;
    const format = market.format;
    this.publish(market.streams.bookTicker, {
      u: market.book.updateId,
      s: market.symbol,
      b: format.price(top.bidTicks),
      B: format.quantity(top.bidLots),
      a: format.price(top.askTicks),
      A: format.quantity(top.askLots),
    });
  }

  // ----------------------------------------------------------------------------------------------------- ticks

  /** Flushes the time-aggregated streams; call every 100 ms. */
  tick(nowMs: number): void {
    const has = this.hasSubscribers;
    for (const market of this.markets.values()) {
      const window = market.book.fastWindow;
      if (!window.empty) {
        if (has(market.streams.depthFast))
          this.publish(market.streams.depthFast, diffEvent(market.format, window, nowMs));
        window.clear();
      }
      for (const levels of partialDepthLevels) {
        const stream = market.streams.partialFast[levels];
        if (has(stream)) this.publish(stream, this.partialDepth(market, levels));
      }
    }
    if (nowMs >= this.nextSecondMs) {
      // One pass serves the slow depth, tickers and 1s klines (limits.test.ts: their periods are equal).
      this.nextSecondMs = Math.floor(nowMs / depthSlowPeriodMs) * depthSlowPeriodMs + depthSlowPeriodMs;
      this.secondTick(nowMs);
    }
    if (nowMs >= this.nextKlineMs) {
      this.nextKlineMs = Math.floor(nowMs / klinePeriodMs) * klinePeriodMs + klinePeriodMs;
      for (const market of this.markets.values()) {
        for (const interval of KLINE_INTERVALS) if (interval !== '1s') this.publishKline(market, interval, nowMs);
      }
    }
  }

  private secondTick(nowMs: number): void {
    const has = this.hasSubscribers;
    const arrays = new Map<TickerKind, object[]>();
    const arrayStreams: [TickerKind, string][] = [
      ['mini', ALL_MINI_TICKERS_STREAM],
      ['full', ALL_TICKERS_STREAM],
      ...ROLLING_STREAM_WINDOWS.map((window): [TickerKind, string] => [window, allRollingTickersStream(window)]),
    ];
    for (const [kind, stream] of arrayStreams) if (has(stream)) arrays.set(kind, []);
    for (const market of this.markets.values()) {
      const format = market.format;
      const window = market.book.slowWindow;
      if (!window.empty) {
        if (has(market.streams.depthSlow)) this.publish(market.streams.depthSlow, diffEvent(format, window, nowMs));
        window.clear();
      }
      for (const levels of partialDepthLevels) {
        const stream = market.streams.partialSlow[levels];
        if (has(stream)) this.publish(stream, this.partialDepth(market, levels));
      }
      this.publishKline(market, '1s', nowMs);
      if (has(market.streams.avgPrice)) {
        const average = this.averagePrice(market, nowMs);
        this.publish(market.streams.avgPrice, {
          e: 'avgPrice',
          E: nowMs,
          s: market.symbol,
          i: `${avgPriceMinutes}m`,
          w: average.price,
          T: average.closeTime,
        });
      }
      // The 24-hour ticker, mini ticker and 1d window share one window.
      const cache = new Map<number, TickerValues>();
      const values = (windowMs: number): TickerValues => {
        let found = cache.get(windowMs);
        if (found === undefined) {
          found = this.tickerValuesOf(market, windowMs, nowMs);
          cache.set(windowMs, found);
        }
        return found;
      };
      const kinds: [TickerKind, string][] = [
        ['mini', market.streams.miniTicker],
        ['full', market.streams.ticker],
        ...ROLLING_STREAM_WINDOWS.map((w): [TickerKind, string] => [w, market.streams.rolling[w]]),
      ];
      for (const [kind, stream] of kinds) {
        const array = arrays.get(kind);
        const individual = has(stream);
        if (!individual && array === undefined) continue;
        const windowMs = tickerWindowMs(kind);
        let changed = false;
        if (array !== undefined) {
          const top = kind === 'full' ? market.bookTop() : undefined;
          let key = windowKey(market.series['1m'], windowOpenTime(nowMs, windowMs));
          if (top !== undefined) key += `|${top.bidTicks}:${top.bidLots}:${top.askTicks}:${top.askLots}`;
          changed = key !== market.arrayKeys.get(kind);
          if (changed) market.arrayKeys.set(kind, key);
        } else market.arrayKeys.delete(kind);
        if (!individual && !changed) continue;
        const event = this.tickerEvent(market, kind, values(windowMs), nowMs);
        if (individual) this.publish(stream, event);
        if (changed) array!.push(event);
      }
    }
    for (const [kind, stream] of arrayStreams) {
      const array = arrays.get(kind);
      if (array !== undefined && array.length > 0) this.publish(stream, array);
    }
  }

  private tickerEvent(market: Market, kind: TickerKind, values: TickerValues, nowMs: number): object {
    if (kind === 'mini') return miniTickerEvent(market.format, values, nowMs);
    if (kind === 'full') return tickerEvent(market.format, values, market.lastQuantityLots, market.bookTop(), nowMs);
    return rollingTickerEvent(market.format, kind, values, nowMs);
  }

  private partialDepth(market: Market, levels: number): DepthSnapshot {
    const cached = market.partialCache.get(levels);
    if (cached !== undefined && cached.updateId === market.book.updateId) return cached.payload;
    const payload = this.depthOf(market, levels);
    market.partialCache.set(levels, { updateId: market.book.updateId, payload });
    return payload;
  }

  /**
   * `<symbol>@kline_<interval>`: the current candle when it changed since last sent, and at a rollover the
   * candle that just closed (x: true) followed by the new one (flat at the last close until it trades).
   */
  private publishKline(market: Market, interval: KlineInterval, nowMs: number): void {
    const stream = market.streams.kline[interval];
    if (!this.hasSubscribers(stream)) {
      market.klineSent.delete(interval);
      return;
    }
    const series = market.series[interval];
    const newest = series.newest();
    if (newest === undefined) return;
    const currentMs = Math.max(slotStart(interval, nowMs), newest.openTimeMs);
    const sent = market.klineSent.get(interval);
    const format = market.format;
    if (sent !== undefined && sent.openTimeMs < currentMs) {
      this.publish(stream, klineEvent(format, interval, this.candleAt(series, sent.openTimeMs), true, nowMs));
    }
    if (sent === undefined || sent.openTimeMs < currentMs || sent.version !== series.version) {
      this.publish(stream, klineEvent(format, interval, this.candleAt(series, currentMs), false, nowMs));
      market.klineSent.set(interval, { openTimeMs: currentMs, version: series.version });
    }
  }

  /** The candle of a slot from memory, flat at the previous close when the slot had no trade. */
  private candleAt(series: CandleSeries, openTimeMs: number): Candle {
    const index = series.indexAtOrAfter(openTimeMs);
    const candle = series.at(index);
    if (candle !== undefined && candle.openTimeMs === openTimeMs) return candle;
    const before = series.at(index - 1);
    return flatCandle(openTimeMs, before?.closeTicks ?? series.closeBeforeCompleteTicks ?? 0);
  }

  // ----------------------------------------------------------------------------------------------- streams

  /** Whether a stream name exists (the server refuses SUBSCRIBE to anything else). */
  isValidStream(name: string): boolean {
    return isValidStreamName(name, this.markets);
  }

  // ----------------------------------------------------------------------------------------------- queries

  /** GET /api/v3/depth: the book now, `limit` levels a side, with the update id it reflects. */
  depth(symbol: string, limit: number): DepthSnapshot {
    return this.depthOf(this.market(symbol), limit);
  }

  private depthOf(market: Market, limit: number): DepthSnapshot {
    return {
      lastUpdateId: market.book.updateId,
      bids: levelsJson(market.format, market.book.bids, limit),
      asks: levelsJson(market.format, market.book.asks, limit),
    };
  }

  /** GET /api/v3/trades: the newest `limit` trades, oldest first. */
  recentTrades(symbol: string, limit: number): object[] {
    const market = this.market(symbol);
    const tape = market.tape;
    return tape.slice(tape.size - limit, tape.size).map((trade) => tradeJson(market.format, trade));
  }

  /** GET /api/v3/historicalTrades: `limit` trades from `fromId` (memory, then the database), or the newest. */
  async historicalTrades(symbol: string, limit: number, fromId?: number): Promise<object[]> {
    const market = this.market(symbol);
    const newest = market.tape.newestId();
    if (newest === undefined) return [];
    const start = fromId ?? Math.max(1, newest - limit + 1);
    const trades = await this.readTrades(market, start, limit);
    return trades.map((trade) => tradeJson(market.format, trade));
  }

  /**
   * Up to `count` trades from `fromId` on, ascending and contiguous: memory when it holds fromId, else the
   * database, continued from memory when the database ends (its projection lags) where memory takes over.
   */
  private async readTrades(market: Market, fromId: number, count: number): Promise<TapeTrade[]> {
    const tape = market.tape;
    const oldest = tape.oldestId();
    if (oldest !== undefined && fromId >= oldest) {
      const index = tape.indexAtOrAfterId(fromId);
      return tape.slice(index, index + count);
    }
    if (this.reader === undefined) return tape.slice(0, count);
    const stored = await this.reader.trades(market.symbol, fromId, count);
    const older = oldest === undefined ? stored : stored.filter((trade) => trade.tradeId < oldest);
    if (older.length >= count || oldest === undefined) return older.slice(0, count);
    const lastId = older.length > 0 ? older[older.length - 1]!.tradeId : fromId - 1;
    if (oldest > lastId + 1 && older.length > 0) return older;
    const index = tape.indexAtOrAfterId(lastId + 1);
    return [...older, ...tape.slice(index, index + count - older.length)];
  }

  /** GET /api/v3/aggTrades. */
  async aggTrades(symbol: string, query: AggTradesQuery): Promise<object[]> {
    const market = this.market(symbol);
    const tape = market.tape;
    const newest = tape.newestId();
    if (newest === undefined) return [];
    const { limit } = query;
    if (query.fromId === undefined && query.startTime === undefined && query.endTime === undefined) {
      // The newest aggregates: read back far enough for `limit` of them (a leading partial one is skipped).
      const span = Math.min(aggTradesScanTradesMax, limit * 4 + 1);
      const trades = await this.readTrades(market, Math.max(1, newest - span + 1), span);
      const aggregates = groupAggregates(trades, true);
      return aggregates.slice(Math.max(0, aggregates.length - limit)).map((a) => aggTradeJson(market.format, a));
    }
    let startId = query.fromId;
    const endTime = query.endTime ?? Infinity;
    if (startId === undefined) {
      // endTime alone: the hour before it (Binance's longest range).
      const startTime = query.startTime ?? endTime - aggTradesWindowMsMax;
      const found = await this.firstTradeAtOrAfter(market, startTime);
      if (found === undefined) return [];
      startId = found;
    }
    const out: AggregateTrade[] = [];
    // Trades read whose aggregate may not be finished yet, carried into the next chunk.
    let pending: TapeTrade[] = [];
    let nextId = startId;
    let scanned = 0;
    for (;;) {
      const chunkSize = Math.min(tradesLimitMax, aggTradesScanTradesMax - scanned);
      if (chunkSize <= 0) break;
      const chunk = await this.readTrades(market, nextId, chunkSize);
      scanned += chunk.length;
      const last = chunk[chunk.length - 1];
      // The newest trade ends its aggregate: a command's trades are applied together.
      const exhausted = last === undefined || last.tradeId >= newest;
      if (last !== undefined) nextId = last.tradeId + 1;
      pending = pending.concat(chunk);
      const aggregates = groupAggregates(pending, exhausted);
      let finished = exhausted;
      for (const aggregate of aggregates) {
        if (aggregate.timeMs > endTime || out.length >= limit) {
          finished = true;
          break;
        }
        if (query.startTime === undefined || aggregate.timeMs >= query.startTime) out.push(aggregate);
      }
      if (finished || out.length >= limit) break;
      const lastDone = aggregates[aggregates.length - 1];
      if (lastDone !== undefined) pending = pending.filter((trade) => trade.tradeId > lastDone.lastTradeId);
    }
    return out.map((aggregate) => aggTradeJson(market.format, aggregate));
  }

  private async firstTradeAtOrAfter(market: Market, timeMs: number): Promise<number | undefined> {
    const tape = market.tape;
    if (tape.size > 0 && (timeMs > tape.timeAt(0) || this.reader === undefined)) {
      const index = tape.indexAtOrAfterTime(timeMs);
      return index < tape.size ? tape.idAt(index) : undefined;
    }
    const stored = await this.reader?.firstTradeAtOrAfter(market.symbol, timeMs);
    if (stored !== undefined) return stored.tradeId;
    return tape.size > 0 ? tape.idAt(tape.indexAtOrAfterTime(timeMs)) : undefined;
  }

  /** GET /api/v3/klines and uiKlines. */
  async klines(symbol: string, interval: KlineInterval, query: KlineQuery): Promise<KlineRow[]> {
    const market = this.market(symbol);
    const offsetMs = query.timeZoneOffsetMs ?? 0;
    const memory = this.klineMemory(market, interval, offsetMs);
    const nowMs = this.clock();
    const newest = market.series[interval].newest();
    let currentMs = slotStart(interval, nowMs, offsetMs);
    if (newest !== undefined && newest.openTimeMs > currentMs)
      currentMs = slotStart(interval, newest.openTimeMs, offsetMs);
    const slots: number[] = [];
    let previousClose: number | undefined;
    if (query.startTime !== undefined) {
      let first = slotStart(interval, query.startTime, offsetMs);
      if (first < query.startTime) first = slotAfter(interval, first, offsetMs);
      const last = Math.min(
        currentMs,
        query.endTime === undefined ? currentMs : slotStart(interval, query.endTime, offsetMs),
      );
      if (first > last) return [];
      previousClose = await this.closeBefore(market, memory, first);
      if (previousClose === undefined) {
        const firstTraded = await this.firstSlotWithTrades(market, interval, offsetMs, memory, first, last);
        if (firstTraded === undefined) return [];
        first = firstTraded;
      }
      for (let slot = first; slot <= last && slots.length < query.limit; slot = slotAfter(interval, slot, offsetMs)) {
        slots.push(slot);
      }
    } else {
      const last = Math.min(
        currentMs,
        query.endTime === undefined ? currentMs : slotStart(interval, query.endTime, offsetMs),
      );
      for (let slot = last; slots.length < query.limit; slot = slotBefore(interval, slot, offsetMs)) slots.push(slot);
      slots.reverse();
      previousClose = await this.closeBefore(market, memory, slots[0]!);
    }
    if (slots.length === 0) return [];
    const candles = await this.candlesBetween(market, interval, offsetMs, memory, slots[0]!, slots[slots.length - 1]!);
    const byOpen = new Map(candles.map((candle) => [candle.openTimeMs, candle]));
    const rows: KlineRow[] = [];
    for (const slot of slots) {
      const candle = byOpen.get(slot);
      if (candle !== undefined) {
        rows.push(klineRow(market.format, interval, candle, offsetMs));
        previousClose = candle.closeTicks;
      } else if (previousClose !== undefined) {
        rows.push(klineRow(market.format, interval, flatCandle(slot, previousClose), offsetMs));
      }
    }
    return rows;
  }

  /** Memory's candles of `interval` in a time zone: the kept UTC series, or UTC candles of a finer interval folded. */
  private klineMemory(market: Market, interval: KlineInterval, offsetMs: number): KlineMemory {
    if (alignedWithUtc(interval, offsetMs)) {
      const series = market.series[interval];
      return {
        completeFromMs: series.completeFromMs,
        range: (fromMs, toMs) => series.range(fromMs, toMs),
        closeBefore: (timeMs) => series.closeBefore(timeMs),
      };
    }
    const source = market.series[foldSource(interval, offsetMs)];
    // The zone's slot holding the source's first complete slot may miss older trades: it starts the next one.
    let completeFromMs = source.completeFromMs;
    if (Number.isFinite(completeFromMs)) {
      completeFromMs = slotStart(interval, source.completeFromMs, offsetMs);
      if (completeFromMs < source.completeFromMs) completeFromMs = slotAfter(interval, completeFromMs, offsetMs);
    }
    return {
      completeFromMs,
      range: (fromMs, toMs) =>
        foldCandles(
          source.range(Math.max(fromMs, completeFromMs), slotAfter(interval, toMs, offsetMs) - 1),
          interval,
          offsetMs,
        ),
      closeBefore: (timeMs) => source.closeBefore(timeMs),
    };
  }

  /** The last price before `timeMs`: memory when it knows, else the database. */
  private async closeBefore(market: Market, memory: KlineMemory, timeMs: number): Promise<number | undefined> {
    if (timeMs >= memory.completeFromMs) {
      const known = memory.closeBefore(timeMs);
      if (known.known || this.reader === undefined) return known.closeTicks;
    } else if (this.reader === undefined) return undefined;
    return this.reader!.lastPriceBefore(market.symbol, timeMs);
  }

  /** The first slot in [fromMs, toMs] that had a trade. */
  private async firstSlotWithTrades(
    market: Market,
    interval: KlineInterval,
    offsetMs: number,
    memory: KlineMemory,
    fromMs: number,
    toMs: number,
  ): Promise<number | undefined> {
    if (fromMs < memory.completeFromMs && this.reader !== undefined) {
      const stored = await this.reader.firstTradeAtOrAfter(market.symbol, fromMs);
      if (stored !== undefined && stored.timeMs < memory.completeFromMs) {
        return slotStart(interval, stored.timeMs, offsetMs);
      }
    }
    const found = memory.range(fromMs, toMs)[0]?.openTimeMs;
    return found;
  }

  /** Candles (slots with trades) opening in [fromMs, toMs]: the database before memory's complete range. */
  private async candlesBetween(
    market: Market,
    interval: KlineInterval,
    offsetMs: number,
    memory: KlineMemory,
    fromMs: number,
    toMs: number,
  ): Promise<Candle[]> {
    if (this.reader === undefined) return memory.range(fromMs, toMs);
    const stored =
      fromMs < memory.completeFromMs
        ? await this.reader.candles(
            market.symbol,
            interval,
            offsetMs,
            fromMs,
            Math.min(slotAfter(interval, toMs, offsetMs), memory.completeFromMs),
          )
        : [];
    return [...stored, ...memory.range(Math.max(fromMs, memory.completeFromMs), toMs)];
  }

  private tickerValuesOf(market: Market, windowMs: number, nowMs: number): TickerValues {
    const stats = windowStats(market.series['1m'], windowOpenTime(nowMs, windowMs), nowMs);
    return tickerValues(stats, market.lastPriceTicks);
  }

  /** The average price over the last minutes (weighted by volume), or the last price when nothing traded. */
  private averagePrice(market: Market, nowMs: number): { price: string; closeTime: number } {
    const stats = windowStats(market.series['1m'], windowOpenTime(nowMs, avgPriceMinutes * MINUTE_MS), nowMs);
    const price =
      stats.volumeLots === 0n
        ? market.format.price(market.lastPriceTicks)
        : formatWeightedAverage(market.format, stats.quoteTickLots, stats.volumeLots);
    return { price, closeTime: market.lastTimeMs };
  }

  /** GET /api/v3/avgPrice. */
  avgPrice(symbol: string): { mins: number; price: string; closeTime: number } {
    const average = this.averagePrice(this.market(symbol), this.clock());
    return { mins: avgPriceMinutes, ...average };
  }

  /** GET /api/v3/ticker/24hr for one market. */
  ticker24hr(symbol: string, type: 'FULL' | 'MINI'): Record<string, string | number> {
    const market = this.market(symbol);
    const values = this.tickerValuesOf(market, DAY_MS, this.clock());
    return type === 'MINI'
      ? tickerMiniJson(market.format, values)
      : ticker24hrJson(market.format, values, market.lastQuantityLots, market.bookTop());
  }

  /** GET /api/v3/ticker (rolling window of `windowMs`, 1 minute to 7 days). */
  rollingTicker(symbol: string, windowMs: number, type: 'FULL' | 'MINI'): Record<string, string | number> {
    const market = this.market(symbol);
    const values = this.tickerValuesOf(market, windowMs, this.clock());
    return type === 'MINI' ? tickerMiniJson(market.format, values) : tickerWindowJson(market.format, values);
  }

  /** GET /api/v3/ticker/tradingDay: the day so far in a time zone (opening at its midnight). */
  tradingDayTicker(symbol: string, offsetMs: number, type: 'FULL' | 'MINI'): Record<string, string | number> {
    const market = this.market(symbol);
    const nowMs = this.clock();
    const openTimeMs = slotStart('1d', nowMs, offsetMs);
    const stats = windowStats(market.series['1m'], openTimeMs, nowMs);
    const values = { ...tickerValues(stats, market.lastPriceTicks), closeTimeMs: openTimeMs + DAY_MS - 1 };
    return type === 'MINI' ? tickerMiniJson(market.format, values) : tickerWindowJson(market.format, values);
  }

  /** GET /api/v3/ticker/price. */
  priceTicker(symbol: string): { symbol: string; price: string } {
    const market = this.market(symbol);
    return { symbol, price: market.format.price(market.lastPriceTicks) };
  }

  /** GET /api/v3/ticker/bookTicker. */
  bookTicker(symbol: string): Record<string, string> {
    const market = this.market(symbol);
    const top = market.bookTop();
    const format = market.format;
    return {
      symbol,
      bidPrice: format.price(top.bidTicks),
      bidQty: format.quantity(top.bidLots),
      askPrice: format.price(top.askTicks),
      askQty: format.quantity(top.askLots),
    };
  }

  /** The REST handlers (security NONE) with Binance's request weights. */
  endpoints(): Endpoint[] {
    return marketDataEndpoints(this);
  }
}
