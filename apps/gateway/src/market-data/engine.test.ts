// Proves market data agrees with the real engine, not only with hand-made events: a seeded random order flow
// (limit orders around a moving mid, market orders sweeping levels, cancels) runs through the engine's state
// machine with book deltas on, committed in batches to MarketData. After every batch the mirrored book equals the
// engine's book level for level; the diff stream rebuilds it from a snapshot per Binance's procedure; the trade
// stream carries every engine trade; and the 1m klines and 24hr ticker equal a recomputation from those trades.
import { loadDemoTenantConfig } from '@exbox/config';
import { EngineState, tenantDefinitionCommands, type EngineCommand, type EngineEvent } from '@exbox/engine';
import { Side } from '@exbox/matching';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MarketFormat } from '../binance/format.js';
import { MarketData, windowOpenTime } from './market-data.js';
import {
  committedBatch,
  demoMarkets,
  naiveKlines,
  naiveWindow,
  testSeeds,
  withSeedAsync,
  type TestCommand,
  type TestTrade,
} from './testing.js';

let btc: MarketFormat;
let definitions: EngineCommand[];
beforeAll(async () => {
  btc = (await demoMarkets()).get('BTCUSDT')!;
  definitions = tenantDefinitionCommands(await loadDemoTenantConfig());
});

interface DiffEvent {
  U: number;
  u: number;
  b: [string, string][];
  a: [string, string][];
}

describe('market data on the engine', () => {
  for (const seed of testSeeds()) {
    it(`mirrors the engine's book and trades (seed ${seed})`, () =>
      withSeedAsync(seed, async (random) => {
        const state = new EngineState({ emitBookDeltas: true });
        let nowMs = Date.parse('2024-07-01T00:00:00Z');
        let seq = 0;
        const run = (command: EngineCommand): TestCommand => {
          seq += 1;
          const result = state.apply(seq, nowMs, command);
          return { seq, timeMs: nowMs, events: result.events as EngineEvent[] };
        };
        for (const command of definitions) run(command);
        const users = 8;
        for (let userId = 1; userId <= users; userId++) {
          run({ type: 'creditDeposit', userId, asset: 'BTC', amountMinor: '100000000000', depositId: `b${userId}` });
          run({
            type: 'creditDeposit',
            userId,
            asset: 'USDT',
            amountMinor: '1000000000000000',
            depositId: `u${userId}`,
          });
        }
        const published: { stream: string; payload: unknown }[] = [];
        const market = new MarketData({
          markets: [btc],
          clock: () => nowMs,
          publish: (stream, payload) => published.push({ stream, payload }),
          hasSubscribers: (stream) => stream === 'btcusdt@depth@100ms' || stream === 'btcusdt@trade',
        });
        const snapshot = market.depth('BTCUSDT', 5_000);
        const trades: TestTrade[] = [];
        let mid = 5_000_000;
        let order = 0;
        for (let batchIndex = 0; batchIndex < 400; batchIndex++) {
          const commands: TestCommand[] = [];
          for (let count = random.between(1, 8); count > 0; count--) {
            order += 1;
            const userId = random.between(1, users);
            const side = random.chance(0.5) ? 'BUY' : 'SELL';
            mid += random.between(-20, 20);
            const roll = random.next();
            const command: EngineCommand =
              roll < 0.15
                ? { type: 'cancelOrder', userId, symbol: 'BTCUSDT', clientOrderId: `o${random.between(1, order)}` }
                : roll < 0.25
                  ? {
                      type: 'placeOrder',
                      userId,
                      symbol: 'BTCUSDT',
                      clientOrderId: `o${order}`,
                      side,
                      orderType: 'MARKET',
                      quantityLots: random.between(1, 3_000),
                    }
                  : {
                      type: 'placeOrder',
                      userId,
                      symbol: 'BTCUSDT',
                      clientOrderId: `o${order}`,
                      side,
                      orderType: 'LIMIT',
                      timeInForce: 'GTC',
                      priceTicks: mid + (side === 'BUY' ? -1 : 1) * random.between(-30, 200),
                      quantityLots: random.between(1, 2_000),
                    };
            const done = run(command);
            commands.push(done);
            for (const event of done.events) {
              if (event.type !== 'trade') continue;
              trades.push({
                symbol: event.symbol,
                tradeId: event.tradeId,
                seq: event.seq,
                timeMs: event.timeMs,
                priceTicks: event.priceTicks,
                quantityLots: event.quantityLots,
                takerSide: event.takerSide,
                takerOrderId: event.takerSide === 'BUY' ? event.buy.orderId : event.sell.orderId,
                makerOrderId: event.takerSide === 'BUY' ? event.sell.orderId : event.buy.orderId,
              });
            }
            nowMs += random.between(0, 3_000);
          }
          market.applyCommitted(committedBatch(commands));
          const book = state.book('BTCUSDT')!;
          const levels = (side: 'BUY' | 'SELL') =>
            book
              .depth(Side[side], 5_000)
              .map((level) => [btc.price(level.priceTicks), btc.quantity(level.quantityLots)]);
          const mirrored = market.depth('BTCUSDT', 5_000);
          expect(mirrored.bids).toEqual(levels('BUY'));
          expect(mirrored.asks).toEqual(levels('SELL'));
          market.tick(nowMs);
        }
        expect(trades.length).toBeGreaterThan(100);

        // The diff stream rebuilds the engine's book from the first snapshot.
        const diffs = published.filter((p) => p.stream === 'btcusdt@depth@100ms').map((p) => p.payload as DiffEvent);
        const bids = new Map(snapshot.bids);
        const asks = new Map(snapshot.asks);
        let previous = snapshot.lastUpdateId;
        for (const event of diffs) {
          expect(event.U).toBe(previous + 1);
          previous = event.u;
          for (const [side, changes] of [
            [bids, event.b],
            [asks, event.a],
          ] as const) {
            for (const [price, quantity] of changes) {
              if (quantity === btc.quantity(0)) side.delete(price);
              else side.set(price, quantity);
            }
          }
        }
        const final = market.depth('BTCUSDT', 5_000);
        const sorted = (side: Map<string, string>, descending: boolean) =>
          [...side.entries()].sort((x, y) => (descending ? 1 : -1) * (Number(y[0]) - Number(x[0])));
        expect(sorted(bids, true)).toEqual(final.bids);
        expect(sorted(asks, false)).toEqual(final.asks);

        const tradeIds = published
          .filter((p) => p.stream === 'btcusdt@trade')
          .map((p) => (p.payload as { t: number }).t);
        expect(tradeIds).toEqual(trades.map((trade) => trade.tradeId));
        expect(await market.klines('BTCUSDT', '1m', { limit: 1_000 })).toEqual(
          naiveKlines(btc, trades, '1m', { limit: 1_000 }, nowMs),
        );
        const day = naiveWindow(btc, trades, windowOpenTime(nowMs, 86_400_000), nowMs);
        expect(market.ticker24hr('BTCUSDT', 'FULL')).toMatchObject({
          lastPrice: day.last,
          volume: day.volume,
          quoteVolume: day.quoteVolume,
          count: day.count,
        });
      }));
  }
});
