'use client';
// The trade page: ticker header, chart, order book, recent trades, order form and the account tabs. On a phone the
// chart, book and trades share one panel behind a switch. The signed-in user's live account (balances for the
// form, orders for the tabs) comes from one TradingProvider for the page.
import { useCallback, useMemo, useState } from 'react';
import { parseUnits } from '../lib/decimal';
import type { MarketSummary } from '../lib/market-summary';
import type { MarketPrices } from '../lib/order-draft';
import { availableOf } from '../lib/trading-state';
import { AccountPanel } from './account-panel';
import { useMarketRules } from './gateway-provider';
import { OrderBook } from './order-book';
import { OrderForm, type OrderFormAccount } from './order-form';
import { TradingProvider, useTrading } from './orders/trading-provider';
import { PriceChart } from './price-chart';
import { RecentTrades } from './recent-trades';
import { TickerHeader } from './ticker-header';
import { useDepth } from './use-depth';
import { useTickers } from './use-tickers';

type MobilePanel = 'chart' | 'book' | 'trades';

export function TradeView({ symbol, markets }: { symbol: string; markets: MarketSummary[] }) {
  const symbols = useMemo(() => markets.map((market) => market.symbol), [markets]);
  return (
    <TradingProvider mode="trade" symbol={symbol} symbols={symbols}>
      <TradeLayout symbol={symbol} markets={markets} />
    </TradingProvider>
  );
}

function TradeLayout({ symbol, markets }: { symbol: string; markets: MarketSummary[] }) {
  const { rules: allRules, error } = useMarketRules();
  const trading = useTrading();
  const rules = allRules?.get(symbol);
  const ticker = useTickers(symbol).get(symbol);
  const depth = useDepth(symbol);
  const [panel, setPanel] = useState<MobilePanel>('chart');
  const [picked, setPicked] = useState<{ price: string; count: number } | null>(null);
  const pickPrice = useCallback(
    (price: string) => setPicked((current) => ({ price, count: (current?.count ?? 0) + 1 })),
    [],
  );

  const { book, version } = depth;
  const [bestBid, bestAsk] = useMemo(
    () => (book?.synced === true ? [book.bidLevels()[0]?.priceUnits, book.askLevels()[0]?.priceUnits] : []),
    // version: the book object stays the same while its levels change.
    [book, version],
  );
  const lastPrice = ticker?.lastPrice;
  const prices: MarketPrices = useMemo(
    () => ({
      lastUnits: lastPrice === undefined ? null : parseUnits(lastPrice),
      bestBidUnits: bestBid ?? null,
      bestAskUnits: bestAsk ?? null,
    }),
    [lastPrice, bestBid, bestAsk],
  );
  const market = markets.find((candidate) => candidate.symbol === symbol);
  const account: OrderFormAccount = useMemo(
    () => ({
      session: trading.session,
      sessionExpired: trading.sessionExpired,
      baseFree: market === undefined ? null : availableOf(trading.state, market.base),
      quoteFree: market === undefined ? null : availableOf(trading.state, market.quote),
    }),
    [trading.session, trading.sessionExpired, trading.state, market],
  );

  return (
    <main className="trade-page" data-panel={panel}>
      <TickerHeader symbol={symbol} markets={markets} rules={rules} ticker={ticker} />
      <div className="panel mobile-switch tabs" role="tablist" aria-label="Panels">
        {(['chart', 'book', 'trades'] as MobilePanel[]).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            className="tab"
            aria-selected={panel === name}
            onClick={() => setPanel(name)}
          >
            {name === 'chart' ? 'Chart' : name === 'book' ? 'Order book' : 'Trades'}
          </button>
        ))}
      </div>
      {rules === undefined ? (
        <section className="panel area-chart">
          <div className="empty">
            {error === null ? 'Loading market…' : `Cannot load the market rules: ${error.message}`}
          </div>
        </section>
      ) : (
        <>
          <PriceChart symbol={symbol} priceDigits={rules.priceDigits} />
          <OrderBook
            depth={depth}
            rules={rules}
            lastPrice={lastPrice}
            lastTick={ticker?.tick ?? null}
            onPickPrice={pickPrice}
          />
          <RecentTrades symbol={symbol} rules={rules} />
          <OrderForm
            rules={rules}
            prices={prices}
            picked={picked}
            account={account}
            submit={trading.session === 'signedIn' ? trading.placeOrder : undefined}
          />
        </>
      )}
      <AccountPanel symbol={symbol} pair={market === undefined ? symbol : `${market.base}/${market.quote}`} />
    </main>
  );
}
