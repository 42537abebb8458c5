// Proves an unmodified ccxt (the npm package), configured only by its URLs and options, trades against the
// gateway: REST market data and every order type, queries and balances; ccxt.pro's watchOrderBook stays equal
// to the REST book through live market-maker flow (compared whenever both are at the same update id), and
// watchTrades, watchOrders and watchBalance deliver what happened.
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketMaker } from '../src/demo/market-maker.js';
import { startTestExchange, type TestExchange, type TestKey } from '../src/testing/test-exchange.js';

/** How long the order book is watched under live flow (LIVE_BOOK_SECONDS raises it for a soak run). */
const liveBookSeconds = Number(process.env['LIVE_BOOK_SECONDS'] ?? 60);

let exchange: TestExchange;

type Binance = InstanceType<typeof ccxt.pro.binance>;

const connect = (key: TestKey): Binance =>
  new ccxt.pro.binance({
    apiKey: key.apiKey,
    secret: key.secret,
    enableRateLimit: false,
    urls: {
      api: {
        public: `${exchange.restUrl}/api/v3`,
        private: `${exchange.restUrl}/api/v3`,
        v1: `${exchange.restUrl}/api/v1`,
        ws: { spot: `${exchange.wsUrl}/ws`, 'ws-api': { spot: `${exchange.wsUrl}/ws-api/v3` } },
      },
    },
    options: {
      defaultType: 'spot',
      fetchMargins: false,
      fetchCurrencies: false,
      fetchMarkets: { types: ['spot'] },
      adjustForTimeDifference: false,
    },
  });

const maker = new AbortController();
let makerRun: Promise<void> | null = null;
let alice: Binance;
let bob: Binance;

beforeAll(async () => {
  exchange = await startTestExchange();
  alice = connect(exchange.keys.alice);
  bob = connect(exchange.keys.bob);
  await alice.loadHttpProxyAgent();
  await bob.loadHttpProxyAgent();
  await alice.loadMarkets();
  await bob.loadMarkets();
});

afterAll(async () => {
  maker.abort();
  await makerRun;
  await alice?.close();
  await bob?.close();
  await exchange?.close();
});

describe('ccxt REST', () => {
  it('loads the markets with their precision and limits', () => {
    const market = alice.market('BTC/USDT');
    expect(market).toMatchObject({ id: 'BTCUSDT', base: 'BTC', quote: 'USDT', spot: true, active: true });
    expect(market.precision).toMatchObject({ price: 0.01, amount: 0.00001 });
    expect(market.limits.amount).toMatchObject({ min: 0.00001, max: 9000 });
    expect(market.limits.cost?.min).toBe(5);
    expect(Object.keys(alice.markets).sort()).toEqual(['BTC/USDT', 'ETH/BTC', 'ETH/USDT']);
  });

  it('creates every order type and reads them back', async () => {
    const limitOrder = await alice.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 30_000);
    expect(limitOrder).toMatchObject({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      status: 'open',
      price: 30_000,
      amount: 0.01,
    });
    const fetched = await alice.fetchOrder(limitOrder.id, 'BTC/USDT');
    expect(fetched).toMatchObject({ id: limitOrder.id, status: 'open', filled: 0, remaining: 0.01 });
    const open = await alice.fetchOpenOrders('BTC/USDT');
    expect(open.map((order) => order.id)).toContain(limitOrder.id);
    const cancelled = await alice.cancelOrder(limitOrder.id, 'BTC/USDT');
    expect(cancelled.status).toBe('canceled');

    // Bob rests asks; Alice takes with market orders by base and by quote amount.
    await bob.createOrder('BTC/USDT', 'limit', 'sell', 0.05, 43_000);
    await bob.createOrder('BTC/USDT', 'limit', 'sell', 0.05, 43_100);
    const market = await alice.createOrder('BTC/USDT', 'market', 'buy', 0.02);
    expect(market).toMatchObject({ status: 'closed', filled: 0.02, average: 43_000 });
    expect(market.trades.length).toBe(1);
    const byCost = await alice.createOrder('BTC/USDT', 'market', 'buy', undefined, undefined, { quoteOrderQty: 430 });
    expect(byCost).toMatchObject({ status: 'closed', cost: 430, filled: 0.01 });

    const postOnly = await alice.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 42_000, { postOnly: true });
    expect(postOnly.postOnly).toBe(true);
    await expect(alice.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 43_100, { postOnly: true })).rejects.toThrow(
      ccxt.OrderImmediatelyFillable,
    );
    const ioc = await alice.createOrder('BTC/USDT', 'limit', 'buy', 0.5, 43_000, { timeInForce: 'IOC' });
    // Binance expires the unfilled rest of an IOC order; ccxt calls that 'expired'.
    expect(ioc).toMatchObject({ status: 'expired', filled: 0.02 });
    const stop = await alice.createOrder('BTC/USDT', 'STOP_LOSS_LIMIT', 'sell', 0.01, 39_000, {
      stopPrice: 39_500,
      timeInForce: 'GTC',
    });
    const takeProfit = await alice.createOrder('BTC/USDT', 'TAKE_PROFIT', 'sell', 0.01, undefined, {
      stopPrice: 46_000,
    });
    expect(takeProfit.id).toBeDefined();
    const stopOpen = await alice.fetchOrder(stop.id, 'BTC/USDT');
    expect(stopOpen).toMatchObject({ status: 'open', triggerPrice: 39_500 });

    const myTrades = await alice.fetchMyTrades('BTC/USDT');
    expect(myTrades.length).toBeGreaterThanOrEqual(3);
    expect(myTrades.every((trade) => trade.symbol === 'BTC/USDT' && trade.side === 'buy')).toBe(true);
    const fee = myTrades[0]!.fee;
    expect(fee?.currency).toBe('BTC');

    const balance = await alice.fetchBalance();
    expect(balance['BTC']?.total).toBeGreaterThan(100);
    expect(balance['USDT']?.used).toBeGreaterThan(0);

    await expect(alice.createOrder('BTC/USDT', 'limit', 'buy', 1_000, 40_000)).rejects.toThrow(ccxt.InsufficientFunds);
    await expect(alice.fetchOrder('999999999', 'BTC/USDT')).rejects.toThrow(ccxt.OrderNotFound);
    await expect(alice.cancelOrder('999999999', 'BTC/USDT')).rejects.toThrow(ccxt.OrderNotFound);
    await expect(alice.createOrder('BTC/USDT', 'limit', 'buy', 0.000001, 40_000)).rejects.toThrow(ccxt.InvalidOrder);
  });

  it('fetches the order book, trades, tickers and candles', async () => {
    const book = await alice.fetchOrderBook('BTC/USDT');
    expect(book.asks[0]?.[0]).toBe(43_100);
    expect(book.nonce).toEqual(expect.any(Number));
    const trades = await alice.fetchTrades('BTC/USDT');
    expect(trades.length).toBeGreaterThanOrEqual(3);
    expect(trades.at(-1)).toMatchObject({ symbol: 'BTC/USDT', side: 'buy' });
    const ticker = await alice.fetchTicker('BTC/USDT');
    expect(ticker).toMatchObject({ symbol: 'BTC/USDT', last: 43_000 });
    expect(ticker.baseVolume).toBeGreaterThan(0);
    const tickers = await alice.fetchTickers();
    expect(Object.keys(tickers).sort()).toEqual(['BTC/USDT', 'ETH/BTC', 'ETH/USDT']);
    const candles = await alice.fetchOHLCV('BTC/USDT', '1m');
    expect(candles.length).toBeGreaterThanOrEqual(1);
    const last = candles.at(-1)!;
    expect(last[4]).toBe(43_000);
    expect(last[5]).toBeGreaterThan(0);
  });
});

describe('ccxt.pro streams', () => {
  it('watchOrders and watchBalance report an order and its fill', async () => {
    const ordersPromise = bob.watchOrders('ETH/USDT');
    const balancePromise = bob.watchBalance();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const placed = await bob.createOrder('ETH/USDT', 'limit', 'sell', 0.5, 2_400);
    const orders = await ordersPromise;
    expect(orders.map((order) => order.id)).toContain(placed.id);
    const balance = await balancePromise;
    expect(balance['ETH']?.used).toBeGreaterThanOrEqual(0.5);
    const fill = bob.watchOrders('ETH/USDT');
    await alice.createOrder('ETH/USDT', 'market', 'buy', 0.5);
    let seen = await fill;
    while (!seen.some((order) => order.id === placed.id && order.status === 'closed'))
      seen = await bob.watchOrders('ETH/USDT');
    expect(seen.find((order) => order.id === placed.id)).toMatchObject({ status: 'closed', filled: 0.5 });
  });

  it('watchTrades delivers trades as they happen', async () => {
    const watching = bob.watchTrades('ETH/USDT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await bob.createOrder('ETH/USDT', 'limit', 'sell', 0.1, 2_350);
    await alice.createOrder('ETH/USDT', 'market', 'buy', 0.1);
    const trades = await watching;
    expect(trades.at(-1)).toMatchObject({ symbol: 'ETH/USDT', price: 2_350, amount: 0.1, side: 'buy' });
  });

  it(
    `watchOrderBook stays equal to the REST book through ${liveBookSeconds} s of market-maker flow`,
    async () => {
      const makerKey = exchange.keys.bob;
      const takerKey = exchange.keys.alice;
      makerRun = new MarketMaker({
        maker: exchange.client(makerKey),
        taker: exchange.client(takerKey),
        markets: [{ symbol: 'ETHBTC', anchorPrice: '0.05350' }],
        seed: 7,
        intervalMs: 150,
        signal: maker.signal,
      }).run();
      const watcher = connect(exchange.keys.alice);
      await watcher.loadHttpProxyAgent();
      await watcher.loadMarkets();
      try {
        const deadline = Date.now() + liveBookSeconds * 1_000;
        let compared = 0;
        let updates = 0;
        while (Date.now() < deadline) {
          const book = await watcher.watchOrderBook('ETH/BTC');
          updates++;
          const rest = await exchange
            .client(exchange.keys.alice)
            .get<{ lastUpdateId: number; bids: [string, string][]; asks: [string, string][] }>('/api/v3/depth', {
              symbol: 'ETHBTC',
              limit: 1000,
            });
          const local = watcher.orderbooks['ETH/BTC']!;
          // Compare only a quoted book at the same update id (the book may move between the two reads).
          if (local.nonce !== rest.lastUpdateId || book.bids.length === 0 || book.asks.length === 0) continue;
          const levels = (side: [string, string][]) =>
            side.map(([price, quantity]) => [Number(price), Number(quantity)]);
          expect(local.bids.slice(0, rest.bids.length)).toEqual(levels(rest.bids));
          expect(local.asks.slice(0, rest.asks.length)).toEqual(levels(rest.asks));
          compared++;
        }
        expect(updates).toBeGreaterThan(liveBookSeconds);
        expect(compared).toBeGreaterThan(3);
      } finally {
        await watcher.close();
      }
    },
    (liveBookSeconds + 30) * 1_000,
  );
});
