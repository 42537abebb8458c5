// Pure rules shared by both books: the shape of a valid order, the market filters, the price band, stop
// triggers and cap arithmetic. They depend only on the command, the market rules and the last trade price,
// not on how a book stores its orders, so sharing them does not weaken the fast-versus-naive comparison;
// the scenario suite covers them directly.
import {
  BASIS_POINTS_PER_UNIT,
  NOTIONAL_MAX,
  ORDERS_PER_BOOK_MAX,
  PRICE_BAND_BPS_MAX,
  PRICE_TICKS_MAX,
  QUANTITY_LOTS_MAX,
} from '../limits.js';
import { OrderType, RejectReason, Side, TimeInForce, type MarketRules, type OrderSpec } from '../types.js';
import { assert } from './assert.js';

/** A price above every valid price: the limit of a market BUY. (A market SELL's limit is 0.) */
export const PRICE_UNBOUNDED = PRICE_TICKS_MAX + 1;

export const DEFAULT_RULES: Readonly<MarketRules> = Object.freeze({
  quantityLotsMin: 1,
  quantityLotsMax: QUANTITY_LOTS_MAX,
  priceTicksMin: 1,
  priceTicksMax: PRICE_TICKS_MAX,
  notionalMin: 0,
  priceBandBps: 0,
});

export function isPositiveSafeInteger(value: unknown): value is number {
  // Checked on every field of every order: small integers take the one-comparison int32 path.
  if (typeof value !== 'number' || !(value > 0)) return false;
  return value <= 0x7fffffff ? (value | 0) === value : Number.isSafeInteger(value);
}

function isAbsent(value: number | undefined): boolean {
  return value === undefined || value === 0;
}

function isAbsentOrPositive(value: number | undefined): boolean {
  return value === undefined || value === 0 || isPositiveSafeInteger(value);
}

/** Fills defaults and checks the rules; a bad market configuration is a programming error, so it throws. */
export function normalizeRules(partial: Partial<MarketRules> = {}): MarketRules {
  const rules: MarketRules = { ...DEFAULT_RULES };
  for (const key of Object.keys(DEFAULT_RULES) as (keyof MarketRules)[]) {
    const value = partial[key];
    if (value !== undefined) rules[key] = value;
  }
  assert(
    isPositiveSafeInteger(rules.quantityLotsMin) &&
      isPositiveSafeInteger(rules.quantityLotsMax) &&
      rules.quantityLotsMin <= rules.quantityLotsMax &&
      rules.quantityLotsMax <= QUANTITY_LOTS_MAX,
    'market rules: need 1 <= quantityLotsMin <= quantityLotsMax <= QUANTITY_LOTS_MAX',
  );
  assert(
    isPositiveSafeInteger(rules.priceTicksMin) &&
      isPositiveSafeInteger(rules.priceTicksMax) &&
      rules.priceTicksMin <= rules.priceTicksMax &&
      rules.priceTicksMax <= PRICE_TICKS_MAX,
    'market rules: need 1 <= priceTicksMin <= priceTicksMax <= PRICE_TICKS_MAX',
  );
  assert(
    Number.isSafeInteger(rules.notionalMin) && rules.notionalMin >= 0 && rules.notionalMin <= NOTIONAL_MAX,
    'market rules: need 0 <= notionalMin <= NOTIONAL_MAX',
  );
  assert(
    Number.isSafeInteger(rules.priceBandBps) && rules.priceBandBps >= 0 && rules.priceBandBps <= PRICE_BAND_BPS_MAX,
    'market rules: need 0 <= priceBandBps <= PRICE_BAND_BPS_MAX',
  );
  return rules;
}

/** A book's own live-order limit: positive and within ORDERS_PER_BOOK_MAX (which keeps level totals exact). */
export function checkedLiveOrdersMax(liveOrdersMax: number): number {
  assert(
    isPositiveSafeInteger(liveOrdersMax) && liveOrdersMax <= ORDERS_PER_BOOK_MAX,
    'liveOrdersMax: need 1 <= liveOrdersMax <= ORDERS_PER_BOOK_MAX',
  );
  return liveOrdersMax;
}

export function isStopType(type: number): boolean {
  return (
    type === OrderType.STOP_LOSS ||
    type === OrderType.STOP_LOSS_LIMIT ||
    type === OrderType.TAKE_PROFIT ||
    type === OrderType.TAKE_PROFIT_LIMIT
  );
}

/** Types that carry a limit price (and so may rest in the book). */
export function hasLimitPrice(type: number): boolean {
  return (
    type === OrderType.LIMIT ||
    type === OrderType.LIMIT_MAKER ||
    type === OrderType.STOP_LOSS_LIMIT ||
    type === OrderType.TAKE_PROFIT_LIMIT
  );
}

/** Stops that trigger when the last price rises to the stop: BUY STOP_LOSS*, SELL TAKE_PROFIT*. */
export function triggersOnRise(side: number, type: number): boolean {
  const stopLoss = type === OrderType.STOP_LOSS || type === OrderType.STOP_LOSS_LIMIT;
  return stopLoss === (side === Side.BUY);
}

/** Whether a stop's condition holds at the last trade price (0 = no trade yet: never). */
export function stopTriggered(side: number, type: number, stopPriceTicks: number, lastPriceTicks: number): boolean {
  if (lastPriceTicks === 0) return false;
  return triggersOnRise(side, type) ? lastPriceTicks >= stopPriceTicks : lastPriceTicks <= stopPriceTicks;
}

/** The time in force the book keeps: GTC by default for limit-priced types, 0 for market types. */
export function effectiveTimeInForce(spec: OrderSpec): number {
  if (!hasLimitPrice(spec.type)) return 0;
  const tif = spec.timeInForce ?? 0;
  return tif === 0 ? TimeInForce.GTC : tif;
}

/**
 * Lowest price a taker may trade at, and lowest acceptable limit or stop price: ceil(last * (1 - band)).
 * 0 when the band is off or there is no last price. Products stay below 2^46, so doubles are exact.
 */
export function priceBandLowTicks(rules: MarketRules, lastPriceTicks: number): number {
  if (rules.priceBandBps === 0 || lastPriceTicks === 0) return 0;
  return Math.ceil((lastPriceTicks * (BASIS_POINTS_PER_UNIT - rules.priceBandBps)) / BASIS_POINTS_PER_UNIT);
}

/** Highest price a taker may trade at: floor(last * (1 + band)); PRICE_UNBOUNDED when off. */
export function priceBandHighTicks(rules: MarketRules, lastPriceTicks: number): number {
  if (rules.priceBandBps === 0 || lastPriceTicks === 0) return PRICE_UNBOUNDED;
  return Math.floor((lastPriceTicks * (BASIS_POINTS_PER_UNIT + rules.priceBandBps)) / BASIS_POINTS_PER_UNIT);
}

/**
 * How many whole lots at priceTicks fit in a notional budget: floor(room / price), exactly. The division of
 * two safe integers can round up to the next integer, so the result is corrected by one multiplication.
 * Infinity (no budget) stays Infinity.
 */
export function lotsWithinNotional(notionalRoom: number, priceTicks: number): number {
  if (notionalRoom === Infinity) return Infinity;
  let lots = Math.floor(notionalRoom / priceTicks);
  if (lots * priceTicks > notionalRoom) lots -= 1;
  return lots;
}

/** INVALID_ORDER unless the fields form a well-typed order of its type. */
export function orderShapeReason(spec: OrderSpec): RejectReason | 0 {
  if (!isPositiveSafeInteger(spec.orderId) || !isPositiveSafeInteger(spec.ownerId)) return RejectReason.INVALID_ORDER;
  if (spec.side !== Side.BUY && spec.side !== Side.SELL) return RejectReason.INVALID_ORDER;
  const stp = spec.stpMode;
  if (stp !== undefined && stp !== 0 && stp !== 1 && stp !== 2 && stp !== 3) return RejectReason.INVALID_ORDER;
  if (!isAbsentOrPositive(spec.quantityLotsCap)) return RejectReason.INVALID_ORDER;
  const notionalCap = spec.notionalCap;
  if (!isAbsentOrPositive(notionalCap) || (notionalCap ?? 0) > NOTIONAL_MAX) return RejectReason.INVALID_ORDER;
  const tif = spec.timeInForce ?? 0;
  const tifAbsent = tif === 0;
  const tifValid = tifAbsent || tif === TimeInForce.GTC || tif === TimeInForce.IOC || tif === TimeInForce.FOK;
  const price = spec.priceTicks;
  const stop = spec.stopPriceTicks;
  const quantity = spec.quantityLots;
  const quote = spec.quoteOrderQty;
  let valid: boolean;
  switch (spec.type) {
    case OrderType.LIMIT:
      valid = tifValid && isPositiveSafeInteger(price) && isAbsent(stop) && isAbsent(quote);
      valid = valid && isPositiveSafeInteger(quantity);
      break;
    case OrderType.LIMIT_MAKER:
      valid = (tifAbsent || tif === TimeInForce.GTC) && isPositiveSafeInteger(price) && isAbsent(stop);
      valid = valid && isAbsent(quote) && isPositiveSafeInteger(quantity);
      break;
    case OrderType.MARKET:
      // Exactly one of a base quantity and a quote budget.
      valid = tifAbsent && isAbsent(price) && isAbsent(stop);
      valid =
        valid &&
        (isPositiveSafeInteger(quantity)
          ? isAbsent(quote)
          : isAbsent(quantity) && isPositiveSafeInteger(quote) && quote <= NOTIONAL_MAX);
      break;
    case OrderType.STOP_LOSS:
    case OrderType.TAKE_PROFIT:
      valid = tifAbsent && isAbsent(price) && isPositiveSafeInteger(stop) && isAbsent(quote);
      valid = valid && isPositiveSafeInteger(quantity);
      break;
    case OrderType.STOP_LOSS_LIMIT:
    case OrderType.TAKE_PROFIT_LIMIT:
      valid = tifValid && isPositiveSafeInteger(price) && isPositiveSafeInteger(stop) && isAbsent(quote);
      valid = valid && isPositiveSafeInteger(quantity);
      break;
    default:
      valid = false;
  }
  return valid ? 0 : RejectReason.INVALID_ORDER;
}

function priceOutsideBand(priceTicks: number, lowTicks: number, highTicks: number): boolean {
  return priceTicks !== 0 && (priceTicks < lowTicks || priceTicks > highTicks);
}

/**
 * The market filters of a well-shaped order, in precedence order: quantity, price, notional, band, stop
 * trigger. Minimum notional is price x quantity, where the price is the limit price, else the stop price for
 * stop-market orders; a MARKET order by quantity is measured at the last trade price (Binance measures it at
 * an average price; we have no clock, so the last trade is the deterministic reference) and skipped before
 * the first trade; a MARKET order by quote budget is measured by its budget.
 */
export function orderFilterReason(spec: OrderSpec, rules: MarketRules, lastPriceTicks: number): RejectReason | 0 {
  const quantity = spec.quantityLots ?? 0;
  if (quantity !== 0) {
    if (quantity < rules.quantityLotsMin) return RejectReason.QUANTITY_BELOW_MIN;
    if (quantity > rules.quantityLotsMax) return RejectReason.QUANTITY_ABOVE_MAX;
  }
  const price = spec.priceTicks ?? 0;
  const stop = spec.stopPriceTicks ?? 0;
  if ((price !== 0 && price < rules.priceTicksMin) || (stop !== 0 && stop < rules.priceTicksMin)) {
    return RejectReason.PRICE_BELOW_MIN;
  }
  if (price > rules.priceTicksMax || stop > rules.priceTicksMax) return RejectReason.PRICE_ABOVE_MAX;
  if (rules.notionalMin > 0) {
    let notional: number;
    if (spec.type === OrderType.MARKET) {
      if (quantity === 0) notional = spec.quoteOrderQty ?? 0;
      else notional = lastPriceTicks === 0 ? Infinity : quantity * lastPriceTicks;
    } else {
      notional = (price !== 0 ? price : stop) * quantity;
    }
    // A product above 2^53 may be rounded, but only ever to a value far above any notionalMin.
    if (notional < rules.notionalMin) return RejectReason.NOTIONAL_BELOW_MIN;
  }
  if (rules.priceBandBps > 0 && lastPriceTicks !== 0) {
    const low = priceBandLowTicks(rules, lastPriceTicks);
    const high = priceBandHighTicks(rules, lastPriceTicks);
    if (priceOutsideBand(price, low, high) || priceOutsideBand(stop, low, high)) {
      return RejectReason.PRICE_OUTSIDE_BAND;
    }
  }
  if (stop !== 0 && stopTriggered(spec.side, spec.type, stop, lastPriceTicks)) return RejectReason.STOP_WOULD_TRIGGER;
  return 0;
}

/** INVALID_ORDER unless an amend names an order and a positive quantity, and its price is absent or positive. */
export function amendShapeReason(
  orderId: number,
  quantityLots: number,
  priceTicks: number | undefined,
): RejectReason | 0 {
  if (!isPositiveSafeInteger(orderId) || !isPositiveSafeInteger(quantityLots)) return RejectReason.INVALID_ORDER;
  return isAbsentOrPositive(priceTicks) ? 0 : RejectReason.INVALID_ORDER;
}

/** The filters an amended order must pass; the band only when the price changes (a reduction must not fail). */
export function amendFilterReason(
  quantityLots: number,
  priceTicks: number,
  priceChanged: boolean,
  rules: MarketRules,
  lastPriceTicks: number,
): RejectReason | 0 {
  if (quantityLots < rules.quantityLotsMin) return RejectReason.QUANTITY_BELOW_MIN;
  if (quantityLots > rules.quantityLotsMax) return RejectReason.QUANTITY_ABOVE_MAX;
  if (priceTicks < rules.priceTicksMin) return RejectReason.PRICE_BELOW_MIN;
  if (priceTicks > rules.priceTicksMax) return RejectReason.PRICE_ABOVE_MAX;
  if (rules.notionalMin > 0 && priceTicks * quantityLots < rules.notionalMin) return RejectReason.NOTIONAL_BELOW_MIN;
  if (priceChanged && rules.priceBandBps > 0 && lastPriceTicks !== 0) {
    const low = priceBandLowTicks(rules, lastPriceTicks);
    const high = priceBandHighTicks(rules, lastPriceTicks);
    if (priceOutsideBand(priceTicks, low, high)) return RejectReason.PRICE_OUTSIDE_BAND;
  }
  return 0;
}

/**
 * Structural checks of an OCO pair once each leg is well shaped: legs are LIMIT_MAKER or stops, at most one
 * LIMIT_MAKER (so at most one leg rests in the book and a taker sweep never removes liquidity it counted),
 * same owner, same side, different ids.
 */
export function ocoPairReason(first: OrderSpec, second: OrderSpec): RejectReason | 0 {
  const allowed = (type: number) => type === OrderType.LIMIT_MAKER || isStopType(type);
  if (!allowed(first.type) || !allowed(second.type)) return RejectReason.OCO_INVALID;
  if (first.type === OrderType.LIMIT_MAKER && second.type === OrderType.LIMIT_MAKER) return RejectReason.OCO_INVALID;
  if (first.ownerId !== second.ownerId || first.side !== second.side) return RejectReason.OCO_INVALID;
  if (first.orderId === second.orderId) return RejectReason.OCO_INVALID;
  return 0;
}
