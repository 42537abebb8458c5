// Binance's WebSocket endpoints on uWebSockets.js:
// - market streams: /ws/<stream>[/<stream>...], /ws, /ws/<n> (ccxt's numbered sockets), /stream?streams=a/b
//   (payloads wrapped as {"stream","data"}); SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY /
//   GET_PROPERTY answered with {"result":...,"id":N}. Fan-out uses uWS topics, one serialisation per event
//   and form (raw or combined), whatever the number of subscribers.
// - the user data stream at /ws/<listenKey>;
// - the WebSocket API at /ws-api/v3: userDataStream.subscribe.signature (what current ccxt uses), order.place,
//   order.cancel and the other signed requests, answered as {"id","status","result"} or {"id","status","error"}.
// Dead peers: uWS pings idle sockets and drops those that stay silent. Slow consumers: a socket whose send
// buffer passes the bound is closed instead of buffering without limit; clients reconnect and resync.
import { BinanceError } from '../binance/errors.js';
import { authenticate, type KeyStore } from '../http/request-auth.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import type { RestRequest, RestResponse, Security } from '../http/types.js';
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { Uws } from '../uws.js';
import type { ListenKeys } from './user-data.js';

/** Streams one socket may subscribe to (Binance: 1024). */
export const streamsPerSocketMax = 1024;
/** Incoming messages per second per socket before it is disconnected (Binance: 5; ccxt bursts a few). */
export const incomingMessagesPerSecondMax = 10;
/** Bytes a socket may have queued before it is dropped as a slow consumer. */
export const sendQueueBytesMax = 4 * 1024 * 1024;
/** Seconds without traffic before a ping; a peer silent for this long is dropped. */
export const idleTimeoutSeconds = 60;
export const incomingMessageBytesMax = 64 * 1024;
/**
 * Binance disconnects every socket after 24 hours and clients are written to reconnect; so do we (uWS's own
 * maxLifetime stops at 4 hours, hence closeAged).
 */
export const connectionLifetimeMsMax = 24 * 3_600_000;

interface SocketData {
  kind: 'market' | 'listenKey' | 'api';
  ip: string;
  combined: boolean;
  initialStreams: string[];
  listenKey: string | null;
  userId: number | null;
  /** WebSocket API user-data subscriptions on this socket: subscriptionId -> userId. */
  subscriptions: Map<number, number>;
  nextSubscriptionId: number;
  windowSecond: number;
  messagesInWindow: number;
  openedAtMs: number;
  closed: boolean;
}

type Socket = WebSocket<SocketData>;

interface UserSubscriber {
  socket: Socket;
  /** null for a listenKey socket (raw events); the subscription id for WebSocket API subscribers. */
  subscriptionId: number | null;
}

/** WebSocket API methods served by REST endpoints: method -> [HTTP method, path, security]. */
const apiMethods: Record<string, [RestRequest['method'], string, Security]> = {
  'order.place': ['POST', '/api/v3/order', 'TRADE'],
  'order.test': ['POST', '/api/v3/order/test', 'TRADE'],
  'order.cancel': ['DELETE', '/api/v3/order', 'TRADE'],
  'order.status': ['GET', '/api/v3/order', 'USER_DATA'],
  'order.cancelReplace': ['POST', '/api/v3/order/cancelReplace', 'TRADE'],
  'order.amend.keepPriority': ['PUT', '/api/v3/order/amend/keepPriority', 'TRADE'],
  'openOrders.status': ['GET', '/api/v3/openOrders', 'USER_DATA'],
  'openOrders.cancelAll': ['DELETE', '/api/v3/openOrders', 'TRADE'],
  'orderList.place.oco': ['POST', '/api/v3/orderList/oco', 'TRADE'],
  'orderList.cancel': ['DELETE', '/api/v3/orderList', 'TRADE'],
  allOrders: ['GET', '/api/v3/allOrders', 'USER_DATA'],
  myTrades: ['GET', '/api/v3/myTrades', 'USER_DATA'],
  'account.status': ['GET', '/api/v3/account', 'USER_DATA'],
  'account.rateLimits.orders': ['GET', '/api/v3/rateLimit/order', 'USER_DATA'],
  ping: ['GET', '/api/v3/ping', 'NONE'],
  time: ['GET', '/api/v3/time', 'NONE'],
  exchangeInfo: ['GET', '/api/v3/exchangeInfo', 'NONE'],
  depth: ['GET', '/api/v3/depth', 'NONE'],
  'trades.recent': ['GET', '/api/v3/trades', 'NONE'],
  'trades.aggregate': ['GET', '/api/v3/aggTrades', 'NONE'],
  klines: ['GET', '/api/v3/klines', 'NONE'],
  avgPrice: ['GET', '/api/v3/avgPrice', 'NONE'],
  'ticker.24hr': ['GET', '/api/v3/ticker/24hr', 'NONE'],
  'ticker.price': ['GET', '/api/v3/ticker/price', 'NONE'],
  'ticker.book': ['GET', '/api/v3/ticker/bookTicker', 'NONE'],
  ticker: ['GET', '/api/v3/ticker', 'NONE'],
};

export interface WebSocketServerOptions {
  uws: Uws;
  app: TemplatedApp;
  clock: () => number;
  keyStore: KeyStore;
  listenKeys: ListenKeys;
  rateLimiter: RateLimiter;
  isValidStream: (stream: string) => boolean;
  /** Runs a REST endpoint for the WebSocket API; weight and authentication are already done here. */
  callEndpoint: (method: RestRequest['method'], path: string, request: RestRequest) => Promise<RestResponse>;
  weightOf: (method: RestRequest['method'], path: string, params: ReadonlyMap<string, string>) => number;
  /** Default sendQueueBytesMax. */
  sendQueueBytesMax?: number;
}

/** Binance spells stream names with lower-case symbols; intervals (1m vs 1M) keep their case. */
export const normaliseStream = (stream: string): string => {
  if (stream.startsWith('!')) return stream;
  const at = stream.indexOf('@');
  return at < 0 ? stream.toLowerCase() : stream.slice(0, at).toLowerCase() + stream.slice(at);
};

export class WebSocketServer {
  private readonly sockets = new Set<Socket>();
  private readonly userSubscribers = new Map<number, UserSubscriber[]>();

  constructor(private readonly options: WebSocketServerOptions) {}

  hasMarketSubscribers(stream: string): boolean {
    const app = this.options.app;
    return app.numSubscribers(`r:${stream}`) > 0 || app.numSubscribers(`c:${stream}`) > 0;
  }

  /** Publishes one market event to raw and combined subscribers, serialising each form once. */
  publishMarket(stream: string, payload: unknown): void {
    const app = this.options.app;
    const raw = app.numSubscribers(`r:${stream}`) > 0;
    const combined = app.numSubscribers(`c:${stream}`) > 0;
    if (!raw && !combined) return;
    const json = JSON.stringify(payload);
    if (raw) app.publish(`r:${stream}`, json);
    if (combined) app.publish(`c:${stream}`, `{"stream":${JSON.stringify(stream)},"data":${json}}`);
  }

  hasUserSubscribers(userId: number): boolean {
    return this.userSubscribers.has(userId);
  }

  /** Sends one user-data event to every socket of the user: raw on listenKey sockets, wrapped on the API. */
  publishUser(userId: number, payload: unknown): void {
    const subscribers = this.userSubscribers.get(userId);
    if (subscribers === undefined || subscribers.length === 0) return;
    const json = JSON.stringify(payload);
    for (const subscriber of subscribers) {
      const message =
        subscriber.subscriptionId === null ? json : `{"subscriptionId":${subscriber.subscriptionId},"event":${json}}`;
      this.sendTo(subscriber.socket, message);
    }
  }

  /** Tells the listenKey's sockets it expired (Binance's listenKeyExpired event) and closes them. */
  expireListenKey(listenKey: string, nowMs: number): void {
    for (const socket of this.sockets) {
      const data = socket.getUserData();
      if (data.kind !== 'listenKey' || data.listenKey !== listenKey || data.closed) continue;
      this.sendTo(socket, JSON.stringify({ e: 'listenKeyExpired', E: nowMs, listenKey }));
      socket.end(1000, 'listenKey expired');
    }
  }

  /** Closes sockets open longer than connectionLifetimeMsMax. */
  closeAged(nowMs: number): void {
    for (const socket of this.sockets) {
      const data = socket.getUserData();
      if (!data.closed && nowMs - data.openedAtMs > connectionLifetimeMsMax)
        socket.end(1000, 'connection lifetime reached');
    }
  }

  closeAll(): void {
    for (const socket of [...this.sockets]) {
      if (!socket.getUserData().closed) socket.end(1001, 'server shutting down');
    }
  }

  get socketCount(): number {
    return this.sockets.size;
  }

  mount(): void {
    const { uws, app } = this.options;
    app.ws<SocketData>('/*', {
      compression: uws.DISABLED,
      maxPayloadLength: incomingMessageBytesMax,
      idleTimeout: idleTimeoutSeconds,
      sendPingsAutomatically: true,
      maxBackpressure: this.options.sendQueueBytesMax ?? sendQueueBytesMax,
      // Typed as a number in this build's declarations; the native side reads it as a flag.
      closeOnBackpressureLimit: 1,
      upgrade: (res, req, context) => {
        const path = req.getUrl();
        const query = req.getQuery() ?? '';
        const key = req.getHeader('sec-websocket-key');
        const protocol = req.getHeader('sec-websocket-protocol');
        const extensions = req.getHeader('sec-websocket-extensions');
        const ip = Buffer.from(res.getRemoteAddressAsText()).toString();
        const data = this.socketDataFor(path, query, ip);
        if (data instanceof BinanceError) {
          res.cork(() => {
            res
              .writeStatus('400 Bad Request')
              .writeHeader('Content-Type', 'application/json;charset=UTF-8')
              .end(JSON.stringify(data));
          });
          return;
        }
        res.upgrade(data, key, protocol, extensions, context);
      },
      open: (ws) => {
        const socket = ws;
        const data = socket.getUserData();
        this.sockets.add(socket);
        if (data.kind === 'market') {
          for (const stream of data.initialStreams) socket.subscribe(`${data.combined ? 'c' : 'r'}:${stream}`);
        } else if (data.kind === 'listenKey' && data.userId !== null) {
          this.addUserSubscriber(data.userId, { socket, subscriptionId: null });
        }
      },
      message: (ws, message) => {
        const socket = ws;
        const data = socket.getUserData();
        const second = Math.floor(this.options.clock() / 1000);
        if (second !== data.windowSecond) {
          data.windowSecond = second;
          data.messagesInWindow = 0;
        }
        if (++data.messagesInWindow > incomingMessagesPerSecondMax && data.kind !== 'api') {
          socket.end(1008, 'too many messages');
          return;
        }
        const text = Buffer.from(message).toString('utf8');
        if (data.kind === 'api') void this.onApiMessage(socket, text);
        else this.onControlMessage(socket, text);
      },
      close: (ws) => {
        const socket = ws;
        const data = socket.getUserData();
        data.closed = true;
        this.sockets.delete(socket);
        if (data.userId !== null) this.removeUserSubscriber(data.userId, socket);
        for (const userId of new Set(data.subscriptions.values())) this.removeUserSubscriber(userId, socket);
      },
    });
  }

  private socketDataFor(path: string, query: string, ip: string): SocketData | BinanceError {
    const data: SocketData = {
      kind: 'market',
      ip,
      combined: false,
      initialStreams: [],
      listenKey: null,
      userId: null,
      subscriptions: new Map(),
      nextSubscriptionId: 0,
      windowSecond: 0,
      messagesInWindow: 0,
      openedAtMs: this.options.clock(),
      closed: false,
    };
    const trimmed = path.replace(/\/+$/, '');
    if (trimmed === '/ws-api/v3') return { ...data, kind: 'api' };
    if (trimmed === '/stream') {
      data.combined = true;
      const streams = new URLSearchParams(query).get('streams');
      return streams === null || streams === '' ? data : this.withStreams(data, streams.split('/'));
    }
    if (trimmed === '/ws' || /^\/ws\/\d{1,4}$/.test(trimmed)) return data;
    if (trimmed.startsWith('/ws/')) {
      const rest = trimmed.slice('/ws/'.length);
      if (rest.includes('@') || rest.startsWith('!')) return this.withStreams(data, rest.split('/'));
      const userId = this.options.listenKeys.userOf(rest, this.options.clock());
      if (userId === undefined) return new BinanceError(-1125, 'This listenKey does not exist.');
      return { ...data, kind: 'listenKey', listenKey: rest, userId };
    }
    return new BinanceError(-1000, 'Not found.', 404);
  }

  private withStreams(data: SocketData, names: string[]): SocketData | BinanceError {
    if (names.length > streamsPerSocketMax)
      return new BinanceError(-1000, `At most ${streamsPerSocketMax} streams per connection.`);
    for (const name of names) {
      const stream = normaliseStream(decodeURIComponent(name));
      if (!this.options.isValidStream(stream)) return new BinanceError(-1121, `Invalid stream name: ${stream}`);
      data.initialStreams.push(stream);
    }
    return data;
  }

  private onControlMessage(socket: Socket, text: string): void {
    let request: { method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch (error) {
      this.sendTo(socket, JSON.stringify({ code: 3, msg: `Invalid JSON: ${(error as Error).message}` }));
      return;
    }
    const id = request.id ?? null;
    const fail = (code: number, msg: string) => this.sendTo(socket, JSON.stringify({ code, msg, id }));
    if (typeof request !== 'object' || request === null) return fail(2, 'Invalid request: expected an object');
    if (!(typeof id === 'number' || typeof id === 'string' || id === null)) return fail(1, 'Invalid value type: id');
    const data = socket.getUserData();
    if (data.kind !== 'market') return fail(2, 'Invalid request: this connection carries user data only');
    const params = request.params;
    switch (request.method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        if (!Array.isArray(params) || params.some((param) => typeof param !== 'string')) {
          return fail(1, 'Invalid value type: expected an array of stream names');
        }
        const streams = (params as string[]).map(normaliseStream);
        if (request.method === 'SUBSCRIBE') {
          const invalid = streams.find((stream) => !this.options.isValidStream(stream));
          if (invalid !== undefined) return fail(2, `Invalid request: unknown stream ${invalid}`);
          if (socket.getTopics().length + streams.length > streamsPerSocketMax) {
            return fail(2, `Invalid request: at most ${streamsPerSocketMax} streams per connection`);
          }
          for (const stream of streams) socket.subscribe(`${data.combined ? 'c' : 'r'}:${stream}`);
        } else {
          for (const stream of streams) {
            socket.unsubscribe(`r:${stream}`);
            socket.unsubscribe(`c:${stream}`);
          }
        }
        return this.sendTo(socket, JSON.stringify({ result: null, id }));
      }
      case 'LIST_SUBSCRIPTIONS':
        return this.sendTo(socket, JSON.stringify({ result: socket.getTopics().map((topic) => topic.slice(2)), id }));
      case 'SET_PROPERTY': {
        if (!Array.isArray(params) || params[0] !== 'combined' || typeof params[1] !== 'boolean') {
          return fail(0, 'Unknown property');
        }
        const combined = params[1];
        if (combined !== data.combined) {
          for (const topic of socket.getTopics()) {
            socket.unsubscribe(topic);
            socket.subscribe(`${combined ? 'c' : 'r'}:${topic.slice(2)}`);
          }
          data.combined = combined;
        }
        return this.sendTo(socket, JSON.stringify({ result: null, id }));
      }
      case 'GET_PROPERTY':
        if (!Array.isArray(params) || params[0] !== 'combined') return fail(0, 'Unknown property');
        return this.sendTo(socket, JSON.stringify({ result: data.combined, id }));
      default:
        return fail(2, `Invalid request: unknown method ${JSON.stringify(request.method)}`);
    }
  }

  private async onApiMessage(socket: Socket, text: string): Promise<void> {
    let request: { id?: unknown; method?: unknown; params?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      this.sendTo(
        socket,
        JSON.stringify({ id: null, status: 400, error: { code: -1100, msg: 'Malformed request: not JSON.' } }),
      );
      return;
    }
    const id = typeof request.id === 'string' || typeof request.id === 'number' ? request.id : null;
    const reply = (status: number, body: { result?: unknown; error?: unknown }) =>
      this.sendTo(socket, JSON.stringify({ id, status, ...body }));
    try {
      const params = new Map<string, string>();
      if (request.params !== undefined) {
        if (typeof request.params !== 'object' || request.params === null || Array.isArray(request.params)) {
          throw new BinanceError(-1100, "Illegal characters found in parameter 'params'.");
        }
        for (const [name, value] of Object.entries(request.params)) {
          if (typeof value === 'object' && value !== null) params.set(name, JSON.stringify(value));
          else params.set(name, String(value));
        }
      }
      const method = typeof request.method === 'string' ? request.method : '';
      const data = socket.getUserData();
      const now = this.options.clock();
      if (method === 'userDataStream.subscribe.signature') {
        this.options.rateLimiter.takeWeight(data.ip, 2, now);
        const grant = this.authenticateApi(params, 'USER_DATA', data.ip, now);
        const subscriptionId = data.nextSubscriptionId++;
        data.subscriptions.set(subscriptionId, grant.userId);
        this.addUserSubscriber(grant.userId, { socket, subscriptionId });
        return reply(200, { result: { subscriptionId } });
      }
      if (method === 'userDataStream.unsubscribe') {
        const wanted = params.get('subscriptionId');
        for (const [subscriptionId, userId] of [...data.subscriptions]) {
          if (wanted !== undefined && String(subscriptionId) !== wanted) continue;
          data.subscriptions.delete(subscriptionId);
          this.removeUserSubscriber(userId, socket, subscriptionId);
        }
        return reply(200, { result: {} });
      }
      if (method === 'session.subscriptions') {
        return reply(200, { result: [...data.subscriptions.keys()].map((subscriptionId) => ({ subscriptionId })) });
      }
      const route = apiMethods[method];
      if (route === undefined) throw new BinanceError(-1100, `Unknown method '${method}'.`);
      const [httpMethod, path, security] = route;
      this.options.rateLimiter.takeWeight(data.ip, this.options.weightOf(httpMethod, path, params), now);
      const restRequest: RestRequest = {
        method: httpMethod,
        path,
        params,
        ip: data.ip,
        headers: new Map(),
        receivedAtMs: now,
      };
      if (security !== 'NONE') {
        const grant = this.authenticateApi(params, security, data.ip, now);
        restRequest.userId = grant.userId;
        restRequest.apiKey = params.get('apiKey')!;
      }
      const response = await this.options.callEndpoint(httpMethod, path, restRequest);
      return reply(200, { result: response.body });
    } catch (error) {
      if (error instanceof BinanceError) return reply(error.httpStatus, { error: error.toJSON() });
      console.error(
        `[gateway] WebSocket API ${String(request.method)} failed: ${(error as Error).stack ?? String(error)}`,
      );
      return reply(500, { error: { code: -1000, msg: 'An unknown error occurred while processing the request.' } });
    }
  }

  /** WebSocket API signatures cover the parameters sorted by name, `signature` left out, as key=value&... */
  private authenticateApi(params: ReadonlyMap<string, string>, security: Security, ip: string, now: number) {
    const entries = [...params.entries()]
      .filter(([name]) => name !== 'signature')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const payload = entries.map(([name, value]) => `${name}=${value}`).join('&');
    const signature = params.get('signature');
    return authenticate(this.options.keyStore, security, {
      apiKey: params.get('apiKey'),
      ip,
      rawQuery: signature === undefined ? payload : `${payload}&signature=${encodeURIComponent(signature)}`,
      rawBody: '',
      params,
      nowMs: now,
    });
  }

  private addUserSubscriber(userId: number, subscriber: UserSubscriber): void {
    let list = this.userSubscribers.get(userId);
    if (list === undefined) {
      list = [];
      this.userSubscribers.set(userId, list);
    }
    list.push(subscriber);
  }

  private removeUserSubscriber(userId: number, socket: Socket, subscriptionId?: number): void {
    const list = this.userSubscribers.get(userId);
    if (list === undefined) return;
    const kept = list.filter(
      (subscriber) =>
        subscriber.socket !== socket || (subscriptionId !== undefined && subscriber.subscriptionId !== subscriptionId),
    );
    if (kept.length === 0) this.userSubscribers.delete(userId);
    else this.userSubscribers.set(userId, kept);
  }

  private sendTo(socket: Socket, message: string): void {
    if (socket.getUserData().closed) return;
    socket.send(message, false, false);
  }
}
