// Proves the engine state machine's rules one scenario at a time, with exact minor-unit amounts: holds,
// settlement with maker/taker fees, price improvement, every order type, self-trade prevention, kill switches,
// withdrawals, adjustments and bad input. The driver checks every ledger, book and engine invariant after
// every command, and a rejected command must leave the state hash unchanged.
import { describe, expect, it } from 'vitest';
import type { EngineCommand } from '../commands.js';
import { BTC, Driver, USDT } from '../testing/fixtures.js';
import type { EngineEvent, EngineResult } from './results.js';

const PRICE_50K = 5_000_000; // 50,000.00 USDT in ticks of 0.01
const ONE_BTC_LOTS = 100_000; // lots of 0.00001 BTC

const buy = (
  userId: number,
  priceTicks: number,
  quantityLots: number,
  extra: Partial<EngineCommand> = {},
): EngineCommand =>
  ({
    type: 'placeOrder',
    userId,
    symbol: 'BTCUSDT',
    clientOrderId: `b${userId}-${priceTicks}-${quantityLots}-${Math.abs(JSON.stringify(extra).length)}`,
    side: 'BUY',
    orderType: 'LIMIT',
    timeInForce: 'GTC',
    priceTicks,
    quantityLots,
    ...extra,
  }) as EngineCommand;

const sell = (
  userId: number,
  priceTicks: number,
  quantityLots: number,
  extra: Partial<EngineCommand> = {},
): EngineCommand =>
  ({
    ...buy(userId, priceTicks, quantityLots, extra),
    side: 'SELL',
    clientOrderId: `s${userId}-${priceTicks}-${quantityLots}`,
    ...extra,
  }) as EngineCommand;

const eventsOf = <T extends EngineEvent['type']>(result: EngineResult, type: T) =>
  result.events.filter((event): event is Extract<EngineEvent, { type: T }> => event.type === type);

const acceptedId = (result: EngineResult): number => eventsOf(result, 'orderAccepted')[0]!.order.orderId;

const expectRejected = (driver: Driver, command: EngineCommand, code: string) => {
  const before = driver.state.stateHash();
  const result = driver.run(command);
  expect(result.status, JSON.stringify(result)).toBe('REJECTED');
  if (result.status === 'REJECTED') expect(result.code).toBe(code);
  expect(result.events).toEqual([]);
  expect(driver.state.stateHash()).toBe(before);
};

describe('engine state: holds and settlement', () => {
  it('holds a limit buy at its price, settles a trade with maker and taker fees, and releases on cancel', () => {
    const d = new Driver().setup();
    d.fund(1, 'USDT', 100_000n * USDT);
    d.fund(2, 'BTC', 2n * BTC);
    const placed = d.ok(buy(1, PRICE_50K, ONE_BTC_LOTS));
    expect(d.balance(1, 'USDT')).toEqual({ available: 50_000n * USDT, locked: 50_000n * USDT });
    const orderId = acceptedId(placed);

    const taken = d.ok(sell(2, 4_900_000, 40_000));
    const [trade] = eventsOf(taken, 'trade');
    expect(trade).toMatchObject({
      priceTicks: PRICE_50K,
      quantityLots: 40_000,
      quoteMinor: 20_000n * USDT,
      baseMinor: 40_000_000n,
      takerSide: 'SELL',
    });
    expect(trade!.buy).toMatchObject({
      orderId,
      isMaker: true,
      feeMinor: 40_000n,
      status: 'PARTIALLY_FILLED',
      executedLots: 40_000,
    });
    expect(trade!.sell).toMatchObject({ isMaker: false, feeMinor: 40n * USDT, status: 'FILLED' });
    expect(d.balance(1, 'USDT')).toEqual({ available: 50_000n * USDT, locked: 30_000n * USDT });
    expect(d.balance(1, 'BTC')).toEqual({ available: 40_000_000n - 40_000n, locked: 0n });
    expect(d.balance(2, 'BTC')).toEqual({ available: 160_000_000n, locked: 0n });
    expect(d.balance(2, 'USDT')).toEqual({ available: 19_960n * USDT, locked: 0n });
    const fees = d.state.ledgerTrialBalance().map((asset) => asset.byBucket.FEES);
    expect(fees).toEqual([40_000n, 40n * USDT]); // BTC, USDT; ETH never moved

    const cancelled = d.ok({ type: 'cancelOrder', userId: 1, symbol: 'BTCUSDT', orderId });
    expect(eventsOf(cancelled, 'orderDone')[0]).toMatchObject({
      status: 'CANCELED',
      executedLots: 40_000,
      cumulativeQuoteMinor: 20_000n * USDT,
    });
    expect(d.balance(1, 'USDT')).toEqual({ available: 80_000n * USDT, locked: 0n });
    expect(d.state.openOrders(1)).toEqual([]);
  });

  it('releases price improvement to a buyer at once', () => {
    const d = new Driver().setup();
    d.fund(1, 'BTC', BTC);
    d.fund(2, 'USDT', 10_000n * USDT);
    d.ok(sell(1, 4_900_000, 10_000));
    d.ok(buy(2, PRICE_50K, 20_000)); // 0.2 BTC at up to 50,000: 0.1 fills at 49,000, 0.1 rests
    // Holds 0.1 BTC at 50,000 = 5,000 for the rest; paid 4,900 for the fill; the 100 improvement is free again.
    expect(d.balance(2, 'USDT')).toEqual({
      available: 10_000n * USDT - 4_900n * USDT - 5_000n * USDT,
      locked: 5_000n * USDT,
    });
    // The buyer took liquidity: 20 bps of the 0.1 BTC received. The seller made it: 10 bps of 4,900 USDT.
    expect(d.balance(2, 'BTC')).toEqual({ available: 10_000_000n - 20_000n, locked: 0n });
    expect(d.balance(1, 'USDT')).toEqual({ available: 4_900n * USDT - (4_900n * USDT * 10n) / 10_000n, locked: 0n });
  });

  it('rejects what the balance cannot pay, leaving everything as it was', () => {
    const d = new Driver().setup();
    d.fund(1, 'USDT', 1_000n * USDT);
    expectRejected(d, buy(1, PRICE_50K, 10_000), 'INSUFFICIENT_BALANCE');
    expectRejected(d, sell(1, PRICE_50K, 10_000), 'INSUFFICIENT_BALANCE');
    expectRejected(
      d,
      { type: 'holdWithdrawal', userId: 1, asset: 'USDT', amountMinor: (1_001n * USDT).toString(), withdrawalId: 'w1' },
      'INSUFFICIENT_BALANCE',
    );
    expectRejected(
      d,
      {
        type: 'adjustBalance',
        userId: 1,
        asset: 'USDT',
        deltaMinor: (-1_001n * USDT).toString(),
        reason: 'x',
        staffId: 9,
      },
      'INSUFFICIENT_BALANCE',
    );
  });
});

describe('engine state: order types', () => {
  const market = () => {
    const d = new Driver().setup();
    d.fund(1, 'BTC', 10n * BTC);
    d.fund(1, 'USDT', 1_000_000n * USDT);
    d.fund(2, 'BTC', 10n * BTC);
    d.fund(2, 'USDT', 1_000_000n * USDT);
    return d;
  };

  it('spends at most quoteOrderQty on a market buy and releases the rest of its hold', () => {
    const d = market();
    d.ok(sell(1, PRICE_50K, 50_000));
    const result = d.ok({
      type: 'placeOrder',
      userId: 2,
      symbol: 'BTCUSDT',
      clientOrderId: 'm1',
      side: 'BUY',
      orderType: 'MARKET',
      quoteOrderQtyMinor: (10_000n * USDT).toString(),
    });
    const [trade] = eventsOf(result, 'trade');
    expect(trade).toMatchObject({ quantityLots: 20_000, quoteMinor: 10_000n * USDT });
    expect(eventsOf(result, 'orderDone')[0]).toMatchObject({ status: 'FILLED' });
    expect(d.balance(2, 'USDT')).toEqual({ available: 990_000n * USDT, locked: 0n });
  });

  it('stops a market buy by quantity where the funds end and expires the rest', () => {
    const d = market();
    d.fund(3, 'USDT', 25_000n * USDT);
    d.ok(sell(1, PRICE_50K, ONE_BTC_LOTS));
    const result = d.ok({
      type: 'placeOrder',
      userId: 3,
      symbol: 'BTCUSDT',
      clientOrderId: 'm2',
      side: 'BUY',
      orderType: 'MARKET',
      quantityLots: ONE_BTC_LOTS,
    });
    expect(eventsOf(result, 'trade')[0]).toMatchObject({ quantityLots: 50_000, quoteMinor: 25_000n * USDT });
    expect(eventsOf(result, 'orderDone')[0]).toMatchObject({ status: 'EXPIRED', reason: 'CAP', executedLots: 50_000 });
    expect(d.balance(3, 'USDT')).toEqual({ available: 0n, locked: 0n });
  });

  it('rejects a post-only order that would trade, and expires an unfillable FOK without trading', () => {
    const d = market();
    d.ok(sell(1, PRICE_50K, 1_000));
    expectRejected(
      d,
      buy(2, PRICE_50K, 1_000, { orderType: 'LIMIT_MAKER', timeInForce: undefined }),
      'POST_ONLY_WOULD_TRADE',
    );
    const fok = d.ok(buy(2, PRICE_50K, 2_000, { timeInForce: 'FOK' }));
    expect(eventsOf(fok, 'trade')).toEqual([]);
    expect(eventsOf(fok, 'orderDone')[0]).toMatchObject({ status: 'EXPIRED', reason: 'FOK_NOT_FILLABLE' });
    expect(d.balance(2, 'USDT')).toEqual({ available: 1_000_000n * USDT, locked: 0n });
  });

  it('triggers a stop-loss-limit sell on the last trade price', () => {
    const d = market();
    const stop = d.ok(
      sell(1, 4_800_000, 1_000, { orderType: 'STOP_LOSS_LIMIT', stopPriceTicks: 4_900_000, clientOrderId: 'stop1' }),
    );
    const stopId = acceptedId(stop);
    expect(d.balance(1, 'BTC').locked).toBe(1_000n * 1_000n);
    d.ok(buy(2, 4_800_000, 5_000)); // rests below
    d.ok(sell(2, PRICE_50K, 10)); // no trade yet
    d.ok(buy(1, PRICE_50K, 10)); // trades at 50,000: above the stop, nothing triggers
    expect(d.state.openOrder(stopId)?.status).toBe('NEW');
    const trigger = d.ok(sell(1, 4_800_000, 200, { clientOrderId: 'x1' })); // trades at 48,000 <= 49,000
    expect(eventsOf(trigger, 'orderTriggered').map((e) => e.orderId)).toEqual([stopId]);
    const stopTrades = eventsOf(trigger, 'trade').filter((t) => t.sell.orderId === stopId);
    expect(stopTrades.map((t) => t.quantityLots)).toEqual([1_000]);
  });

  it('keeps one hold for an OCO and cancels the other leg when one fills', () => {
    const d = market();
    const placed = d.ok({
      type: 'placeOco',
      userId: 1,
      symbol: 'BTCUSDT',
      listClientOrderId: 'oco1',
      side: 'SELL',
      quantityLots: 10_000,
      above: { clientOrderId: 'tp', orderType: 'LIMIT_MAKER', priceTicks: 5_500_000 },
      below: {
        clientOrderId: 'sl',
        orderType: 'STOP_LOSS_LIMIT',
        priceTicks: 4_400_000,
        stopPriceTicks: 4_500_000,
        timeInForce: 'GTC',
      },
    });
    expect(eventsOf(placed, 'orderAccepted')).toHaveLength(2);
    expect(d.balance(1, 'BTC').locked).toBe(10_000n * 1_000n); // once, not twice
    const fill = d.ok(buy(2, 5_500_000, 10_000));
    const done = eventsOf(fill, 'orderDone').filter((e) => e.userId === 1);
    expect(done.map((e) => [e.clientOrderId, e.status, e.reason])).toEqual([
      ['tp', 'FILLED', 'FILLED'],
      ['sl', 'EXPIRED', 'OCO'],
    ]);
    expect(eventsOf(fill, 'orderListStatus')[0]).toMatchObject({ listStatus: 'ALL_DONE', listClientOrderId: 'oco1' });
    expect(d.balance(1, 'BTC').locked).toBe(0n);
  });

  it('expires the taker under EXPIRE_TAKER self-trade prevention without trading with itself', () => {
    const d = market();
    d.ok(sell(1, PRICE_50K, 1_000));
    const self = d.ok(buy(1, PRICE_50K, 1_000, { stpMode: 'EXPIRE_TAKER' }));
    expect(eventsOf(self, 'trade')).toEqual([]);
    expect(eventsOf(self, 'orderDone')[0]).toMatchObject({ status: 'EXPIRED_IN_MATCH', reason: 'STP' });
  });

  it('amends down keeping priority and shrinks the hold; replaces atomically', () => {
    const d = market();
    const first = acceptedId(d.ok(buy(2, PRICE_50K, 10_000, { clientOrderId: 'a' })));
    d.ok({ type: 'amendOrder', userId: 2, symbol: 'BTCUSDT', orderId: first, newQuantityLots: 4_000 });
    expect(d.balance(2, 'USDT').locked).toBe(5_000_000n * 4_000n * 10n);
    expectRejected(
      d,
      {
        type: 'replaceOrder',
        userId: 2,
        symbol: 'BTCUSDT',
        cancelOrderId: 999,
        mode: 'STOP_ON_FAILURE',
        order: {
          clientOrderId: 'b',
          side: 'BUY',
          orderType: 'LIMIT',
          timeInForce: 'GTC',
          priceTicks: 1,
          quantityLots: 1,
        },
      },
      'UNKNOWN_ORDER',
    );
    const replaced = d.ok({
      type: 'replaceOrder',
      userId: 2,
      symbol: 'BTCUSDT',
      cancelOrderId: first,
      mode: 'STOP_ON_FAILURE',
      order: {
        clientOrderId: 'a',
        side: 'BUY',
        orderType: 'LIMIT',
        timeInForce: 'GTC',
        priceTicks: 4_000_000,
        quantityLots: 1_000,
      },
    });
    expect(eventsOf(replaced, 'orderDone')[0]).toMatchObject({ orderId: first, status: 'CANCELED' });
    expect(d.state.openOrders(2).map((o) => [o.clientOrderId, o.priceTicks])).toEqual([['a', 4_000_000]]);
    expect(d.balance(2, 'USDT').locked).toBe(4_000_000n * 1_000n * 10n);
  });
});

describe('engine state: rules, kill switches and funds', () => {
  it('refuses duplicate client order ids among open orders and foreign cancels', () => {
    const d = new Driver().setup();
    d.fund(1, 'USDT', 1_000_000n * USDT);
    d.ok(buy(1, PRICE_50K, 1_000, { clientOrderId: 'same' }));
    expectRejected(d, buy(1, PRICE_50K, 1_000, { clientOrderId: 'same' }), 'DUPLICATE_CLIENT_ORDER_ID');
    const orderId = d.state.openOrders(1)[0]!.orderId;
    expectRejected(d, { type: 'cancelOrder', userId: 2, symbol: 'BTCUSDT', orderId }, 'UNKNOWN_ORDER');
    expectRejected(d, { type: 'cancelOrder', userId: 1, symbol: 'ETHBTC', orderId }, 'UNKNOWN_ORDER');
    d.ok({ type: 'cancelOrder', userId: 1, symbol: 'BTCUSDT', clientOrderId: 'same' });
    expectRejected(d, buy(1, PRICE_50K, 1_000, { clientOrderId: 'same' }), 'DUPLICATE_CLIENT_ORDER_ID');
    d.timeMs += 60_000; // past the retry window the id is free again, as on Binance once an order is closed
    d.ok(buy(1, PRICE_50K, 1_000, { clientOrderId: 'same' }));
  });

  it('refuses a retried placement whose first attempt already ended, within the retry window', () => {
    const d = new Driver().setup();
    d.fund(1, 'USDT', 1_000_000n * USDT);
    d.fund(2, 'BTC', BTC);
    d.ok(sell(2, PRICE_50K, 1_000));
    const first = d.ok(buy(1, PRICE_50K, 1_000, { clientOrderId: 'retry-me', timeInForce: 'IOC' }));
    expect(eventsOf(first, 'orderDone').find((e) => e.userId === 1)).toMatchObject({
      clientOrderId: 'retry-me',
      status: 'FILLED',
    });
    // The reply was lost; the client sends the same order again: it must not trade a second time.
    expectRejected(
      d,
      buy(1, PRICE_50K, 1_000, { clientOrderId: 'retry-me', timeInForce: 'IOC' }),
      'DUPLICATE_CLIENT_ORDER_ID',
    );
    d.timeMs += 60_000;
    d.ok(buy(1, PRICE_50K, 1_000, { clientOrderId: 'retry-me', timeInForce: 'IOC' }));
  });

  it('halts a market for new orders but still lets users cancel', () => {
    const d = new Driver().setup();
    d.fund(1, 'USDT', 1_000_000n * USDT);
    d.ok(buy(1, PRICE_50K, 1_000, { clientOrderId: 'h1' }));
    d.ok({ type: 'haltMarket', symbol: 'BTCUSDT', reason: 'incident 42' });
    expectRejected(d, buy(1, PRICE_50K, 1_000, { clientOrderId: 'h2' }), 'MARKET_HALTED');
    d.ok({ type: 'cancelOrder', userId: 1, symbol: 'BTCUSDT', clientOrderId: 'h1' });
    d.ok({ type: 'resumeMarket', symbol: 'BTCUSDT', reason: 'resolved' });
    d.ok(buy(1, PRICE_50K, 1_000, { clientOrderId: 'h3' }));
  });

  it('freezing a user cancels their orders and blocks trading and withdrawing, not deposits', () => {
    const d = new Driver().setup();
    d.fund(1, 'USDT', 1_000_000n * USDT);
    d.ok(buy(1, PRICE_50K, 1_000, { clientOrderId: 'f1' }));
    const frozen = d.ok({ type: 'freezeUser', userId: 1, reason: 'AML case 7' });
    expect(eventsOf(frozen, 'orderDone')[0]).toMatchObject({ status: 'CANCELED', reason: 'FROZEN' });
    expect(d.balance(1, 'USDT')).toEqual({ available: 1_000_000n * USDT, locked: 0n });
    expectRejected(d, buy(1, PRICE_50K, 1_000, { clientOrderId: 'f2' }), 'USER_FROZEN');
    expectRejected(
      d,
      { type: 'holdWithdrawal', userId: 1, asset: 'USDT', amountMinor: '1', withdrawalId: 'wf' },
      'USER_FROZEN',
    );
    d.fund(1, 'USDT', USDT);
    d.ok({ type: 'unfreezeUser', userId: 1, reason: 'cleared' });
    d.ok(buy(1, PRICE_50K, 1_000, { clientOrderId: 'f3' }));
  });

  it('holds, releases and settles withdrawals once per id, and credits deposits once per id', () => {
    const d = new Driver().setup();
    d.fund(1, 'BTC', BTC);
    expectRejected(
      d,
      {
        type: 'creditDeposit',
        userId: 1,
        asset: 'BTC',
        amountMinor: '5',
        depositId: `d-${d.log[d.log.length - 1]!.result.status === 'OK' ? d.seq : 0}`,
      },
      'DUPLICATE_DEPOSIT',
    );
    d.ok({
      type: 'holdWithdrawal',
      userId: 1,
      asset: 'BTC',
      amountMinor: '30000000',
      feeMinor: '50000',
      withdrawalId: 'w1',
    });
    expect(d.state.balancesOf(1)[0]).toMatchObject({ availableMinor: 70_000_000n, withdrawingMinor: 30_000_000n });
    d.ok({ type: 'releaseWithdrawal', withdrawalId: 'w1' });
    expectRejected(
      d,
      { type: 'holdWithdrawal', userId: 1, asset: 'BTC', amountMinor: '1000', withdrawalId: 'w1' },
      'DUPLICATE_WITHDRAWAL',
    );
    d.ok({
      type: 'holdWithdrawal',
      userId: 1,
      asset: 'BTC',
      amountMinor: '30000000',
      feeMinor: '50000',
      withdrawalId: 'w2',
    });
    d.ok({ type: 'settleWithdrawal', withdrawalId: 'w2' });
    expectRejected(d, { type: 'settleWithdrawal', withdrawalId: 'w2' }, 'UNKNOWN_WITHDRAWAL');
    expect(d.state.balancesOf(1)[0]).toMatchObject({ availableMinor: 70_000_000n, withdrawingMinor: 0n });
    const btc = d.state.ledgerTrialBalance()[0]!;
    expect(btc.byBucket.WITHDRAWALS_IN_FLIGHT).toBe(29_950_000n);
    expect(btc.byBucket.FEES).toBe(50_000n);
  });

  it('answers every kind of malformed command with INVALID_COMMAND or a precise code, never a throw', () => {
    const d = new Driver().setup();
    d.fund(1, 'USDT', 1_000_000n * USDT);
    const bad: [unknown, string][] = [
      [{ type: 'explode' }, 'INVALID_COMMAND'],
      [null, 'INVALID_COMMAND'],
      [buy(1, 1.5, 10), 'INVALID_COMMAND'],
      [buy(1, PRICE_50K, -3), 'INVALID_COMMAND'],
      [buy(1, PRICE_50K, 10, { quantityLots: '10' as unknown as number }), 'INVALID_COMMAND'],
      [buy(1, PRICE_50K, 10, { clientOrderId: 'has space' }), 'INVALID_COMMAND'],
      [buy(1, PRICE_50K, 10, { side: 'UP' as never }), 'INVALID_COMMAND'],
      [buy(1, PRICE_50K, 10, { orderType: 'ICEBERG' as never }), 'INVALID_COMMAND'],
      [buy(1, PRICE_50K, 10, { timeInForce: 'GTX' as never }), 'INVALID_COMMAND'],
      [buy(1, PRICE_50K, 10, { symbol: 'DOGEUSDT' }), 'UNKNOWN_MARKET'],
      [buy(0, PRICE_50K, 10), 'INVALID_COMMAND'],
      [buy(1, PRICE_50K, 1), 'NOTIONAL_BELOW_MIN'],
      [
        buy(1, PRICE_50K, 10, {
          orderType: 'MARKET',
          priceTicks: undefined,
          timeInForce: undefined,
          quoteOrderQtyMinor: '1.5',
        }),
        'INVALID_COMMAND',
      ],
      [{ type: 'creditDeposit', userId: 1, asset: 'XRP', amountMinor: '1', depositId: 'x' }, 'UNKNOWN_ASSET'],
      [{ type: 'creditDeposit', userId: 1, asset: 'BTC', amountMinor: '-1', depositId: 'x' }, 'INVALID_COMMAND'],
      [{ type: 'creditDeposit', userId: 1, asset: 'BTC', amountMinor: 1, depositId: 'x' }, 'INVALID_COMMAND'],
      [{ type: 'creditDeposit', userId: 1, asset: 'BTC', amountMinor: '1e5', depositId: 'x' }, 'INVALID_COMMAND'],
      [
        { type: 'creditDeposit', userId: 1, asset: 'BTC', amountMinor: '1'.repeat(39), depositId: 'x' },
        'INVALID_COMMAND',
      ],
      [{ type: 'defineAsset', asset: 'BTC', decimals: 6 }, 'CONFIG_CONFLICT'],
      [{ type: 'setUserFeeTier', userId: 1, tier: 'gold' }, 'UNKNOWN_FEE_TIER'],
      [{ type: 'adjustBalance', userId: 1, asset: 'BTC', deltaMinor: '5', reason: '', staffId: 1 }, 'INVALID_COMMAND'],
    ];
    for (const [command, code] of bad) expectRejected(d, command as EngineCommand, code);
  });
});
