// The gateway in single-node mode: hosts the engine in-process and serves Binance's Spot REST API, market
// streams, the user data stream and the WebSocket API on one uWebSockets.js server. Everything a client sees
// comes from committed batches: the engine resolves a command only once its batch is journaled, and the
// batch's events reach the order view, market data and sockets (synchronously, in order) only then.
import { deriveMarketParameters, type TenantConfig } from '@exbox/config';
import {
  Engine,
  pendingDefinitionCommands,
  type CommittedBatch,
  type EngineCommand,
  type EngineOptions,
  type EngineResult,
} from '@exbox/engine';
import type { Sql } from 'postgres';
import { BinanceError, errors } from './binance/errors.js';
import { MarketFormat } from './binance/format.js';
import { generalEndpoints } from './exchange-info.js';
import { RateLimiter, type RateLimits } from './http/rate-limiter.js';
import { authenticate, type KeyStore } from './http/request-auth.js';
import { parseRequestParams, requestBodyBytesMax } from './http/request-params.js';
import type { Endpoint, RestRequest } from './http/types.js';
import { WebSessions, type WebSessionOptions } from './http/web-sessions.js';
import { MarketData } from './market-data/index.js';
import { ListenKeys, userEventsOf } from './streams/user-data.js';
import { WebSocketServer } from './streams/websocket-server.js';
import { OrderTracker } from './trading/order-tracker.js';
import { tradingEndpoints } from './trading/trading-endpoints.js';
import { userStreamEndpoints } from './streams/user-stream-endpoints.js';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { Side } from '@exbox/matching';
import { loadNativeUws, type Uws } from './uws.js';

type UwsApp = TemplatedApp;

export interface GatewayOptions {
  /** The engine's options, except what the gateway wires itself (onCommitted). */
  engine: Omit<EngineOptions, 'onCommitted'>;
  /** Pool for history reads (orders, trades); keep it apart from the engine's journal pool. */
  readSql: Sql;
  tenant: TenantConfig;
  keyStore: KeyStore;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  clock?: () => number;
  /** Take the client's address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
  /** Overrides the tenant's rate limits (tests). */
  rateLimits?: RateLimits;
  onFatal?: (error: Error) => void;
  /** Accept the trader portal's session cookie on signed endpoints from these origins (see web-sessions.ts). */
  webSessions?: WebSessionOptions;
  /** Bytes a WebSocket may have queued before it is dropped as a slow consumer (tests make it small). */
  sendQueueBytesMax?: number;
}

/** How often time-driven streams flush and housekeeping runs. */
export const gatewayTickMs = 100;

const statusText: Record<number, string> = {
  200: '200 OK',
  204: '204 No Content',
  400: '400 Bad Request',
  401: '401 Unauthorized',
  403: '403 Forbidden',
  404: '404 Not Found',
  405: '405 Method Not Allowed',
  409: '409 Conflict',
  413: '413 Payload Too Large',
  418: "418 I'm a teapot",
  429: '429 Too Many Requests',
  500: '500 Internal Server Error',
  503: '503 Service Unavailable',
};

const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Content-Type, X-MBX-APIKEY',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'Access-Control-Expose-Headers': 'X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-10S, X-MBX-ORDER-COUNT-1D, Retry-After',
};

/**
 * How long browsers may reuse a preflight's answer. The portal's cancels (DELETE) and listenKey keepalives (PUT)
 * are preflighted; without this every cancel would wait for an extra round trip. Chromium caps it at 2 hours.
 */
export const corsPreflightMaxAgeSeconds = 600;

interface Waiter {
  sequence: number;
  resolve: () => void;
}

export class Gateway {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly knownPaths = new Set<string>();
  private readonly commitWaiters: Waiter[] = [];
  private listenSocket: unknown = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private lastExpiryCheckMs = 0;
  /** Set when a committed batch could not be folded into the views: every request is then refused. */
  private viewsFailed: Error | null = null;
  private webSessions: WebSessions | null = null;

  private constructor(
    readonly engine: Engine,
    readonly markets: ReadonlyMap<string, MarketFormat>,
    readonly tracker: OrderTracker,
    readonly marketData: MarketData,
    readonly rateLimiter: RateLimiter,
    readonly listenKeys: ListenKeys,
    private readonly options: GatewayOptions,
    private readonly uws: Uws,
    private readonly app: UwsApp,
    /** The WebSocket endpoints (tests publish through it). */
    readonly sockets: WebSocketServer,
    private readonly clock: () => number,
    private readonly decimals: ReadonlyMap<string, number>,
  ) {}

  /** Starts the engine (recovering it), loads market data history, and listens. */
  static async start(options: GatewayOptions): Promise<Gateway> {
    const uws = loadNativeUws();
    const clock = options.clock ?? Date.now;
    let gateway: Gateway | null = null;
    const early: CommittedBatch<EngineCommand, EngineResult>[] = [];
    const engine = await Engine.start({
      ...options.engine,
      clock,
      onCommitted: (batch) => {
        if (gateway === null) early.push(batch);
        else gateway.onCommitted(batch);
      },
      onFatal: (error) => {
        console.error(`[gateway] engine stopped: ${error.message}`);
        options.onFatal?.(error);
      },
    });
    try {
      for (const command of pendingDefinitionCommands(options.tenant, engine.state)) {
        const { result } = await engine.submit(command);
        if (result.status !== 'OK')
          throw new Error(`tenant definition refused: ${result.status} ${JSON.stringify(command)}`);
      }
      await engine.drain();
      early.length = 0; // definitions only: nothing the views need

      const markets = new Map<string, MarketFormat>();
      for (const parameters of deriveMarketParameters(options.tenant).values()) {
        markets.set(parameters.symbol, new MarketFormat(parameters));
      }
      const decimals = new Map(engine.state.assetCodes().map((asset) => [asset.asset, asset.decimals]));
      const tracker = new OrderTracker(engine.state.allOpenOrders(), engine.committedSequence);
      const limits = options.rateLimits ?? options.tenant.rateLimits;
      const rateLimiter = new RateLimiter(limits);
      const listenKeys = new ListenKeys();
      const app = uws.App();
      const sockets: WebSocketServer = new WebSocketServer({
        uws,
        app,
        clock,
        keyStore: options.keyStore,
        listenKeys,
        rateLimiter,
        isValidStream: (stream) => marketData.isValidStream(stream),
        callEndpoint: (method, path, request) => gatewayRef().callEndpoint(method, path, request),
        weightOf: (method, path, params) => gatewayRef().weightOf(method, path, params),
        ...(options.sendQueueBytesMax === undefined ? {} : { sendQueueBytesMax: options.sendQueueBytesMax }),
      });
      const marketData = new MarketData({
        markets: [...markets.values()],
        clock,
        publish: (stream, payload) => sockets.publishMarket(stream, payload),
        hasSubscribers: (stream) => sockets.hasMarketSubscribers(stream),
        sql: options.readSql,
      });
      for (const market of markets.values()) {
        const book = engine.state.book(market.symbol);
        if (book === undefined) continue;
        marketData.loadBook(market.symbol, book.depth(Side.BUY, 5_000), book.depth(Side.SELL, 5_000));
      }
      // Without a follower the trades projection never advances: take what it has rather than wait for it.
      await marketData.loadHistory(options.readSql, {
        throughSeq: engine.committedSequence,
        ...(options.engine.follower === 'none' ? { projectionWaitMs: 0 } : {}),
      });

      gateway = new Gateway(
        engine,
        markets,
        tracker,
        marketData,
        rateLimiter,
        listenKeys,
        options,
        uws,
        app,
        sockets,
        clock,
        decimals,
      );
      const created: Gateway = gateway;
      const gatewayRef = (): Gateway => created;
      for (const batch of early) gateway.onCommitted(batch);
      if (options.webSessions !== undefined) gateway.webSessions = new WebSessions(options.webSessions, clock);
      gateway.mountEndpoints(limits);
      sockets.mount();
      app.any('/*', (res, req) => created.onHttpRequest(res, req));
      await gateway.listen(options.host ?? '127.0.0.1', options.port ?? 0);
      gateway.timer = setInterval(() => gateway?.onTick(), gatewayTickMs);
      return gateway;
    } catch (error) {
      await engine.close().catch(() => undefined);
      throw error;
    }
  }

  /** The port the server listens on. */
  get port(): number {
    return this.listenSocket === null ? 0 : this.uws.us_socket_local_port(this.listenSocket as never);
  }

  get url(): { rest: string; ws: string } {
    const host = this.options.host ?? '127.0.0.1';
    return { rest: `http://${host}:${this.port}`, ws: `ws://${host}:${this.port}` };
  }

  /** Stops listening, closes sockets, drains the engine and stops it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    if (this.listenSocket !== null) this.uws.us_listen_socket_close(this.listenSocket as never);
    this.listenSocket = null;
    this.sockets.closeAll();
    await this.engine.close();
    for (const waiter of this.commitWaiters.splice(0)) waiter.resolve();
  }

  /** Resolves once `sequence` is committed (and its events folded in). */
  committed(sequence: number): Promise<void> {
    if (sequence <= this.engine.committedSequence) return Promise.resolve();
    return new Promise((resolve) => this.commitWaiters.push({ sequence, resolve }));
  }

  // ------------------------------------------------------------------------------------------ committed batches

  /**
   * Runs inside the engine's acknowledgement loop, so it must not throw into it. A failure here is a bug in a view
   * (the views no longer match the journal): stop serving rather than answer from wrong data.
   */
  private onCommitted(batch: CommittedBatch<EngineCommand, EngineResult>): void {
    if (this.viewsFailed !== null) return;
    try {
      this.foldCommitted(batch);
    } catch (error) {
      this.viewsFailed = error instanceof Error ? error : new Error(String(error));
      console.error(`[gateway] committed batch ${batch.firstSeq} could not be folded: ${this.viewsFailed.stack}`);
      this.options.onFatal?.(this.viewsFailed);
    }
  }

  private foldCommitted(batch: CommittedBatch<EngineCommand, EngineResult>): void {
    for (const sequenced of batch.results) {
      const events = sequenced.result.events;
      if (events.length === 0) continue;
      const changes = this.tracker.apply(sequenced.sequence, sequenced.timestampMs, events);
      const userEvents = userEventsOf(
        this.markets,
        (asset) => this.decimals.get(asset) ?? 8,
        sequenced.timestampMs,
        events,
        changes,
        (userId) => this.sockets.hasUserSubscribers(userId),
        (orderId) => this.tracker.order(orderId)?.view.clientOrderId ?? '',
      );
      for (const event of userEvents) this.sockets.publishUser(event.userId, event.payload);
    }
    this.marketData.applyCommitted(batch);
    const lastSeq = batch.firstSeq + batch.results.length - 1;
    while (this.commitWaiters.length > 0 && this.commitWaiters[0]!.sequence <= lastSeq)
      this.commitWaiters.shift()!.resolve();
  }

  private onTick(): void {
    const now = this.clock();
    try {
      this.marketData.tick(now);
      this.tracker.pruneProjected(this.engine.projectedSequence);
      if (now - this.lastExpiryCheckMs >= 1_000) {
        this.lastExpiryCheckMs = now;
        for (const expired of this.listenKeys.expire(now)) this.sockets.expireListenKey(expired.key, now);
        this.sockets.closeAged(now);
      }
    } catch (error) {
      console.error(`[gateway] tick failed: ${(error as Error).stack ?? String(error)}`);
    }
  }

  // ------------------------------------------------------------------------------------------------ REST

  private mountEndpoints(limits: RateLimits): void {
    const context = {
      engine: this.engine,
      sql: this.options.readSql,
      markets: this.markets,
      tracker: this.tracker,
      rateLimiter: this.rateLimiter,
      committed: (sequence: number) => this.committed(sequence),
      clock: this.clock,
    };
    const all = [
      ...generalEndpoints({ engine: this.engine, markets: this.markets, limits, clock: this.clock }),
      ...this.marketData.endpoints(),
      ...tradingEndpoints(context),
      ...userStreamEndpoints({ listenKeys: this.listenKeys, clock: this.clock }),
    ];
    for (const endpoint of all) {
      const key = `${endpoint.method} ${endpoint.path}`;
      if (this.endpoints.has(key)) throw new Error(`endpoint ${key} defined twice`);
      this.endpoints.set(key, endpoint);
      this.knownPaths.add(endpoint.path);
    }
  }

  /** An endpoint's request weight (the WebSocket API charges the same). */
  weightOf(method: RestRequest['method'], path: string, params: ReadonlyMap<string, string>): number {
    return this.endpoints.get(`${method} ${path}`)?.weight(params) ?? 1;
  }

  /** For the WebSocket API: runs a REST endpoint's handler for an already authenticated request. */
  async callEndpoint(method: RestRequest['method'], path: string, request: RestRequest) {
    const endpoint = this.endpoints.get(`${method} ${path}`);
    if (endpoint === undefined) throw errors.notFound();
    if (endpoint.countsAsOrder === true && request.userId !== undefined)
      this.rateLimiter.takeOrder(request.userId, this.clock());
    return endpoint.handler(request);
  }

  private onHttpRequest(res: HttpResponse, req: HttpRequest): void {
    const method = req.getMethod().toUpperCase();
    const path = req.getUrl();
    const rawQuery = req.getQuery() ?? '';
    // Only the headers the API reads (reading all of them costs more than the rest of a cheap request).
    const headers = new Map<string, string>();
    const apiKey = req.getHeader('x-mbx-apikey');
    if (apiKey !== '') headers.set('x-mbx-apikey', apiKey);
    if (this.options.trustProxy === true) headers.set('x-forwarded-for', req.getHeader('x-forwarded-for'));
    const origin = req.getHeader('origin');
    if (origin !== '') {
      headers.set('origin', origin);
      if (this.webSessions !== null) headers.set('cookie', req.getHeader('cookie'));
    }
    const socketIp = Buffer.from(res.getRemoteAddressAsText()).toString();
    const forwarded =
      this.options.trustProxy === true ? headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
    const ip = forwarded !== undefined && forwarded !== '' ? forwarded : socketIp;
    // CORS headers only for browsers (they send Origin); bots do without the extra bytes.
    const state = { aborted: false, cors: origin !== '', origin };
    res.onAborted(() => {
      state.aborted = true;
    });
    if (method === 'GET' || method === 'OPTIONS' || method === 'HEAD') {
      void this.dispatch(res, state, { method, path, rawQuery, rawBody: '', headers, ip });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.onData((chunk, isLast) => {
      if (state.aborted) return;
      size += chunk.byteLength;
      if (size > requestBodyBytesMax) {
        state.aborted = true;
        this.send(
          res,
          { aborted: false, cors: state.cors, origin },
          413,
          JSON.stringify({ code: -1000, msg: 'Request body too large.' }),
          {},
        );
        return;
      }
      chunks.push(Buffer.from(new Uint8Array(chunk)));
      if (isLast) {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        void this.dispatch(res, state, { method, path, rawQuery, rawBody, headers, ip });
      }
    });
  }

  private async dispatch(
    res: HttpResponse,
    state: { aborted: boolean; cors: boolean; origin: string },
    request: {
      method: string;
      path: string;
      rawQuery: string;
      rawBody: string;
      headers: Map<string, string>;
      ip: string;
    },
  ): Promise<void> {
    const now = this.clock();
    const headersOut: Record<string, string> = {};
    try {
      if (this.viewsFailed !== null) throw errors.disconnected();
      if (request.method === 'OPTIONS') {
        this.send(
          res,
          state,
          204,
          '',
          state.cors ? { 'Access-Control-Max-Age': String(corsPreflightMaxAgeSeconds) } : {},
        );
        return;
      }
      const endpoint = this.endpoints.get(`${request.method} ${request.path}`);
      if (endpoint === undefined) {
        if (this.knownPaths.has(request.path))
          throw new BinanceError(-1000, 'Method not allowed for this endpoint.', 405);
        throw errors.notFound();
      }
      const params = parseRequestParams(request.rawQuery, request.rawBody);
      headersOut['X-MBX-USED-WEIGHT-1M'] = String(
        this.rateLimiter.takeWeight(request.ip, endpoint.weight(params), now),
      );
      const restRequest: RestRequest = {
        method: endpoint.method,
        path: request.path,
        params,
        ip: request.ip,
        headers: request.headers,
        receivedAtMs: now,
      };
      const cookie = request.headers.get('cookie');
      if (endpoint.security !== 'NONE' && !request.headers.has('x-mbx-apikey') && this.webSessions !== null && cookie) {
        // A browser of the portal, signed in: its session cookie instead of a signature (web-sessions.ts).
        const needed = endpoint.security === 'TRADE' ? 'trade' : 'read';
        restRequest.userId = await this.webSessions.authenticate(request.headers.get('origin') ?? '', cookie, needed);
      } else if (endpoint.security !== 'NONE') {
        const grant = authenticate(this.options.keyStore, endpoint.security, {
          apiKey: request.headers.get('x-mbx-apikey'),
          ip: request.ip,
          rawQuery: request.rawQuery,
          rawBody: request.rawBody,
          params,
          nowMs: now,
        });
        restRequest.userId = grant.userId;
        restRequest.apiKey = request.headers.get('x-mbx-apikey')!;
      }
      if (endpoint.countsAsOrder === true) {
        const counts = this.rateLimiter.takeOrder(restRequest.userId!, now);
        headersOut['X-MBX-ORDER-COUNT-10S'] = String(counts.count10s);
        headersOut['X-MBX-ORDER-COUNT-1D'] = String(counts.countDay);
      }
      const response = await endpoint.handler(restRequest);
      const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
      this.send(res, state, response.status ?? 200, body, { ...headersOut, ...response.headers });
    } catch (error) {
      if (error instanceof BinanceError) {
        this.send(res, state, error.httpStatus, JSON.stringify(error), { ...headersOut, ...error.headers });
        return;
      }
      console.error(`[gateway] ${request.method} ${request.path} failed: ${(error as Error).stack ?? String(error)}`);
      this.send(res, state, 500, JSON.stringify(errors.unknown()), headersOut);
    }
  }

  private send(
    res: HttpResponse,
    state: { aborted: boolean; cors: boolean; origin: string },
    status: number,
    body: string,
    headers: Readonly<Record<string, string>>,
  ): void {
    if (state.aborted) return;
    state.aborted = true;
    res.cork(() => {
      res.writeStatus(statusText[status] ?? `${status} Error`);
      if (state.cors) {
        if (this.webSessions?.isAllowedOrigin(state.origin) === true) {
          // The portal's pages send their cookie: CORS must name the origin and allow credentials.
          res.writeHeader('Access-Control-Allow-Origin', state.origin);
          res.writeHeader('Access-Control-Allow-Credentials', 'true');
          res.writeHeader('Vary', 'Origin');
          for (const [name, value] of Object.entries(corsHeaders))
            if (name !== 'Access-Control-Allow-Origin') res.writeHeader(name, value);
        } else {
          for (const [name, value] of Object.entries(corsHeaders)) res.writeHeader(name, value);
        }
      }
      for (const [name, value] of Object.entries(headers)) res.writeHeader(name, value);
      if (status !== 204) res.writeHeader('Content-Type', 'application/json;charset=UTF-8');
      res.end(body);
    });
  }

  private listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.app.listen(host, port, (socket) => {
        if (socket === false) {
          reject(new Error(`gateway: cannot listen on ${host}:${port} (in use?)`));
          return;
        }
        this.listenSocket = socket;
        resolve();
      });
    });
  }
}
