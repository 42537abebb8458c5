// Proves the gateway's committed order view follows the engine exactly: after every command of a seeded random
// stream (limits, markets, stops, amends, cancels, cancel-alls across users), the tracker's open orders equal
// the engine state's, field for field; its trades add up to the orders' executed quantities; and pruning at
// the projection's position forgets exactly the finished orders and trades, never an open one.
import { loadDemoTenantConfig } from '@exbox/config';
import { EngineState, tenantDefinitionCommands, type EngineCommand, type OrderView } from '@exbox/engine';
import { describe, expect, it } from 'vitest';
import { OrderTracker } from './order-tracker.js';
import { seededRandom } from '../internal/random.js';

const users = [1, 2, 3, 4];
const normalise = (view: OrderView) => ({ ...view, cumulativeQuoteMinor: view.cumulativeQuoteMinor.toString() });

describe('OrderTracker', () => {
  it.each([1, 2, 3])('matches the engine state after every command (seed %i)', async (seed) => {
    const state = new EngineState({ emitBookDeltas: false });
    let seq = 0;
    let timeMs = 1_700_000_000_000;
    const run = (command: EngineCommand) => {
      seq++;
      timeMs += 3;
      return state.apply(seq, timeMs, command);
    };
    for (const command of tenantDefinitionCommands(await loadDemoTenantConfig())) run(command);
    for (const userId of users) {
      run({ type: 'creditDeposit', userId, asset: 'USDT', amountMinor: '100000000000000', depositId: `u${userId}` });
      run({ type: 'creditDeposit', userId, asset: 'BTC', amountMinor: '100000000000', depositId: `b${userId}` });
    }
    const tracker = new OrderTracker(state.allOpenOrders(), seq);
    const next = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    let clientId = 0;
    let trades = 0;
    let done = 0;
    try {
      for (let step = 0; step < 1_500; step++) {
        const userId = pick(users);
        const side = next() < 0.5 ? 'BUY' : 'SELL';
        const priceTicks = 4_000_000 + Math.floor(next() * 200) * 100; // 40,000.00 .. 41,990.00
        const roll = next();
        const open = state.openOrders(userId, 'BTCUSDT');
        let command: EngineCommand;
        if (roll < 0.45) {
          command = {
            type: 'placeOrder',
            userId,
            symbol: 'BTCUSDT',
            clientOrderId: `c${++clientId}`,
            side,
            orderType: 'LIMIT',
            timeInForce: pick(['GTC', 'GTC', 'IOC', 'FOK'] as const),
            priceTicks,
            quantityLots: 1 + Math.floor(next() * 500),
          };
        } else if (roll < 0.55) {
          command = {
            type: 'placeOrder',
            userId,
            symbol: 'BTCUSDT',
            clientOrderId: `c${++clientId}`,
            side,
            orderType: 'MARKET',
            quantityLots: 1 + Math.floor(next() * 300),
          };
        } else if (roll < 0.62) {
          const stopPriceTicks =
            side === 'BUY' ? 4_200_000 + Math.floor(next() * 50) * 100 : 3_800_000 - Math.floor(next() * 50) * 100;
          command = {
            type: 'placeOrder',
            userId,
            symbol: 'BTCUSDT',
            clientOrderId: `c${++clientId}`,
            side,
            orderType: 'STOP_LOSS',
            stopPriceTicks,
            quantityLots: 1 + Math.floor(next() * 100),
          };
        } else if (roll < 0.85 && open.length > 0) {
          command = { type: 'cancelOrder', userId, symbol: 'BTCUSDT', orderId: pick(open).orderId };
        } else if (roll < 0.95 && open.length > 0) {
          const order = pick(open);
          const remaining = order.quantityLots - order.executedLots;
          command = {
            type: 'amendOrder',
            userId,
            symbol: 'BTCUSDT',
            orderId: order.orderId,
            newQuantityLots: Math.max(1, remaining - 1),
          };
        } else {
          command = { type: 'cancelAllOrders', userId, symbol: 'BTCUSDT' };
        }
        const result = run(command);
        const changes = tracker.apply(seq, timeMs, result.events);
        trades += changes.filter((change) => change.kind === 'trade').length;
        done += changes.filter((change) => change.kind === 'done').length;
        for (const user of users) {
          expect(tracker.openOrdersOf(user, 'BTCUSDT').map((order) => normalise(order.view))).toEqual(
            state.openOrders(user, 'BTCUSDT').map(normalise),
          );
        }
        if (step % 100 === 99) {
          const projected = seq - 50;
          tracker.pruneProjected(projected);
          for (const user of users) {
            for (const order of tracker.ordersOf(user)) {
              const finished = ['FILLED', 'CANCELED', 'EXPIRED', 'EXPIRED_IN_MATCH'].includes(order.view.status);
              if (finished) expect(order.updatedSeq).toBeGreaterThan(projected);
            }
            for (const trade of tracker.tradesOf(user)) expect(trade.seq).toBeGreaterThan(projected);
          }
        }
      }
      // The stream must have exercised matching and order ends, or the comparisons above prove little.
      expect(trades).toBeGreaterThan(200);
      expect(done).toBeGreaterThan(200);
      const fresh = new OrderTracker([], seq);
      expect(fresh.size).toEqual({ orders: 0, finishedOrders: 0, trades: 0 });
      tracker.pruneProjected(seq);
      for (const user of users) {
        expect(tracker.tradesOf(user)).toEqual([]);
        expect(tracker.ordersOf(user).length).toBe(state.openOrders(user).length);
      }
    } catch (error) {
      console.error(`order tracker test failed with seed ${seed}`);
      throw error;
    }
  });
});
