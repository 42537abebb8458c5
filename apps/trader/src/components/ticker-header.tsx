'use client';
// The market's header: a market switcher, the last price (coloured by its last move), 24h change, high, low and
// volumes, live from `<symbol>@ticker`.
import { useRouter } from 'next/navigation';
import { formatCompact, formatDecimal } from '../lib/decimal';
import type { MarketRules } from '../lib/market-rules';
import type { MarketSummary } from '../lib/market-summary';
import type { LiveTicker } from './use-tickers';

export function TickerHeader({
  symbol,
  markets,
  rules,
  ticker,
}: {
  symbol: string;
  markets: MarketSummary[];
  rules: MarketRules | undefined;
  ticker: LiveTicker | undefined;
}) {
  const router = useRouter();
  const digits = rules?.priceDigits ?? 2;
  const price = (text: string | undefined) => (text === undefined ? '—' : formatDecimal(text, digits));
  const negative = ticker?.priceChangePercent.startsWith('-') === true;
  const market = markets.find((candidate) => candidate.symbol === symbol);
  return (
    <section className="panel area-ticker ticker-header" aria-label="Market summary" data-testid="ticker-header">
      <div className="ticker-symbol">
        <select aria-label="Market" value={symbol} onChange={(event) => router.push(`/trade/${event.target.value}`)}>
          {markets.map((candidate) => (
            <option key={candidate.symbol} value={candidate.symbol}>
              {candidate.base}/{candidate.quote}
            </option>
          ))}
        </select>
      </div>
      <div className={`ticker-last num ${ticker?.tick ?? ''}`} data-testid="ticker-last">
        {price(ticker?.lastPrice)}
      </div>
      <div className="ticker-stat">
        <span>24h change</span>
        <span className={`num ${ticker === undefined ? '' : negative ? 'down' : 'up'}`}>
          {ticker === undefined
            ? '—'
            : `${price(ticker.priceChange)} ${negative ? '' : '+'}${ticker.priceChangePercent}%`}
        </span>
      </div>
      <div className="ticker-stat">
        <span>24h high</span>
        <span className="num">{price(ticker?.highPrice)}</span>
      </div>
      <div className="ticker-stat">
        <span>24h low</span>
        <span className="num">{price(ticker?.lowPrice)}</span>
      </div>
      <div className="ticker-stat">
        <span>24h volume ({market?.base})</span>
        <span className="num">{ticker === undefined ? '—' : formatCompact(ticker.volume)}</span>
      </div>
      <div className="ticker-stat">
        <span>24h volume ({market?.quote})</span>
        <span className="num">{ticker === undefined ? '—' : formatCompact(ticker.quoteVolume)}</span>
      </div>
    </section>
  );
}
