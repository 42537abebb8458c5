'use client';
// Recent trades: REST /trades, then `@trade`; re-read on every (re)subscription so nothing missed while
// disconnected is skipped. Deduplicated by trade id, newest first.
import { useEffect, useMemo, useState } from 'react';
import { formatDecimal } from '../lib/decimal';
import type { RecentTrade } from '../lib/gateway-rest';
import type { MarketRules } from '../lib/market-rules';
import { useGateway, useStream } from './gateway-provider';

/** Trades kept and shown. */
const tradesShown = 40;

interface TradeEvent {
  t: number;
  p: string;
  q: string;
  T: number;
  m: boolean;
}

function mergeTrades(current: RecentTrade[], incoming: RecentTrade[]): RecentTrade[] {
  const byId = new Map(current.map((trade) => [trade.id, trade]));
  for (const trade of incoming) byId.set(trade.id, trade);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, tradesShown);
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function RecentTrades({ symbol, rules }: { symbol: string; rules: MarketRules }) {
  const { rest } = useGateway();
  const [trades, setTrades] = useState<RecentTrade[]>([]);
  useEffect(() => setTrades([]), [symbol]);
  const handlers = useMemo(
    () => ({
      onSubscribed: () => {
        rest
          .trades(symbol, tradesShown)
          .then((loaded) => setTrades((current) => mergeTrades(current, loaded)))
          .catch(() => {
            // Shown by the connection banner; the stream keeps adding trades.
          });
      },
      onData: (event: TradeEvent) =>
        setTrades((current) =>
          mergeTrades(current, [{ id: event.t, price: event.p, qty: event.q, time: event.T, isBuyerMaker: event.m }]),
        ),
    }),
    [rest, symbol],
  );
  useStream(`${symbol.toLowerCase()}@trade`, handlers);

  return (
    <section className="panel area-trades" aria-label="Recent trades">
      <div className="panel-title">Recent trades</div>
      <div className="trade-row trades-header">
        <span>Price ({rules.quoteAsset})</span>
        <span>Amount ({rules.baseAsset})</span>
        <span>Time</span>
      </div>
      <div className="trades-list" data-testid="recent-trades">
        {trades.length === 0 && <div className="empty">No trades yet.</div>}
        {trades.map((trade) => (
          <div key={trade.id} className="trade-row" data-testid="trade-row" data-trade-id={trade.id}>
            {/* The buyer was the maker: the taker sold. */}
            <span className={`num ${trade.isBuyerMaker ? 'down' : 'up'}`}>
              {formatDecimal(trade.price, rules.priceDigits)}
            </span>
            <span className="num">{formatDecimal(trade.qty, rules.quantityDigits)}</span>
            <span className="num muted">{timeFormat.format(trade.time)}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
