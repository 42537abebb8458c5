// The signed-in user's trading state in the browser: orders (open and finished), own trades and balances, built
// from REST snapshots (account, openOrders, allOrders, myTrades, order replies) and the user data stream's events
// (executionReport, outboundAccountPosition). Pure and immutable: each function returns a new state, so React can
// hold it in a reducer and the tests can replay any interleaving.
//
// The sources arrive in no guaranteed order (a snapshot may be older than an event that came before it, the stream
// repeats what a reply already said), so every merge is monotonic and idempotent:
// - an order only moves forward: a finished status beats an open one, more executed quantity beats less, and a
//   later update time beats an earlier one; an older or equal view never overwrites a newer one;
// - a trade is keyed by (symbol, trade id, side), so seeing it twice keeps one;
// - a balance carries the time of the account update it came from, and an older one is ignored (a snapshot's
//   balance beats an event of the same millisecond only when the event is strictly later, see applyAccountPosition).
import { parseUnits } from './decimal';

/** Statuses after which an order never changes again (the gateway's finalStatuses). */
export const finalStatuses: ReadonlySet<string> = new Set([
  'FILLED',
  'CANCELED',
  'EXPIRED',
  'EXPIRED_IN_MATCH',
  'REJECTED',
]);

/** Finished orders and trades kept in memory; the oldest are dropped beyond these (open orders are always kept). */
export const finishedOrdersKeptMax = 500;
export const tradesKeptMax = 500;

/** An order as GET /api/v3/openOrders, allOrders and order return it (the fields the portal uses). */
export interface OrderRecord {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  side: string;
  type: string;
  timeInForce: string;
  price: string;
  stopPrice: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  origQuoteOrderQty: string;
  status: string;
  time: number;
  updateTime: number;
  isWorking: boolean;
}

/** One side of a trade as GET /api/v3/myTrades returns it. */
export interface TradeRecord {
  symbol: string;
  id: number;
  orderId: number;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export interface BalanceRecord {
  asset: string;
  free: string;
  locked: string;
  /** Server time of the account update this value comes from. */
  updatedMs: number;
  /** Where it came from: a snapshot's time is when it was read, an event's when the change happened. */
  source: 'snapshot' | 'event';
}

export interface TradingState {
  orders: ReadonlyMap<number, OrderRecord>;
  /** Per order, the state's version when an event or a reply last touched it (see applySnapshot). */
  touched: ReadonlyMap<number, number>;
  trades: ReadonlyMap<string, TradeRecord>;
  balances: ReadonlyMap<string, BalanceRecord>;
  /** Whether an account snapshot has arrived (before it, balances are unknown, not zero). */
  balancesKnown: boolean;
  /** Counts every change. */
  version: number;
}

/** GET /api/v3/account, the part the portal reads. */
export interface AccountSnapshot {
  updateTime: number;
  balances: { asset: string; free: string; locked: string }[];
}

/** What one resync read from REST. Parts it did not read are absent. */
export interface ResyncSnapshot {
  /** The state's version when the resync started: orders touched since then are newer than the snapshot. */
  startedAtVersion: number;
  account?: AccountSnapshot;
  /** All of the user's open orders, every market. */
  openOrders?: OrderRecord[];
  /** Recent orders and trades of some markets. */
  orders?: OrderRecord[];
  trades?: TradeRecord[];
}

/** Binance's executionReport (user data stream), the fields the portal reads. */
export interface ExecutionReport {
  e: 'executionReport';
  E: number;
  s: string;
  c: string;
  S: string;
  o: string;
  f: string;
  q: string;
  p: string;
  P: string;
  g: number;
  C: string;
  x: string;
  X: string;
  i: number;
  l: string;
  z: string;
  L: string;
  n: string;
  N: string | null;
  T: number;
  t: number;
  w: boolean;
  m: boolean;
  O: number;
  Z: string;
  Y: string;
  Q: string;
}

export interface AccountPosition {
  e: 'outboundAccountPosition';
  E: number;
  u: number;
  B: { a: string; f: string; l: string }[];
}

export interface BalanceUpdate {
  e: 'balanceUpdate';
  E: number;
  a: string;
  d: string;
  T: number;
}

export interface ListStatus {
  e: 'listStatus';
  E: number;
  s: string;
  g: number;
}

export interface ListenKeyExpired {
  e: 'listenKeyExpired';
  E: number;
}

export type UserDataEvent = ExecutionReport | AccountPosition | BalanceUpdate | ListStatus | ListenKeyExpired;

export function emptyTradingState(): TradingState {
  return {
    orders: new Map(),
    touched: new Map(),
    trades: new Map(),
    balances: new Map(),
    balancesKnown: false,
    version: 0,
  };
}

export function isFinal(status: string): boolean {
  return finalStatuses.has(status);
}

const quantityUnits = (text: string): bigint => parseUnits(text) ?? 0n;

/** Whether `candidate` is at least as new as `current` (the same view again counts, so merging is idempotent). */
export function isNotOlder(candidate: OrderRecord, current: OrderRecord): boolean {
  const candidateFinal = isFinal(candidate.status);
  const currentFinal = isFinal(current.status);
  if (candidateFinal !== currentFinal) return candidateFinal;
  const candidateExecuted = quantityUnits(candidate.executedQty);
  const currentExecuted = quantityUnits(current.executedQty);
  if (candidateExecuted !== currentExecuted) return candidateExecuted > currentExecuted;
  return candidate.updateTime >= current.updateTime;
}

export const tradeKey = (trade: Pick<TradeRecord, 'symbol' | 'id' | 'isBuyer'>): string =>
  `${trade.symbol}:${trade.id}:${trade.isBuyer ? 'B' : 'S'}`;

/** A mutable copy to apply several changes to, then freeze as the next state. */
class Draft {
  readonly orders: Map<number, OrderRecord>;
  readonly touched: Map<number, number>;
  readonly trades: Map<string, TradeRecord>;
  readonly balances: Map<string, BalanceRecord>;
  balancesKnown: boolean;
  readonly version: number;
  changed = false;

  constructor(state: TradingState) {
    this.orders = new Map(state.orders);
    this.touched = new Map(state.touched);
    this.trades = new Map(state.trades);
    this.balances = new Map(state.balances);
    this.balancesKnown = state.balancesKnown;
    this.version = state.version + 1;
  }

  mergeOrder(order: OrderRecord, touch: boolean): void {
    const current = this.orders.get(order.orderId);
    if (current !== undefined && !isNotOlder(order, current)) {
      // An older view still knows the creation time a newer cancel reply lacks.
      if (current.time === 0 && order.time > 0) {
        this.orders.set(order.orderId, { ...current, time: order.time });
        this.changed = true;
      }
      return;
    }
    // A view may lack what another had (a cancel reply has no creation time): keep the known creation time.
    const time = current !== undefined && current.time > 0 ? current.time : order.time;
    if (touch) {
      this.touched.set(order.orderId, this.version);
      this.changed = true;
    }
    const next = { ...order, time };
    if (current !== undefined && sameOrder(current, next)) return;
    this.orders.set(order.orderId, next);
    this.changed = true;
  }

  /** `complete`: from the stream or myTrades; a fill of an order reply lacks the quote amount and never replaces. */
  addTrade(trade: TradeRecord, complete: boolean): void {
    const key = tradeKey(trade);
    const current = this.trades.get(key);
    if (current !== undefined && (!complete || JSON.stringify(current) === JSON.stringify(trade))) return;
    this.trades.set(key, trade);
    this.changed = true;
  }

  setBalance(balance: BalanceRecord): void {
    const current = this.balances.get(balance.asset);
    if (
      current !== undefined &&
      current.free === balance.free &&
      current.locked === balance.locked &&
      current.updatedMs === balance.updatedMs &&
      current.source === balance.source
    )
      return;
    this.balances.set(balance.asset, balance);
    this.changed = true;
  }

  finish(previous: TradingState): TradingState {
    if (!this.changed && this.balancesKnown === previous.balancesKnown) return previous;
    trim(this.orders, this.touched, this.trades);
    return {
      orders: this.orders,
      touched: this.touched,
      trades: this.trades,
      balances: this.balances,
      balancesKnown: this.balancesKnown,
      version: this.version,
    };
  }
}

function sameOrder(a: OrderRecord, b: OrderRecord): boolean {
  for (const key of Object.keys(b) as (keyof typeof b)[]) if (a[key] !== b[key]) return false;
  return true;
}

/** Drops the oldest finished orders and trades beyond the limits; open orders always stay. */
function trim(orders: Map<number, OrderRecord>, touched: Map<number, number>, trades: Map<string, TradeRecord>): void {
  const finished = [...orders.values()].filter((order) => isFinal(order.status));
  if (finished.length > finishedOrdersKeptMax) {
    finished.sort((a, b) => b.updateTime - a.updateTime || b.orderId - a.orderId);
    for (const order of finished.slice(finishedOrdersKeptMax)) {
      orders.delete(order.orderId);
      touched.delete(order.orderId);
    }
  }
  if (trades.size > tradesKeptMax) {
    const sorted = [...trades.entries()].sort(([, a], [, b]) => b.time - a.time || b.id - a.id);
    for (const [key] of sorted.slice(tradesKeptMax)) trades.delete(key);
  }
}

/** An executionReport as the order it describes. */
export function orderFromReport(event: ExecutionReport): OrderRecord {
  return {
    symbol: event.s,
    orderId: event.i,
    orderListId: event.g,
    // On a cancel, Binance puts the cancel request's id in `c` and the order's own in `C`.
    clientOrderId: event.C !== '' && event.C !== undefined ? event.C : event.c,
    side: event.S,
    type: event.o,
    timeInForce: event.f,
    price: event.p,
    stopPrice: event.P,
    origQty: event.q,
    executedQty: event.z,
    cummulativeQuoteQty: event.Z,
    origQuoteOrderQty: event.Q,
    status: event.X,
    time: event.O,
    updateTime: event.E,
    isWorking: event.w,
  };
}

/** The trade an executionReport of type TRADE reports, as myTrades would list it. */
export function tradeFromReport(event: ExecutionReport): TradeRecord | null {
  if (event.x !== 'TRADE' || event.t < 0) return null;
  return {
    symbol: event.s,
    id: event.t,
    orderId: event.i,
    price: event.L,
    qty: event.l,
    quoteQty: event.Y,
    commission: event.n,
    commissionAsset: event.N ?? '',
    time: event.T,
    isBuyer: event.S === 'BUY',
    isMaker: event.m,
  };
}

/** Applies one user data stream event. listStatus, balanceUpdate and listenKeyExpired change nothing here. */
export function applyEvent(state: TradingState, event: UserDataEvent): TradingState {
  switch (event.e) {
    case 'executionReport':
      return applyExecutionReport(state, event);
    case 'outboundAccountPosition':
      return applyAccountPosition(state, event);
    case 'balanceUpdate':
    case 'listStatus':
    case 'listenKeyExpired':
      // Balances change through outboundAccountPosition (sent with every balanceUpdate); list members through
      // their own executionReports.
      return state;
  }
}

export function applyExecutionReport(state: TradingState, event: ExecutionReport): TradingState {
  const draft = new Draft(state);
  draft.mergeOrder(orderFromReport(event), true);
  const trade = tradeFromReport(event);
  if (trade !== null) draft.addTrade(trade, true);
  return draft.finish(state);
}

/**
 * outboundAccountPosition carries absolute balances as of the event's update time `u`. It replaces a balance
 * read by an earlier snapshot or event; against a snapshot read in the same millisecond it loses (the snapshot was
 * read after the change had been applied, or the resync fetches again, see UserStream), against an earlier event
 * of the same millisecond it wins (events arrive in commit order).
 */
export function applyAccountPosition(state: TradingState, event: AccountPosition): TradingState {
  const draft = new Draft(state);
  for (const balance of event.B) {
    const current = state.balances.get(balance.a);
    if (current !== undefined) {
      const older = current.source === 'snapshot' ? event.u <= current.updatedMs : event.u < current.updatedMs;
      if (older) continue;
    }
    draft.setBalance({ asset: balance.a, free: balance.f, locked: balance.l, updatedMs: event.u, source: 'event' });
  }
  return draft.finish(state);
}

/** Whether an outboundAccountPosition would be ignored as older than what the state holds (see applyAccountPosition). */
export function isStalePosition(state: TradingState, event: AccountPosition): boolean {
  return event.B.some((balance) => {
    const current = state.balances.get(balance.a);
    if (current === undefined) return false;
    return current.source === 'snapshot' ? event.u <= current.updatedMs : event.u < current.updatedMs;
  });
}

/**
 * Applies what a resync read. Open orders the state holds that are neither in the snapshot's open orders nor
 * touched since the resync started finished while the stream was down; if the snapshot's history has them, that
 * view replaces them, otherwise they are dropped (their final state is unknown until a history read).
 */
export function applySnapshot(state: TradingState, snapshot: ResyncSnapshot): TradingState {
  const draft = new Draft(state);
  for (const order of snapshot.orders ?? []) draft.mergeOrder(order, false);
  for (const trade of snapshot.trades ?? []) draft.addTrade(trade, true);
  if (snapshot.openOrders !== undefined) {
    const open = new Set<number>();
    for (const order of snapshot.openOrders) {
      open.add(order.orderId);
      draft.mergeOrder(order, false);
    }
    for (const order of [...draft.orders.values()]) {
      const touched = draft.touched.get(order.orderId) ?? 0;
      if (isFinal(order.status) || open.has(order.orderId) || touched > snapshot.startedAtVersion) continue;
      draft.orders.delete(order.orderId);
      draft.touched.delete(order.orderId);
      draft.changed = true;
    }
  }
  if (snapshot.account !== undefined) {
    const time = snapshot.account.updateTime;
    for (const balance of snapshot.account.balances) {
      const current = draft.balances.get(balance.asset);
      // An event newer than the read (it arrived before the reply) stays.
      if (current !== undefined && current.source === 'event' && current.updatedMs > time) continue;
      draft.setBalance({
        asset: balance.asset,
        free: balance.free,
        locked: balance.locked,
        updatedMs: time,
        source: 'snapshot',
      });
    }
    draft.balancesKnown = true;
  }
  return draft.finish(state);
}

/** The reply of POST /api/v3/order (RESULT or FULL) or of a cancel: applied as soon as it arrives. */
export interface OrderReply {
  symbol: string;
  orderId: number;
  orderListId?: number;
  clientOrderId: string;
  origClientOrderId?: string;
  transactTime: number;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  origQuoteOrderQty?: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  stopPrice?: string;
  workingTime?: number;
  fills?: { price: string; qty: string; commission: string; commissionAsset: string; tradeId: number }[];
}

export function orderFromReply(reply: OrderReply, current: OrderRecord | undefined): OrderRecord {
  const cancel = reply.origClientOrderId !== undefined;
  return {
    symbol: reply.symbol,
    orderId: reply.orderId,
    orderListId: reply.orderListId ?? current?.orderListId ?? -1,
    clientOrderId: cancel ? reply.origClientOrderId! : reply.clientOrderId,
    side: reply.side,
    type: reply.type,
    timeInForce: reply.timeInForce,
    price: reply.price,
    stopPrice: reply.stopPrice ?? current?.stopPrice ?? '0',
    origQty: reply.origQty,
    executedQty: reply.executedQty,
    cummulativeQuoteQty: reply.cummulativeQuoteQty,
    origQuoteOrderQty: reply.origQuoteOrderQty ?? current?.origQuoteOrderQty ?? '0',
    status: reply.status,
    // A new order's reply time is its creation time; a cancel reply keeps the order's own (mergeOrder).
    time: cancel ? (current?.time ?? 0) : reply.transactTime,
    updateTime: reply.transactTime,
    isWorking: cancel ? false : (reply.workingTime ?? -1) >= 0,
  };
}

export function applyOrderReplies(state: TradingState, replies: readonly OrderReply[]): TradingState {
  const draft = new Draft(state);
  for (const reply of replies) {
    draft.mergeOrder(orderFromReply(reply, draft.orders.get(reply.orderId)), true);
    for (const fill of reply.fills ?? []) {
      // A new order's fills are taker fills (the order met the book when it arrived).
      draft.addTrade(
        {
          symbol: reply.symbol,
          id: fill.tradeId,
          orderId: reply.orderId,
          price: fill.price,
          qty: fill.qty,
          quoteQty: '',
          commission: fill.commission,
          commissionAsset: fill.commissionAsset,
          time: reply.transactTime,
          isBuyer: reply.side === 'BUY',
          isMaker: false,
        },
        false,
      );
    }
  }
  return draft.finish(state);
}

// ------------------------------------------------------------------------------------------------ views

const newestFirst = (a: OrderRecord, b: OrderRecord) => b.time - a.time || b.orderId - a.orderId;

/** Open orders of one market (or every market: null), newest first. */
export function openOrdersOf(state: TradingState, symbol: string | null): OrderRecord[] {
  return [...state.orders.values()]
    .filter((order) => !isFinal(order.status) && (symbol === null || order.symbol === symbol))
    .sort(newestFirst);
}

/** Finished orders, most recently finished first. */
export function orderHistoryOf(state: TradingState, symbol: string | null): OrderRecord[] {
  return [...state.orders.values()]
    .filter((order) => isFinal(order.status) && (symbol === null || order.symbol === symbol))
    .sort((a, b) => b.updateTime - a.updateTime || b.orderId - a.orderId);
}

export function tradesOf(state: TradingState, symbol: string | null): TradeRecord[] {
  return [...state.trades.values()]
    .filter((trade) => symbol === null || trade.symbol === symbol)
    .sort((a, b) => b.time - a.time || b.id - a.id || Number(a.isBuyer) - Number(b.isBuyer));
}

/** Free balance of an asset as a decimal string; null while the account is not known yet. */
export function availableOf(state: TradingState, asset: string): string | null {
  if (!state.balancesKnown) return null;
  return state.balances.get(asset)?.free ?? '0';
}
