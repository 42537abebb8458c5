// Binance's error codes and message texts, exactly: client libraries (ccxt, python-binance) map errors to
// exception classes by code and, for -2010/-2011/-1013, by the message text, so both must match Binance's.
// See https://developers.binance.com/docs/binance-spot-api-docs/errors

/** An error the API answers as `{code, msg}` with an HTTP status. Thrown by handlers, caught by the server. */
export class BinanceError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus = 400,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'BinanceError';
  }

  /** Extra detail some errors carry (cancelReplace's per-step results), sent as `data`. */
  data: unknown = undefined;

  withData(data: unknown): this {
    this.data = data;
    return this;
  }

  toJSON(): { code: number; msg: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.code, msg: this.message }
      : { code: this.code, msg: this.message, data: this.data };
  }
}

export const errors = {
  unknown: () => new BinanceError(-1000, 'An unknown error occurred while processing the request.', 500),
  disconnected: () => new BinanceError(-1001, 'Internal error; unable to process your request. Please try again.', 503),
  unauthorized: () => new BinanceError(-1002, 'You are not authorized to execute this request.', 401),
  tooMuchWeight: (limit: number, retryAfterSeconds: number) =>
    new BinanceError(
      -1003,
      `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
      429,
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  banned: (untilMs: number, retryAfterSeconds: number) =>
    new BinanceError(
      -1003,
      `Way too much request weight used; IP banned until ${untilMs}. Please use WebSocket Streams for live updates to avoid bans.`,
      418,
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  serverBusy: () =>
    new BinanceError(
      -1008,
      'Server is currently overloaded with other requests. Please try again in a few minutes.',
      503,
    ),
  unsupportedOperation: () => new BinanceError(-1014, 'Unsupported order combination.'),
  tooManyOrders: (limit: number, interval: string, retryAfterSeconds: number) =>
    new BinanceError(-1015, `Too many new orders; current limit is ${limit} orders per ${interval}.`, 429, {
      'Retry-After': String(retryAfterSeconds),
    }),
  timestampAhead: () => new BinanceError(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  timestampOutsideWindow: () => new BinanceError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  invalidSignature: () => new BinanceError(-1022, 'Signature for this request is not valid.'),
  illegalChars: (name: string, legal: string) =>
    new BinanceError(-1100, `Illegal characters found in parameter '${name}'; legal range is '${legal}'.`),
  tooManyParameters: () => new BinanceError(-1101, 'Too many parameters sent for this endpoint.'),
  duplicateParameter: (name: string) =>
    new BinanceError(-1101, `Duplicate values for a parameter detected.`, 400, { 'X-Exbox-Parameter': name }),
  mandatoryMissing: (name: string) =>
    new BinanceError(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  paramEmpty: (name: string) => new BinanceError(-1105, `Parameter '${name}' was empty.`),
  paramNotRequired: (name: string) => new BinanceError(-1106, `Parameter '${name}' sent when not required.`),
  badPrecision: () => new BinanceError(-1111, 'Precision is over the maximum defined for this asset.'),
  tifNotRequired: () => new BinanceError(-1114, 'TimeInForce parameter sent when not required.'),
  invalidTif: () => new BinanceError(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => new BinanceError(-1116, 'Invalid orderType.'),
  invalidSide: () => new BinanceError(-1117, 'Invalid side.'),
  emptyClientOrderId: () => new BinanceError(-1118, 'New client order ID was empty.'),
  badInterval: () => new BinanceError(-1120, 'Invalid interval.'),
  badSymbol: () => new BinanceError(-1121, 'Invalid symbol.'),
  invalidListenKey: () => new BinanceError(-1125, 'This listenKey does not exist.'),
  lookupTooBig: () => new BinanceError(-1127, 'Lookup interval is too big.'),
  badCombination: () => new BinanceError(-1128, 'Combination of optional parameters invalid.'),
  invalidParameter: (name?: string) =>
    new BinanceError(
      -1130,
      name === undefined ? 'Invalid data sent for a parameter.' : `Data sent for parameter '${name}' is not valid.`,
    ),
  badRecvWindow: () => new BinanceError(-1131, 'recvWindow must be less than 60000'),
  /** -1013 with the failing filter named, as Binance does ("Filter failure: LOT_SIZE"). */
  filterFailure: (filter: string) => new BinanceError(-1013, `Filter failure: ${filter}`),
  invalidQuantity: () => new BinanceError(-1013, 'Invalid quantity.'),
  invalidPrice: () => new BinanceError(-1013, 'Invalid price.'),
  /** -2010 NEW_ORDER_REJECTED with one of Binance's texts. */
  orderRejected: (message: string) => new BinanceError(-2010, message),
  cancelRejected: (message = 'Unknown order sent.') => new BinanceError(-2011, message),
  noSuchOrder: () => new BinanceError(-2013, 'Order does not exist.'),
  badApiKeyFormat: () => new BinanceError(-2014, 'API-key format invalid.', 401),
  rejectedApiKey: () => new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
  notFound: () => new BinanceError(-1000, 'Not found.', 404),
} as const;

/** The -2010 texts clients match on. */
export const orderRejectText = {
  insufficientBalance: 'Account has insufficient balance for requested action.',
  postOnlyWouldTrade: 'Order would immediately match and take.',
  stopWouldTrigger: 'Order would trigger immediately.',
  duplicateOrder: 'Duplicate order sent.',
  marketClosed: 'Market is closed.',
  accountDisabled: 'This action is disabled on this account.',
  unsupported: 'Unsupported order combination',
} as const;
