// Orders, trades and user-data events in Binance's exact shapes: decimals as strings with the asset's
// decimals, ids and times as integers, Binance's field names (including its `cummulativeQuoteQty` spelling).
import type { EngineEvent, OrderView, TradeSide } from '@exbox/engine';
import type { MarketFormat } from '../binance/format.js';
import type { TrackedOrder, TrackedTrade } from './order-tracker.js';

/** An order as Binance's GET /api/v3/order returns it. */
export interface BinanceOrder {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  stopPrice: string;
  icebergQty: string;
  time: number;
  updateTime: number;
  isWorking: boolean;
  workingTime: number;
  origQuoteOrderQty: string;
  selfTradePreventionMode: string;
}

/** Binance reports GTC for order types that take no timeInForce. */
const reportedTimeInForce = (view: Pick<OrderView, 'orderType' | 'timeInForce'>): string =>
  view.orderType === 'LIMIT' || view.orderType === 'STOP_LOSS_LIMIT' || view.orderType === 'TAKE_PROFIT_LIMIT'
    ? view.timeInForce
    : 'GTC';

export const binanceOrder = (market: MarketFormat, tracked: TrackedOrder): BinanceOrder => {
  const view = tracked.view;
  return {
    symbol: view.symbol,
    orderId: view.orderId,
    orderListId: view.orderListId,
    clientOrderId: view.clientOrderId,
    price: market.price(view.priceTicks),
    origQty: market.quantity(view.quantityLots),
    executedQty: market.quantity(view.executedLots),
    cummulativeQuoteQty: market.quoteAmount(view.cumulativeQuoteMinor),
    status: view.status,
    timeInForce: reportedTimeInForce(view),
    type: view.orderType,
    side: view.side,
    stopPrice: market.price(view.stopPriceTicks),
    icebergQty: market.quantity(0),
    time: view.createdAtMs,
    updateTime: tracked.updatedMs,
    isWorking: tracked.isWorking,
    workingTime: tracked.isWorking ? view.workingAtMs : -1,
    origQuoteOrderQty: market.quoteAmount(BigInt(view.quoteOrderQtyMinor)),
    selfTradePreventionMode: view.stpMode,
  };
};

/** One row of the `orders` projection table. */
export interface OrderRow {
  order_id: string | number;
  user_id: string | number;
  symbol: string;
  client_order_id: string;
  order_list_id: string | number;
  side: string;
  type: string;
  time_in_force: string;
  price_ticks: string | number;
  stop_price_ticks: string | number;
  quantity_lots: string | number;
  quote_order_qty_minor: string;
  executed_lots: string | number;
  cumulative_quote_minor: string;
  status: string;
  stp_mode: string;
  updated_seq: string | number;
  created_ms: number;
  updated_ms: number;
}

export const trackedFromRow = (row: OrderRow): TrackedOrder => ({
  view: {
    orderId: Number(row.order_id),
    userId: Number(row.user_id),
    symbol: row.symbol,
    clientOrderId: row.client_order_id,
    orderListId: Number(row.order_list_id),
    side: row.side as OrderView['side'],
    orderType: row.type as OrderView['orderType'],
    timeInForce: row.time_in_force as OrderView['timeInForce'],
    priceTicks: Number(row.price_ticks),
    stopPriceTicks: Number(row.stop_price_ticks),
    quantityLots: Number(row.quantity_lots),
    quoteOrderQtyMinor: String(row.quote_order_qty_minor),
    stpMode: row.stp_mode as OrderView['stpMode'],
    executedLots: Number(row.executed_lots),
    cumulativeQuoteMinor: BigInt(row.cumulative_quote_minor),
    status: row.status as OrderView['status'],
    createdAtMs: Math.round(row.created_ms),
    workingAtMs: Math.round(row.created_ms),
  },
  updatedMs: Math.round(row.updated_ms),
  updatedSeq: Number(row.updated_seq),
  isWorking: true,
});

/** The asset a side's fee is charged in: what it received (base for the buyer, quote for the seller). */
export const commissionAsset = (market: MarketFormat, isBuyer: boolean): string =>
  isBuyer ? market.base : market.quote;

export const commission = (market: MarketFormat, isBuyer: boolean, feeMinor: bigint): string =>
  isBuyer ? market.baseAmount(feeMinor) : market.quoteAmount(feeMinor);

/** Binance's myTrades row. */
export const binanceMyTrade = (market: MarketFormat, trade: TrackedTrade) => ({
  symbol: trade.symbol,
  id: trade.tradeId,
  orderId: trade.orderId,
  orderListId: trade.orderListId,
  price: market.price(trade.priceTicks),
  qty: market.quantity(trade.quantityLots),
  quoteQty: market.quoteAmount(trade.quoteMinor),
  commission: commission(market, trade.isBuyer, trade.feeMinor),
  commissionAsset: commissionAsset(market, trade.isBuyer),
  time: trade.timeMs,
  isBuyer: trade.isBuyer,
  isMaker: trade.isMaker,
  isBestMatch: true,
});

/** One `fills` entry of a FULL order response. */
export const binanceFill = (market: MarketFormat, trade: Extract<EngineEvent, { type: 'trade' }>, side: TradeSide) => {
  const isBuyer = side === trade.buy;
  return {
    price: market.price(trade.priceTicks),
    qty: market.quantity(trade.quantityLots),
    commission: commission(market, isBuyer, side.feeMinor),
    commissionAsset: commissionAsset(market, isBuyer),
    tradeId: trade.tradeId,
  };
};

/** The executionReport of Binance's user data stream, every field. */
export const executionReport = (
  market: MarketFormat,
  order: TrackedOrder,
  eventTimeMs: number,
  executionType: string,
  trade?: { event: Extract<EngineEvent, { type: 'trade' }>; side: TradeSide },
) => {
  const view = order.view;
  const isBuyer = trade !== undefined && trade.side === trade.event.buy;
  const canceled = executionType === 'CANCELED';
  return {
    e: 'executionReport',
    E: eventTimeMs,
    s: view.symbol,
    c: view.clientOrderId,
    S: view.side,
    o: view.orderType,
    f: reportedTimeInForce(view),
    q: market.quantity(view.quantityLots),
    p: market.price(view.priceTicks),
    P: market.price(view.stopPriceTicks),
    F: market.quantity(0),
    g: view.orderListId,
    C: canceled ? view.clientOrderId : '',
    x: executionType,
    X: view.status,
    r: 'NONE',
    i: view.orderId,
    l: trade === undefined ? market.quantity(0) : market.quantity(trade.event.quantityLots),
    z: market.quantity(view.executedLots),
    L: trade === undefined ? market.price(0) : market.price(trade.event.priceTicks),
    n: trade === undefined ? '0' : commission(market, isBuyer, trade.side.feeMinor),
    N: trade === undefined ? null : commissionAsset(market, isBuyer),
    T: trade === undefined ? eventTimeMs : trade.event.timeMs,
    t: trade === undefined ? -1 : trade.event.tradeId,
    I: view.orderId * 2 + (trade === undefined ? 0 : 1),
    w: order.isWorking && !['FILLED', 'CANCELED', 'EXPIRED', 'EXPIRED_IN_MATCH', 'REJECTED'].includes(view.status),
    m: trade === undefined ? false : trade.side.isMaker,
    M: false,
    O: view.createdAtMs,
    Z: market.quoteAmount(view.cumulativeQuoteMinor),
    Y: trade === undefined ? market.quoteAmount(0) : market.quoteAmount(trade.event.quoteMinor),
    Q: market.quoteAmount(BigInt(view.quoteOrderQtyMinor)),
    W: order.isWorking ? view.workingAtMs : -1,
    V: view.stpMode,
  };
};
