'use client';
// The markets page: every market with its live price, 24h change, high, low, volume and a sparkline; search,
// favourites (kept in this browser), quote-asset tabs and sortable columns.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { formatCompact, formatDecimal, parseUnits } from '../lib/decimal';
import type { MarketSummary } from '../lib/market-summary';
import { useMarketRules } from './gateway-provider';
import { Sparkline } from './sparkline';
import { useTickers, type LiveTicker } from './use-tickers';

const favouritesKey = 'exbox.favourites';
type SortKey = 'pair' | 'price' | 'change' | 'volume';

function useFavourites(): [Set<string>, (symbol: string) => void] {
  const [favourites, setFavourites] = useState<Set<string>>(() => new Set());
  useEffect(() => {
    try {
      const saved: unknown = JSON.parse(localStorage.getItem(favouritesKey) ?? '[]');
      if (Array.isArray(saved))
        setFavourites(new Set(saved.filter((item): item is string => typeof item === 'string')));
    } catch {
      // Nothing saved, or storage is off: start with none.
    }
  }, []);
  const toggle = (symbol: string) =>
    setFavourites((current) => {
      const next = new Set(current);
      if (!next.delete(symbol)) next.add(symbol);
      try {
        localStorage.setItem(favouritesKey, JSON.stringify([...next]));
      } catch {
        // Storage full or disabled: the star still works for this visit.
      }
      return next;
    });
  return [favourites, toggle];
}

function changeClass(ticker: LiveTicker | undefined): string {
  if (ticker === undefined) return '';
  return ticker.priceChangePercent.startsWith('-') ? 'down' : 'up';
}

/** Sort value of a decimal string; "-1.5" sorts below "0". */
function signedUnits(text: string | undefined): bigint {
  if (text === undefined) return 0n;
  const negative = text.startsWith('-');
  const value = parseUnits(negative ? text.slice(1) : text) ?? 0n;
  return negative ? -value : value;
}

export function MarketsTable({ markets }: { markets: MarketSummary[] }) {
  const router = useRouter();
  const tickers = useTickers();
  const { rules } = useMarketRules();
  const [favourites, toggleFavourite] = useFavourites();
  const [query, setQuery] = useState('');
  const quotes = useMemo(() => [...new Set(markets.map((market) => market.quote))], [markets]);
  const [tab, setTab] = useState<string>('all');
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'volume', descending: true });

  const rows = useMemo(() => {
    const needle = query.trim().toUpperCase();
    const chosen = markets.filter(
      (market) =>
        (needle === '' || market.symbol.includes(needle) || `${market.base}/${market.quote}`.includes(needle)) &&
        (tab === 'all' || (tab === 'favourites' ? favourites.has(market.symbol) : market.quote === tab)),
    );
    const value = (market: MarketSummary): bigint | string => {
      const ticker = tickers.get(market.symbol);
      switch (sort.key) {
        case 'pair':
          return market.symbol;
        case 'price':
          return signedUnits(ticker?.lastPrice);
        case 'change':
          return signedUnits(ticker?.priceChangePercent);
        case 'volume':
          return signedUnits(ticker?.quoteVolume);
      }
    };
    return chosen.sort((x, y) => {
      const a = value(x);
      const b = value(y);
      const order = a < b ? -1 : a > b ? 1 : 0;
      return sort.descending ? -order : order;
    });
  }, [markets, tickers, query, tab, favourites, sort]);

  const header = (key: SortKey, label: string, className = '') => (
    <th
      className={className}
      aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
      onClick={() =>
        setSort((current) => ({ key, descending: current.key === key ? !current.descending : key !== 'pair' }))
      }
    >
      {label}
      {sort.key === key ? (sort.descending ? ' ↓' : ' ↑') : ''}
    </th>
  );

  const highlights = markets.slice(0, 4);
  return (
    <>
      <div className="highlights">
        {highlights.map((market) => {
          const ticker = tickers.get(market.symbol);
          const digits = rules?.get(market.symbol)?.priceDigits ?? 2;
          return (
            <Link key={market.symbol} href={`/trade/${market.symbol}`} className="panel highlight">
              <div className="form-row">
                <span className="pair">
                  {market.base}/{market.quote}
                </span>
                <span className={`num ${changeClass(ticker)}`}>
                  {ticker === undefined
                    ? ''
                    : `${ticker.priceChangePercent.startsWith('-') ? '' : '+'}${ticker.priceChangePercent}%`}
                </span>
              </div>
              <div className="price num">{ticker === undefined ? '—' : formatDecimal(ticker.lastPrice, digits)}</div>
              <Sparkline symbol={market.symbol} lastPrice={ticker?.lastPrice} />
            </Link>
          );
        })}
      </div>
      <section className="panel" aria-label="Markets">
        <div className="markets-toolbar">
          <div className="tabs" role="tablist">
            {['all', 'favourites', ...quotes].map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                className="tab"
                aria-selected={tab === name}
                onClick={() => setTab(name)}
              >
                {name === 'all' ? 'All' : name === 'favourites' ? '★ Favourites' : name}
              </button>
            ))}
          </div>
          <input
            className="search"
            type="search"
            placeholder="Search markets"
            aria-label="Search markets"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <table className="markets" data-testid="markets-table">
          <thead>
            <tr>
              {header('pair', 'Market')}
              {header('price', 'Last price')}
              {header('change', '24h change')}
              <th className="hide-phone">24h high</th>
              <th className="hide-phone">24h low</th>
              {header('volume', '24h volume', 'hide-phone')}
              <th className="hide-phone">Last 24h</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((market) => {
              const ticker = tickers.get(market.symbol);
              const digits = rules?.get(market.symbol)?.priceDigits ?? 2;
              const price = (text: string | undefined) => (text === undefined ? '—' : formatDecimal(text, digits));
              return (
                <tr
                  key={market.symbol}
                  data-symbol={market.symbol}
                  onClick={() => router.push(`/trade/${market.symbol}`)}
                >
                  <td>
                    <div className="pair-cell">
                      <button
                        type="button"
                        className="star"
                        aria-pressed={favourites.has(market.symbol)}
                        aria-label={`${favourites.has(market.symbol) ? 'Remove' : 'Add'} ${market.symbol} ${favourites.has(market.symbol) ? 'from' : 'to'} favourites`}
                        onClick={(event) => {
                          event.stopPropagation();
                          toggleFavourite(market.symbol);
                        }}
                      >
                        {favourites.has(market.symbol) ? '★' : '☆'}
                      </button>
                      <span className="asset-badge hide-phone" aria-hidden="true">
                        {market.base.slice(0, 3)}
                      </span>
                      <Link
                        href={`/trade/${market.symbol}`}
                        className="pair-name"
                        onClick={(event) => event.stopPropagation()}
                      >
                        <strong>{market.base}</strong>
                        <span className="muted">/{market.quote}</span>
                      </Link>
                    </div>
                  </td>
                  <td className="num" data-testid="last-price">
                    <span
                      key={ticker?.lastPrice}
                      className={ticker?.tick === null || ticker === undefined ? '' : `flash-${ticker.tick}`}
                    >
                      {price(ticker?.lastPrice)}
                    </span>
                  </td>
                  <td className="num">
                    {ticker === undefined ? (
                      '—'
                    ) : (
                      <span className={`change-pill ${changeClass(ticker)}`}>
                        {ticker.priceChangePercent.startsWith('-') ? '' : '+'}
                        {ticker.priceChangePercent}%
                      </span>
                    )}
                  </td>
                  <td className="num hide-phone">{price(ticker?.highPrice)}</td>
                  <td className="num hide-phone">{price(ticker?.lowPrice)}</td>
                  <td className="num hide-phone">
                    {ticker === undefined ? '—' : `${formatCompact(ticker.quoteVolume)} ${market.quote}`}
                  </td>
                  <td className="hide-phone">
                    <Sparkline symbol={market.symbol} lastPrice={ticker?.lastPrice} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {rows.length === 0 && (
          <div className="empty">
            {tab === 'favourites' ? 'Star a market to keep it here.' : 'No market matches your search.'}
          </div>
        )}
      </section>
    </>
  );
}
