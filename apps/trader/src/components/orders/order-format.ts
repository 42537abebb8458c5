// How orders and trades read in the portal: names of types and statuses, prices and amounts at the market's
// digits, average fill prices and fill percentages in exact units, and times in the browser's time zone.
import { formatDecimal, formatUnits, parseUnits } from '../../lib/decimal';
import type { MarketRules } from '../../lib/market-rules';
import { divideUnits } from '../../lib/order-size-state';
import type { OrderRecord, OrderReply } from '../../lib/trading-state';

export const orderTypeLabels: Record<string, string> = {
  LIMIT: 'Limit',
  MARKET: 'Market',
  LIMIT_MAKER: 'Limit (post only)',
  STOP_LOSS: 'Stop market',
  STOP_LOSS_LIMIT: 'Stop limit',
  TAKE_PROFIT: 'Take profit market',
  TAKE_PROFIT_LIMIT: 'Take profit limit',
};

const statusLabels: Record<string, string> = {
  NEW: 'Open',
  PARTIALLY_FILLED: 'Partially filled',
  FILLED: 'Filled',
  CANCELED: 'Cancelled',
  PENDING_CANCEL: 'Cancelling',
  EXPIRED: 'Expired',
  EXPIRED_IN_MATCH: 'Expired (self-trade prevention)',
  REJECTED: 'Rejected',
};

export const isStopType = (type: string) => type.startsWith('STOP') || type.startsWith('TAKE_PROFIT');
export const isMarketType = (type: string) => type === 'MARKET' || type === 'STOP_LOSS' || type === 'TAKE_PROFIT';

/**
 * The status in words. (A stop order's trigger is not reported on the stream, so "triggered" cannot be told from
 * "waiting" until it fills: both read "Open", and the type column shows the trigger price.)
 */
export function statusLabel(order: Pick<OrderRecord, 'status'>): string {
  return statusLabels[order.status] ?? order.status;
}

/** "≥ 45,000.00": when a stop order triggers (a stop-loss buy and a take-profit sell when the price rises to it). */
export function triggerLabel(order: Pick<OrderRecord, 'type' | 'side' | 'stopPrice'>, priceDigits: number): string {
  const rises = order.type.startsWith('STOP') === (order.side === 'BUY');
  return `${rises ? '≥' : '≤'} ${formatDecimal(order.stopPrice, priceDigits)}`;
}

export const pairLabel = (symbol: string, rules: MarketRules | undefined) =>
  rules === undefined ? symbol : `${rules.baseAsset}/${rules.quoteAsset}`;

export const priceDigitsOf = (rules: MarketRules | undefined) => rules?.priceDigits ?? 8;
export const quantityDigitsOf = (rules: MarketRules | undefined) => rules?.quantityDigits ?? 8;
export const quoteDigitsOf = (rules: MarketRules | undefined) => Math.min(rules?.quoteDigits ?? 8, 8);

const isZero = (text: string) => (parseUnits(text) ?? 0n) === 0n;

/** The average price of an order's fills (quote filled / base filled), or null before any fill. */
export function averagePrice(order: Pick<OrderRecord, 'executedQty' | 'cummulativeQuoteQty'>): bigint | null {
  const executed = parseUnits(order.executedQty) ?? 0n;
  const quote = parseUnits(order.cummulativeQuoteQty) ?? 0n;
  return executed === 0n ? null : divideUnits(quote, executed);
}

/** The price column: the limit price, or for orders that execute at market the average fill ("Market" before). */
export function orderPriceText(order: OrderRecord, rules: MarketRules | undefined): string {
  const digits = priceDigitsOf(rules);
  if (!isMarketType(order.type) && !isZero(order.price)) return formatDecimal(order.price, digits);
  const average = averagePrice(order);
  return average === null ? 'Market' : formatUnits(average, digits, { grouping: true });
}

/** The amount column: base quantity, or the quote amount of an order sized in quote (quoteOrderQty). */
export function orderAmountText(order: OrderRecord, rules: MarketRules | undefined): string {
  if (isZero(order.origQty) && !isZero(order.origQuoteOrderQty)) {
    return `${formatDecimal(order.origQuoteOrderQty, quoteDigitsOf(rules))} ${rules?.quoteAsset ?? ''}`.trim();
  }
  return formatDecimal(order.origQty, quantityDigitsOf(rules));
}

/** "0.50000 (50%)": executed base quantity and its share of the order. */
export function filledText(order: OrderRecord, rules: MarketRules | undefined): string {
  const executed = parseUnits(order.executedQty) ?? 0n;
  const original = parseUnits(order.origQty) ?? 0n;
  const amount = formatDecimal(order.executedQty, quantityDigitsOf(rules));
  if (original === 0n) return amount;
  return `${amount} (${(executed * 100n) / original}%)`;
}

/**
 * An amount for reading: grouped, at most `digits` (and 8) decimals, trailing zeros dropped down to two:
 * 1000000.00000000 -> "1,000,000.00", 0.00012000 -> "0.00012".
 */
export function formatAmount(units: bigint, digits: number): string {
  const text = formatUnits(units, Math.min(digits, 8), { grouping: true });
  const [whole, fraction = ''] = text.split('.');
  if (fraction === '') return text;
  const trimmed = fraction.replace(/0+$/, '').padEnd(Math.min(2, fraction.length), '0');
  return `${whole}.${trimmed}`;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** "2026-11-22 05:44:46" in the browser's time zone. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '—';
  const date = new Date(ms);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}:${pad(date.getSeconds())}`;
}

/** What the order form says after the exchange accepted an order. */
export function confirmationOf(reply: OrderReply, rules: MarketRules): string {
  const buy = reply.side === 'BUY';
  const executed = parseUnits(reply.executedQty) ?? 0n;
  const quantity = (text: string) => `${formatDecimal(text, rules.quantityDigits)} ${rules.baseAsset}`;
  const quote = (text: string) => `${formatAmount(parseUnits(text) ?? 0n, rules.quoteDigits)} ${rules.quoteAsset}`;
  const type = orderTypeLabels[reply.type] ?? reply.type;
  switch (reply.status) {
    case 'FILLED':
      return `${buy ? 'Bought' : 'Sold'} ${quantity(reply.executedQty)} for ${quote(reply.cummulativeQuoteQty)}.`;
    case 'PARTIALLY_FILLED':
      return `${type} order placed: ${quantity(reply.executedQty)} ${buy ? 'bought' : 'sold'} so far, the rest waits in the book.`;
    case 'NEW':
      if (isStopType(reply.type) && reply.stopPrice !== undefined)
        return `${type} order placed: it ${buy ? 'buys' : 'sells'} ${quantity(reply.origQty)} when the price reaches ${formatDecimal(
          reply.stopPrice,
          rules.priceDigits,
        )} ${rules.quoteAsset}.`;
      return `${buy ? 'Buy' : 'Sell'} order placed: ${quantity(reply.origQty)} at ${formatDecimal(
        reply.price,
        rules.priceDigits,
      )} ${rules.quoteAsset}.`;
    case 'EXPIRED':
    case 'EXPIRED_IN_MATCH': {
      if (executed === 0n) return 'The order expired without a fill: nothing in the book matched it.';
      const done = `${buy ? 'Bought' : 'Sold'} ${quantity(reply.executedQty)} for ${quote(reply.cummulativeQuoteQty)}`;
      // A quote-sized order stops when what is left cannot pay for one more step of the base asset.
      const quoteSized = (parseUnits(reply.origQuoteOrderQty ?? '0') ?? 0n) > 0n;
      return quoteSized
        ? `${done}; the rest of ${quote(reply.origQuoteOrderQty!)} was less than one step of ${rules.baseAsset}.`
        : `${done}; the rest expired: the book had no more within the price limit.`;
    }
    default:
      return `Order ${statusLabel(reply).toLowerCase()}.`;
  }
}
