// The public vocabulary of the matching core: closed code sets, commands, events, queries and the book
// interface both implementations satisfy. Codes are small integers (as-const objects, not TypeScript enums)
// so the fast book can keep them in typed arrays and hand them to a sink without allocating.
//
// Units: prices are integer ticks, quantities integer lots, notionals integer tick x lot units
// (priceTicks * quantityLots). A numeric field that is 0 or undefined means "absent": every real id, price,
// quantity, budget and cap is at least 1.

/** Which side of the book an order is on. Values index per-side arrays. */
export const Side = { BUY: 0, SELL: 1 } as const;
export type Side = (typeof Side)[keyof typeof Side];

/** Binance Spot order types. Stops rest outside the book until the last trade price triggers them. */
export const OrderType = {
  LIMIT: 1,
  MARKET: 2,
  /** Post-only limit order: rejected if it would trade on arrival. */
  LIMIT_MAKER: 3,
  /** Becomes a MARKET order when triggered. SELL triggers at last <= stop, BUY at last >= stop. */
  STOP_LOSS: 4,
  /** Becomes a LIMIT order when triggered (same trigger rule as STOP_LOSS). */
  STOP_LOSS_LIMIT: 5,
  /** Becomes a MARKET order when triggered. SELL triggers at last >= stop, BUY at last <= stop. */
  TAKE_PROFIT: 6,
  /** Becomes a LIMIT order when triggered (same trigger rule as TAKE_PROFIT). */
  TAKE_PROFIT_LIMIT: 7,
} as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

/** Time in force of limit-priced orders. Absent (0 or undefined) means GTC for them. */
export const TimeInForce = { GTC: 1, IOC: 2, FOK: 3 } as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

/** Self-trade prevention, Binance semantics: the taker's mode decides. Absent means NONE. */
export const StpMode = { NONE: 0, EXPIRE_TAKER: 1, EXPIRE_MAKER: 2, EXPIRE_BOTH: 3 } as const;
export type StpMode = (typeof StpMode)[keyof typeof StpMode];

/**
 * Why a command was refused, in precedence order: when several apply, the smallest code is reported.
 * A rejected command changes nothing.
 */
export const RejectReason = {
  /** Malformed: a field missing, not allowed for the type, not a positive safe integer, or an unknown code. */
  INVALID_ORDER: 1,
  /** OCO legs that do not form a valid pair (types, sides, owners, ids). */
  OCO_INVALID: 2,
  /** Cancel (when asked to report it) or amend of an order that is not live in this book. */
  UNKNOWN_ORDER: 3,
  /** Amend of an order that is not resting in the book (a stop waiting for its trigger). */
  ORDER_NOT_AMENDABLE: 4,
  /** An order with this id is live in this book. */
  DUPLICATE_ID: 5,
  QUANTITY_BELOW_MIN: 6,
  QUANTITY_ABOVE_MAX: 7,
  /** The limit price or stop price is below the market's minimum. */
  PRICE_BELOW_MIN: 8,
  /** The limit price or stop price is above the market's maximum. */
  PRICE_ABOVE_MAX: 9,
  NOTIONAL_BELOW_MIN: 10,
  /** The limit or stop price is further than priceBandBps from the last trade price. */
  PRICE_OUTSIDE_BAND: 11,
  /** A stop order whose trigger condition already holds (Binance rejects these too). */
  STOP_WOULD_TRIGGER: 12,
  /** LIMIT_MAKER whose price crosses the opposite best price. */
  POST_ONLY_WOULD_TRADE: 13,
  /** The book holds its limit of live orders (liveOrdersMax, at most ORDERS_PER_BOOK_MAX). */
  BOOK_FULL: 14,
  /** This OCO leg was fine, but the other leg was rejected. */
  OCO_SIBLING_REJECTED: 15,
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** Why an accepted order stopped being live. Every accepted order gets exactly one done event. */
export const DoneReason = {
  FILLED: 1,
  /** Cancelled by a cancel command. */
  CANCELLED: 2,
  /** IOC or market remainder with no more acceptable liquidity. */
  EXPIRED: 3,
  /** FOK that could not fill completely on arrival: it expired without trading. */
  FOK_NOT_FILLABLE: 4,
  /** Expired by self-trade prevention (as maker or as taker). */
  STP: 5,
  /** The other leg of its OCO traded, triggered, or ended. */
  OCO: 6,
  /** The next price was outside the band around the last trade price at command arrival. */
  PRICE_BAND: 7,
  /** The order's quantity cap or notional cap stopped it. */
  CAP: 8,
} as const;
export type DoneReason = (typeof DoneReason)[keyof typeof DoneReason];

/** State of a live order, as reported by a lookup. Orders that are done are no longer known to the book. */
export const OrderStatus = { NEW: 1, PARTIALLY_FILLED: 2, PENDING_TRIGGER: 3 } as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** The name of a code, for logs and messages: codeName(DoneReason, 1) === 'FILLED'. */
export function codeName<T extends Record<string, number>>(codes: T, code: number): string {
  for (const name of Object.keys(codes)) {
    if (codes[name] === code) return name;
  }
  return `UNKNOWN(${code})`;
}

/**
 * Filters of one market, in book units. Lots ARE quantity steps: the edge converts decimal quantities with the
 * step size as the unit (decimalToUnits), so there is no separate step filter here.
 */
export interface MarketRules {
  quantityLotsMin: number;
  quantityLotsMax: number;
  priceTicksMin: number;
  priceTicksMax: number;
  /** Minimum priceTicks * quantityLots; 0 = off. See README for how market and stop orders are measured. */
  notionalMin: number;
  /** Limit and stop prices further than this from the last trade price are rejected, takers stop there; 0 = off. */
  priceBandBps: number;
}

/** The fields of one order. The book copies what it needs: callers may reuse the object. */
export interface OrderSpec {
  /** Assigned by the caller: a positive safe integer, unique among live orders of this book. */
  orderId: number;
  ownerId: number;
  side: Side;
  type: OrderType;
  /** LIMIT, STOP_LOSS_LIMIT, TAKE_PROFIT_LIMIT: GTC (default), IOC or FOK. LIMIT_MAKER: GTC or absent. Others: absent. */
  timeInForce?: TimeInForce | 0 | undefined;
  /** Limit price: required for LIMIT, LIMIT_MAKER and the *_LIMIT stops; absent otherwise. */
  priceTicks?: number | undefined;
  /** Trigger price: required for the four stop types; absent otherwise. */
  stopPriceTicks?: number | undefined;
  /** Base quantity. Required, except for a MARKET order given a quote budget instead. */
  quantityLots?: number | undefined;
  /** MARKET only, instead of quantityLots: the most notional (tick x lot units) the order may trade. */
  quoteOrderQty?: number | undefined;
  stpMode?: StpMode | undefined;
  /** Funds cap set by the engine: the order never trades more lots than this in total. 0 or absent = no cap. */
  quantityLotsCap?: number | undefined;
  /** Funds cap set by the engine: the order never trades more notional than this in total. 0 or absent = no cap. */
  notionalCap?: number | undefined;
}

export interface PlaceOrder extends OrderSpec {
  kind: 'place';
}

/**
 * Two orders that cancel each other: when either trades (fully or partially), triggers or ends, the other
 * ends with DoneReason.OCO. Legs are LIMIT_MAKER or stop orders (at most one LIMIT_MAKER), same owner and side.
 */
export interface PlaceOco {
  kind: 'placeOco';
  first: OrderSpec;
  second: OrderSpec;
}

export interface CancelOrder {
  kind: 'cancel';
  orderId: number;
  /** Report a cancel of an order that is not live as rejected UNKNOWN_ORDER; otherwise it is a silent no-op. */
  reportUnknown?: boolean | undefined;
}

/**
 * Change a resting order. Keeping the price and not increasing the quantity keeps time priority; anything
 * else is a cancel plus a new placement at the back under the same id (which may trade if the price crosses).
 * The change is atomic: if the replacement would be rejected, the order stays as it was.
 */
export interface AmendOrder {
  kind: 'amend';
  orderId: number;
  /** The new remaining quantity (not the total: fills so far are not counted). */
  quantityLots: number;
  /** The new limit price; 0 or absent keeps the current one. */
  priceTicks?: number | undefined;
}

export type Command = PlaceOrder | PlaceOco | CancelOrder | AmendOrder;

/**
 * Receives the events of each command, in order, as primitive arguments so the hot path allocates nothing.
 * Calls happen synchronously inside the command; a sink must not call back into the book.
 */
export interface EventSink {
  onAccepted(orderId: number): void;
  onRejected(orderId: number, reason: RejectReason): void;
  /**
   * takerDone / makerDone: that side's remaining quantity (or a market order's quote budget) reached zero with
   * this trade; its done FILLED event follows.
   */
  onTrade(
    takerOrderId: number,
    makerOrderId: number,
    takerOwnerId: number,
    makerOwnerId: number,
    takerSide: Side,
    priceTicks: number,
    quantityLots: number,
    takerDone: boolean,
    makerDone: boolean,
  ): void;
  /** remainingLots: what was left unfilled (0 for FILLED and for market orders given a quote budget). */
  onDone(orderId: number, reason: DoneReason, remainingLots: number): void;
  /** A stop order's condition held: it now enters the book as a taker. */
  onTriggered(orderId: number): void;
  onAmended(orderId: number, priceTicks: number, quantityLots: number, priorityKept: boolean): void;
  /** The total quantity resting at one price changed; 0 means the level is gone. */
  onBookDelta(side: Side, priceTicks: number, levelTotalLots: number): void;
}

export type MatchingEvent =
  | { type: 'accepted'; orderId: number }
  | { type: 'rejected'; orderId: number; reason: RejectReason }
  | {
      type: 'trade';
      takerOrderId: number;
      makerOrderId: number;
      takerOwnerId: number;
      makerOwnerId: number;
      takerSide: Side;
      priceTicks: number;
      quantityLots: number;
      takerDone: boolean;
      makerDone: boolean;
    }
  | { type: 'done'; orderId: number; reason: DoneReason; remainingLots: number }
  | { type: 'triggered'; orderId: number }
  | { type: 'amended'; orderId: number; priceTicks: number; quantityLots: number; priorityKept: boolean }
  | { type: 'bookDelta'; side: Side; priceTicks: number; levelTotalLots: number };

/** One aggregated price level, best first. */
export interface DepthLevel {
  priceTicks: number;
  quantityLots: number;
  orderCount: number;
}

/** A live order as the book sees it. 0 means absent for prices, caps and the OCO sibling. */
export interface OrderState {
  orderId: number;
  ownerId: number;
  side: Side;
  type: OrderType;
  /** 0 for market and stop-market types. */
  timeInForce: TimeInForce | 0;
  stpMode: StpMode;
  status: OrderStatus;
  priceTicks: number;
  stopPriceTicks: number;
  /** filledLots + remainingLots. */
  quantityLots: number;
  filledLots: number;
  remainingLots: number;
  /** Lots the order may still trade under its quantity cap; 0 = no cap. */
  quantityLotsCapRoom: number;
  /** Notional the order may still trade under its notional cap; 0 = no cap. */
  notionalCapRoom: number;
  /** Time priority: smaller is earlier. Changes when the order loses priority or is triggered. */
  sequence: number;
  ocoSiblingOrderId: number;
}

export interface BookCounts {
  restingBids: number;
  restingAsks: number;
  pendingStops: number;
  bidLevels: number;
  askLevels: number;
}

/** Field order of one order record in BookSnapshot.orders (ORDER_RECORD_FIELDS numbers per order). */
export const ORDER_RECORD_FIELDS = [
  'orderId',
  'ownerId',
  'side',
  'type',
  'timeInForce',
  'stpMode',
  'pendingTrigger',
  'priceTicks',
  'stopPriceTicks',
  'remainingLots',
  'filledLots',
  'quantityLotsCapRoom',
  'notionalCapRoom',
  'sequence',
  'ocoSiblingOrderId',
] as const;

export const SNAPSHOT_FORMAT = 'exbox.matching.book/1';

/**
 * The whole state of a book as plain JSON-able data, identical for both implementations. Orders are listed
 * bids best-first then asks best-first (FIFO within a price), then pending stops by sequence.
 */
export interface BookSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  rules: MarketRules;
  /** 0 = no trade yet. */
  lastTradePriceTicks: number;
  nextSequence: number;
  /** ORDER_RECORD_FIELDS.length numbers per order. */
  orders: number[];
}

export type BookImplementation = 'fast' | 'naive';

/**
 * One market's order book. Every command is synchronous and atomic; its events go to the sink in order.
 * Both implementations emit identical events and identical state for identical commands.
 */
export interface OrderBook {
  readonly implementation: BookImplementation;
  rules(): MarketRules;
  apply(command: Command, sink: EventSink): void;
  place(order: PlaceOrder, sink: EventSink): void;
  placeOco(command: PlaceOco, sink: EventSink): void;
  cancel(command: CancelOrder, sink: EventSink): void;
  amend(command: AmendOrder, sink: EventSink): void;
  bestBidTicks(): number | null;
  bestAskTicks(): number | null;
  lastTradePriceTicks(): number | null;
  /** Up to levelsMax (at most DEPTH_LEVELS_MAX) levels of one side, best first. */
  depth(side: Side, levelsMax: number): DepthLevel[];
  order(orderId: number): OrderState | undefined;
  counts(): BookCounts;
  snapshot(): BookSnapshot;
  /** Replaces the whole state (rules included) with a snapshot's; throws if the snapshot is inconsistent. */
  restore(snapshot: BookSnapshot): void;
  /** 64-bit hash of snapshot(), as 16 hex digits: same state, same hash, in both implementations. */
  stateHash(): string;
  /** Throws MatchingInvariantError on any broken invariant. For tests and after restore; O(orders). */
  validateInternalState(): void;
}
