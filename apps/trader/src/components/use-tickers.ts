'use client';
// Live 24h tickers: REST /ticker/24hr for the starting values, then `!ticker@arr` (sent every second for the
// markets that changed). Every time the stream (re)subscribes, the REST read is repeated, so a reconnect cannot
// leave a market stale.
import { useCallback, useMemo, useState } from 'react';
import type { Ticker24hr } from '../lib/gateway-rest';
import { useGateway, useStream } from './gateway-provider';

interface TickerEvent {
  s: string;
  c: string;
  p: string;
  P: string;
  h: string;
  l: string;
  v: string;
  q: string;
  o: string;
}

export interface LiveTicker extends Ticker24hr {
  /** Direction of the last change of lastPrice, for a brief flash. */
  tick: 'up' | 'down' | null;
}

function fromEvent(event: TickerEvent): Ticker24hr {
  return {
    symbol: event.s,
    lastPrice: event.c,
    priceChange: event.p,
    priceChangePercent: event.P,
    highPrice: event.h,
    lowPrice: event.l,
    volume: event.v,
    quoteVolume: event.q,
    openPrice: event.o,
  };
}

function direction(previous: LiveTicker | undefined, next: Ticker24hr): LiveTicker['tick'] {
  if (previous === undefined || previous.lastPrice === next.lastPrice) return previous?.tick ?? null;
  // Compared as numbers only to choose a colour.
  return Number(next.lastPrice) > Number(previous.lastPrice) ? 'up' : 'down';
}

/** Tickers of all markets (symbol = null) or one market. */
export function useTickers(symbol: string | null = null): Map<string, LiveTicker> {
  const { rest } = useGateway();
  const [tickers, setTickers] = useState(() => new Map<string, LiveTicker>());
  const merge = useCallback((updates: Ticker24hr[]) => {
    setTickers((current) => {
      const next = new Map(current);
      for (const update of updates)
        next.set(update.symbol, { ...update, tick: direction(current.get(update.symbol), update) });
      return next;
    });
  }, []);
  const handlers = useMemo(
    () => ({
      onSubscribed: () => {
        const read = symbol === null ? rest.tickers() : rest.ticker(symbol).then((one) => [one]);
        read.then(merge).catch(() => {
          // The banner reports connection trouble; the stream fills the table in as soon as markets trade.
        });
      },
      onData: (data: TickerEvent | TickerEvent[]) => merge((Array.isArray(data) ? data : [data]).map(fromEvent)),
    }),
    [rest, merge, symbol],
  );
  useStream(symbol === null ? '!ticker@arr' : `${symbol.toLowerCase()}@ticker`, handlers);
  return tickers;
}
