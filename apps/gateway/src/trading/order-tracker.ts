// The gateway's committed view of orders and recent trades. The engine's in-memory state runs ahead of the
// journal (it applies a command before the batch holding it commits), so anything the API shows must come from
// committed batches instead: this tracker folds them in order. It holds every open order and every order or
// trade changed since the follower's projection (the `orders`/`trades` tables) last caught up; queries merge it
// with those tables, preferring the tracker (it is never older). Entries leave once projected.
import type { EngineEvent, OrderView, TradeSide } from '@exbox/engine';

const stopTypes = new Set(['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);
const finalStatuses = new Set(['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH']);

export interface TrackedOrder {
  view: OrderView;
  /** Time and sequence of the last change. */
  updatedMs: number;
  updatedSeq: number;
  /** In the book (false for a stop order that has not triggered). */
  isWorking: boolean;
}

/** One side of a trade as its user sees it (Binance's myTrades row). */
export interface TrackedTrade {
  seq: number;
  symbol: string;
  tradeId: number;
  orderId: number;
  orderListId: number;
  priceTicks: number;
  quantityLots: number;
  quoteMinor: bigint;
  feeMinor: bigint;
  isBuyer: boolean;
  isMaker: boolean;
  timeMs: number;
}

/** What changed for one order in one committed command: the before/after the user-data stream reports. */
export type OrderChange =
  | { kind: 'accepted'; order: TrackedOrder }
  | { kind: 'trade'; order: TrackedOrder; trade: Extract<EngineEvent, { type: 'trade' }>; side: TradeSide }
  | { kind: 'done'; order: TrackedOrder; event: Extract<EngineEvent, { type: 'orderDone' }> }
  | { kind: 'amended'; order: TrackedOrder }
  | { kind: 'triggered'; order: TrackedOrder };

export const isFinalStatus = (status: string): boolean => finalStatuses.has(status);

export class OrderTracker {
  private readonly orders = new Map<number, TrackedOrder>();
  private readonly ordersByUser = new Map<number, Map<number, TrackedOrder>>();
  private readonly tradesByUser = new Map<number, TrackedTrade[]>();
  /** Finished orders and trades waiting for the projection, oldest first, for pruning. */
  private readonly finished: TrackedOrder[] = [];
  private finishedHead = 0;
  private tradeCount = 0;

  /** Starts from the engine's open orders as recovered (all committed at startup). */
  constructor(openOrders: readonly OrderView[], startSeq: number) {
    for (const view of openOrders) {
      const working = !stopTypes.has(view.orderType) || view.workingAtMs > view.createdAtMs;
      this.add({ view: { ...view }, updatedMs: view.workingAtMs, updatedSeq: startSeq, isWorking: working });
    }
  }

  get size(): { orders: number; finishedOrders: number; trades: number } {
    return {
      orders: this.orders.size,
      finishedOrders: this.finished.length - this.finishedHead,
      trades: this.tradeCount,
    };
  }

  order(orderId: number): TrackedOrder | undefined {
    return this.orders.get(orderId);
  }

  /** The user's orders known here (open, and finished but not yet projected), in no particular order. */
  ordersOf(userId: number): TrackedOrder[] {
    const map = this.ordersByUser.get(userId);
    return map === undefined ? [] : [...map.values()];
  }

  openOrdersOf(userId: number, symbol: string | null): TrackedOrder[] {
    return this.ordersOf(userId)
      .filter((order) => !isFinalStatus(order.view.status) && (symbol === null || order.view.symbol === symbol))
      .sort((a, b) => a.view.orderId - b.view.orderId);
  }

  /** The newest order of the user with this client order id, if the tracker has it. */
  orderByClientId(userId: number, clientOrderId: string): TrackedOrder | undefined {
    let found: TrackedOrder | undefined;
    for (const order of this.ordersOf(userId)) {
      if (
        order.view.clientOrderId === clientOrderId &&
        (found === undefined || order.view.orderId > found.view.orderId)
      ) {
        found = order;
      }
    }
    return found;
  }

  tradesOf(userId: number): readonly TrackedTrade[] {
    return this.tradesByUser.get(userId) ?? [];
  }

  /**
   * Folds one committed command's events and returns what changed per order, in event order. Must see every
   * committed command exactly once, in sequence order.
   */
  apply(seq: number, timestampMs: number, events: readonly EngineEvent[]): OrderChange[] {
    const changes: OrderChange[] = [];
    for (const event of events) {
      switch (event.type) {
        case 'orderAccepted': {
          const working = !stopTypes.has(event.order.orderType);
          const order: TrackedOrder = {
            view: { ...event.order },
            updatedMs: timestampMs,
            updatedSeq: seq,
            isWorking: working,
          };
          this.add(order);
          changes.push({ kind: 'accepted', order });
          break;
        }
        case 'trade': {
          for (const side of [event.buy, event.sell]) {
            const order = this.orders.get(side.orderId);
            if (order === undefined)
              throw new Error(
                `order tracker: trade ${event.symbol}#${event.tradeId} for unknown order ${side.orderId}`,
              );
            order.view.executedLots = side.executedLots;
            order.view.cumulativeQuoteMinor = side.cumulativeQuoteMinor;
            order.view.status = side.status;
            order.updatedMs = timestampMs;
            order.updatedSeq = seq;
            this.addTrade(side.userId, {
              seq,
              symbol: event.symbol,
              tradeId: event.tradeId,
              orderId: side.orderId,
              orderListId: order.view.orderListId,
              priceTicks: event.priceTicks,
              quantityLots: event.quantityLots,
              quoteMinor: event.quoteMinor,
              feeMinor: side.feeMinor,
              isBuyer: side === event.buy,
              isMaker: side.isMaker,
              timeMs: event.timeMs,
            });
            changes.push({ kind: 'trade', order, trade: event, side });
          }
          break;
        }
        case 'orderDone': {
          const order = this.orders.get(event.orderId);
          if (order === undefined) throw new Error(`order tracker: orderDone for unknown order ${event.orderId}`);
          order.view.status = event.status;
          order.view.executedLots = event.executedLots;
          order.view.cumulativeQuoteMinor = event.cumulativeQuoteMinor;
          order.updatedMs = timestampMs;
          order.updatedSeq = seq;
          this.finished.push(order);
          changes.push({ kind: 'done', order, event });
          break;
        }
        case 'orderTriggered': {
          const order = this.orders.get(event.orderId);
          if (order === undefined) throw new Error(`order tracker: orderTriggered for unknown order ${event.orderId}`);
          order.isWorking = true;
          order.view.workingAtMs = timestampMs;
          order.updatedMs = timestampMs;
          order.updatedSeq = seq;
          changes.push({ kind: 'triggered', order });
          break;
        }
        case 'orderAmended': {
          const order = this.orders.get(event.orderId);
          if (order === undefined) throw new Error(`order tracker: orderAmended for unknown order ${event.orderId}`);
          order.view.priceTicks = event.priceTicks;
          order.view.quantityLots = event.quantityLots;
          order.updatedMs = timestampMs;
          order.updatedSeq = seq;
          changes.push({ kind: 'amended', order });
          break;
        }
        default:
          break;
      }
    }
    return changes;
  }

  /** Forgets finished orders and trades the projection now holds (its tables are at least as new). */
  pruneProjected(projectedSeq: number): void {
    while (this.finishedHead < this.finished.length) {
      const order = this.finished[this.finishedHead]!;
      // A finished order never changes again, so its updatedSeq is final.
      if (order.updatedSeq > projectedSeq) break;
      this.finishedHead++;
      this.orders.delete(order.view.orderId);
      const byUser = this.ordersByUser.get(order.view.userId);
      byUser?.delete(order.view.orderId);
      if (byUser?.size === 0) this.ordersByUser.delete(order.view.userId);
    }
    if (this.finishedHead > 1024 && this.finishedHead * 2 > this.finished.length) {
      this.finished.splice(0, this.finishedHead);
      this.finishedHead = 0;
    }
    for (const [userId, trades] of this.tradesByUser) {
      let keep = 0;
      while (keep < trades.length && trades[keep]!.seq <= projectedSeq) keep++;
      if (keep === 0) continue;
      this.tradeCount -= keep;
      if (keep === trades.length) this.tradesByUser.delete(userId);
      else trades.splice(0, keep);
    }
  }

  private add(order: TrackedOrder): void {
    this.orders.set(order.view.orderId, order);
    let byUser = this.ordersByUser.get(order.view.userId);
    if (byUser === undefined) {
      byUser = new Map();
      this.ordersByUser.set(order.view.userId, byUser);
    }
    byUser.set(order.view.orderId, order);
  }

  private addTrade(userId: number, trade: TrackedTrade): void {
    let trades = this.tradesByUser.get(userId);
    if (trades === undefined) {
      trades = [];
      this.tradesByUser.set(userId, trades);
    }
    trades.push(trade);
    this.tradeCount++;
  }
}
