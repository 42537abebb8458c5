// Proves trades and aggregate trades under seeded random trade streams: the @trade stream sends each trade with
// exactly Binance Spot's fields; @aggTrade and GET /api/v3/aggTrades group consecutive trades of one command, one
// taker order and one price (aggregate id = first trade id), equal to a naive grouping, whether read whole, from an
// id, or by time (endTime alone: the hour before it); GET /api/v3/trades and historicalTrades return the newest trades and pages by id.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MarketFormat } from '../binance/format.js';
import { MarketData } from './market-data.js';
import {
  commandsOf,
  committedBatch,
  demoMarkets,
  naiveAggregates,
  randomTrades,
  testSeeds,
  withSeedAsync,
} from './testing.js';

let btc: MarketFormat;
beforeAll(async () => {
  btc = (await demoMarkets()).get('BTCUSDT')!;
});

describe('trades and aggregate trades', () => {
  for (const seed of testSeeds()) {
    it(`match a naive grouping (seed ${seed})`, () =>
      withSeedAsync(seed, async (random) => {
        let nowMs = 1_714_521_600_000;
        const published: { stream: string; payload: Record<string, unknown> }[] = [];
        const market = new MarketData({
          markets: [btc],
          clock: () => nowMs,
          publish: (stream, payload) => published.push({ stream, payload: payload as Record<string, unknown> }),
        });
        // Fewer trades than memory keeps, so every query is answered from memory (the database in history.test.ts).
        const trades = randomTrades(random, { symbol: 'BTCUSDT', count: 3_000, startMs: nowMs });
        const commands = commandsOf(btc, trades);
        for (let index = 0; index < commands.length; index += 4) {
          const batch = commands.slice(index, index + 4);
          nowMs = batch[batch.length - 1]!.timeMs + 1;
          market.applyCommitted(committedBatch(batch));
        }
        const aggregates = naiveAggregates(trades).map((a) => ({
          a: a.a,
          p: btc.price(a.priceTicks),
          q: btc.quantity(a.quantityLots),
          f: a.f,
          l: a.l,
          T: a.T,
          m: a.m,
          M: true,
        }));
        expect(aggregates.length).toBeLessThan(trades.length);

        const tradeEvents = published.filter((p) => p.stream === 'btcusdt@trade').map((p) => p.payload);
        expect(tradeEvents).toHaveLength(trades.length);
        tradeEvents.forEach((event, index) => {
          const trade = trades[index]!;
          expect(event).toEqual({
            e: 'trade',
            E: expect.any(Number),
            s: 'BTCUSDT',
            t: trade.tradeId,
            p: btc.price(trade.priceTicks),
            q: btc.quantity(trade.quantityLots),
            T: trade.timeMs,
            m: trade.takerSide === 'SELL',
            M: true,
          });
        });
        const aggregateEvents = published
          .filter((p) => p.stream === 'btcusdt@aggTrade')
          .map(({ payload }) => {
            const { e, E, s, ...rest } = payload;
            expect([e, typeof E, s]).toEqual(['aggTrade', 'number', 'BTCUSDT']);
            return rest;
          });
        expect(aggregateEvents).toEqual(aggregates);

        // The newest aggregates, pages from an id, and windows by time.
        const limit = random.between(1, 1_000);
        expect(await market.aggTrades('BTCUSDT', { limit })).toEqual(aggregates.slice(-limit));
        for (let check = 0; check < 20; check++) {
          const fromId = random.between(1, trades.length + 5);
          const pageLimit = random.between(1, 1_000);
          expect(await market.aggTrades('BTCUSDT', { fromId, limit: pageLimit })).toEqual(
            aggregates.filter((a) => a.a >= fromId).slice(0, pageLimit),
          );
          const startTime = trades[random.below(trades.length)]!.timeMs - random.below(10_000);
          const endTime = startTime + random.between(0, 3_600_000);
          expect(await market.aggTrades('BTCUSDT', { startTime, endTime, limit: pageLimit })).toEqual(
            aggregates.filter((a) => a.T >= startTime && a.T <= endTime).slice(0, pageLimit),
          );
          // endTime alone: the hour before it.
          expect(await market.aggTrades('BTCUSDT', { endTime, limit: pageLimit })).toEqual(
            aggregates.filter((a) => a.T >= endTime - 3_600_000 && a.T <= endTime).slice(0, pageLimit),
          );
        }

        const asJson = (trade: (typeof trades)[number]) => ({
          id: trade.tradeId,
          price: btc.price(trade.priceTicks),
          qty: btc.quantity(trade.quantityLots),
          quoteQty: btc.quoteAmount(
            BigInt(trade.priceTicks) * BigInt(trade.quantityLots) * btc.parameters.quoteMinorPerTickLot,
          ),
          time: trade.timeMs,
          isBuyerMaker: trade.takerSide === 'SELL',
          isBestMatch: true,
        });
        expect(market.recentTrades('BTCUSDT', 500)).toEqual(trades.slice(-500).map(asJson));
        expect(await market.historicalTrades('BTCUSDT', 7)).toEqual(trades.slice(-7).map(asJson));
        expect(await market.historicalTrades('BTCUSDT', 1_000, 42)).toEqual(trades.slice(41, 1_041).map(asJson));
      }));
  }
});
