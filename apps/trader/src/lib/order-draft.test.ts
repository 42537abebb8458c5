// Proves the order form's checks match the gateway's filters for every order type: tick and step multiples,
// min/max quantity, min notional at the limit price or the last price, quote-sized MARKET orders, stop prices that
// would trigger at once, LIMIT_MAKER prices that would cross; and that a clean draft yields Binance's parameters.
import { describe, expect, it } from 'vitest';
import { units } from './decimal';
import { marketRulesFrom, type ExchangeInfoSymbol } from './market-rules';
import { checkDraft, type OrderDraft } from './order-draft';

const info: ExchangeInfoSymbol = {
  symbol: 'BTCUSDT',
  status: 'TRADING',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  quoteAssetPrecision: 8,
  orderTypes: ['LIMIT', 'MARKET'],
  filters: [
    { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '21474836.47000000', tickSize: '0.01000000' },
    { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
    { filterType: 'MARKET_LOT_SIZE', minQty: '0.00001000', maxQty: '100.00000000', stepSize: '0.00001000' },
    { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true },
  ],
};
const rules = marketRulesFrom(info);
const prices = { lastUnits: units('40000'), bestBidUnits: units('39999'), bestAskUnits: units('40001') };
const draft = (changes: Partial<OrderDraft>): OrderDraft => ({
  side: 'BUY',
  type: 'LIMIT',
  price: '',
  stopPrice: '',
  quantity: '',
  quoteAmount: '',
  sizeMode: 'quantity',
  ...changes,
});

describe('checkDraft', () => {
  it('accepts a clean LIMIT order and builds its parameters', () => {
    const check = checkDraft(draft({ price: '40000.5', quantity: '0.001' }), rules, prices);
    expect(check.errors).toEqual({});
    expect(check.params).toEqual({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: '40000.5',
      quantity: '0.001',
      timeInForce: 'GTC',
    });
  });

  it('checks tick, step, min quantity and min notional as the user types', () => {
    expect(checkDraft(draft({ price: '40000.001', quantity: '0.001' }), rules, prices).errors.price).toBe(
      'Use steps of 0.01',
    );
    expect(checkDraft(draft({ price: '40000', quantity: '0.000015' }), rules, prices).errors.quantity).toBe(
      'Use steps of 0.00001',
    );
    expect(checkDraft(draft({ price: '40000', quantity: '0.000001' }), rules, prices).errors.quantity).toMatch(
      /Use steps/,
    );
    expect(checkDraft(draft({ price: '4', quantity: '1' }), rules, prices).errors.total).toMatch(/at least 5 USDT/);
    expect(checkDraft(draft({ price: 'abc', quantity: '1' }), rules, prices).errors.price).toMatch(/must be a number/);
    expect(checkDraft(draft({ price: '40000', quantity: '' }), rules, prices).params).toBeNull();
  });

  it('checks MARKET orders by quantity at the last price, and by quote amount', () => {
    const small = checkDraft(draft({ type: 'MARKET', quantity: '0.0001' }), rules, prices);
    expect(small.errors.total).toMatch(/at least 5/);
    expect(checkDraft(draft({ type: 'MARKET', quantity: '101' }), rules, prices).errors.quantity).toMatch(
      /At most 100/,
    );
    const quote = checkDraft(draft({ type: 'MARKET', sizeMode: 'quote', quoteAmount: '25' }), rules, prices);
    expect(quote.params).toEqual({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '25' });
    expect(
      checkDraft(draft({ type: 'MARKET', sizeMode: 'quote', quoteAmount: '4' }), rules, prices).errors.quoteAmount,
    ).toMatch(/At least 5/);
    // Quote sizing is a MARKET-only choice; a limit order ignores it.
    expect(checkDraft(draft({ sizeMode: 'quote', price: '1', quantity: '10' }), rules, prices).params).not.toBeNull();
  });

  it('refuses stops that would trigger immediately, by side and kind', () => {
    const stop = (type: OrderDraft['type'], side: OrderDraft['side'], stopPrice: string) =>
      checkDraft(draft({ type, side, stopPrice, price: '40000', quantity: '0.01' }), rules, prices).errors.stopPrice;
    expect(stop('STOP_LOSS_LIMIT', 'SELL', '39000')).toBeUndefined();
    expect(stop('STOP_LOSS_LIMIT', 'SELL', '41000')).toMatch(/trigger immediately/);
    expect(stop('STOP_LOSS', 'BUY', '41000')).toBeUndefined();
    expect(stop('TAKE_PROFIT', 'SELL', '41000')).toBeUndefined();
    expect(stop('TAKE_PROFIT_LIMIT', 'BUY', '41000')).toMatch(/trigger immediately/);
    const params = checkDraft(
      draft({ type: 'STOP_LOSS', side: 'SELL', stopPrice: '39000', quantity: '0.01' }),
      rules,
      prices,
    );
    expect(params.params).toEqual({
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'STOP_LOSS',
      stopPrice: '39000',
      quantity: '0.01',
    });
  });

  it('refuses a LIMIT_MAKER that would cross the spread and sends it without timeInForce', () => {
    expect(
      checkDraft(draft({ type: 'LIMIT_MAKER', price: '40001', quantity: '0.01' }), rules, prices).errors.price,
    ).toMatch(/maker-only/);
    const ok = checkDraft(draft({ type: 'LIMIT_MAKER', price: '40000', quantity: '0.01' }), rules, prices);
    expect(ok.params).toEqual({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: '40000',
      quantity: '0.01',
    });
  });
});
