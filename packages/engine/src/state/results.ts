// What the engine answers: a closed set of rejection codes (precedence order: the first that applies is
// reported) and one discriminated union of events. The gateway translates codes into Binance errors; the
// follower turns events into projection rows. Every event carries the sequence of the command that made it.
import type { OrderType, Side, StpMode, TimeInForce } from '../commands.js';

export const RejectCode = {
  /** The command is malformed: a missing field, a wrong type, an id or amount out of range. */
  INVALID_COMMAND: 'INVALID_COMMAND',
  UNKNOWN_ASSET: 'UNKNOWN_ASSET',
  UNKNOWN_MARKET: 'UNKNOWN_MARKET',
  UNKNOWN_FEE_TIER: 'UNKNOWN_FEE_TIER',
  /** A definition would change what existing amounts mean (an asset's decimals, a market's units or assets). */
  CONFIG_CONFLICT: 'CONFIG_CONFLICT',
  MARKET_HALTED: 'MARKET_HALTED',
  USER_FROZEN: 'USER_FROZEN',
  DUPLICATE_CLIENT_ORDER_ID: 'DUPLICATE_CLIENT_ORDER_ID',
  UNKNOWN_ORDER: 'UNKNOWN_ORDER',
  UNKNOWN_ORDER_LIST: 'UNKNOWN_ORDER_LIST',
  ORDER_NOT_AMENDABLE: 'ORDER_NOT_AMENDABLE',
  OCO_INVALID: 'OCO_INVALID',
  QUANTITY_BELOW_MIN: 'QUANTITY_BELOW_MIN',
  QUANTITY_ABOVE_MAX: 'QUANTITY_ABOVE_MAX',
  PRICE_BELOW_MIN: 'PRICE_BELOW_MIN',
  PRICE_ABOVE_MAX: 'PRICE_ABOVE_MAX',
  NOTIONAL_BELOW_MIN: 'NOTIONAL_BELOW_MIN',
  PRICE_OUTSIDE_BAND: 'PRICE_OUTSIDE_BAND',
  STOP_WOULD_TRIGGER: 'STOP_WOULD_TRIGGER',
  POST_ONLY_WOULD_TRADE: 'POST_ONLY_WOULD_TRADE',
  BOOK_FULL: 'BOOK_FULL',
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
  DUPLICATE_DEPOSIT: 'DUPLICATE_DEPOSIT',
  DUPLICATE_WITHDRAWAL: 'DUPLICATE_WITHDRAWAL',
  UNKNOWN_WITHDRAWAL: 'UNKNOWN_WITHDRAWAL',
  /** A balance would exceed what numeric(38,0) stores. */
  AMOUNT_LIMIT_EXCEEDED: 'AMOUNT_LIMIT_EXCEEDED',
} as const;
export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode];

/** Binance's order statuses, which the engine uses as they are. */
export type OrderStatus =
  'NEW' | 'PENDING_NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';

/** Why an order ended, finer than its status (the gateway reports it; tests assert it). */
export type DoneReason =
  'FILLED' | 'CANCELED' | 'EXPIRED' | 'FOK_NOT_FILLABLE' | 'STP' | 'OCO' | 'PRICE_BAND' | 'CAP' | 'FROZEN';

export interface OrderView {
  orderId: number;
  userId: number;
  symbol: string;
  clientOrderId: string;
  /** -1 when the order is not part of a list. */
  orderListId: number;
  side: Side;
  orderType: OrderType;
  timeInForce: TimeInForce;
  /** 0 when absent. */
  priceTicks: number;
  stopPriceTicks: number;
  quantityLots: number;
  /** "0" when absent. */
  quoteOrderQtyMinor: string;
  stpMode: StpMode;
  executedLots: number;
  cumulativeQuoteMinor: bigint;
  status: OrderStatus;
  /** When the order was accepted and when it entered the book (triggered stops enter later). */
  createdAtMs: number;
  workingAtMs: number;
}

export interface TradeSide {
  orderId: number;
  userId: number;
  clientOrderId: string;
  /** The order's totals after this trade. */
  executedLots: number;
  cumulativeQuoteMinor: bigint;
  status: OrderStatus;
  /** Charged in what this side received: base for the buyer, quote for the seller. */
  feeMinor: bigint;
  isMaker: boolean;
}

export type EngineEvent =
  | { type: 'orderAccepted'; seq: number; order: OrderView }
  | {
      type: 'trade';
      seq: number;
      symbol: string;
      tradeId: number;
      priceTicks: number;
      quantityLots: number;
      baseMinor: bigint;
      quoteMinor: bigint;
      takerSide: Side;
      buy: TradeSide;
      sell: TradeSide;
      timeMs: number;
    }
  | {
      type: 'orderDone';
      seq: number;
      orderId: number;
      userId: number;
      symbol: string;
      clientOrderId: string;
      status: OrderStatus;
      reason: DoneReason;
      executedLots: number;
      cumulativeQuoteMinor: bigint;
    }
  | { type: 'orderTriggered'; seq: number; orderId: number; userId: number; symbol: string }
  | {
      type: 'orderAmended';
      seq: number;
      orderId: number;
      userId: number;
      symbol: string;
      priceTicks: number;
      quantityLots: number;
      priorityKept: boolean;
    }
  | {
      type: 'orderListStatus';
      seq: number;
      orderListId: number;
      listClientOrderId: string;
      userId: number;
      symbol: string;
      orderIds: readonly number[];
      listStatus: 'EXEC_STARTED' | 'ALL_DONE';
      listOrderStatus: 'EXECUTING' | 'ALL_DONE';
    }
  | { type: 'bookDelta'; seq: number; symbol: string; side: Side; priceTicks: number; quantityLots: number }
  | { type: 'balances'; seq: number; userId: number; balances: readonly BalanceView[] }
  | {
      type: 'balanceUpdate';
      seq: number;
      userId: number;
      asset: string;
      deltaMinor: bigint;
      cause: 'DEPOSIT' | 'WITHDRAWAL' | 'WITHDRAWAL_RELEASE' | 'ADJUSTMENT';
    }
  | { type: 'transfer'; seq: number; transfer: TransferView }
  | { type: 'marketStatus'; seq: number; symbol: string; status: 'TRADING' | 'HALT'; reason: string }
  | { type: 'userStatus'; seq: number; userId: number; frozen: boolean; reason: string }
  | { type: 'defined'; seq: number; what: 'asset' | 'market' | 'feeTier'; name: string };

export interface BalanceView {
  asset: string;
  availableMinor: bigint;
  lockedMinor: bigint;
  withdrawingMinor: bigint;
}

export interface TransferView {
  id: number;
  debitOwnerId: number;
  debitBucket: string;
  creditOwnerId: number;
  creditBucket: string;
  asset: string;
  amountMinor: bigint;
  code: string;
  reference: number;
  /** 0 and 'NONE' for plain transfers. */
  holdId: number;
  holdAction: string;
  memo: string | null;
  externalKey: string | null;
}

/**
 * OK: applied. REJECTED: nothing changed. PARTIALLY_FAILED: only for replaceOrder, when the cancel succeeded and
 * the new order was refused by the book (Binance's "Order cancel-replace partially failed"); `events` hold the cancel.
 */
export type EngineResult =
  | { status: 'OK'; events: EngineEvent[] }
  | { status: 'REJECTED'; code: RejectCode; message: string; events: EngineEvent[] }
  | { status: 'PARTIALLY_FAILED'; code: RejectCode; message: string; events: EngineEvent[] };
