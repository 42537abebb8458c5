// Proves a restart loses nothing a chart or ticker shows, against a real PostgreSQL `trades` table (PGlite when
// none answers): with a seeded stream of trades spanning days written as the engine's projection writes them,
//  - a process that saw every trade live,
//  - a restarted process that only called loadHistory,
//  - a process that applied live batches while and after loadHistory ran (through an earlier sequence), some of
//    them late callbacks of batches the history already holds
// answer the same klines for every interval (memory, then the database for what memory no longer holds), the
// same tickers and the same trades and aggregates, all equal to a naive recomputation from the raw trades; and
// loadHistory waits for the projection to reach the sequence asked for, up to its deadline.
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketFormat } from '../binance/format.js';
import { DAY_MS, HOUR_MS, KLINE_INTERVALS, MINUTE_MS, parseTimeZone } from './intervals.js';
import { MarketData, windowOpenTime } from './market-data.js';
import {
  commandsOf,
  committedBatch,
  demoMarkets,
  naiveAggregates,
  naiveKlines,
  naiveWindow,
  randomTrades,
  SeededRandom,
  testSeeds,
  type TestCommand,
  type TestTrade,
} from './testing.js';

let database: TestDatabase;
let btc: MarketFormat;
beforeAll(async () => {
  database = await createTestDatabase();
  btc = (await demoMarkets()).get('BTCUSDT')!;
});
afterAll(async () => {
  await database?.close();
});

/** Writes trades as the engine's follower projects them, and the projection watermark. */
async function project(sql: Sql, format: MarketFormat, trades: readonly TestTrade[], lastSeq: number): Promise<void> {
  await sql`delete from trades`;
  for (let index = 0; index < trades.length; index += 1_000) {
    const rows = trades.slice(index, index + 1_000).map((trade) => {
      const takerBuys = trade.takerSide === 'BUY';
      return {
        symbol: trade.symbol,
        trade_id: trade.tradeId,
        seq: trade.seq,
        price_ticks: trade.priceTicks,
        quantity_lots: trade.quantityLots,
        quote_minor: (
          BigInt(trade.priceTicks) *
          BigInt(trade.quantityLots) *
          format.parameters.quoteMinorPerTickLot
        ).toString(),
        buy_order_id: takerBuys ? trade.takerOrderId : trade.makerOrderId,
        sell_order_id: takerBuys ? trade.makerOrderId : trade.takerOrderId,
        buy_user_id: 1,
        sell_user_id: 2,
        taker_side: trade.takerSide,
        buy_fee_minor: '0',
        sell_fee_minor: '0',
        executed_at: new Date(trade.timeMs).toISOString(),
      };
    });
    await sql`insert into trades ${sql(rows)}`;
  }
  await setProjected(sql, lastSeq);
}

const setProjected = (sql: Sql, seq: number) =>
  sql`insert into engine_projection (id, last_seq) values (1, ${seq})
      on conflict (id) do update set last_seq = excluded.last_seq`;

const apply = (market: MarketData, commands: readonly TestCommand[]) => {
  for (let index = 0; index < commands.length; index += 5) {
    market.applyCommitted(committedBatch(commands.slice(index, index + 5)));
  }
};

describe('loadHistory', () => {
  // One seed fixed, one new per run: each run writes thousands of rows.
  for (const seed of [testSeeds()[0]!, testSeeds().at(-1)!]) {
    it(`gives the same klines, tickers and trades as the live path (seed ${seed})`, async () => {
      const random = new SeededRandom(seed);
      try {
        const finalMs = Date.parse('2024-06-03T10:20:30.400Z');
        // The clock follows the batches, as the engine's timestamps follow the server's clock.
        let nowMs = finalMs;
        const clock = () => nowMs;
        const generated = randomTrades(random, { symbol: 'BTCUSDT', count: 6_000, startMs: 0 });
        // Shift so the newest trade is a second old.
        const shift = finalMs - 1_000 - generated[generated.length - 1]!.timeMs;
        const trades = generated.map((trade) => ({ ...trade, timeMs: trade.timeMs + shift }));
        const commands = commandsOf(btc, trades);
        const lastSeq = commands[commands.length - 1]!.seq;
        const sql = database.sql;
        await project(sql, btc, trades, lastSeq);
        const applyFollowingClock = (market: MarketData, batch: readonly TestCommand[]) => {
          for (const command of batch) {
            nowMs = command.timeMs;
            apply(market, [command]);
          }
        };

        const options = { markets: [btc], clock, publish: () => {}, sql };
        const live = new MarketData(options);
        applyFollowingClock(live, commands);

        nowMs = finalMs;
        const restarted = new MarketData(options);
        const report = await restarted.loadHistory(sql, { throughSeq: lastSeq });
        expect(report).toMatchObject({ throughSeq: lastSeq, projectedSeq: lastSeq, complete: true });
        expect(report.trades).toBe(4_096);

        // Restarted after command `cut`; some batches committed before history finished loading.
        const cut = random.between(1, commands.length - 2);
        const throughSeq = commands[cut]!.seq;
        const later = commands.slice(cut + 1);
        const before = random.below(later.length);
        nowMs = commands[cut]!.timeMs;
        const split = new MarketData(options);
        const loading = split.loadHistory(sql, { throughSeq });
        // Callbacks of batches already in the history arrive late: they move books, their trades are not counted twice.
        applyFollowingClock(split, commands.slice(Math.max(0, cut - 2), cut + 1));
        applyFollowingClock(split, later.slice(0, before));
        await loading;
        applyFollowingClock(split, later.slice(before));
        nowMs = finalMs;

        const processes = { live, restarted, split };
        const first = trades[0]!.timeMs;
        for (const interval of KLINE_INTERVALS) {
          const queries = [
            { limit: 1_000 },
            { startTime: 0, limit: 1_000 },
            { startTime: first + random.below(finalMs - first), limit: random.between(1, 1_000) },
            { endTime: first + random.below(finalMs - first), limit: random.between(1, 1_000) },
            { limit: 1_000, offsetMs: parseTimeZone('-3:30')! },
          ];
          for (const query of queries) {
            const expected = naiveKlines(btc, trades, interval, query, nowMs);
            for (const [name, market] of Object.entries(processes)) {
              const actual = await market.klines('BTCUSDT', interval, {
                limit: query.limit,
                ...(query.startTime === undefined ? {} : { startTime: query.startTime }),
                ...(query.endTime === undefined ? {} : { endTime: query.endTime }),
                ...(query.offsetMs === undefined ? {} : { timeZoneOffsetMs: query.offsetMs }),
              });
              expect(actual, `${name} ${interval} ${JSON.stringify(query)}`).toEqual(expected);
            }
          }
        }

        for (const windowMs of [MINUTE_MS, HOUR_MS, DAY_MS, 7 * DAY_MS]) {
          const window = naiveWindow(btc, trades, windowOpenTime(nowMs, windowMs), nowMs);
          for (const [name, market] of Object.entries(processes)) {
            expect(market.rollingTicker('BTCUSDT', windowMs, 'FULL'), `${name} ${windowMs}`).toMatchObject({
              priceChangePercent: window.changePercent,
              weightedAvgPrice: window.weightedAverage,
              openPrice: window.open,
              highPrice: window.high,
              lowPrice: window.low,
              lastPrice: window.last,
              volume: window.volume,
              quoteVolume: window.quoteVolume,
              firstId: window.firstId,
              lastId: window.lastId,
              count: window.count,
            });
          }
        }
        const day = naiveWindow(btc, trades, windowOpenTime(nowMs, DAY_MS), nowMs);
        const aggregates = naiveAggregates(trades);
        const fromId = random.between(1, 1_500); // older than memory keeps: read from the database
        const aggregatesFrom = aggregates.filter((a) => a.a >= fromId).slice(0, 1_000);
        const startTime = trades[random.below(2_000)]!.timeMs;
        const aggregatesAt = aggregates.filter((a) => a.T >= startTime && a.T <= startTime + HOUR_MS).slice(0, 500);
        for (const [name, market] of Object.entries(processes)) {
          expect(market.ticker24hr('BTCUSDT', 'FULL'), name).toMatchObject({
            prevClosePrice: day.previousClose,
            lastPrice: day.last,
            volume: day.volume,
            count: day.count,
          });
          expect(market.avgPrice('BTCUSDT'), name).toEqual(restarted.avgPrice('BTCUSDT'));
          expect(market.recentTrades('BTCUSDT', 1_000), name).toEqual(live.recentTrades('BTCUSDT', 1_000));
          const page = (await market.historicalTrades('BTCUSDT', 1_000, fromId)) as { id: number }[];
          expect(
            page.map((trade) => trade.id),
            name,
          ).toEqual(trades.slice(fromId - 1, fromId - 1 + 1_000).map((trade) => trade.tradeId));
          const fromIdPage = (await market.aggTrades('BTCUSDT', { fromId, limit: 1_000 })) as { a: number }[];
          expect(
            fromIdPage.map((a) => a.a),
            name,
          ).toEqual(aggregatesFrom.map((a) => a.a));
          const timePage = (await market.aggTrades('BTCUSDT', {
            startTime,
            endTime: startTime + HOUR_MS,
            limit: 500,
          })) as { a: number; l: number }[];
          expect(
            timePage.map((a) => [a.a, a.l]),
            name,
          ).toEqual(aggregatesAt.map((a) => [a.a, a.l]));
        }
      } catch (error) {
        if (error instanceof Error) error.message = `[seed ${seed}] ${error.message}`;
        throw error;
      }
    });
  }

  it('waits for the projection to reach the sequence asked for, up to its deadline', async () => {
    const sql = database.sql;
    const trades = randomTrades(new SeededRandom(9), {
      symbol: 'BTCUSDT',
      count: 50,
      startMs: Date.parse('2024-06-01'),
    });
    await project(sql, btc, trades, 10);
    const options = { markets: [btc], clock: () => Date.parse('2024-06-02'), publish: () => {} };
    const late = await new MarketData(options).loadHistory(sql, { throughSeq: 1_000, projectionWaitMs: 200 });
    expect(late).toMatchObject({ throughSeq: 1_000, projectedSeq: 10, complete: false });

    const catchingUp = new MarketData(options).loadHistory(sql, { throughSeq: 1_000, projectionWaitMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await setProjected(sql, 1_000);
    expect(await catchingUp).toMatchObject({ projectedSeq: 1_000, complete: true, trades: trades.length });

    // Without throughSeq and with live batches applied, history stops before the first live batch.
    const market = new MarketData(options);
    const commands = commandsOf(btc, trades);
    const firstLive = Math.floor(commands.length / 2);
    apply(market, commands.slice(firstLive));
    const report = await market.loadHistory(sql);
    expect(report.throughSeq).toBe(commands[firstLive]!.seq - 1);
    expect(market.recentTrades('BTCUSDT', 1_000)).toHaveLength(trades.length);
  });
});
