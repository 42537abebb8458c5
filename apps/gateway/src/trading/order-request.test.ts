// Proves new-order parameters are validated as Binance validates them, with Binance's code and text for each
// mistake, and that valid ones become the exact engine command (ticks, lots, minor units).
import { describe, expect, it } from 'vitest';
import { binanceErrorOf } from '../testing/binance-code.js';
import { demoMarkets } from '../testing/markets.js';
import { readNewOrder } from './order-request.js';

const btc = (await demoMarkets()).get('BTCUSDT')!;
const read = (params: Record<string, string>) => readNewOrder(btc, 5, new Map(Object.entries(params)));
const failure = (params: Record<string, string>): string => {
  const error = binanceErrorOf(() => read(params));
  return `${error.code} ${error.message}`;
};

describe('readNewOrder', () => {
  it('turns a LIMIT order into ticks and lots', () => {
    const { command, responseType } = read({
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01500',
      price: '43210.50',
      newClientOrderId: 'my-order_1',
    });
    expect(command).toEqual({
      type: 'placeOrder',
      userId: 5,
      symbol: 'BTCUSDT',
      clientOrderId: 'my-order_1',
      side: 'BUY',
      orderType: 'LIMIT',
      timeInForce: 'GTC',
      priceTicks: 4_321_050,
      quantityLots: 1_500,
      stpMode: 'EXPIRE_MAKER',
    });
    expect(responseType).toBe('FULL');
  });

  it('turns a MARKET order by quote amount into quote minor units, and generates a client id', () => {
    const { command, responseType } = read({
      side: 'SELL',
      type: 'MARKET',
      quoteOrderQty: '100.5',
      newOrderRespType: 'ACK',
    });
    expect(command.quoteOrderQtyMinor).toBe('10050000000');
    expect(command.quantityLots).toBeUndefined();
    expect(command.clientOrderId).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(responseType).toBe('ACK');
  });

  it('defaults stop orders to ACK responses and requires their stop price', () => {
    const { command, responseType } = read({ side: 'SELL', type: 'STOP_LOSS', quantity: '1', stopPrice: '40000' });
    expect([command.stopPriceTicks, responseType]).toEqual([4_000_000, 'ACK']);
    expect(failure({ side: 'SELL', type: 'STOP_LOSS', quantity: '1' })).toBe(
      "-1102 Mandatory parameter 'stopPrice' was not sent, was empty/null, or malformed.",
    );
  });

  it.each([
    [{ type: 'LIMIT' }, "-1102 Mandatory parameter 'side' was not sent, was empty/null, or malformed."],
    [{ side: 'HOLD', type: 'LIMIT' }, '-1117 Invalid side.'],
    [{ side: 'BUY', type: 'ICEBERG' }, '-1116 Invalid orderType.'],
    [
      { side: 'BUY', type: 'LIMIT', quantity: '1', price: '1' },
      "-1102 Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.",
    ],
    [{ side: 'BUY', type: 'LIMIT', timeInForce: 'GTD', quantity: '1', price: '1' }, '-1115 Invalid timeInForce.'],
    [
      { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1' },
      "-1102 Mandatory parameter 'price' was not sent, was empty/null, or malformed.",
    ],
    [
      { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '1.005' },
      '-1013 Filter failure: PRICE_FILTER',
    ],
    [
      { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1.000001', price: '1' },
      '-1013 Filter failure: LOT_SIZE',
    ],
    [
      { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '1.000000001' },
      '-1111 Precision is over the maximum defined for this asset.',
    ],
    [
      { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '1e3' },
      "-1100 Illegal characters found in parameter 'price'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.",
    ],
    [{ side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0', price: '1' }, '-1013 Invalid quantity.'],
    [
      { side: 'BUY', type: 'MARKET' },
      "-1102 Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
    ],
    [
      { side: 'BUY', type: 'MARKET', quantity: '1', quoteOrderQty: '10' },
      '-1128 Combination of optional parameters invalid.',
    ],
    [{ side: 'BUY', type: 'MARKET', quantity: '1', price: '10' }, "-1106 Parameter 'price' sent when not required."],
    [
      { side: 'BUY', type: 'LIMIT_MAKER', quantity: '1', price: '10', timeInForce: 'GTC' },
      '-1114 TimeInForce parameter sent when not required.',
    ],
    [
      { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '1', newClientOrderId: '' },
      '-1118 New client order ID was empty.',
    ],
    [
      { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '1', newClientOrderId: 'no spaces' },
      "-1100 Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_.]{1,36}$'.",
    ],
    [
      {
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '1',
        price: '1',
        selfTradePreventionMode: 'DECREMENT',
      },
      "-1130 Data sent for parameter 'selfTradePreventionMode' is not valid.",
    ],
    [
      { side: 'BUY', type: 'STOP_LOSS', quantity: '1', stopPrice: '1', trailingDelta: '10' },
      '-1014 Unsupported order combination.',
    ],
  ])("refuses %j with Binance's error", (params, expected) => {
    expect(failure(params)).toBe(expected);
  });
});
