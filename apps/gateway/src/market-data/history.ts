// Reads of the engine's `trades` projection: candles aggregated by PostgreSQL (never the raw trades of a long
// range), trades by id, and the few lookups by time the REST endpoints need. The projection lags the committed
// sequence (its follower catches up in bursts); `engine_projection.last_seq` says how far it is.
import type { Sql } from 'postgres';
import { errors } from '../binance/errors.js';
import { candleFromTotals, foldCandles, type Candle } from './candle.js';
import { databaseGranularityMs, type KlineInterval } from './intervals.js';
import { databaseReadsInFlightMax } from './limits.js';
import type { TapeTrade } from './trade-tape.js';

/** A trade row as read back, with what aggregation needs (its command and its taker order). */
export interface TradeRow {
  tradeId: number;
  seq: number;
  timeMs: number;
  priceTicks: number;
  quantityLots: number;
  takerSide: 'BUY' | 'SELL';
  takerOrderId: number;
}

interface RawTradeRow {
  trade_id: number;
  seq: number;
  time_ms: number;
  price_ticks: number;
  quantity_lots: number;
  taker_side: string;
  buy_order_id: number;
  sell_order_id: number;
}

const toTradeRow = (row: RawTradeRow): TradeRow => {
  if (row.taker_side !== 'BUY' && row.taker_side !== 'SELL') {
    throw new Error(`trades: row ${row.trade_id} has taker side ${row.taker_side}`);
  }
  return {
    tradeId: row.trade_id,
    seq: row.seq,
    timeMs: row.time_ms,
    priceTicks: row.price_ticks,
    quantityLots: row.quantity_lots,
    takerSide: row.taker_side,
    takerOrderId: row.taker_side === 'BUY' ? row.buy_order_id : row.sell_order_id,
  };
};

/** Whether `trade` continues `previous`'s aggregate: same command, same taker order, same price, next id. */
export const continuesAggregate = (previous: TradeRow | undefined, trade: TradeRow): boolean =>
  previous !== undefined &&
  previous.seq === trade.seq &&
  previous.takerOrderId === trade.takerOrderId &&
  previous.priceTicks === trade.priceTicks &&
  previous.tradeId + 1 === trade.tradeId;

/** Rows (ascending ids) as tape trades; `previous` is the row before the first, when read. */
export function toTapeTrades(rows: readonly TradeRow[], previous: TradeRow | undefined): TapeTrade[] {
  let before = previous;
  return rows.map((row) => {
    const trade: TapeTrade = {
      tradeId: row.tradeId,
      timeMs: row.timeMs,
      priceTicks: row.priceTicks,
      quantityLots: row.quantityLots,
      isBuyerMaker: row.takerSide === 'SELL',
      startsAggregate: !continuesAggregate(before, row),
    };
    before = row;
    return trade;
  });
}

/** A time for a timestamptz parameter; the infinities are PostgreSQL's. */
const timestamp = (timeMs: number): string =>
  Number.isFinite(timeMs) ? new Date(timeMs).toISOString() : timeMs > 0 ? 'infinity' : '-infinity';

/** How far the trades projection is applied (0 before its first flush). */
export async function readProjectedSeq(sql: Sql): Promise<number> {
  const rows = await sql<
    { last_seq: number }[]
  >`select last_seq::float8 as last_seq from engine_projection where id = 1`;
  return rows[0]?.last_seq ?? 0;
}

/** The last committed sequence: the end of the journal (0 when empty). */
export async function readCommittedSeq(sql: Sql): Promise<number> {
  const rows = await sql<{ last_seq: number | null }[]>`select max(last_seq)::float8 as last_seq from engine_journal`;
  return rows[0]?.last_seq ?? 0;
}

/** Waits until the projection reaches `seq` or `waitMs` passed; returns how far it got. */
export async function waitForProjection(sql: Sql, seq: number, waitMs: number, pollMs: number): Promise<number> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const projected = await readProjectedSeq(sql);
    if (projected >= seq || performance.now() >= deadline) return projected;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Trades with ids in [fromId, toIdExclusive), ascending or descending, at most `limit`. */
export async function queryTrades(
  sql: Sql,
  symbol: string,
  range: { fromId?: number; toIdExclusive?: number; descending?: boolean; limit: number; throughSeq?: number },
): Promise<TradeRow[]> {
  const rows = await sql<RawTradeRow[]>`
    select trade_id::float8 as trade_id, seq::float8 as seq,
           (extract(epoch from executed_at) * 1000)::float8 as time_ms,
           price_ticks::float8 as price_ticks, quantity_lots::float8 as quantity_lots, taker_side,
           buy_order_id::float8 as buy_order_id, sell_order_id::float8 as sell_order_id
    from trades
    where symbol = ${symbol}
      ${range.fromId === undefined ? sql`` : sql`and trade_id >= ${range.fromId}`}
      ${range.toIdExclusive === undefined ? sql`` : sql`and trade_id < ${range.toIdExclusive}`}
      ${range.throughSeq === undefined ? sql`` : sql`and seq <= ${range.throughSeq}`}
    ${range.descending === true ? sql`order by trade_id desc` : sql`order by trade_id`}
    limit ${range.limit}`;
  return rows.map(toTradeRow);
}

interface RawCandleRow {
  open_time: number;
  first_id: number;
  last_id: number;
  n: number;
  high: number;
  low: number;
  open: number;
  close: number;
  volume: string;
  quote: string;
  taker_volume: string;
  taker_quote: string;
}

/**
 * Candles of `granularityMs` (1s, 1m, 1h or 1d) whose buckets are shifted by a time zone `offsetMs`, for trades
 * in [fromMs, toMs). Only buckets with trades come back; open and close are the first and last trade's prices.
 */
export async function queryCandles(
  sql: Sql,
  symbol: string,
  granularityMs: number,
  offsetMs: number,
  fromMs: number,
  toMs: number,
  throughSeq?: number,
): Promise<Candle[]> {
  const seqFilter = throughSeq === undefined ? sql`` : sql`and seq <= ${throughSeq}`;
  const rows = await sql<RawCandleRow[]>`
    with buckets as (
      select floor((extract(epoch from executed_at) * 1000 + ${offsetMs}::numeric) / ${granularityMs}::numeric)
               * ${granularityMs}::numeric - ${offsetMs}::numeric as open_time,
             min(trade_id) as first_id, max(trade_id) as last_id, count(*) as n,
             max(price_ticks) as high, min(price_ticks) as low,
             sum(quantity_lots) as volume,
             sum(price_ticks::numeric * quantity_lots) as quote,
             coalesce(sum(quantity_lots) filter (where taker_side = 'BUY'), 0) as taker_volume,
             coalesce(sum(price_ticks::numeric * quantity_lots) filter (where taker_side = 'BUY'), 0) as taker_quote
      from trades
      where symbol = ${symbol} and executed_at >= ${timestamp(fromMs)}::timestamptz
        and executed_at < ${timestamp(toMs)}::timestamptz ${seqFilter}
      group by 1
    )
    select b.open_time::float8 as open_time, b.first_id::float8 as first_id, b.last_id::float8 as last_id,
           b.n::float8 as n, b.high::float8 as high, b.low::float8 as low,
           o.price_ticks::float8 as open, c.price_ticks::float8 as close,
           b.volume::text as volume, b.quote::text as quote,
           b.taker_volume::text as taker_volume, b.taker_quote::text as taker_quote
    from buckets b
    join trades o on o.symbol = ${symbol} and o.trade_id = b.first_id
    join trades c on c.symbol = ${symbol} and c.trade_id = b.last_id
    order by b.open_time`;
  return rows.map((row) =>
    candleFromTotals({
      openTimeMs: row.open_time,
      openTicks: row.open,
      highTicks: row.high,
      lowTicks: row.low,
      closeTicks: row.close,
      firstTradeId: row.first_id,
      lastTradeId: row.last_id,
      tradeCount: row.n,
      volumeLots: BigInt(row.volume),
      quoteTickLots: BigInt(row.quote),
      takerBuyLots: BigInt(row.taker_volume),
      takerBuyQuoteTickLots: BigInt(row.taker_quote),
    }),
  );
}

/** The price of the last trade before `timeMs`, if any. */
export async function queryLastPriceBefore(
  sql: Sql,
  symbol: string,
  timeMs: number,
  throughSeq?: number,
): Promise<number | undefined> {
  const rows = await sql<{ price_ticks: number }[]>`
    select price_ticks::float8 as price_ticks from trades
    where symbol = ${symbol} and executed_at < ${timestamp(timeMs)}::timestamptz
      ${throughSeq === undefined ? sql`` : sql`and seq <= ${throughSeq}`}
    order by executed_at desc, trade_id desc limit 1`;
  return rows[0]?.price_ticks;
}

/** The first trade at or after `timeMs`, if any (id and time). */
export async function queryFirstTradeAtOrAfter(
  sql: Sql,
  symbol: string,
  timeMs: number,
): Promise<{ tradeId: number; timeMs: number } | undefined> {
  const rows = await sql<{ trade_id: number; time_ms: number }[]>`
    select trade_id::float8 as trade_id, (extract(epoch from executed_at) * 1000)::float8 as time_ms from trades
    where symbol = ${symbol} and executed_at >= ${timestamp(timeMs)}::timestamptz
    order by executed_at, trade_id limit 1`;
  const row = rows[0];
  return row === undefined ? undefined : { tradeId: row.trade_id, timeMs: row.time_ms };
}

/**
 * The database side of the REST endpoints: reads older than memory. At most `databaseReadsInFlightMax` run at
 * once; beyond that a request is refused with -1008 (server busy) rather than queued behind slow scans.
 */
export class HistoryReader {
  private inFlight = 0;

  constructor(private readonly sql: Sql) {}

  private async run<T>(read: () => Promise<T>): Promise<T> {
    if (this.inFlight >= databaseReadsInFlightMax) throw errors.serverBusy();
    this.inFlight += 1;
    try {
      return await read();
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Up to `count` trades from `fromId` on, ascending, with their aggregate starts (reads one trade before). */
  trades(symbol: string, fromId: number, count: number): Promise<TapeTrade[]> {
    return this.run(async () => {
      const rows = await queryTrades(this.sql, symbol, { fromId: fromId - 1, limit: count + 1 });
      const previous = rows[0] !== undefined && rows[0].tradeId < fromId ? rows.shift() : undefined;
      return toTapeTrades(rows, previous);
    });
  }

  firstTradeAtOrAfter(symbol: string, timeMs: number): Promise<{ tradeId: number; timeMs: number } | undefined> {
    return this.run(() => queryFirstTradeAtOrAfter(this.sql, symbol, timeMs));
  }

  lastPriceBefore(symbol: string, timeMs: number): Promise<number | undefined> {
    return this.run(() => queryLastPriceBefore(this.sql, symbol, timeMs));
  }

  /** Candles of `interval` in time zone `offsetMs` opening in [fromMs, toMs). */
  candles(symbol: string, interval: KlineInterval, offsetMs: number, fromMs: number, toMs: number): Promise<Candle[]> {
    return this.run(async () => {
      const fine = await queryCandles(this.sql, symbol, databaseGranularityMs(interval), offsetMs, fromMs, toMs);
      return foldCandles(fine, interval, offsetMs);
    });
  }
}
