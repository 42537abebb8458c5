// The gateway's public REST endpoints the portal reads (Binance /api/v3 shapes). Errors come back as Binance's
// {code, msg}; they are thrown as GatewayError so a view can say what went wrong.
import type { ExchangeInfoSymbol } from './market-rules';
import type { KlineRow } from './klines';
import type { DepthSnapshot } from './order-book';
import { snapshotLevels } from './depth-feed';

export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
  ) {
    super(message);
  }
}

export interface Ticker24hr {
  symbol: string;
  lastPrice: string;
  priceChange: string;
  priceChangePercent: string;
  highPrice: string;
  lowPrice: string;
  volume: string;
  quoteVolume: string;
  openPrice: string;
}

export interface RecentTrade {
  id: number;
  price: string;
  qty: string;
  time: number;
  isBuyerMaker: boolean;
}

/** Abort a REST read that takes longer than this: the view shows an error and the user can retry. */
export const restTimeoutMs = 10_000;

async function getJson<T>(baseUrl: string, path: string, params: Record<string, string | number> = {}): Promise<T> {
  const url = new URL(`/api/v3/${path}`, baseUrl);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(restTimeoutMs), cache: 'no-store' });
  } catch (error) {
    throw new GatewayError(
      `Cannot reach the exchange (${error instanceof Error ? error.message : String(error)})`,
      null,
    );
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const binance = body as { code?: number; msg?: string } | null;
    throw new GatewayError(binance?.msg ?? `HTTP ${response.status}`, binance?.code ?? null);
  }
  return body as T;
}

export interface GatewayRest {
  exchangeInfo(): Promise<{ symbols: ExchangeInfoSymbol[] }>;
  tickers(): Promise<Ticker24hr[]>;
  ticker(symbol: string): Promise<Ticker24hr>;
  klines(symbol: string, interval: string, limit: number): Promise<KlineRow[]>;
  depth(symbol: string): Promise<DepthSnapshot>;
  trades(symbol: string, limit: number): Promise<RecentTrade[]>;
}

export function gatewayRest(baseUrl: string): GatewayRest {
  return {
    exchangeInfo: () => getJson(baseUrl, 'exchangeInfo'),
    tickers: () => getJson(baseUrl, 'ticker/24hr'),
    ticker: (symbol) => getJson(baseUrl, 'ticker/24hr', { symbol }),
    klines: (symbol, interval, limit) => getJson(baseUrl, 'klines', { symbol, interval, limit }),
    depth: (symbol) => getJson(baseUrl, 'depth', { symbol, limit: snapshotLevels }),
    trades: (symbol, limit) => getJson(baseUrl, 'trades', { symbol, limit }),
  };
}

/** ws(s):// base for the streams from the gateway's http(s):// base. */
export function streamBaseUrl(restBaseUrl: string): string {
  return restBaseUrl.replace(/^http/, 'ws').replace(/\/+$/, '');
}
