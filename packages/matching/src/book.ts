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
}

export function createOrderBook(options: OrderBookOptions = {}): OrderBook {
  const implementation = options.implementation ?? 'fast';
  return implementation === 'naive' ? new NaiveOrderBook(options.rules) : new FastOrderBook(options.rules);
}

/** A book of the chosen implementation holding exactly the snapshot's state. */
export function restoreOrderBook(snapshot: BookSnapshot, implementation: BookImplementation = 'fast'): OrderBook {
  const book = createOrderBook({ implementation, rules: snapshot.rules });
  book.restore(snapshot);
  return book;
}
