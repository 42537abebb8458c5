// The gateway's REST handler contract: the server (src/server.ts) parses a uWebSockets.js request into a
// RestRequest, checks rate limits and, for signed endpoints, the signature, then calls the endpoint's handler.
// Handlers throw BinanceError for anything the client did wrong.

/** Request parameters as Binance reads them: query string and form body merged (body wins on repeats is refused). */
export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path without the query string, e.g. "/api/v3/depth". */
  path: string;
  /** Every parameter from the query string and the urlencoded body, decoded. */
  params: ReadonlyMap<string, string>;
  /** The client's address (the socket's, or X-Forwarded-For's first hop from a trusted proxy). */
  ip: string;
  /** Lower-case header names. */
  headers: ReadonlyMap<string, string>;
  /** Server time when the request arrived (ms). */
  receivedAtMs: number;
  /** Set by the server for signed (USER_DATA/TRADE) endpoints after the signature and permissions passed. */
  userId?: number;
  apiKey?: string;
}

export interface RestResponse {
  status?: number;
  /** Serialized with JSON.stringify unless already a string. */
  body: unknown;
  headers?: Readonly<Record<string, string>>;
}

/** Binance's security types: NONE (public), USER_STREAM (API key only), USER_DATA and TRADE (signed). */
export type Security = 'NONE' | 'USER_STREAM' | 'USER_DATA' | 'TRADE';

export interface Endpoint {
  method: RestRequest['method'];
  path: string;
  security: Security;
  /** Request weight (Binance's, per endpoint, often depending on parameters such as `limit`). */
  weight: (params: ReadonlyMap<string, string>) => number;
  /** Counts towards the order rate limits (new orders). */
  countsAsOrder?: boolean;
  handler: (request: RestRequest) => RestResponse | Promise<RestResponse>;
}
