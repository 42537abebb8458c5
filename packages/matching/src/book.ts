// Choosing an implementation. Both satisfy OrderBook with identical behaviour; 'fast' is the one to run,
// 'naive' is the readable reference the fast one is checked against.
import { FastOrderBook } from './internal/fast-book.js';
import { NaiveOrderBook } from './internal/naive-book.js';
import type { BookImplementation, BookSnapshot, MarketRules, OrderBook } from './types.js';

export interface OrderBookOptions {
  /** 'fast' (default) or 'naive'. */
  implementation?: BookImplementation;
  /** Market filters; anything left out takes the permissive default (see DEFAULT_RULES). */
  rules?: Partial<MarketRules>;
  /** Live orders (resting and pending stops) accepted before BOOK_FULL; at most and by default ORDERS_PER_BOOK_MAX. */
  liveOrdersMax?: number;
}

export function createOrderBook(options: OrderBookOptions = {}): OrderBook {
  const implementation = options.implementation ?? 'fast';
  const { rules, liveOrdersMax } = options;
  return implementation === 'naive'
    ? new NaiveOrderBook(rules, liveOrdersMax)
    : new FastOrderBook(rules, liveOrdersMax);
}

/** A book of the chosen implementation holding exactly the snapshot's state. */
export function restoreOrderBook(
  snapshot: BookSnapshot,
  implementation: BookImplementation = 'fast',
  liveOrdersMax?: number,
): OrderBook {
  const book = createOrderBook({ implementation, rules: snapshot.rules, liveOrdersMax });
  book.restore(snapshot);
  return book;
}
