// Turns Binance's new-order parameters into the engine's placeOrder command, validating them the way Binance
// does and with Binance's errors: which parameters each order type requires or refuses, enumerations, client
// order ids, and the PRICE_FILTER / LOT_SIZE precision checks (a price that is not a whole number of ticks).
// The engine then applies the remaining filters (min/max quantity, min notional, price band) and balances.
import { randomBytes } from 'node:crypto';
import type { OrderType, PlaceOrder, Side, StpMode, TimeInForce } from '@exbox/engine';
import { BinanceError, errors } from '../binance/errors.js';
import type { MarketFormat } from '../binance/format.js';
import { optionalDecimal, optionalEnum, optionalString, type Params } from '../binance/params.js';

export const orderTypes: readonly OrderType[] = [
  'LIMIT',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
  'LIMIT_MAKER',
];
export const stpModes: readonly StpMode[] = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'];
export const defaultStpMode: StpMode = 'EXPIRE_MAKER';
const timeInForces: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
const sides: readonly Side[] = ['BUY', 'SELL'];

const typesWithPrice = new Set<OrderType>(['LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT', 'LIMIT_MAKER']);
const typesWithTimeInForce = new Set<OrderType>(['LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);
const typesWithStopPrice = new Set<OrderType>(['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);

export type ResponseType = 'ACK' | 'RESULT' | 'FULL';

const clientOrderIdPattern = /^[a-zA-Z0-9\-_.]{1,36}$/;

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A random prefix per process and a counter: unique, and far cheaper than 22 random bytes per order. */
const idPrefix = Array.from(randomBytes(10), (byte) => idAlphabet[byte % idAlphabet.length]).join('');
let idCounter = 0;

/** Binance's own generated ids look like this: 22 characters of [A-Za-z0-9]. */
export const generateClientOrderId = (): string => {
  let counter = ++idCounter;
  let suffix = '';
  for (let i = 0; i < 12; i++) {
    suffix = idAlphabet[counter % 62]! + suffix;
    counter = Math.floor(counter / 62);
  }
  return idPrefix + suffix;
};

export const readClientOrderId = (params: Params, name: string): string | undefined => {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (value === '') throw errors.emptyClientOrderId();
  if (!clientOrderIdPattern.test(value)) throw errors.illegalChars(name, '^[a-zA-Z0-9-_.]{1,36}$');
  return value;
};

export const readSide = (params: Params, name = 'side'): Side => {
  const side = optionalEnum(params, name, sides, errors.invalidSide);
  if (side === undefined) throw errors.mandatoryMissing(name);
  return side;
};

export const readStpMode = (params: Params): StpMode =>
  optionalEnum(params, 'selfTradePreventionMode', stpModes, () => errors.invalidParameter('selfTradePreventionMode')) ??
  defaultStpMode;

/** A price in whole ticks: -1111 when it has more decimals than the quote asset, else PRICE_FILTER. */
export const readPriceTicks = (market: MarketFormat, params: Params, name: string): number | undefined => {
  const text = optionalDecimal(params, name);
  if (text === undefined) return undefined;
  if (decimalPlaces(text) > market.quoteDecimals) throw errors.badPrecision();
  const ticks = market.parsePrice(text);
  if (ticks === undefined) throw errors.filterFailure('PRICE_FILTER');
  if (ticks <= 0n) throw errors.invalidPrice();
  if (ticks > BigInt(Number.MAX_SAFE_INTEGER)) throw errors.filterFailure('PRICE_FILTER');
  return Number(ticks);
};

/** A quantity in whole lots: -1111 when it has more decimals than the base asset, else LOT_SIZE. */
export const readQuantityLots = (
  market: MarketFormat,
  params: Params,
  name: string,
  filter = 'LOT_SIZE',
): number | undefined => {
  const text = optionalDecimal(params, name);
  if (text === undefined) return undefined;
  if (decimalPlaces(text) > market.baseDecimals) throw errors.badPrecision();
  const lots = market.parseQuantity(text);
  if (lots === undefined) throw errors.filterFailure(filter);
  if (lots <= 0n) throw errors.invalidQuantity();
  if (lots > BigInt(Number.MAX_SAFE_INTEGER)) throw errors.filterFailure(filter);
  return Number(lots);
};

const decimalPlaces = (text: string): number => {
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  return text.replace(/0+$/, '').length - dot - 1;
};

export interface NewOrderRequest {
  command: PlaceOrder;
  responseType: ResponseType;
}

/** Validates Binance's POST /api/v3/order parameters and builds the engine command. */
export const readNewOrder = (market: MarketFormat, userId: number, params: Params): NewOrderRequest => {
  const side = readSide(params);
  const orderType = optionalEnum(params, 'type', orderTypes, errors.invalidOrderType);
  if (orderType === undefined) throw errors.mandatoryMissing('type');
  const order = readOrderFields(market, params, orderType, '');
  const clientOrderId = readClientOrderId(params, 'newClientOrderId') ?? generateClientOrderId();
  if (params.has('icebergQty') && params.get('icebergQty') !== '0')
    throw errors.orderRejected('Iceberg orders are not supported for this symbol.');
  const defaultResponse: ResponseType = orderType === 'MARKET' || orderType === 'LIMIT' ? 'FULL' : 'ACK';
  const responseType =
    optionalEnum<ResponseType>(params, 'newOrderRespType', ['ACK', 'RESULT', 'FULL'], () =>
      errors.invalidParameter('newOrderRespType'),
    ) ?? defaultResponse;
  return {
    command: {
      type: 'placeOrder',
      userId,
      symbol: market.symbol,
      clientOrderId,
      side,
      orderType,
      ...order,
      stpMode: readStpMode(params),
    },
    responseType,
  };
};

/**
 * The type-dependent fields of an order (shared by order, cancelReplace and the OCO legs, whose parameters carry
 * a prefix such as "above"). Binance's rules: LIMIT needs timeInForce, quantity and price; MARKET needs quantity
 * or quoteOrderQty (not both); stop types need stopPrice (trailingDelta is not supported); LIMIT_MAKER refuses
 * timeInForce.
 */
export const readOrderFields = (
  market: MarketFormat,
  params: Params,
  orderType: OrderType,
  prefix: string,
): Pick<PlaceOrder, 'timeInForce' | 'priceTicks' | 'stopPriceTicks' | 'quantityLots' | 'quoteOrderQtyMinor'> => {
  const name = (field: string) => (prefix === '' ? field : `${prefix}${field[0]!.toUpperCase()}${field.slice(1)}`);
  if (params.has(name('trailingDelta'))) throw errors.unsupportedOperation();
  const timeInForce = optionalEnum(params, name('timeInForce'), timeInForces, errors.invalidTif);
  if (typesWithTimeInForce.has(orderType)) {
    if (timeInForce === undefined) throw errors.mandatoryMissing(name('timeInForce'));
  } else if (timeInForce !== undefined && orderType !== 'MARKET') {
    throw errors.tifNotRequired();
  }
  const priceTicks = readPriceTicks(market, params, name('price'));
  if (typesWithPrice.has(orderType)) {
    if (priceTicks === undefined) throw errors.mandatoryMissing(name('price'));
  } else if (priceTicks !== undefined) {
    throw errors.paramNotRequired(name('price'));
  }
  const stopPriceTicks = readPriceTicks(market, params, name('stopPrice'));
  if (typesWithStopPrice.has(orderType)) {
    if (stopPriceTicks === undefined) throw errors.mandatoryMissing(name('stopPrice'));
  } else if (stopPriceTicks !== undefined) {
    throw errors.paramNotRequired(name('stopPrice'));
  }
  const fields: ReturnType<typeof readOrderFields> = {};
  if (orderType === 'MARKET') {
    const quantityLots = readQuantityLots(market, params, 'quantity', 'MARKET_LOT_SIZE');
    const quoteText = optionalDecimal(params, 'quoteOrderQty');
    if (quantityLots === undefined && quoteText === undefined) {
      throw new BinanceError(-1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
    }
    if (quantityLots !== undefined && quoteText !== undefined) throw errors.badCombination();
    if (quantityLots !== undefined) fields.quantityLots = quantityLots;
    if (quoteText !== undefined) {
      if (decimalPlaces(quoteText) > market.quoteDecimals) throw errors.badPrecision();
      const quoteMinor = market.parseQuoteAmount(quoteText);
      if (quoteMinor === undefined || quoteMinor <= 0n) throw errors.invalidQuantity();
      fields.quoteOrderQtyMinor = quoteMinor.toString();
    }
  } else {
    if (params.has('quoteOrderQty')) throw errors.paramNotRequired('quoteOrderQty');
    if (prefix === '') {
      const quantityLots = readQuantityLots(market, params, 'quantity');
      if (quantityLots === undefined) throw errors.mandatoryMissing('quantity');
      fields.quantityLots = quantityLots;
    }
  }
  if (timeInForce !== undefined && typesWithTimeInForce.has(orderType)) fields.timeInForce = timeInForce;
  if (priceTicks !== undefined) fields.priceTicks = priceTicks;
  if (stopPriceTicks !== undefined) fields.stopPriceTicks = stopPriceTicks;
  return fields;
};

export const readOptionalOrderId = (params: Params, name: string): number | undefined => {
  const text = optionalString(params, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text)) throw errors.illegalChars(name, '^[0-9]{1,20}$');
  return Number(text);
};
