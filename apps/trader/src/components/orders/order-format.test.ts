// Proves what the portal says about orders: the confirmation after each outcome the exchange reports (resting,
// partly filled, filled, stop placed, expired with and without fills, a quote-sized order's unspendable rest),
// prices of market orders as their average fill, fill percentages, and amounts trimmed for reading, exactly.
import { describe, expect, it } from 'vitest';
import { units } from '../../lib/decimal';
import { marketRulesFrom } from '../../lib/market-rules';
import type { OrderRecord, OrderReply } from '../../lib/trading-state';
import {
  averagePrice,
  confirmationOf,
  filledText,
  formatAmount,
  orderAmountText,
  orderPriceText,
  triggerLabel,
} from './order-format';

const rules = marketRulesFrom({
  symbol: 'BTCUSDT',
  status: 'TRADING',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  quoteAssetPrecision: 8,
  orderTypes: ['LIMIT', 'MARKET', 'STOP_LOSS_LIMIT'],
  filters: [
    { filterType: 'PRICE_FILTER', minPrice: '0.01', maxPrice: '1000000', tickSize: '0.01' },
    { filterType: 'LOT_SIZE', minQty: '0.00001', maxQty: '9000', stepSize: '0.00001' },
  ],
});

const reply = (changes: Partial<OrderReply>): OrderReply => ({
  symbol: 'BTCUSDT',
  orderId: 1,
  clientOrderId: 'a',
  transactTime: 1,
  price: '43000.00000000',
  origQty: '0.01000000',
  executedQty: '0.00000000',
  cummulativeQuoteQty: '0.00000000',
  status: 'NEW',
  timeInForce: 'GTC',
  type: 'LIMIT',
  side: 'BUY',
  ...changes,
});

describe('order texts', () => {
  it('confirms each outcome in words', () => {
    expect(confirmationOf(reply({}), rules)).toBe('Buy order placed: 0.01000 BTC at 43,000.00 USDT.');
    expect(
      confirmationOf(
        reply({ status: 'FILLED', side: 'SELL', executedQty: '0.01000000', cummulativeQuoteQty: '430.50000000' }),
        rules,
      ),
    ).toBe('Sold 0.01000 BTC for 430.50 USDT.');
    expect(confirmationOf(reply({ status: 'PARTIALLY_FILLED', executedQty: '0.00400000' }), rules)).toBe(
      'Limit order placed: 0.00400 BTC bought so far, the rest waits in the book.',
    );
    expect(confirmationOf(reply({ type: 'STOP_LOSS_LIMIT', side: 'SELL', stopPrice: '41000.00000000' }), rules)).toBe(
      'Stop limit order placed: it sells 0.01000 BTC when the price reaches 41,000.00 USDT.',
    );
    expect(confirmationOf(reply({ type: 'MARKET', status: 'EXPIRED' }), rules)).toBe(
      'The order expired without a fill: nothing in the book matched it.',
    );
    expect(
      confirmationOf(
        reply({
          type: 'MARKET',
          status: 'EXPIRED',
          origQty: '0',
          origQuoteOrderQty: '100.00000000',
          executedQty: '0.00232000',
          cummulativeQuoteQty: '99.93041100',
        }),
        rules,
      ),
    ).toBe('Bought 0.00232 BTC for 99.930411 USDT; the rest of 100.00 USDT was less than one step of BTC.');
    expect(
      confirmationOf(
        reply({ type: 'MARKET', status: 'EXPIRED', executedQty: '0.00500000', cummulativeQuoteQty: '215.00000000' }),
        rules,
      ),
    ).toBe('Bought 0.00500 BTC for 215.00 USDT; the rest expired: the book had no more within the price limit.');
  });

  const order = (changes: Partial<OrderRecord>): OrderRecord => ({
    ...reply({}),
    orderListId: -1,
    stopPrice: '0',
    origQuoteOrderQty: '0',
    time: 1,
    updateTime: 1,
    isWorking: true,
    ...changes,
  });

  it('prices market orders at their average fill, and shows quote-sized amounts in quote', () => {
    const market = order({
      type: 'MARKET',
      price: '0',
      executedQty: '0.00300000',
      cummulativeQuoteQty: '129.00000001',
    });
    expect(averagePrice(market)).toBe(units('43000.000003333333333333'));
    expect(orderPriceText(market, rules)).toBe('43,000.00');
    expect(orderPriceText(order({ type: 'MARKET', price: '0' }), rules)).toBe('Market');
    expect(orderPriceText(order({}), rules)).toBe('43,000.00');
    expect(orderAmountText(order({ origQty: '0', origQuoteOrderQty: '100.00000000' }), rules)).toBe(
      '100.00000000 USDT',
    );
    expect(filledText(order({ executedQty: '0.00333000' }), rules)).toBe('0.00333 (33%)');
    expect(triggerLabel({ type: 'STOP_LOSS_LIMIT', side: 'SELL', stopPrice: '41000' }, 2)).toBe('≤ 41,000.00');
    expect(triggerLabel({ type: 'TAKE_PROFIT', side: 'SELL', stopPrice: '45000' }, 2)).toBe('≥ 45,000.00');
  });

  it('trims amounts for reading, keeping two decimals', () => {
    expect(formatAmount(units('1000000'), 8)).toBe('1,000,000.00');
    expect(formatAmount(units('0.00012'), 8)).toBe('0.00012');
    expect(formatAmount(units('0.123456789'), 8)).toBe('0.12345678');
    expect(formatAmount(units('5'), 0)).toBe('5');
  });
});
