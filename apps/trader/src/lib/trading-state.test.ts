// Proves the browser's trading state ends where the server is, whatever order its sources arrive in. A seeded
// simulation plays one user's orders on a server model (place, partial fills, fills, cancels, each with its
// executionReport and outboundAccountPosition at a strictly later time), then delivers the events to the client
// with duplicates, takes a REST snapshot at a random point and lets it land anywhere among the events (events
// older than the snapshot may come after it, newer ones before it). At the end the client's open orders, order
// history, trades and balances must equal the server's. Plus the cases a simulation hits rarely: orders that
// finished while disconnected, replies that race their own events, and the memory limits. The seed is printed on
// failure.
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  applyOrderReplies,
  applySnapshot,
  availableOf,
  emptyTradingState,
  finishedOrdersKeptMax,
  isStalePosition,
  openOrdersOf,
  orderHistoryOf,
  tradesOf,
  type AccountPosition,
  type ExecutionReport,
  type OrderRecord,
  type OrderReply,
  type TradeRecord,
  type TradingState,
  type UserDataEvent,
} from './trading-state';

/** mulberry32: a small seeded generator, so a failing run can be replayed from its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const symbols = ['BTCUSDT', 'ETHUSDT'];
/** Whole numbers keep the model's arithmetic obvious; the state only compares decimal strings. */
const decimal = (value: bigint) => `${value}.00000000`;

/** The server: the truth the client must converge to. */
class ServerModel {
  readonly orders = new Map<number, OrderRecord>();
  readonly trades: TradeRecord[] = [];
  readonly balances = new Map<string, { free: bigint; locked: bigint }>([
    ['USDT', { free: 1_000_000n, locked: 0n }],
    ['BTC', { free: 50n, locked: 0n }],
  ]);
  /** Every event in commit order. */
  readonly events: UserDataEvent[] = [];
  /** After each event: the time and what a snapshot taken then would read. */
  readonly snapshots: {
    time: number;
    open: OrderRecord[];
    all: OrderRecord[];
    trades: TradeRecord[];
    account: ReturnType<ServerModel['account']>;
  }[] = [];
  private time = 1_000;
  private nextOrderId = 1;
  private nextTradeId = 1;

  constructor(private readonly random: () => number) {}

  step(): void {
    this.time += 1 + Math.floor(this.random() * 3);
    const open = [...this.orders.values()].filter(
      (order) => order.status === 'NEW' || order.status === 'PARTIALLY_FILLED',
    );
    const roll = this.random();
    if (open.length === 0 || roll < 0.35) this.place();
    else if (roll < 0.8) this.fill(open[Math.floor(this.random() * open.length)]!);
    else this.cancel(open[Math.floor(this.random() * open.length)]!);
    this.snapshots.push({
      time: this.time,
      open: [...this.orders.values()]
        .filter((order) => order.status === 'NEW' || order.status === 'PARTIALLY_FILLED')
        .map((order) => ({ ...order })),
      all: [...this.orders.values()].map((order) => ({ ...order })),
      trades: this.trades.map((trade) => ({ ...trade })),
      account: this.account(),
    });
  }

  account() {
    return {
      updateTime: this.time,
      balances: [...this.balances].map(([asset, balance]) => ({
        asset,
        free: decimal(balance.free),
        locked: decimal(balance.locked),
      })),
    };
  }

  private place(): void {
    const quantity = BigInt(1 + Math.floor(this.random() * 5));
    const order: OrderRecord = {
      symbol: symbols[Math.floor(this.random() * symbols.length)]!,
      orderId: this.nextOrderId++,
      orderListId: -1,
      clientOrderId: `c${this.nextOrderId}`,
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: decimal(10n),
      stopPrice: decimal(0n),
      origQty: decimal(quantity),
      executedQty: decimal(0n),
      cummulativeQuoteQty: decimal(0n),
      origQuoteOrderQty: decimal(0n),
      status: 'NEW',
      time: this.time,
      updateTime: this.time,
      isWorking: true,
    };
    this.orders.set(order.orderId, order);
    this.move('USDT', -10n * quantity, 10n * quantity);
    this.report(order, 'NEW');
  }

  private fill(order: OrderRecord): void {
    const remaining = BigInt(order.origQty.split('.')[0]!) - BigInt(order.executedQty.split('.')[0]!);
    const quantity = remaining === 1n || this.random() < 0.5 ? remaining : 1n;
    const executed = BigInt(order.executedQty.split('.')[0]!) + quantity;
    order.executedQty = decimal(executed);
    order.cummulativeQuoteQty = decimal(executed * 10n);
    order.status = executed === BigInt(order.origQty.split('.')[0]!) ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = this.time;
    const trade: TradeRecord = {
      symbol: order.symbol,
      id: this.nextTradeId++,
      orderId: order.orderId,
      price: order.price,
      qty: decimal(quantity),
      quoteQty: decimal(quantity * 10n),
      commission: decimal(0n),
      commissionAsset: 'BTC',
      time: this.time,
      isBuyer: true,
      isMaker: true,
    };
    this.trades.push(trade);
    this.move('USDT', 0n, -10n * quantity);
    this.move('BTC', quantity, 0n);
    this.report(order, 'TRADE', trade);
  }

  private cancel(order: OrderRecord): void {
    const remaining = BigInt(order.origQty.split('.')[0]!) - BigInt(order.executedQty.split('.')[0]!);
    order.status = 'CANCELED';
    order.updateTime = this.time;
    this.move('USDT', 10n * remaining, -10n * remaining);
    this.report(order, 'CANCELED');
  }

  private move(asset: string, freeDelta: bigint, lockedDelta: bigint): void {
    const balance = this.balances.get(asset)!;
    balance.free += freeDelta;
    balance.locked += lockedDelta;
    const position: AccountPosition = {
      e: 'outboundAccountPosition',
      E: this.time,
      u: this.time,
      B: [{ a: asset, f: decimal(balance.free), l: decimal(balance.locked) }],
    };
    this.pending.push(position);
  }

  private pending: AccountPosition[] = [];

  private report(order: OrderRecord, executionType: string, trade?: TradeRecord): void {
    const event: ExecutionReport = {
      e: 'executionReport',
      E: this.time,
      s: order.symbol,
      c: order.clientOrderId,
      S: order.side,
      o: order.type,
      f: order.timeInForce,
      q: order.origQty,
      p: order.price,
      P: order.stopPrice,
      g: -1,
      C: executionType === 'CANCELED' ? order.clientOrderId : '',
      x: executionType,
      X: order.status,
      i: order.orderId,
      l: trade?.qty ?? decimal(0n),
      z: order.executedQty,
      L: trade?.price ?? decimal(0n),
      n: trade?.commission ?? '0',
      N: trade?.commissionAsset ?? null,
      T: trade?.time ?? this.time,
      t: trade?.id ?? -1,
      w: order.status === 'NEW' || order.status === 'PARTIALLY_FILLED',
      m: trade?.isMaker ?? false,
      O: order.time,
      Z: order.cummulativeQuoteQty,
      Y: trade?.quoteQty ?? decimal(0n),
      Q: order.origQuoteOrderQty,
    };
    // The gateway sends a command's executionReports first, then its balance events.
    this.events.push(event, ...this.pending);
    this.pending = [];
  }
}

const orderView = (order: OrderRecord) => ({
  orderId: order.orderId,
  symbol: order.symbol,
  status: order.status,
  executedQty: order.executedQty,
  origQty: order.origQty,
  time: order.time,
});

function expectConverged(client: TradingState, server: ServerModel, seed: number) {
  const context = `seed ${seed}`;
  const serverOpen = [...server.orders.values()].filter(
    (order) => order.status === 'NEW' || order.status === 'PARTIALLY_FILLED',
  );
  expect(
    openOrdersOf(client, null)
      .map(orderView)
      .sort((a, b) => a.orderId - b.orderId),
    context,
  ).toEqual(serverOpen.map(orderView).sort((a, b) => a.orderId - b.orderId));
  for (const symbol of symbols) {
    expect(
      openOrdersOf(client, symbol).every((order) => order.symbol === symbol),
      context,
    ).toBe(true);
  }
  const serverDone = [...server.orders.values()].filter((order) => !serverOpen.includes(order));
  expect(
    orderHistoryOf(client, null)
      .map(orderView)
      .sort((a, b) => a.orderId - b.orderId),
    context,
  ).toEqual(serverDone.map(orderView).sort((a, b) => a.orderId - b.orderId));
  expect(
    tradesOf(client, null)
      .map((trade) => trade.id)
      .sort((a, b) => a - b),
    context,
  ).toEqual(server.trades.map((trade) => trade.id));
  for (const [asset, balance] of server.balances) {
    expect(availableOf(client, asset), `${context} ${asset}`).toBe(decimal(balance.free));
    expect(client.balances.get(asset)?.locked, `${context} ${asset} locked`).toBe(decimal(balance.locked));
  }
}

describe('trading state', () => {
  it('converges to the server from a snapshot landing anywhere among repeated events (seeded)', () => {
    for (let run = 0; run < 300; run++) {
      const seed = 7_000 + run;
      const random = seeded(seed);
      const server = new ServerModel(random);
      const steps = 5 + Math.floor(random() * 40);
      for (let i = 0; i < steps; i++) server.step();

      // The snapshot reads the server after event `cut` (every event up to it included).
      const snapshotAt = Math.floor(random() * server.snapshots.length);
      const snapshot = server.snapshots[snapshotAt]!;
      // Where the reply lands: anywhere from the start of the events to the end, so older events may follow it.
      const landsAt = Math.floor(random() * (server.events.length + 1));
      let client = emptyTradingState();
      let startedAtVersion = client.version;
      for (let i = 0; i <= server.events.length; i++) {
        if (i === landsAt) {
          client = applySnapshot(client, {
            startedAtVersion,
            account: snapshot.account,
            openOrders: snapshot.open,
            orders: snapshot.all,
            trades: snapshot.trades,
          });
        }
        const event = server.events[i];
        if (event === undefined) break;
        // The resync starts when the socket opens, before any event of this connection arrived.
        if (i === 0) startedAtVersion = client.version;
        client = applyEvent(client, event);
        if (random() < 0.2) client = applyEvent(client, event);
        // Between commands, once the snapshot is in, the client shows the server as of the newest thing it heard:
        // never an older balance or order, even when older events keep arriving after the snapshot.
        const next = server.events[i + 1];
        if (i >= landsAt && (next === undefined || next.E !== event.E)) {
          const knownMs = Math.max(snapshot.time, event.E);
          const then = server.snapshots.find((candidate) => candidate.time === knownMs)!;
          const context = `seed ${seed}, after event ${i}`;
          expect(openOrdersOf(client, null).map(orderView), context).toEqual(
            [...then.open].sort((a, b) => b.time - a.time || b.orderId - a.orderId).map(orderView),
          );
          for (const balance of then.account.balances) {
            expect(client.balances.get(balance.asset), context).toMatchObject({
              free: balance.free,
              locked: balance.locked,
            });
          }
          expect(tradesOf(client, null).length, context).toBe(then.trades.length);
        }
      }
      expectConverged(client, server, seed);
    }
  });

  it('applying an event twice shows the same as applying it once', () => {
    const server = new ServerModel(seeded(1));
    for (let i = 0; i < 30; i++) server.step();
    let client = emptyTradingState();
    for (const event of server.events) {
      client = applyEvent(client, event);
      const again = applyEvent(client, event);
      expect(openOrdersOf(again, null)).toEqual(openOrdersOf(client, null));
      expect(orderHistoryOf(again, null)).toEqual(orderHistoryOf(client, null));
      expect(tradesOf(again, null)).toEqual(tradesOf(client, null));
      expect(again.balances).toEqual(client.balances);
    }
  });

  const order = (changes: Partial<OrderRecord>): OrderRecord => ({
    symbol: 'BTCUSDT',
    orderId: 1,
    orderListId: -1,
    clientOrderId: 'a',
    side: 'SELL',
    type: 'LIMIT',
    timeInForce: 'GTC',
    price: '50000.00',
    stopPrice: '0.00',
    origQty: '1.00000',
    executedQty: '0.00000',
    cummulativeQuoteQty: '0.00',
    origQuoteOrderQty: '0.00',
    status: 'NEW',
    time: 100,
    updateTime: 100,
    isWorking: true,
    ...changes,
  });

  it('a resync drops open orders that finished while disconnected, unless its history says how they ended', () => {
    let state = applySnapshot(emptyTradingState(), {
      startedAtVersion: 0,
      openOrders: [order({ orderId: 1 }), order({ orderId: 2 }), order({ orderId: 3, symbol: 'ETHUSDT' })],
    });
    expect(openOrdersOf(state, null).map((o) => o.orderId)).toEqual([3, 2, 1]);
    const startedAtVersion = state.version;
    // Placed during the resync: its reply is newer than the snapshot, which does not list it.
    state = applyOrderReplies(state, [
      {
        symbol: 'BTCUSDT',
        orderId: 4,
        clientOrderId: 'd',
        transactTime: 200,
        price: '1.00',
        origQty: '1.00000',
        executedQty: '0.00000',
        cummulativeQuoteQty: '0.00',
        status: 'NEW',
        timeInForce: 'GTC',
        type: 'LIMIT',
        side: 'BUY',
        workingTime: 200,
      },
    ]);
    state = applySnapshot(state, {
      startedAtVersion,
      openOrders: [order({ orderId: 2 })],
      orders: [order({ orderId: 1, status: 'FILLED', executedQty: '1.00000', updateTime: 150 })],
    });
    expect(openOrdersOf(state, null).map((o) => o.orderId)).toEqual([4, 2]);
    expect(orderHistoryOf(state, null).map((o) => [o.orderId, o.status])).toEqual([[1, 'FILLED']]);
    expect(state.orders.has(3)).toBe(false);
  });

  it('an order never goes back: a stale NEW after the cancel reply, a smaller fill after a larger one', () => {
    let state = applyOrderReplies(emptyTradingState(), [
      {
        symbol: 'BTCUSDT',
        orderId: 1,
        origClientOrderId: 'a',
        clientOrderId: 'cancel-1',
        transactTime: 300,
        price: '50000.00',
        origQty: '1.00000',
        executedQty: '0.40000',
        cummulativeQuoteQty: '20000.00',
        status: 'CANCELED',
        timeInForce: 'GTC',
        type: 'LIMIT',
        side: 'SELL',
      },
    ]);
    state = applySnapshot(state, { startedAtVersion: state.version, orders: [order({ updateTime: 100 })] });
    state = applySnapshot(state, {
      startedAtVersion: state.version,
      orders: [order({ status: 'PARTIALLY_FILLED', executedQty: '0.40000', updateTime: 250 })],
    });
    const [cancelled] = orderHistoryOf(state, 'BTCUSDT');
    expect(cancelled).toMatchObject({ status: 'CANCELED', executedQty: '0.40000', clientOrderId: 'a' });
    // The cancel reply has no creation time; the history's view supplies it.
    expect(cancelled?.time).toBe(100);

    let filling = applySnapshot(emptyTradingState(), {
      startedAtVersion: 0,
      openOrders: [order({ status: 'PARTIALLY_FILLED', executedQty: '0.70000', updateTime: 400 })],
    });
    filling = applySnapshot(filling, {
      startedAtVersion: filling.version,
      openOrders: [order({ status: 'PARTIALLY_FILLED', executedQty: '0.30000', updateTime: 500 })],
    });
    expect(openOrdersOf(filling, null)[0]?.executedQty).toBe('0.70000');
  });

  it('a fill from an order reply never replaces the full copy from the stream or myTrades', () => {
    const full: TradeRecord = {
      symbol: 'BTCUSDT',
      id: 9,
      orderId: 1,
      price: '50000.00',
      qty: '0.10000',
      quoteQty: '5000.00',
      commission: '0.00010',
      commissionAsset: 'BTC',
      time: 100,
      isBuyer: true,
      isMaker: false,
    };
    let state = applySnapshot(emptyTradingState(), { startedAtVersion: 0, trades: [full] });
    const reply: OrderReply = {
      symbol: 'BTCUSDT',
      orderId: 1,
      clientOrderId: 'a',
      transactTime: 100,
      price: '0.00',
      origQty: '0.10000',
      executedQty: '0.10000',
      cummulativeQuoteQty: '5000.00',
      status: 'FILLED',
      timeInForce: 'GTC',
      type: 'MARKET',
      side: 'BUY',
      fills: [{ price: '50000.00', qty: '0.10000', commission: '0.00010', commissionAsset: 'BTC', tradeId: 9 }],
    };
    state = applyOrderReplies(state, [reply]);
    expect(tradesOf(state, null)).toEqual([full]);
    // Alone, the reply's fill is listed until the full copy arrives.
    const alone = applyOrderReplies(emptyTradingState(), [reply]);
    expect(tradesOf(alone, null).map((trade) => [trade.id, trade.qty, trade.quoteQty])).toEqual([[9, '0.10000', '']]);
  });

  it('balances: unknown before the first snapshot; an event as old as the snapshot is stale, a later one is applied', () => {
    let state = emptyTradingState();
    expect(availableOf(state, 'USDT')).toBeNull();
    state = applySnapshot(state, {
      startedAtVersion: 0,
      account: { updateTime: 1_000, balances: [{ asset: 'USDT', free: '10.00', locked: '0.00' }] },
    });
    expect(availableOf(state, 'USDT')).toBe('10.00');
    expect(availableOf(state, 'BTC')).toBe('0');
    const same: AccountPosition = {
      e: 'outboundAccountPosition',
      E: 1_000,
      u: 1_000,
      B: [{ a: 'USDT', f: '4.00', l: '6.00' }],
    };
    expect(isStalePosition(state, same)).toBe(true);
    expect(applyEvent(state, same)).toBe(state);
    const later = { ...same, E: 1_001, u: 1_001 };
    expect(isStalePosition(state, later)).toBe(false);
    state = applyEvent(state, later);
    expect(availableOf(state, 'USDT')).toBe('4.00');
    // Two events of one millisecond: the later arrival wins (commit order).
    state = applyEvent(state, { ...later, B: [{ a: 'USDT', f: '3.00', l: '7.00' }] });
    expect(availableOf(state, 'USDT')).toBe('3.00');
    // A snapshot read before that event does not take it back.
    state = applySnapshot(state, {
      startedAtVersion: state.version,
      account: { updateTime: 1_000, balances: [{ asset: 'USDT', free: '10.00', locked: '0.00' }] },
    });
    expect(availableOf(state, 'USDT')).toBe('3.00');
  });

  it('keeps at most finishedOrdersKeptMax finished orders, the most recent, and every open order', () => {
    const open = Array.from({ length: 20 }, (_, i) => order({ orderId: 100_000 + i, time: i }));
    const finished = Array.from({ length: finishedOrdersKeptMax + 50 }, (_, i) =>
      order({ orderId: i + 1, status: 'CANCELED', updateTime: 1_000 + i }),
    );
    const state = applySnapshot(emptyTradingState(), { startedAtVersion: 0, openOrders: open, orders: finished });
    expect(openOrdersOf(state, null)).toHaveLength(20);
    const history = orderHistoryOf(state, null);
    expect(history).toHaveLength(finishedOrdersKeptMax);
    expect(history[0]?.orderId).toBe(finishedOrdersKeptMax + 50);
    expect(history.at(-1)?.orderId).toBe(51);
  });
});
