// A small Binance Spot REST client: signs requests exactly as Binance's own connectors do (HMAC-SHA256 over the
// query string, sent in the query), so the demo's market maker and our tests talk to the gateway like any bot.
import { createHmac } from 'node:crypto';

export class BinanceApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Headers,
  ) {
    super(message);
    this.name = 'BinanceApiError';
  }
}

export interface RestClientOptions {
  baseUrl: string;
  apiKey?: string;
  secret?: string;
  clock?: () => number;
  recvWindowMs?: number;
}

export type RequestParams = Record<string, string | number | boolean | undefined>;

export class BinanceRestClient {
  private readonly clock: () => number;

  constructor(private readonly options: RestClientOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** Public endpoint (no key). */
  get<T = unknown>(path: string, params: RequestParams = {}): Promise<T> {
    return this.request<T>('GET', path, params, false);
  }

  /** Signed endpoint (USER_DATA / TRADE): timestamp, recvWindow and signature added. */
  signed<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params: RequestParams = {}): Promise<T> {
    return this.request<T>(method, path, params, true);
  }

  /** API-key-only endpoint (USER_STREAM). */
  keyed<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params: RequestParams = {}): Promise<T> {
    return this.request<T>(method, path, params, false, true);
  }

  async request<T>(method: string, path: string, params: RequestParams, signed: boolean, keyed = signed): Promise<T> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== undefined) search.set(name, String(value));
    if (signed) {
      if (this.options.recvWindowMs !== undefined) search.set('recvWindow', String(this.options.recvWindowMs));
      search.set('timestamp', String(this.clock()));
      const query = search.toString();
      search.set(
        'signature',
        createHmac('sha256', this.options.secret ?? '')
          .update(query)
          .digest('hex'),
      );
    }
    const query = search.toString();
    const headers: Record<string, string> = {};
    if (keyed) headers['X-MBX-APIKEY'] = this.options.apiKey ?? '';
    const response = await fetch(`${this.options.baseUrl}${path}${query === '' ? '' : `?${query}`}`, {
      method,
      headers,
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new BinanceApiError(
        response.status,
        -1,
        `non-JSON reply ${response.status}: ${text.slice(0, 200)}`,
        response.headers,
      );
    }
    if (!response.ok) {
      const error = body as { code?: number; msg?: string };
      throw new BinanceApiError(response.status, error.code ?? -1, error.msg ?? text, response.headers);
    }
    return body as T;
  }
}
