// The order form's checks, run on every keystroke: the same filters the gateway applies (tick, step, min/max
// quantity, min notional), plus the refusals a user can see coming (a LIMIT_MAKER that would cross, a stop that
// would trigger at once). Pure: the form passes the draft, the rules and the live prices.
import { formatTrimmed, isMultipleOf, multiplyUnits, parseUnits } from './decimal';
import type { MarketRules } from './market-rules';

export const orderTypes = [
  'LIMIT',
  'MARKET',
  'LIMIT_MAKER',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
] as const;
export type OrderType = (typeof orderTypes)[number];
export type OrderSide = 'BUY' | 'SELL';
/** A MARKET-style order is sized by base quantity or, for MARKET only, by quote amount (quoteOrderQty). */
export type SizeMode = 'quantity' | 'quote';

export interface OrderDraft {
  side: OrderSide;
  type: OrderType;
  price: string;
  stopPrice: string;
  quantity: string;
  quoteAmount: string;
  sizeMode: SizeMode;
}

export interface MarketPrices {
  lastUnits: bigint | null;
  bestBidUnits: bigint | null;
  bestAskUnits: bigint | null;
}

export type DraftField = 'price' | 'stopPrice' | 'quantity' | 'quoteAmount' | 'total';

export interface DraftCheck {
  /** Problems that the gateway would refuse, by field. */
  errors: Partial<Record<DraftField, string>>;
  /** Likely surprises that are not refusals. */
  warnings: string[];
  /** Estimated quote total (price x quantity), when known. */
  totalUnits: bigint | null;
  /** The Binance parameters this draft would send, when it has no errors. */
  params: Record<string, string> | null;
}

export function hasLimitPrice(type: OrderType): boolean {
  return type === 'LIMIT' || type === 'LIMIT_MAKER' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT_LIMIT';
}

export function hasStopPrice(type: OrderType): boolean {
  return type === 'STOP_LOSS' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT' || type === 'TAKE_PROFIT_LIMIT';
}

/** Only MARKET orders may be sized by quote amount (quoteOrderQty), as on Binance. */
export function allowsQuoteSize(type: OrderType): boolean {
  return type === 'MARKET';
}

function checkPrice(text: string, rules: MarketRules, label: string): { units: bigint | null; error?: string } {
  if (text.trim() === '') return { units: null, error: `Enter a ${label}` };
  const value = parseUnits(text);
  if (value === null) return { units: null, error: `${capitalise(label)} must be a number such as 42000.5` };
  if (value <= 0n) return { units: null, error: `${capitalise(label)} must be above zero` };
  if (!isMultipleOf(value, rules.tickUnits))
    return { units: value, error: `Use steps of ${formatTrimmed(rules.tickUnits)}` };
  if (value < rules.minPriceUnits) return { units: value, error: `At least ${formatTrimmed(rules.minPriceUnits)}` };
  if (rules.maxPriceUnits > 0n && value > rules.maxPriceUnits)
    return { units: value, error: `At most ${formatTrimmed(rules.maxPriceUnits)}` };
  return { units: value };
}

function checkQuantity(text: string, rules: MarketRules, market: boolean): { units: bigint | null; error?: string } {
  if (text.trim() === '') return { units: null, error: 'Enter an amount' };
  const value = parseUnits(text);
  if (value === null) return { units: null, error: 'Amount must be a number such as 0.5' };
  if (value <= 0n) return { units: null, error: 'Amount must be above zero' };
  if (!isMultipleOf(value, rules.stepUnits))
    return { units: value, error: `Use steps of ${formatTrimmed(rules.stepUnits)}` };
  const min = market ? rules.marketMinQtyUnits : rules.minQtyUnits;
  const max = market ? rules.marketMaxQtyUnits : rules.maxQtyUnits;
  if (value < min) return { units: value, error: `At least ${formatTrimmed(min)} ${rules.baseAsset}` };
  if (max > 0n && value > max) return { units: value, error: `At most ${formatTrimmed(max)} ${rules.baseAsset}` };
  return { units: value };
}

export function checkDraft(draft: OrderDraft, rules: MarketRules, prices: MarketPrices): DraftCheck {
  const errors: DraftCheck['errors'] = {};
  const warnings: string[] = [];
  const params: Record<string, string> = { symbol: rules.symbol, side: draft.side, type: draft.type };
  const limit = hasLimitPrice(draft.type);
  const bySize = allowsQuoteSize(draft.type) && draft.sizeMode === 'quote' ? 'quote' : 'quantity';

  let priceUnits: bigint | null = null;
  if (limit) {
    const price = checkPrice(draft.price, rules, 'price');
    priceUnits = price.units;
    if (price.error !== undefined) errors.price = price.error;
    else params['price'] = draft.price.trim();
  }
  if (hasStopPrice(draft.type)) {
    const stop = checkPrice(draft.stopPrice, rules, 'stop price');
    if (stop.error !== undefined) errors.stopPrice = stop.error;
    else params['stopPrice'] = draft.stopPrice.trim();
    const last = prices.lastUnits;
    if (stop.units !== null && last !== null && stop.error === undefined) {
      const stopLoss = draft.type === 'STOP_LOSS' || draft.type === 'STOP_LOSS_LIMIT';
      // A stop-loss buy triggers when the price rises to the stop; a take-profit buy when it falls to it.
      const triggersNow = stopLoss === (draft.side === 'BUY') ? stop.units <= last : stop.units >= last;
      if (triggersNow) errors.stopPrice = 'Stop price would trigger immediately';
    }
  }

  let quantityUnits: bigint | null = null;
  if (bySize === 'quote') {
    const value = draft.quoteAmount.trim() === '' ? null : parseUnits(draft.quoteAmount);
    if (value === null || value <= 0n) errors.quoteAmount = `Enter an amount of ${rules.quoteAsset}`;
    else if (draft.quoteAmount.includes('.') && (draft.quoteAmount.split('.')[1] ?? '').length > rules.quoteDigits)
      errors.quoteAmount = `At most ${rules.quoteDigits} decimals`;
    else if (value < rules.minNotionalUnits)
      errors.quoteAmount = `At least ${formatTrimmed(rules.minNotionalUnits)} ${rules.quoteAsset}`;
    else params['quoteOrderQty'] = draft.quoteAmount.trim();
  } else {
    const quantity = checkQuantity(draft.quantity, rules, draft.type === 'MARKET');
    quantityUnits = quantity.units;
    if (quantity.error !== undefined) errors.quantity = quantity.error;
    else params['quantity'] = draft.quantity.trim();
  }

  // The notional is checked at the limit price, or for orders that execute at market at the last price.
  const referenceUnits = priceUnits ?? prices.lastUnits;
  const totalUnits =
    bySize === 'quote'
      ? parseUnits(draft.quoteAmount)
      : quantityUnits !== null && referenceUnits !== null
        ? multiplyUnits(quantityUnits, referenceUnits)
        : null;
  if (
    bySize === 'quantity' &&
    totalUnits !== null &&
    errors.quantity === undefined &&
    errors.price === undefined &&
    totalUnits < rules.minNotionalUnits
  ) {
    errors.total = `Order value must be at least ${formatTrimmed(rules.minNotionalUnits)} ${rules.quoteAsset}`;
  }

  if (draft.type === 'LIMIT_MAKER' && priceUnits !== null) {
    const crosses =
      draft.side === 'BUY'
        ? prices.bestAskUnits !== null && priceUnits >= prices.bestAskUnits
        : prices.bestBidUnits !== null && priceUnits <= prices.bestBidUnits;
    if (crosses) errors.price = 'A maker-only order must not match at once: move the price away from the spread';
  }
  if (draft.type === 'LIMIT' && priceUnits !== null && prices.lastUnits !== null && prices.lastUnits > 0n) {
    const awayUnits = priceUnits > prices.lastUnits ? priceUnits - prices.lastUnits : prices.lastUnits - priceUnits;
    if (awayUnits * 10n > prices.lastUnits) warnings.push('Price is more than 10% away from the last price');
  }
  if (!rules.trading) warnings.push('Trading is halted on this market');
  // LIMIT_MAKER takes no timeInForce on Binance; the other limit types rest until cancelled.
  if (limit && draft.type !== 'LIMIT_MAKER') params['timeInForce'] = 'GTC';

  return { errors, warnings, totalUnits, params: Object.keys(errors).length === 0 ? params : null };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
