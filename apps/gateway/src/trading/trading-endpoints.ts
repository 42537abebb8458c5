// Binance's signed trading and account endpoints. Each handler validates its parameters (Binance's errors),
// turns them into one engine command, waits for the engine's answer (which arrives only once the command is
// journaled) and shapes the reply as Binance does. Reads come from the committed order view (OrderTracker) and
// the projection tables; nothing uncommitted is ever shown.
import {
  SequencerBusyError,
  SequencerStoppedError,
  type Engine,
  type EngineCommand,
  type EngineEvent,
  type EngineResult,
  type OrderView,
} from '@exbox/engine';
import type { Sql } from 'postgres';
import { BinanceError, errors } from '../binance/errors.js';
import type { MarketFormat } from '../binance/format.js';
import {
  limitParam,
  optionalEnum,
  optionalInteger,
  optionalString,
  requiredString,
  type Params,
} from '../binance/params.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import type { Endpoint, RestRequest, RestResponse } from '../http/types.js';
import {
  binanceFill,
  binanceMyTrade,
  binanceOrder,
  trackedFromRow,
  type BinanceOrder,
  type OrderRow,
} from './binance-views.js';
import { isFinalStatus, type OrderTracker, type TrackedOrder, type TrackedTrade } from './order-tracker.js';
import {
  generateClientOrderId,
  orderTypes,
  readClientOrderId,
  readNewOrder,
  readOptionalOrderId,
  readOrderFields,
  readQuantityLots,
  readSide,
  readStpMode,
  type ResponseType,
} from './order-request.js';
import { binanceErrorFor, type RejectContext } from './rejections.js';

export interface TradingContext {
  engine: Engine;
  sql: Sql;
  markets: ReadonlyMap<string, MarketFormat>;
  tracker: OrderTracker;
  rateLimiter: RateLimiter;
  /**
   * Resolves once the engine's batch holding `sequence` is committed. (A submitted command's own reply needs no
   * wait: the engine resolves it only after its batch committed and was folded into the tracker synchronously.)
   */
  committed(sequence: number): Promise<void>;
  clock: () => number;
}

type TradeEvent = Extract<EngineEvent, { type: 'trade' }>;

/** Historical queries answer at most this many rows (Binance's maximum `limit`). */
export const historyRowsMax = 1000;
/** allOrders/myTrades time ranges are at most 24 hours, as Binance's. */
export const historyRangeMsMax = 24 * 3_600_000;

export const marketOf = (markets: ReadonlyMap<string, MarketFormat>, params: Params): MarketFormat => {
  const symbol = requiredString(params, 'symbol');
  const market = markets.get(symbol.toUpperCase());
  if (market === undefined) throw errors.badSymbol();
  return market;
};

const userOf = (request: RestRequest): number => {
  if (request.userId === undefined) throw errors.unauthorized();
  return request.userId;
};

/** Submits one command; engine back-pressure and failure become Binance's -1008 and -1001. */
const submit = async (context: TradingContext, command: EngineCommand) => {
  try {
    return await context.engine.submit(command);
  } catch (error) {
    if (error instanceof SequencerBusyError) throw errors.serverBusy();
    if (error instanceof SequencerStoppedError) throw errors.disconnected();
    throw error;
  }
};

const rejectIfRefused = (result: EngineResult, context: RejectContext, isMarket = false): void => {
  if (result.status === 'REJECTED') throw binanceErrorFor(result.code, result.message, context, isMarket);
};

/** Follows one order through one command's events: its final view and its fills. */
const foldOrder = (events: readonly EngineEvent[], orderId: number, start: OrderView | undefined) => {
  let view = start === undefined ? undefined : { ...start };
  const fills: { trade: TradeEvent; side: TradeEvent['buy'] }[] = [];
  let working = view === undefined ? false : !view.orderType.startsWith('STOP') && !view.orderType.startsWith('TAKE');
  for (const event of events) {
    if (event.type === 'orderAccepted' && event.order.orderId === orderId) {
      view = { ...event.order };
      working = !['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'].includes(view.orderType);
    } else if (view === undefined) {
      continue;
    } else if (event.type === 'trade' && (event.buy.orderId === orderId || event.sell.orderId === orderId)) {
      const side = event.buy.orderId === orderId ? event.buy : event.sell;
      view.executedLots = side.executedLots;
      view.cumulativeQuoteMinor = side.cumulativeQuoteMinor;
      view.status = side.status;
      fills.push({ trade: event, side });
    } else if (event.type === 'orderDone' && event.orderId === orderId) {
      view.status = event.status;
      view.executedLots = event.executedLots;
      view.cumulativeQuoteMinor = event.cumulativeQuoteMinor;
    } else if (event.type === 'orderTriggered' && event.orderId === orderId) {
      working = true;
    }
  }
  return { view, fills, working };
};

/** Binance's new-order reply in the requested shape. */
const orderResponse = (
  market: MarketFormat,
  responseType: ResponseType,
  transactTime: number,
  events: readonly EngineEvent[],
  orderId: number,
) => {
  const { view, fills, working } = foldOrder(events, orderId, undefined);
  if (view === undefined) throw new Error(`new order ${orderId} has no orderAccepted event`);
  const ack = {
    symbol: market.symbol,
    orderId,
    orderListId: view.orderListId,
    clientOrderId: view.clientOrderId,
    transactTime,
  };
  if (responseType === 'ACK') return ack;
  const tracked: TrackedOrder = {
    view,
    updatedMs: transactTime,
    updatedSeq: 0,
    isWorking: working && !isFinalStatus(view.status),
  };
  const order = binanceOrder(market, tracked);
  const result = {
    ...ack,
    price: order.price,
    origQty: order.origQty,
    executedQty: order.executedQty,
    origQuoteOrderQty: order.origQuoteOrderQty,
    cummulativeQuoteQty: order.cummulativeQuoteQty,
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    ...(view.stopPriceTicks > 0 ? { stopPrice: order.stopPrice } : {}),
    workingTime: tracked.isWorking || working ? view.workingAtMs : -1,
    selfTradePreventionMode: order.selfTradePreventionMode,
  };
  if (responseType === 'RESULT') return result;
  return { ...result, fills: fills.map(({ trade, side }) => binanceFill(market, trade, side)) };
};

/** The order a command accepted: the one orderAccepted event of this user with this client id. */
const acceptedOrderId = (events: readonly EngineEvent[], clientOrderId: string): number => {
  for (const event of events) {
    if (event.type === 'orderAccepted' && event.order.clientOrderId === clientOrderId) return event.order.orderId;
  }
  throw new Error(`no orderAccepted event for client order id ${clientOrderId}`);
};

/** Binance's cancel reply for one cancelled order (DELETE order, DELETE openOrders, cancelReplace). */
const cancelResponse = (
  market: MarketFormat,
  tracked: TrackedOrder,
  cancelClientOrderId: string,
  transactTime: number,
) => {
  const order = binanceOrder(market, tracked);
  return {
    symbol: order.symbol,
    origClientOrderId: order.clientOrderId,
    orderId: order.orderId,
    orderListId: order.orderListId,
    clientOrderId: cancelClientOrderId,
    transactTime,
    price: order.price,
    origQty: order.origQty,
    executedQty: order.executedQty,
    origQuoteOrderQty: order.origQuoteOrderQty,
    cummulativeQuoteQty: order.cummulativeQuoteQty,
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    ...(tracked.view.stopPriceTicks > 0 ? { stopPrice: order.stopPrice } : {}),
    selfTradePreventionMode: order.selfTradePreventionMode,
  };
};

/** Orders a command cancelled, with their final committed views. */
const cancelledOrders = (context: TradingContext, events: readonly EngineEvent[]): TrackedOrder[] => {
  const orders: TrackedOrder[] = [];
  for (const event of events) {
    if (event.type !== 'orderDone' || (event.status !== 'CANCELED' && event.reason !== 'OCO')) continue;
    const tracked = context.tracker.order(event.orderId);
    if (tracked !== undefined) orders.push(tracked);
  }
  return orders;
};

const ok = (body: unknown): RestResponse => ({ body });

// ------------------------------------------------------------------------------------------------ queries

/** The orders table's columns with its times as epoch milliseconds (the driver's date parsing is not relied on). */
const orderColumns = (sql: Sql) =>
  sql`orders.*, (extract(epoch from orders.created_at) * 1000)::float8 as created_ms, (extract(epoch from orders.updated_at) * 1000)::float8 as updated_ms`;

const findOrder = async (
  context: TradingContext,
  userId: number,
  market: MarketFormat,
  params: Params,
): Promise<TrackedOrder> => {
  const sql = context.sql;
  const orderId = readOptionalOrderId(params, 'orderId');
  const clientOrderId = optionalString(params, 'origClientOrderId');
  if (orderId === undefined && clientOrderId === undefined) {
    throw new BinanceError(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
  }
  const inTracker =
    orderId !== undefined ? context.tracker.order(orderId) : context.tracker.orderByClientId(userId, clientOrderId!);
  if (inTracker !== undefined) {
    if (inTracker.view.userId !== userId || inTracker.view.symbol !== market.symbol) throw errors.noSuchOrder();
    if (clientOrderId !== undefined && inTracker.view.clientOrderId !== clientOrderId) throw errors.noSuchOrder();
    return inTracker;
  }
  const rows =
    orderId !== undefined
      ? await context.sql<
          OrderRow[]
        >`select ${orderColumns(sql)} from orders where order_id = ${orderId} and user_id = ${userId} and symbol = ${market.symbol}`
      : await context.sql<
          OrderRow[]
        >`select ${orderColumns(sql)} from orders where user_id = ${userId} and client_order_id = ${clientOrderId!}
          and symbol = ${market.symbol} order by orders.order_id desc limit 1`;
  const row = rows[0];
  if (row === undefined) throw errors.noSuchOrder();
  // The tracker may have received the order while the query ran; it is never older than the table.
  const fresher = context.tracker.order(Number(row.order_id));
  const found = fresher ?? trackedFromRow(row);
  if (clientOrderId !== undefined && found.view.clientOrderId !== clientOrderId) throw errors.noSuchOrder();
  return found;
};

const readTimeRange = (params: Params) => {
  const startTime = optionalInteger(params, 'startTime', { min: 0 });
  const endTime = optionalInteger(params, 'endTime', { min: 0 });
  if (startTime !== undefined && endTime !== undefined) {
    if (endTime < startTime) throw errors.badCombination();
    if (endTime - startTime > historyRangeMsMax) throw errors.lookupTooBig();
  }
  return { startTime, endTime };
};

const allOrders = async (
  context: TradingContext,
  userId: number,
  market: MarketFormat,
  params: Params,
): Promise<BinanceOrder[]> => {
  const fromOrderId = readOptionalOrderId(params, 'orderId');
  const { startTime, endTime } = readTimeRange(params);
  const limit = limitParam(params, 500, historyRowsMax);
  // Take the tracker's entries first: whatever leaves it meanwhile is already in the table.
  const tracked = context.tracker
    .ordersOf(userId)
    .filter((order) => order.view.symbol === market.symbol)
    .map((order) => ({ ...order, view: { ...order.view } }));
  const fromId = fromOrderId ?? 0;
  const startMs = startTime ?? 0;
  const endMs = endTime ?? Number.MAX_SAFE_INTEGER;
  const sql = context.sql;
  // Times as epoch milliseconds compared in SQL: no Date objects cross the driver.
  const timeFilter = (column: string) =>
    sql`${startTime === undefined ? sql`` : sql`and ${sql(column)} >= to_timestamp(${startMs}::float8 / 1000)`}
        ${endTime === undefined ? sql`` : sql`and ${sql(column)} <= to_timestamp(${endMs}::float8 / 1000)`}`;
  const newestFirst = fromOrderId === undefined && startTime === undefined;
  const rows = newestFirst
    ? await sql<
        OrderRow[]
      >`select ${orderColumns(sql)} from orders where user_id = ${userId} and symbol = ${market.symbol}
        ${timeFilter('created_at')} order by orders.order_id desc limit ${limit}`
    : await sql<
        OrderRow[]
      >`select ${orderColumns(sql)} from orders where user_id = ${userId} and symbol = ${market.symbol}
        and order_id >= ${fromId} ${timeFilter('created_at')} order by orders.order_id asc limit ${limit}`;
  const byId = new Map<number, TrackedOrder>();
  for (const row of rows) byId.set(Number(row.order_id), trackedFromRow(row));
  for (const order of tracked) {
    const view = order.view;
    if (view.orderId < fromId || view.createdAtMs < startMs || view.createdAtMs > endMs) continue;
    byId.set(view.orderId, order);
  }
  let orders = [...byId.values()].sort((a, b) => a.view.orderId - b.view.orderId);
  orders = newestFirst ? orders.slice(-limit) : orders.slice(0, limit);
  return orders.map((order) => binanceOrder(market, order));
};

interface TradeRow {
  trade_id: string | number;
  seq: string | number;
  price_ticks: string | number;
  quantity_lots: string | number;
  quote_minor: string;
  buy_order_id: string | number;
  sell_order_id: string | number;
  buy_user_id: string | number;
  sell_user_id: string | number;
  taker_side: string;
  buy_fee_minor: string;
  sell_fee_minor: string;
  executed_ms: number;
  buy_list_id: string | number | null;
  sell_list_id: string | number | null;
}

const tradeSidesOf = (row: TradeRow, symbol: string, userId: number): TrackedTrade[] => {
  const sides: TrackedTrade[] = [];
  const base = {
    seq: Number(row.seq),
    symbol,
    tradeId: Number(row.trade_id),
    priceTicks: Number(row.price_ticks),
    quantityLots: Number(row.quantity_lots),
    quoteMinor: BigInt(row.quote_minor),
    timeMs: Math.round(row.executed_ms),
  };
  if (Number(row.buy_user_id) === userId) {
    sides.push({
      ...base,
      orderId: Number(row.buy_order_id),
      orderListId: Number(row.buy_list_id ?? -1),
      feeMinor: BigInt(row.buy_fee_minor),
      isBuyer: true,
      isMaker: row.taker_side === 'SELL',
    });
  }
  if (Number(row.sell_user_id) === userId) {
    sides.push({
      ...base,
      orderId: Number(row.sell_order_id),
      orderListId: Number(row.sell_list_id ?? -1),
      feeMinor: BigInt(row.sell_fee_minor),
      isBuyer: false,
      isMaker: row.taker_side === 'BUY',
    });
  }
  return sides;
};

const myTrades = async (context: TradingContext, userId: number, market: MarketFormat, params: Params) => {
  const orderId = readOptionalOrderId(params, 'orderId');
  const fromId = readOptionalOrderId(params, 'fromId');
  const { startTime, endTime } = readTimeRange(params);
  if (fromId !== undefined && (startTime !== undefined || endTime !== undefined)) throw errors.badCombination();
  const limit = limitParam(params, 500, historyRowsMax);
  const tracked = context.tracker.tradesOf(userId).filter((trade) => trade.symbol === market.symbol);
  const startMs = startTime ?? 0;
  const endMs = endTime ?? Number.MAX_SAFE_INTEGER;
  const sql = context.sql;
  const timeFilter = sql`${startTime === undefined ? sql`` : sql`and executed_at >= to_timestamp(${startMs}::float8 / 1000)`}
    ${endTime === undefined ? sql`` : sql`and executed_at <= to_timestamp(${endMs}::float8 / 1000)`}`;
  const newestFirst = fromId === undefined && startTime === undefined;
  const direction = newestFirst ? sql`desc` : sql`asc`;
  const orderFilter =
    orderId === undefined ? sql`` : sql`and (t.buy_order_id = ${orderId} or t.sell_order_id = ${orderId})`;
  const rows = await sql<TradeRow[]>`
    select t.*, (extract(epoch from t.executed_at) * 1000)::float8 as executed_ms, bo.order_list_id as buy_list_id, so.order_list_id as sell_list_id from (
      (select * from trades where buy_user_id = ${userId} and symbol = ${market.symbol} and trade_id >= ${fromId ?? 0}
        ${timeFilter} order by trades.trade_id ${direction} limit ${limit})
      union
      (select * from trades where sell_user_id = ${userId} and symbol = ${market.symbol} and trade_id >= ${fromId ?? 0}
        ${timeFilter} order by trades.trade_id ${direction} limit ${limit})
    ) t
    left join orders bo on bo.order_id = t.buy_order_id and ${userId} = t.buy_user_id
    left join orders so on so.order_id = t.sell_order_id and ${userId} = t.sell_user_id
    where true ${orderFilter}`;
  const byKey = new Map<string, TrackedTrade>();
  for (const row of rows) {
    for (const side of tradeSidesOf(row, market.symbol, userId)) byKey.set(`${side.tradeId}:${side.isBuyer}`, side);
  }
  for (const trade of tracked) {
    if (fromId !== undefined && trade.tradeId < fromId) continue;
    if (trade.timeMs < startMs || trade.timeMs > endMs) continue;
    if (orderId !== undefined && trade.orderId !== orderId) continue;
    byKey.set(`${trade.tradeId}:${trade.isBuyer}`, trade);
  }
  let trades = [...byKey.values()].sort((a, b) => a.tradeId - b.tradeId || Number(b.isBuyer) - Number(a.isBuyer));
  trades = newestFirst ? trades.slice(-limit) : trades.slice(0, limit);
  return trades.map((trade) => binanceMyTrade(market, trade));
};

// ------------------------------------------------------------------------------------------------ endpoints

export const tradingEndpoints = (context: TradingContext): Endpoint[] => {
  const placeOrder = async (request: RestRequest, test: boolean): Promise<RestResponse> => {
    const userId = userOf(request);
    const market = marketOf(context.markets, request.params);
    const { command, responseType } = readNewOrder(market, userId, request.params);
    if (test) return ok(testOrderReply(context, market, userId, command, request.params));
    const { result, timestampMs } = await submit(context, command);
    rejectIfRefused(result, 'new', command.orderType === 'MARKET');
    const orderId = acceptedOrderId(result.events, command.clientOrderId);
    return ok(orderResponse(market, responseType, timestampMs, result.events, orderId));
  };

  const cancelOrder = async (request: RestRequest): Promise<RestResponse> => {
    const userId = userOf(request);
    const market = marketOf(context.markets, request.params);
    const orderId = readOptionalOrderId(request.params, 'orderId');
    const clientOrderId = optionalString(request.params, 'origClientOrderId');
    if (orderId === undefined && clientOrderId === undefined) {
      throw new BinanceError(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    }
    const cancelClientOrderId = readClientOrderId(request.params, 'newClientOrderId') ?? generateClientOrderId();
    const { result, timestampMs } = await submit(context, {
      type: 'cancelOrder',
      userId,
      symbol: market.symbol,
      ...(orderId === undefined ? {} : { orderId }),
      ...(clientOrderId === undefined ? {} : { clientOrderId }),
    });
    rejectIfRefused(result, 'cancel');
    const cancelled = cancelledOrders(context, result.events);
    const target = cancelled.find((order) =>
      orderId !== undefined ? order.view.orderId === orderId : order.view.clientOrderId === clientOrderId,
    );
    if (target === undefined) throw new Error('cancel succeeded without cancelling the order');
    return ok(cancelResponse(market, target, cancelClientOrderId, timestampMs));
  };

  const cancelReplace = async (request: RestRequest): Promise<RestResponse> => {
    const userId = userOf(request);
    const market = marketOf(context.markets, request.params);
    const params = request.params;
    const mode = optionalEnum(params, 'cancelReplaceMode', ['STOP_ON_FAILURE', 'ALLOW_FAILURE'] as const, () =>
      errors.invalidParameter('cancelReplaceMode'),
    );
    if (mode === undefined) throw errors.mandatoryMissing('cancelReplaceMode');
    const cancelOrderId = readOptionalOrderId(params, 'cancelOrderId');
    const cancelClientOrderId = optionalString(params, 'cancelOrigClientOrderId');
    if (cancelOrderId === undefined && cancelClientOrderId === undefined) {
      throw new BinanceError(
        -1102,
        "Param 'cancelOrigClientOrderId' or 'cancelOrderId' must be sent, but both were empty/null!",
      );
    }
    const cancelNewClientOrderId = readClientOrderId(params, 'cancelNewClientOrderId') ?? generateClientOrderId();
    const { command, responseType } = readNewOrder(market, userId, params);
    const { result, timestampMs } = await submit(context, {
      type: 'replaceOrder',
      userId,
      symbol: market.symbol,
      ...(cancelOrderId === undefined ? {} : { cancelOrderId }),
      ...(cancelClientOrderId === undefined ? {} : { cancelClientOrderId }),
      mode,
      order: {
        clientOrderId: command.clientOrderId,
        side: command.side,
        orderType: command.orderType,
        ...(command.timeInForce === undefined ? {} : { timeInForce: command.timeInForce }),
        ...(command.priceTicks === undefined ? {} : { priceTicks: command.priceTicks }),
        ...(command.stopPriceTicks === undefined ? {} : { stopPriceTicks: command.stopPriceTicks }),
        ...(command.quantityLots === undefined ? {} : { quantityLots: command.quantityLots }),
        ...(command.quoteOrderQtyMinor === undefined ? {} : { quoteOrderQtyMinor: command.quoteOrderQtyMinor }),
        ...(command.stpMode === undefined ? {} : { stpMode: command.stpMode }),
      },
    });
    const isMarket = command.orderType === 'MARKET';
    if (result.status === 'REJECTED') {
      const cancelFailed = result.code === 'UNKNOWN_ORDER';
      const error = binanceErrorFor(result.code, result.message, cancelFailed ? 'cancel' : 'new', isMarket);
      throw new BinanceError(-2022, 'Order cancel-replace failed.', 400).withData({
        cancelResult: cancelFailed ? 'FAILURE' : 'NOT_ATTEMPTED',
        newOrderResult: cancelFailed && mode === 'STOP_ON_FAILURE' ? 'NOT_ATTEMPTED' : 'FAILURE',
        cancelResponse: cancelFailed ? errors.cancelRejected().toJSON() : null,
        newOrderResponse: cancelFailed && mode === 'STOP_ON_FAILURE' ? null : error.toJSON(),
      });
    }
    const cancelled = cancelledOrders(context, result.events).find((order) =>
      cancelOrderId !== undefined
        ? order.view.orderId === cancelOrderId
        : order.view.clientOrderId === cancelClientOrderId,
    );
    const cancelReply =
      cancelled === undefined
        ? errors.cancelRejected().toJSON()
        : cancelResponse(market, cancelled, cancelNewClientOrderId, timestampMs);
    if (result.status === 'PARTIALLY_FAILED') {
      throw new BinanceError(-2021, 'Order cancel-replace partially failed.', 409).withData({
        cancelResult: 'SUCCESS',
        newOrderResult: 'FAILURE',
        cancelResponse: cancelReply,
        newOrderResponse: binanceErrorFor(result.code, result.message, 'new', isMarket).toJSON(),
      });
    }
    const newOrder = orderResponse(
      market,
      responseType,
      timestampMs,
      result.events,
      acceptedOrderId(result.events, command.clientOrderId),
    );
    if (cancelled === undefined) {
      throw new BinanceError(-2021, 'Order cancel-replace partially failed.', 409).withData({
        cancelResult: 'FAILURE',
        newOrderResult: 'SUCCESS',
        cancelResponse: cancelReply,
        newOrderResponse: newOrder,
      });
    }
    return ok({
      cancelResult: 'SUCCESS',
      newOrderResult: 'SUCCESS',
      cancelResponse: cancelReply,
      newOrderResponse: newOrder,
    });
  };

  const amendKeepPriority = async (request: RestRequest): Promise<RestResponse> => {
    const userId = userOf(request);
    const market = marketOf(context.markets, request.params);
    const target = await findOrder(context, userId, market, request.params);
    const newQuantityLots = readQuantityLots(market, request.params, 'newQty');
    if (newQuantityLots === undefined) throw errors.mandatoryMissing('newQty');
    const { result, timestampMs } = await submit(context, {
      type: 'amendOrder',
      userId,
      symbol: market.symbol,
      orderId: target.view.orderId,
      newQuantityLots,
    });
    rejectIfRefused(result, 'amend');
    const amended = context.tracker.order(target.view.orderId) ?? target;
    return ok({ transactTime: timestampMs, executionId: timestampMs, amendedOrder: binanceOrder(market, amended) });
  };

  const cancelOpenOrders = async (request: RestRequest): Promise<RestResponse> => {
    const userId = userOf(request);
    const market = marketOf(context.markets, request.params);
    const { result, timestampMs } = await submit(context, { type: 'cancelAllOrders', userId, symbol: market.symbol });
    rejectIfRefused(result, 'cancel');
    return ok(
      cancelledOrders(context, result.events).map((order) =>
        cancelResponse(market, order, generateClientOrderId(), timestampMs),
      ),
    );
  };

  const placeOco = async (request: RestRequest, legacy: boolean): Promise<RestResponse> => {
    const userId = userOf(request);
    const market = marketOf(context.markets, request.params);
    const params = request.params;
    const side = readSide(params);
    const quantityLots = readQuantityLots(market, params, 'quantity');
    if (quantityLots === undefined) throw errors.mandatoryMissing('quantity');
    const listClientOrderId = readClientOrderId(params, 'listClientOrderId') ?? generateClientOrderId();
    const legs = legacy ? legacyOcoLegs(market, params, side) : ocoLegs(market, params);
    const { result, timestampMs } = await submit(context, {
      type: 'placeOco',
      userId,
      symbol: market.symbol,
      listClientOrderId,
      side,
      quantityLots,
      above: legs.above,
      below: legs.below,
      stpMode: readStpMode(params),
    });
    rejectIfRefused(result, 'new');
    const list = result.events.find((event) => event.type === 'orderListStatus');
    const accepted = result.events.filter((event) => event.type === 'orderAccepted');
    const orderListId = list?.orderListId ?? accepted[0]?.order.orderListId ?? -1;
    return ok({
      orderListId,
      contingencyType: 'OCO',
      listStatusType: list?.listStatus ?? 'EXEC_STARTED',
      listOrderStatus: list?.listOrderStatus ?? 'EXECUTING',
      listClientOrderId,
      transactionTime: timestampMs,
      symbol: market.symbol,
      orders: accepted.map((event) => ({
        symbol: market.symbol,
        orderId: event.order.orderId,
        clientOrderId: event.order.clientOrderId,
      })),
      orderReports: accepted.map((event) => {
        const reply = orderResponse(market, 'RESULT', timestampMs, result.events, event.order.orderId);
        return reply;
      }),
    });
  };

  const cancelOrderList = async (request: RestRequest): Promise<RestResponse> => {
    const userId = userOf(request);
    const market = marketOf(context.markets, request.params);
    const orderListId = readOptionalOrderId(request.params, 'orderListId');
    const listClientOrderId = optionalString(request.params, 'listClientOrderId');
    if (orderListId === undefined && listClientOrderId === undefined) {
      throw new BinanceError(
        -1102,
        "Param 'listClientOrderId' or 'orderListId' must be sent, but both were empty/null!",
      );
    }
    const { result, timestampMs } = await submit(context, {
      type: 'cancelOrderList',
      userId,
      symbol: market.symbol,
      ...(orderListId === undefined ? {} : { orderListId }),
      ...(listClientOrderId === undefined ? {} : { listClientOrderId }),
    });
    rejectIfRefused(result, 'cancel');
    const list = result.events.find((event) => event.type === 'orderListStatus');
    const cancelled = cancelledOrders(context, result.events);
    return ok({
      orderListId: list?.orderListId ?? orderListId ?? -1,
      contingencyType: 'OCO',
      listStatusType: 'ALL_DONE',
      listOrderStatus: 'ALL_DONE',
      listClientOrderId: list?.listClientOrderId ?? listClientOrderId ?? '',
      transactionTime: timestampMs,
      symbol: market.symbol,
      orders: cancelled.map((order) => ({
        symbol: market.symbol,
        orderId: order.view.orderId,
        clientOrderId: order.view.clientOrderId,
      })),
      orderReports: cancelled.map((order) => cancelResponse(market, order, generateClientOrderId(), timestampMs)),
    });
  };

  const account = async (request: RestRequest): Promise<RestResponse> => {
    const userId = userOf(request);
    const readAt = context.engine.lastSequence;
    const balances = context.engine.state.balancesOf(userId);
    const status = context.engine.state.userStatus(userId);
    // The state may be ahead of the journal: answer only once what was read is committed.
    await context.committed(readAt);
    const decimals = new Map(context.engine.state.assetCodes().map((asset) => [asset.asset, asset.decimals]));
    const omitZero = request.params.get('omitZeroBalances') === 'true';
    const rate = (bps: number) => (bps / 10_000).toFixed(8);
    const makerBps = status.makerBps;
    const takerBps = status.takerBps;
    return ok({
      makerCommission: makerBps,
      takerCommission: takerBps,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: rate(makerBps), taker: rate(takerBps), buyer: rate(0), seller: rate(0) },
      canTrade: !status.frozen,
      canWithdraw: !status.frozen,
      canDeposit: true,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: context.clock(),
      accountType: 'SPOT',
      balances: balances
        .map((balance) => {
          const places = decimals.get(balance.asset) ?? 8;
          return {
            asset: balance.asset,
            free: formatAmount(balance.availableMinor, places),
            locked: formatAmount(balance.lockedMinor, places),
          };
        })
        .filter((balance) => !omitZero || Number(balance.free) !== 0 || Number(balance.locked) !== 0),
      permissions: ['SPOT'],
      uid: userId,
    });
  };

  const weightOne = () => 1;
  return [
    {
      method: 'POST',
      path: '/api/v3/order',
      security: 'TRADE',
      weight: weightOne,
      countsAsOrder: true,
      handler: (r) => placeOrder(r, false),
    },
    {
      method: 'POST',
      path: '/api/v3/order/test',
      security: 'TRADE',
      weight: (p) => (p.get('computeCommissionRates') === 'true' ? 20 : 1),
      handler: (r) => placeOrder(r, true),
    },
    {
      method: 'GET',
      path: '/api/v3/order',
      security: 'USER_DATA',
      weight: () => 4,
      handler: async (r) => {
        const market = marketOf(context.markets, r.params);
        return ok(binanceOrder(market, await findOrder(context, userOf(r), market, r.params)));
      },
    },
    { method: 'DELETE', path: '/api/v3/order', security: 'TRADE', weight: weightOne, handler: cancelOrder },
    {
      method: 'POST',
      path: '/api/v3/order/cancelReplace',
      security: 'TRADE',
      weight: weightOne,
      countsAsOrder: true,
      handler: cancelReplace,
    },
    {
      method: 'PUT',
      path: '/api/v3/order/amend/keepPriority',
      security: 'TRADE',
      weight: () => 4,
      handler: amendKeepPriority,
    },
    {
      method: 'GET',
      path: '/api/v3/openOrders',
      security: 'USER_DATA',
      weight: (p) => (p.has('symbol') ? 6 : 80),
      handler: (r) => {
        const userId = userOf(r);
        const market = r.params.has('symbol') ? marketOf(context.markets, r.params) : null;
        const orders = context.tracker.openOrdersOf(userId, market?.symbol ?? null);
        return ok(orders.map((order) => binanceOrder(context.markets.get(order.view.symbol)!, order)));
      },
    },
    { method: 'DELETE', path: '/api/v3/openOrders', security: 'TRADE', weight: weightOne, handler: cancelOpenOrders },
    {
      method: 'GET',
      path: '/api/v3/allOrders',
      security: 'USER_DATA',
      weight: () => 20,
      handler: async (r) => ok(await allOrders(context, userOf(r), marketOf(context.markets, r.params), r.params)),
    },
    {
      method: 'GET',
      path: '/api/v3/myTrades',
      security: 'USER_DATA',
      weight: (p) => (p.has('orderId') ? 5 : 20),
      handler: async (r) => ok(await myTrades(context, userOf(r), marketOf(context.markets, r.params), r.params)),
    },
    {
      method: 'POST',
      path: '/api/v3/orderList/oco',
      security: 'TRADE',
      weight: weightOne,
      countsAsOrder: true,
      handler: (r) => placeOco(r, false),
    },
    {
      method: 'POST',
      path: '/api/v3/order/oco',
      security: 'TRADE',
      weight: weightOne,
      countsAsOrder: true,
      handler: (r) => placeOco(r, true),
    },
    { method: 'DELETE', path: '/api/v3/orderList', security: 'TRADE', weight: weightOne, handler: cancelOrderList },
    { method: 'GET', path: '/api/v3/account', security: 'USER_DATA', weight: () => 20, handler: account },
    {
      method: 'GET',
      path: '/api/v3/rateLimit/order',
      security: 'USER_DATA',
      weight: () => 40,
      handler: (r) => {
        const counts = context.rateLimiter.orderCounts(userOf(r), context.clock());
        const limits = context.rateLimiter.limits;
        return ok([
          {
            rateLimitType: 'ORDERS',
            interval: 'SECOND',
            intervalNum: 10,
            limit: limits.ordersPer10s,
            count: counts.count10s,
          },
          {
            rateLimitType: 'ORDERS',
            interval: 'DAY',
            intervalNum: 1,
            limit: limits.ordersPerDay,
            count: counts.countDay,
          },
        ]);
      },
    },
  ];
};

const formatAmount = (minor: bigint, decimals: number): string => {
  const negative = minor < 0n;
  let digits = (negative ? -minor : minor).toString();
  if (decimals === 0) return (negative ? '-' : '') + digits;
  digits = digits.padStart(decimals + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
};

/** order/test: every parameter check, and the static filters the engine would apply, without placing anything. */
const testOrderReply = (
  context: TradingContext,
  market: MarketFormat,
  userId: number,
  command: Extract<EngineCommand, { type: 'placeOrder' }>,
  params: Params,
) => {
  const rules = market.parameters;
  if (command.quantityLots !== undefined) {
    if (BigInt(command.quantityLots) < rules.minQtyLots || BigInt(command.quantityLots) > rules.maxQtyLots) {
      throw errors.filterFailure(command.orderType === 'MARKET' ? 'MARKET_LOT_SIZE' : 'LOT_SIZE');
    }
    if (command.priceTicks !== undefined) {
      const notional = BigInt(command.priceTicks) * BigInt(command.quantityLots) * rules.quoteMinorPerTickLot;
      if (notional < rules.minNotionalMinor) throw errors.filterFailure('NOTIONAL');
    }
  }
  if (context.engine.state.market(market.symbol)?.halted === true) throw errors.orderRejected('Market is closed.');
  if (params.get('computeCommissionRates') !== 'true') return {};
  const status = context.engine.state.userStatus(userId);
  const rate = (bps: number) => (bps / 10_000).toFixed(8);
  return {
    standardCommissionForOrder: { maker: rate(status.makerBps), taker: rate(status.takerBps) },
    taxCommissionForOrder: { maker: rate(0), taker: rate(0) },
    discount: { enabledForAccount: false, enabledForSymbol: false, discountAsset: null, discount: rate(0) },
  };
};

type OcoLegCommand = Extract<EngineCommand, { type: 'placeOco' }>['above'];
const ocoLegTypes = ['STOP_LOSS_LIMIT', 'STOP_LOSS', 'LIMIT_MAKER', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'] as const;

/** orderList/oco's `above*` and `below*` legs. */
const ocoLegs = (market: MarketFormat, params: Params): { above: OcoLegCommand; below: OcoLegCommand } => {
  const leg = (prefix: 'above' | 'below'): OcoLegCommand => {
    const orderType = optionalEnum(params, `${prefix}Type`, ocoLegTypes, errors.invalidOrderType);
    if (orderType === undefined) throw errors.mandatoryMissing(`${prefix}Type`);
    const fields = readOrderFields(market, params, orderType, prefix);
    return {
      clientOrderId: readClientOrderId(params, `${prefix}ClientOrderId`) ?? generateClientOrderId(),
      orderType,
      ...(fields.priceTicks === undefined ? {} : { priceTicks: fields.priceTicks }),
      ...(fields.stopPriceTicks === undefined ? {} : { stopPriceTicks: fields.stopPriceTicks }),
      ...(fields.timeInForce === undefined ? {} : { timeInForce: fields.timeInForce }),
    };
  };
  return { above: leg('above'), below: leg('below') };
};

/** The deprecated order/oco: a LIMIT_MAKER at `price` and a stop at `stopPrice` (limit at `stopLimitPrice`). */
const legacyOcoLegs = (
  market: MarketFormat,
  params: Params,
  side: 'BUY' | 'SELL',
): { above: OcoLegCommand; below: OcoLegCommand } => {
  const limit: OcoLegCommand = {
    clientOrderId: readClientOrderId(params, 'limitClientOrderId') ?? generateClientOrderId(),
    orderType: 'LIMIT_MAKER',
  };
  const price = readOrderFields(market, params, 'LIMIT_MAKER', '').priceTicks;
  if (price !== undefined) limit.priceTicks = price;
  const stopLimitPriceText = params.get('stopLimitPrice');
  const stopType = stopLimitPriceText === undefined ? 'STOP_LOSS' : 'STOP_LOSS_LIMIT';
  const stop: OcoLegCommand = {
    clientOrderId: readClientOrderId(params, 'stopClientOrderId') ?? generateClientOrderId(),
    orderType: stopType,
  };
  const renamed = new Map(params);
  if (stopLimitPriceText !== undefined) {
    renamed.set('price', stopLimitPriceText);
    const tif = params.get('stopLimitTimeInForce');
    if (tif === undefined) throw errors.mandatoryMissing('stopLimitTimeInForce');
    renamed.set('timeInForce', tif);
  } else {
    renamed.delete('price');
  }
  const stopFields = readOrderFields(market, renamed, stopType, '');
  if (stopFields.stopPriceTicks !== undefined) stop.stopPriceTicks = stopFields.stopPriceTicks;
  if (stopFields.priceTicks !== undefined) stop.priceTicks = stopFields.priceTicks;
  if (stopFields.timeInForce !== undefined) stop.timeInForce = stopFields.timeInForce;
  return side === 'SELL' ? { above: limit, below: stop } : { above: stop, below: limit };
};

export { orderTypes };
