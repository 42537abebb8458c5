// The engine's closed set of commands. A command is plain JSON exactly as journaled: integers for ticks, lots
// and ids; decimal strings of minor units for amounts (bigint does not survive JSON); no floats anywhere.
// The gateway converts decimal API input into these units using the market's parameters.

export type Side = 'BUY' | 'SELL';
export type OrderType =
  'LIMIT' | 'MARKET' | 'LIMIT_MAKER' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type StpMode = 'NONE' | 'EXPIRE_TAKER' | 'EXPIRE_MAKER' | 'EXPIRE_BOTH';

/** An asset as the engine knows it; `decimals` fixes its minor unit. */
export interface DefineAsset {
  type: 'defineAsset';
  asset: string;
  decimals: number;
}

/** A market in integer units (see @exbox/config's derived market parameters). Redefining updates its filters. */
export interface DefineMarket {
  type: 'defineMarket';
  symbol: string;
  base: string;
  quote: string;
  /** Quote minor units paid for one lot at a price of one tick. */
  quoteMinorPerTickLot: string;
  /** Base minor units in one lot. */
  baseMinorPerLot: string;
  minQuantityLots: number;
  maxQuantityLots: number;
  /** Smallest order value, in quote minor units. */
  minNotionalMinor: string;
  /** How far (basis points) from the last trade price an order may be priced or trade; 0 turns the band off. */
  priceBandBps: number;
  maxPriceTicks: number;
}

export interface DefineFeeTier {
  type: 'defineFeeTier';
  tier: string;
  makerBps: number;
  takerBps: number;
  /** The tier of users who were never given one. */
  isDefault: boolean;
}

export interface PlaceOrder {
  type: 'placeOrder';
  userId: number;
  symbol: string;
  /** Unique among the user's open orders; the gateway generates one when the client sends none. */
  clientOrderId: string;
  side: Side;
  orderType: OrderType;
  timeInForce?: TimeInForce;
  priceTicks?: number;
  stopPriceTicks?: number;
  quantityLots?: number;
  /** MARKET only: spend (BUY) or receive (SELL) this much quote instead of a base quantity. */
  quoteOrderQtyMinor?: string;
  stpMode?: StpMode;
}

export interface CancelOrder {
  type: 'cancelOrder';
  userId: number;
  symbol: string;
  orderId?: number;
  clientOrderId?: string;
}

export interface CancelAllOrders {
  type: 'cancelAllOrders';
  userId: number;
  symbol: string;
}

/** Binance's cancelReplace: cancel one order and place another, atomically. */
export interface ReplaceOrder {
  type: 'replaceOrder';
  userId: number;
  symbol: string;
  cancelOrderId?: number;
  cancelClientOrderId?: string;
  /** STOP_ON_FAILURE: a failed cancel places nothing. ALLOW_FAILURE: place even if the cancel failed. */
  mode: 'STOP_ON_FAILURE' | 'ALLOW_FAILURE';
  order: Omit<PlaceOrder, 'type' | 'userId' | 'symbol'>;
}

/** Changes an open order's quantity down in place, keeping its time priority. */
export interface AmendOrder {
  type: 'amendOrder';
  userId: number;
  symbol: string;
  orderId: number;
  newQuantityLots: number;
}

export interface OcoLeg {
  clientOrderId: string;
  orderType: 'LIMIT_MAKER' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT' | 'LIMIT';
  priceTicks?: number;
  stopPriceTicks?: number;
  timeInForce?: TimeInForce;
}

export interface PlaceOco {
  type: 'placeOco';
  userId: number;
  symbol: string;
  listClientOrderId: string;
  side: Side;
  quantityLots: number;
  above: OcoLeg;
  below: OcoLeg;
  stpMode?: StpMode;
}

export interface CancelOrderList {
  type: 'cancelOrderList';
  userId: number;
  symbol: string;
  orderListId?: number;
  listClientOrderId?: string;
}

export interface CreditDeposit {
  type: 'creditDeposit';
  userId: number;
  asset: string;
  amountMinor: string;
  /** External idempotency key (chain transaction and output, or a bank reference): credited at most once. */
  depositId: string;
}

export interface HoldWithdrawal {
  type: 'holdWithdrawal';
  userId: number;
  asset: string;
  /** What leaves the user's balance: the payout plus the fee. */
  amountMinor: string;
  /** Part of amountMinor kept as the exchange's fee when the withdrawal settles; "0" when absent. */
  feeMinor?: string;
  withdrawalId: string;
}

export interface ReleaseWithdrawal {
  type: 'releaseWithdrawal';
  withdrawalId: string;
}

export interface SettleWithdrawal {
  type: 'settleWithdrawal';
  withdrawalId: string;
}

export interface AdjustBalance {
  type: 'adjustBalance';
  userId: number;
  asset: string;
  /** Signed decimal string of minor units. */
  deltaMinor: string;
  reason: string;
  staffId: number;
}

export interface HaltMarket {
  type: 'haltMarket' | 'resumeMarket';
  symbol: string;
  reason: string;
}

export interface FreezeUser {
  type: 'freezeUser' | 'unfreezeUser';
  userId: number;
  reason: string;
}

export interface SetUserFeeTier {
  type: 'setUserFeeTier';
  userId: number;
  tier: string;
}

export type EngineCommand =
  | DefineAsset
  | DefineMarket
  | DefineFeeTier
  | PlaceOrder
  | CancelOrder
  | CancelAllOrders
  | ReplaceOrder
  | AmendOrder
  | PlaceOco
  | CancelOrderList
  | CreditDeposit
  | HoldWithdrawal
  | ReleaseWithdrawal
  | SettleWithdrawal
  | AdjustBalance
  | HaltMarket
  | FreezeUser
  | SetUserFeeTier;

export type EngineCommandType = EngineCommand['type'];
