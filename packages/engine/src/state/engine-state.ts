// The engine's state machine: books, orders, holds and balances, changed only by `apply`. It is pure and
// deterministic (no clock, no randomness, no I/O): the sequencer passes the sequence and timestamp in, so
// replaying the journal reproduces every event and the same state hash.
import { createHash } from 'node:crypto';
import {
  Bucket,
  Ledger,
  ResultCode,
  TRADE_TRANSFER_IDS,
  WITHDRAWAL_SETTLE_TRANSFER_IDS,
  bucketName,
  holdActionName,
  resultCodeName,
  transferCodeName,
  type LedgerSnapshot,
  type Transfer,
} from '@exbox/ledger';
import {
  DoneReason as BookDone,
  OrderType as BookOrderType,
  RejectReason as BookReject,
  Side as BookSide,
  type Side as BookSideCode,
  StpMode as BookStp,
  TimeInForce as BookTif,
  NOTIONAL_MAX,
  PRICE_BAND_BPS_MAX,
  PRICE_TICKS_MAX,
  QUANTITY_LOTS_MAX,
  EventCollector,
  createOrderBook,
  restoreOrderBook,
  type BookSnapshot,
  type MatchingEvent,
  type MarketRules,
  type OrderBook,
  type OrderSpec,
} from '@exbox/matching';
import type {
  AdjustBalance,
  AmendOrder,
  CancelAllOrders,
  CancelOrder,
  CancelOrderList,
  CreditDeposit,
  DefineAsset,
  DefineFeeTier,
  DefineMarket,
  EngineCommand,
  FreezeUser,
  HaltMarket,
  HoldWithdrawal,
  OcoLeg,
  OrderType,
  PlaceOco,
  PlaceOrder,
  ReleaseWithdrawal,
  ReplaceOrder,
  SetUserFeeTier,
  SettleWithdrawal,
  Side,
  StpMode,
  TimeInForce,
} from '../commands.js';
import type { StateMachine } from '../sequencer.js';
import {
  floorDivToSafe,
  isClientOrderId,
  isExternalId,
  isPositiveSafeInteger,
  isShortText,
  parseMinor,
  parseSignedMinor,
} from './amounts.js';
import {
  RejectCode,
  type BalanceView,
  type DoneReason,
  type EngineEvent,
  type EngineResult,
  type OrderStatus,
  type OrderView,
} from './results.js';

/**
 * The version of the rules this state machine applies. Bump it with any change that can make the same journal
 * produce different results (a new check, a new rounding): a journal written under one version is never replayed
 * under another (see journal-store.ts, checkRulesVersion).
 * 2: client order ids of ended orders are refused for 60 s.
 */
export const ENGINE_RULES_VERSION = 2;
export const ENGINE_SNAPSHOT_FORMAT = `exbox.engine/${ENGINE_RULES_VERSION}`;

/** A buy stop-market order holds its quantity at the stop price plus this much (or the price band, if wider). */
export const STOP_MARKET_HOLD_MARGIN_BPS = 500;
const ASSETS_MAX = 1_000;
const MARKETS_MAX = 1_000;
const REASON_LENGTH_MAX = 256;
/** A client order id of an ended order can be used again after this long (a retry window, not Binance's rule). */
export const CLIENT_ORDER_ID_REUSE_AFTER_MS = 60_000;
/** Ended client order ids remembered per user, whatever their age. */
export const RECENT_CLIENT_ORDER_IDS_MAX = 100;

export interface EngineStateOptions {
  /** Emit a `transfer` event for every ledger transfer (the follower needs them; the sequencer need not). */
  emitTransfers?: boolean;
  /** Emit `bookDelta` events (the gateway's depth streams need them). */
  emitBookDeltas?: boolean;
  /** The book implementation (tests run the naive reference book through the engine too). */
  bookImplementation?: 'fast' | 'naive';
}

interface AssetState {
  id: number;
  code: string;
  decimals: number;
}

interface FeeTier {
  makerBps: number;
  takerBps: number;
}

interface MarketState {
  definition: DefineMarket;
  base: AssetState;
  quote: AssetState;
  quoteMinorPerTickLot: bigint;
  baseMinorPerLot: bigint;
  book: OrderBook;
  halted: boolean;
  nextTradeId: number;
}

interface UserState {
  frozen: boolean;
  feeTier: string | null;
  /** clientOrderId -> orderId, for the user's open orders only (Binance's duplicate rule). */
  openClientOrderIds: Map<string, number>;
  /**
   * clientOrderId -> when its order ended, oldest first, kept for CLIENT_ORDER_ID_REUSE_AFTER_MS (at most
   * RECENT_CLIENT_ORDER_IDS_MAX per user): a client that retries a placement after a lost reply must not get a
   * second order, even if the first one filled at once.
   */
  recentClientOrderIds: Map<string, number>;
}

class OrderRecord {
  executedLots = 0;
  cumulativeQuoteMinor = 0n;
  status: OrderStatus = 'NEW';
  constructor(
    readonly orderId: number,
    readonly userId: number,
    readonly symbol: string,
    readonly clientOrderId: string,
    readonly orderListId: number,
    readonly side: Side,
    readonly orderType: OrderType,
    readonly timeInForce: TimeInForce,
    public priceTicks: number,
    readonly stopPriceTicks: number,
    public quantityLots: number,
    readonly quoteOrderQtyMinor: string,
    readonly stpMode: StpMode,
    readonly createdAtMs: number,
    public workingAtMs: number,
    /** The ledger hold paying for this order; OCO legs share their list's hold. */
    readonly holdId: number,
  ) {}

  /** Orders whose hold is sized by their own limit price, so a better fill price releases the difference. */
  get limitPriced(): boolean {
    return this.orderListId < 0 && this.priceTicks > 0 && this.side === 'BUY';
  }

  view(): OrderView {
    return {
      orderId: this.orderId,
      userId: this.userId,
      symbol: this.symbol,
      clientOrderId: this.clientOrderId,
      orderListId: this.orderListId,
      side: this.side,
      orderType: this.orderType,
      timeInForce: this.timeInForce,
      priceTicks: this.priceTicks,
      stopPriceTicks: this.stopPriceTicks,
      quantityLots: this.quantityLots,
      quoteOrderQtyMinor: this.quoteOrderQtyMinor,
      stpMode: this.stpMode,
      executedLots: this.executedLots,
      cumulativeQuoteMinor: this.cumulativeQuoteMinor,
      status: this.status,
      createdAtMs: this.createdAtMs,
      workingAtMs: this.workingAtMs,
    };
  }
}

interface OrderList {
  orderListId: number;
  listClientOrderId: string;
  userId: number;
  symbol: string;
  orderIds: [number, number];
  holdId: number;
  openLegs: number;
}

interface Withdrawal {
  withdrawalId: string;
  holdId: number;
  userId: number;
  assetId: number;
  feeMinor: bigint;
}

/**
 * Thrown to unwind a command that is refused. Deliberately not an Error: a refusal is an expected result, and
 * capturing a stack trace for each one (30% of a typical flow are cancels of orders already gone) costs more than
 * the rest of the command.
 */
class Rejection {
  constructor(
    readonly code: RejectCode,
    readonly message: string,
  ) {}
}

const reject = (code: RejectCode, message: string): never => {
  throw new Rejection(code, message);
};

const SIDES: readonly Side[] = ['BUY', 'SELL'];
const ORDER_TYPES: Readonly<Record<OrderType, (typeof BookOrderType)[keyof typeof BookOrderType]>> = {
  LIMIT: BookOrderType.LIMIT,
  MARKET: BookOrderType.MARKET,
  LIMIT_MAKER: BookOrderType.LIMIT_MAKER,
  STOP_LOSS: BookOrderType.STOP_LOSS,
  STOP_LOSS_LIMIT: BookOrderType.STOP_LOSS_LIMIT,
  TAKE_PROFIT: BookOrderType.TAKE_PROFIT,
  TAKE_PROFIT_LIMIT: BookOrderType.TAKE_PROFIT_LIMIT,
};
const TIFS: Readonly<Record<TimeInForce, (typeof BookTif)[keyof typeof BookTif]>> = {
  GTC: BookTif.GTC,
  IOC: BookTif.IOC,
  FOK: BookTif.FOK,
};
const STP_MODES: Readonly<Record<StpMode, (typeof BookStp)[keyof typeof BookStp]>> = {
  NONE: BookStp.NONE,
  EXPIRE_TAKER: BookStp.EXPIRE_TAKER,
  EXPIRE_MAKER: BookStp.EXPIRE_MAKER,
  EXPIRE_BOTH: BookStp.EXPIRE_BOTH,
};
const LIMIT_PRICED: ReadonlySet<OrderType> = new Set(['LIMIT', 'LIMIT_MAKER', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);
const STOPS: ReadonlySet<OrderType> = new Set(['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);

const BOOK_REJECTS: Readonly<Record<number, RejectCode>> = {
  [BookReject.INVALID_ORDER]: RejectCode.INVALID_COMMAND,
  [BookReject.OCO_INVALID]: RejectCode.OCO_INVALID,
  [BookReject.UNKNOWN_ORDER]: RejectCode.UNKNOWN_ORDER,
  [BookReject.ORDER_NOT_AMENDABLE]: RejectCode.ORDER_NOT_AMENDABLE,
  [BookReject.DUPLICATE_ID]: RejectCode.INVALID_COMMAND,
  [BookReject.QUANTITY_BELOW_MIN]: RejectCode.QUANTITY_BELOW_MIN,
  [BookReject.QUANTITY_ABOVE_MAX]: RejectCode.QUANTITY_ABOVE_MAX,
  [BookReject.PRICE_BELOW_MIN]: RejectCode.PRICE_BELOW_MIN,
  [BookReject.PRICE_ABOVE_MAX]: RejectCode.PRICE_ABOVE_MAX,
  [BookReject.NOTIONAL_BELOW_MIN]: RejectCode.NOTIONAL_BELOW_MIN,
  [BookReject.PRICE_OUTSIDE_BAND]: RejectCode.PRICE_OUTSIDE_BAND,
  [BookReject.STOP_WOULD_TRIGGER]: RejectCode.STOP_WOULD_TRIGGER,
  [BookReject.POST_ONLY_WOULD_TRADE]: RejectCode.POST_ONLY_WOULD_TRADE,
  [BookReject.BOOK_FULL]: RejectCode.BOOK_FULL,
  [BookReject.OCO_SIBLING_REJECTED]: RejectCode.OCO_INVALID,
};

const DONE: Readonly<Record<number, { status: OrderStatus; reason: DoneReason }>> = {
  [BookDone.FILLED]: { status: 'FILLED', reason: 'FILLED' },
  [BookDone.CANCELLED]: { status: 'CANCELED', reason: 'CANCELED' },
  [BookDone.EXPIRED]: { status: 'EXPIRED', reason: 'EXPIRED' },
  [BookDone.FOK_NOT_FILLABLE]: { status: 'EXPIRED', reason: 'FOK_NOT_FILLABLE' },
  [BookDone.STP]: { status: 'EXPIRED_IN_MATCH', reason: 'STP' },
  [BookDone.OCO]: { status: 'EXPIRED', reason: 'OCO' },
  [BookDone.PRICE_BAND]: { status: 'EXPIRED', reason: 'PRICE_BAND' },
  [BookDone.CAP]: { status: 'EXPIRED', reason: 'CAP' },
};

/**
 * Collects one book command's events (the book calls back synchronously). The follower has no use for depth
 * changes, so it skips allocating them.
 */
class BookEvents extends EventCollector {
  constructor(private readonly keepDeltas: boolean) {
    super();
  }
  override onBookDelta(side: BookSideCode, priceTicks: number, levelTotalLots: number): void {
    if (this.keepDeltas) super.onBookDelta(side, priceTicks, levelTotalLots);
  }
}

type BookEvent = MatchingEvent;

/** Everything one command produces, gathered while it runs. */
interface Context {
  seq: number;
  timeMs: number;
  events: EngineEvent[];
  /** userId -> asset ids whose balances changed, for the `balances` events at the end. */
  touched: Map<number, Set<number>>;
  /** Why orders are being cancelled: a user's cancel ends an OCO sibling CANCELED (Binance cancels the whole
   * list) rather than EXPIRED; a freeze reports FROZEN as the reason. */
  cancelCause: 'USER' | 'FROZEN' | null;
  /** Set when a replace's new order is refused after its cancel went through. */
  partialFailure: Rejection | null;
}

export class EngineState implements StateMachine<EngineCommand, EngineResult> {
  private readonly assets = new Map<string, AssetState>();
  private readonly assetsById: AssetState[] = [];
  private readonly markets = new Map<string, MarketState>();
  private readonly feeTiers = new Map<string, FeeTier>();
  private defaultFeeTier: string | null = null;
  private readonly users = new Map<number, UserState>();
  private readonly orders = new Map<number, OrderRecord>();
  private readonly orderLists = new Map<number, OrderList>();
  private readonly withdrawals = new Map<string, Withdrawal>();
  /** Every withdrawal id ever held, so a settled one cannot be requested again. */
  private readonly withdrawalIdsUsed = new Set<string>();
  private nextId = 1;
  private nextOrderListId = 1;
  private nextTransferId = 1;
  private ledger: Ledger;
  private readonly recorder: BookEvents;
  private readonly emitTransfers: boolean;
  private readonly bookImplementation: 'fast' | 'naive';
  private context: Context | null = null;

  constructor(options: EngineStateOptions = {}) {
    this.emitTransfers = options.emitTransfers ?? false;
    this.bookImplementation = options.bookImplementation ?? 'fast';
    this.recorder = new BookEvents(options.emitBookDeltas ?? true);
    this.ledger = new Ledger({ sink: (transfer) => this.onTransfer(transfer) });
  }

  // ------------------------------------------------------------------------------------------------ apply

  apply(sequence: number, timestampMs: number, command: EngineCommand): EngineResult {
    const context: Context = {
      seq: sequence,
      timeMs: timestampMs,
      events: [],
      touched: new Map(),
      cancelCause: null,
      partialFailure: null,
    };
    this.context = context;
    try {
      this.dispatch(command, context);
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      // Rejections are raised only before the first change of state, so nothing needs undoing here; the
      // assertion below keeps that promise honest.
      if (context.events.length > 0) {
        throw new Error(`engine: command ${sequence} rejected (${error.code}) after emitting events`, { cause: error });
      }
      this.context = null;
      return { status: 'REJECTED', code: error.code, message: error.message, events: [] };
    }
    this.emitBalances(context);
    this.context = null;
    const partial = context.partialFailure;
    if (partial !== null)
      return { status: 'PARTIALLY_FAILED', code: partial.code, message: partial.message, events: context.events };
    return { status: 'OK', events: context.events };
  }

  private dispatch(command: EngineCommand, context: Context): void {
    if (typeof command !== 'object' || command === null)
      reject(RejectCode.INVALID_COMMAND, 'command must be an object');
    switch (command.type) {
      case 'defineAsset':
        return this.defineAsset(command, context);
      case 'defineMarket':
        return this.defineMarket(command, context);
      case 'defineFeeTier':
        return this.defineFeeTier(command, context);
      case 'placeOrder':
        return this.placeOrder(command, context);
      case 'cancelOrder':
        return this.cancelOrder(command, context);
      case 'cancelAllOrders':
        return this.cancelAllOrders(command, context);
      case 'replaceOrder':
        return this.replaceOrder(command, context);
      case 'amendOrder':
        return this.amendOrder(command, context);
      case 'placeOco':
        return this.placeOco(command, context);
      case 'cancelOrderList':
        return this.cancelOrderList(command, context);
      case 'creditDeposit':
        return this.creditDeposit(command, context);
      case 'holdWithdrawal':
        return this.holdWithdrawal(command, context);
      case 'releaseWithdrawal':
        return this.releaseWithdrawal(command, context);
      case 'settleWithdrawal':
        return this.settleWithdrawal(command, context);
      case 'adjustBalance':
        return this.adjustBalance(command, context);
      case 'haltMarket':
      case 'resumeMarket':
        return this.setMarketStatus(command, context);
      case 'freezeUser':
      case 'unfreezeUser':
        return this.setUserFrozen(command, context);
      case 'setUserFeeTier':
        return this.setUserFeeTier(command, context);
      default:
        return reject(
          RejectCode.INVALID_COMMAND,
          `unknown command type ${JSON.stringify((command as { type?: unknown }).type)}`,
        );
    }
  }

  // ------------------------------------------------------------------------------------------ definitions

  private defineAsset(command: DefineAsset, context: Context): void {
    if (typeof command.asset !== 'string' || !/^[A-Z0-9]{2,10}$/.test(command.asset)) {
      reject(RejectCode.INVALID_COMMAND, 'asset must be 2-10 uppercase letters or digits');
    }
    if (!Number.isInteger(command.decimals) || command.decimals < 0 || command.decimals > 18) {
      reject(RejectCode.INVALID_COMMAND, 'decimals must be an integer from 0 to 18');
    }
    const existing = this.assets.get(command.asset);
    if (existing !== undefined) {
      if (existing.decimals !== command.decimals) {
        reject(
          RejectCode.CONFIG_CONFLICT,
          `asset ${command.asset} has ${existing.decimals} decimals; they cannot change`,
        );
      }
      return;
    }
    if (this.assetsById.length >= ASSETS_MAX) reject(RejectCode.INVALID_COMMAND, `at most ${ASSETS_MAX} assets`);
    const asset: AssetState = { id: this.assetsById.length + 1, code: command.asset, decimals: command.decimals };
    this.assets.set(asset.code, asset);
    this.assetsById.push(asset);
    context.events.push({ type: 'defined', seq: context.seq, what: 'asset', name: asset.code });
  }

  private defineMarket(command: DefineMarket, context: Context): void {
    const base =
      this.assets.get(command.base) ?? reject(RejectCode.UNKNOWN_ASSET, `unknown base asset ${command.base}`);
    const quote =
      this.assets.get(command.quote) ?? reject(RejectCode.UNKNOWN_ASSET, `unknown quote asset ${command.quote}`);
    if (typeof command.symbol !== 'string' || !/^[A-Z0-9]{4,20}$/.test(command.symbol) || base === quote) {
      reject(RejectCode.INVALID_COMMAND, 'symbol must be 4-20 uppercase letters or digits, base and quote different');
    }
    const quoteMinorPerTickLot = parseMinor(command.quoteMinorPerTickLot);
    const baseMinorPerLot = parseMinor(command.baseMinorPerLot);
    const minNotionalMinor = parseMinor(command.minNotionalMinor);
    if (
      quoteMinorPerTickLot === null ||
      quoteMinorPerTickLot < 1n ||
      baseMinorPerLot === null ||
      baseMinorPerLot < 1n
    ) {
      reject(RejectCode.INVALID_COMMAND, 'quoteMinorPerTickLot and baseMinorPerLot must be positive integers');
    }
    if (minNotionalMinor === null)
      reject(RejectCode.INVALID_COMMAND, 'minNotionalMinor must be a non-negative integer');
    const rules: MarketRules = {
      quantityLotsMin: command.minQuantityLots,
      quantityLotsMax: command.maxQuantityLots,
      priceTicksMin: 1,
      priceTicksMax: command.maxPriceTicks,
      // The book checks notional in tick x lot units; round the minimum up so it never admits less than it.
      notionalMin: floorDivToSafe(minNotionalMinor! + quoteMinorPerTickLot! - 1n, quoteMinorPerTickLot!),
      priceBandBps: command.priceBandBps,
    };
    if (
      !isPositiveSafeInteger(rules.quantityLotsMin) ||
      !isPositiveSafeInteger(rules.quantityLotsMax) ||
      rules.quantityLotsMin > rules.quantityLotsMax ||
      rules.quantityLotsMax > QUANTITY_LOTS_MAX ||
      !isPositiveSafeInteger(rules.priceTicksMax) ||
      rules.priceTicksMax > PRICE_TICKS_MAX ||
      !Number.isInteger(rules.priceBandBps) ||
      rules.priceBandBps < 0 ||
      rules.priceBandBps > PRICE_BAND_BPS_MAX ||
      rules.notionalMin > NOTIONAL_MAX
    ) {
      reject(
        RejectCode.INVALID_COMMAND,
        `market filters out of range: lots 1..${QUANTITY_LOTS_MAX}, ticks 1..${PRICE_TICKS_MAX}, band 0..${PRICE_BAND_BPS_MAX} bps`,
      );
    }
    const existing = this.markets.get(command.symbol);
    if (existing !== undefined) {
      if (
        existing.base !== base ||
        existing.quote !== quote ||
        existing.quoteMinorPerTickLot !== quoteMinorPerTickLot ||
        existing.baseMinorPerLot !== baseMinorPerLot
      ) {
        reject(
          RejectCode.CONFIG_CONFLICT,
          `market ${command.symbol} exists with other assets or units; they cannot change`,
        );
      }
      // Filters may change: the book keeps its orders and applies the new rules to what comes next.
      const snapshot = existing.book.snapshot();
      existing.book.restore({ ...snapshot, rules });
      existing.definition = { ...command };
    } else {
      if (this.markets.size >= MARKETS_MAX) reject(RejectCode.INVALID_COMMAND, `at most ${MARKETS_MAX} markets`);
      this.markets.set(command.symbol, {
        definition: { ...command },
        base,
        quote,
        quoteMinorPerTickLot: quoteMinorPerTickLot!,
        baseMinorPerLot: baseMinorPerLot!,
        book: createOrderBook({ rules, implementation: this.bookImplementation }),
        halted: false,
        nextTradeId: 1,
      });
    }
    context.events.push({ type: 'defined', seq: context.seq, what: 'market', name: command.symbol });
  }

  private defineFeeTier(command: DefineFeeTier, context: Context): void {
    const valid = (bps: unknown) => Number.isInteger(bps) && (bps as number) >= 0 && (bps as number) <= 1_000;
    if (!isShortText(command.tier, 32) || !valid(command.makerBps) || !valid(command.takerBps)) {
      reject(RejectCode.INVALID_COMMAND, 'fee tier needs a name and maker/taker fees of 0-1000 basis points');
    }
    this.feeTiers.set(command.tier, { makerBps: command.makerBps, takerBps: command.takerBps });
    if (command.isDefault === true || this.defaultFeeTier === null) this.defaultFeeTier = command.tier;
    context.events.push({ type: 'defined', seq: context.seq, what: 'feeTier', name: command.tier });
  }

  // ------------------------------------------------------------------------------------------------ orders

  private placeOrder(command: PlaceOrder, context: Context, reusableClientOrderId: string | null = null): void {
    const market = this.tradableMarket(command.symbol);
    const user = this.activeUser(command.userId);
    this.checkNewClientOrderId(user, command.clientOrderId, context.timeMs, reusableClientOrderId);
    const order = this.validateOrderFields(command, market);
    const orderId = this.nextId;
    const { holdAsset, holdMinor, caps } = this.sizeHold(command.userId, market, order);
    const spec = bookOrderSpec(orderId, command.userId, order, caps.quantityLots, caps.notional);
    market.book.place({ kind: 'place', ...spec }, this.recorder);
    const bookEvents = this.recorder.take();
    const first = bookEvents[0];
    if (first?.type === 'rejected') {
      reject(
        BOOK_REJECTS[first.reason] ?? RejectCode.INVALID_COMMAND,
        `order rejected: ${BOOK_REJECT_TEXT(first.reason)}`,
      );
    }
    // Accepted: from here on the command succeeds and state changes.
    this.nextId++;
    this.openHold(orderId, command.userId, holdAsset, holdMinor);
    const record = new OrderRecord(
      orderId,
      command.userId,
      command.symbol,
      command.clientOrderId,
      -1,
      order.side,
      order.orderType,
      order.timeInForce,
      order.priceTicks,
      order.stopPriceTicks,
      order.quantityLots,
      order.quoteOrderQtyMinor,
      order.stpMode,
      context.timeMs,
      context.timeMs,
      orderId,
    );
    this.orders.set(orderId, record);
    this.storedUser(command.userId).openClientOrderIds.set(record.clientOrderId, orderId);
    context.events.push({ type: 'orderAccepted', seq: context.seq, order: record.view() });
    this.processBookEvents(market, bookEvents, context);
  }

  private cancelOrder(command: CancelOrder, context: Context): void {
    const market = this.knownMarket(command.symbol);
    const record = this.findOwnOrder(command.userId, command.symbol, command.orderId, command.clientOrderId);
    this.cancelRecords(market, [record], context);
  }

  private cancelAllOrders(command: CancelAllOrders, context: Context): void {
    const market = this.knownMarket(command.symbol);
    if (!isPositiveSafeInteger(command.userId)) reject(RejectCode.INVALID_COMMAND, 'userId must be a positive integer');
    const records = this.openOrdersOf(command.userId, command.symbol);
    if (records.length === 0) reject(RejectCode.UNKNOWN_ORDER, 'no open orders in this market');
    this.cancelRecords(market, records, context);
  }

  private cancelRecords(
    market: MarketState,
    records: readonly OrderRecord[],
    context: Context,
    cause: 'USER' | 'FROZEN' = 'USER',
  ): void {
    context.cancelCause = cause;
    for (const record of records) {
      // An earlier cancel in this loop may have ended this one already (the other leg of an OCO).
      if (!this.orders.has(record.orderId)) continue;
      market.book.cancel({ kind: 'cancel', orderId: record.orderId, reportUnknown: true }, this.recorder);
      const bookEvents = this.recorder.take();
      if (bookEvents[0]?.type === 'rejected')
        throw new Error(`engine: book does not know open order ${record.orderId}`);
      this.processBookEvents(market, bookEvents, context);
    }
    context.cancelCause = null;
  }

  private replaceOrder(command: ReplaceOrder, context: Context): void {
    const market = this.tradableMarket(command.symbol);
    const user = this.activeUser(command.userId);
    if (command.mode !== 'STOP_ON_FAILURE' && command.mode !== 'ALLOW_FAILURE') {
      reject(RejectCode.INVALID_COMMAND, 'mode must be STOP_ON_FAILURE or ALLOW_FAILURE');
    }
    if (typeof command.order !== 'object' || command.order === null)
      reject(RejectCode.INVALID_COMMAND, 'order is required');
    const place: PlaceOrder = { ...command.order, type: 'placeOrder', userId: command.userId, symbol: command.symbol };
    let cancelled: OrderRecord | null = null;
    try {
      cancelled = this.findOwnOrder(command.userId, command.symbol, command.cancelOrderId, command.cancelClientOrderId);
    } catch (error) {
      if (!(error instanceof Rejection) || command.mode === 'STOP_ON_FAILURE') throw error;
    }
    // The new order is checked before anything changes, so a STOP_ON_FAILURE replace is all or nothing. Its client
    // id may reuse the cancelled order's (Binance allows that), so check duplicates against the others.
    const clientOrderId = place.clientOrderId;
    const reused = cancelled !== null && cancelled.clientOrderId === clientOrderId;
    if (!reused) this.checkNewClientOrderId(user, clientOrderId, context.timeMs);
    const order = this.validateOrderFields(place, market);
    if (cancelled === null) return this.placeOrder(place, context);
    // Funds freed by the cancel count for the new order, so the hold is sized after cancelling; check first that
    // it will fit, or the cancel must not happen either.
    const freedMinor = this.ledger.hold(cancelled.holdId)?.remainingMinor ?? 0n;
    const cancelledAsset = cancelled.side === 'BUY' ? market.quote.id : market.base.id;
    const newAsset = order.side === 'BUY' ? market.quote.id : market.base.id;
    const sharedHold = cancelled.orderListId >= 0;
    this.sizeHold(command.userId, market, order, cancelledAsset === newAsset && !sharedHold ? freedMinor : 0n);
    this.cancelRecords(market, [cancelled], context);
    try {
      this.placeOrder(place, context, reused ? clientOrderId : null);
    } catch (error) {
      // The book's own filters can still refuse the new order (e.g. post-only would trade): Binance then reports
      // the cancel as done and the new order as failed, and so do we.
      if (!(error instanceof Rejection)) throw error;
      context.partialFailure = error;
    }
  }

  private amendOrder(command: AmendOrder, context: Context): void {
    const market = this.knownMarket(command.symbol);
    const record = this.findOwnOrder(command.userId, command.symbol, command.orderId, undefined);
    if (!isPositiveSafeInteger(command.newQuantityLots))
      reject(RejectCode.INVALID_COMMAND, 'newQuantityLots must be positive');
    const remaining = record.quantityLots - record.executedLots;
    if (command.newQuantityLots >= remaining) {
      reject(RejectCode.INVALID_COMMAND, 'an amend keeping priority can only reduce the remaining quantity');
    }
    market.book.amend({ kind: 'amend', orderId: record.orderId, quantityLots: command.newQuantityLots }, this.recorder);
    const bookEvents = this.recorder.take();
    const first = bookEvents[0];
    if (first?.type === 'rejected') {
      reject(
        BOOK_REJECTS[first.reason] ?? RejectCode.INVALID_COMMAND,
        `amend rejected: ${BOOK_REJECT_TEXT(first.reason)}`,
      );
    }
    this.processBookEvents(market, bookEvents, context);
  }

  private placeOco(command: PlaceOco, context: Context): void {
    const market = this.tradableMarket(command.symbol);
    const user = this.activeUser(command.userId);
    if (!isClientOrderId(command.listClientOrderId)) reject(RejectCode.INVALID_COMMAND, 'listClientOrderId is invalid');
    if (!SIDES.includes(command.side)) reject(RejectCode.INVALID_COMMAND, 'side must be BUY or SELL');
    if (!isPositiveSafeInteger(command.quantityLots)) reject(RejectCode.INVALID_COMMAND, 'quantity must be positive');
    const legs: OcoLeg[] = [command.above, command.below];
    for (const leg of legs) {
      if (typeof leg !== 'object' || leg === null) reject(RejectCode.INVALID_COMMAND, 'both OCO legs are required');
      this.checkNewClientOrderId(user, leg.clientOrderId, context.timeMs);
    }
    if (command.above.clientOrderId === command.below.clientOrderId) {
      reject(RejectCode.DUPLICATE_CLIENT_ORDER_ID, 'the two legs need different client order ids');
    }
    const orders = legs.map((leg) =>
      this.validateOrderFields(
        {
          type: 'placeOrder',
          userId: command.userId,
          symbol: command.symbol,
          clientOrderId: leg.clientOrderId,
          side: command.side,
          orderType: leg.orderType,
          timeInForce: leg.timeInForce,
          priceTicks: leg.priceTicks,
          stopPriceTicks: leg.stopPriceTicks,
          quantityLots: command.quantityLots,
          stpMode: command.stpMode,
        },
        market,
      ),
    ) as [ValidOrder, ValidOrder];
    // One hold pays for whichever leg executes: the larger of the two legs' needs.
    const sized = orders.map((order) => this.holdNeed(market, order));
    const holdAsset = sized[0]!.asset;
    const holdMinor = sized[0]!.minor > sized[1]!.minor ? sized[0]!.minor : sized[1]!.minor;
    this.checkAvailable(command.userId, holdAsset, holdMinor);
    const ids: [number, number] = [this.nextId, this.nextId + 1];
    const specs = orders.map((order, i) => bookOrderSpec(ids[i]!, command.userId, order, 0, sized[i]!.notionalCap));
    market.book.placeOco({ kind: 'placeOco', first: specs[0]!, second: specs[1]! }, this.recorder);
    const bookEvents = this.recorder.take();
    const rejected = bookEvents.find((event) => event.type === 'rejected');
    if (rejected?.type === 'rejected') {
      reject(
        BOOK_REJECTS[rejected.reason] ?? RejectCode.OCO_INVALID,
        `order list rejected: ${BOOK_REJECT_TEXT(rejected.reason)}`,
      );
    }
    this.nextId += 2;
    const orderListId = this.nextOrderListId++;
    const holdId = ids[0];
    this.openHold(holdId, command.userId, holdAsset, holdMinor);
    const list: OrderList = {
      orderListId,
      listClientOrderId: command.listClientOrderId,
      userId: command.userId,
      symbol: command.symbol,
      orderIds: ids,
      holdId,
      openLegs: 2,
    };
    this.orderLists.set(orderListId, list);
    context.events.push({
      type: 'orderListStatus',
      seq: context.seq,
      orderListId,
      listClientOrderId: list.listClientOrderId,
      userId: list.userId,
      symbol: list.symbol,
      orderIds: ids,
      listStatus: 'EXEC_STARTED',
      listOrderStatus: 'EXECUTING',
    });
    orders.forEach((order, i) => {
      const record = new OrderRecord(
        ids[i]!,
        command.userId,
        command.symbol,
        legs[i]!.clientOrderId,
        orderListId,
        order.side,
        order.orderType,
        order.timeInForce,
        order.priceTicks,
        order.stopPriceTicks,
        order.quantityLots,
        '0',
        order.stpMode,
        context.timeMs,
        context.timeMs,
        holdId,
      );
      this.orders.set(record.orderId, record);
      this.storedUser(command.userId).openClientOrderIds.set(record.clientOrderId, record.orderId);
      context.events.push({ type: 'orderAccepted', seq: context.seq, order: record.view() });
    });
    this.processBookEvents(market, bookEvents, context);
  }

  private cancelOrderList(command: CancelOrderList, context: Context): void {
    const market = this.knownMarket(command.symbol);
    let list: OrderList | undefined;
    if (command.orderListId !== undefined) list = this.orderLists.get(command.orderListId);
    else if (command.listClientOrderId !== undefined) {
      for (const candidate of this.orderLists.values()) {
        if (candidate.userId === command.userId && candidate.listClientOrderId === command.listClientOrderId)
          list = candidate;
      }
    }
    if (list === undefined || list.userId !== command.userId || list.symbol !== command.symbol) {
      return reject(RejectCode.UNKNOWN_ORDER_LIST, 'order list does not exist');
    }
    const records = list.orderIds.map((id) => this.orders.get(id)).filter((r): r is OrderRecord => r !== undefined);
    this.cancelRecords(market, records, context);
  }

  // ----------------------------------------------------------------------------------- book event handling

  private processBookEvents(market: MarketState, bookEvents: readonly BookEvent[], context: Context): void {
    for (const event of bookEvents) {
      switch (event.type) {
        case 'accepted':
        case 'rejected':
          break;
        case 'trade':
          this.settle(market, event, context);
          break;
        case 'done':
          this.finishOrder(event.orderId, event.reason, context);
          break;
        case 'triggered': {
          const record = this.orders.get(event.orderId)!;
          record.workingAtMs = context.timeMs;
          context.events.push({
            type: 'orderTriggered',
            seq: context.seq,
            orderId: record.orderId,
            userId: record.userId,
            symbol: record.symbol,
          });
          break;
        }
        case 'amended': {
          const record = this.orders.get(event.orderId)!;
          const before = record.quantityLots - record.executedLots;
          record.quantityLots = record.executedLots + event.quantityLots;
          record.priceTicks = event.priceTicks;
          if (before > event.quantityLots && record.orderListId < 0) this.shrinkHoldForRemaining(market, record);
          context.events.push({
            type: 'orderAmended',
            seq: context.seq,
            orderId: record.orderId,
            userId: record.userId,
            symbol: record.symbol,
            priceTicks: event.priceTicks,
            quantityLots: record.quantityLots,
            priorityKept: event.priorityKept,
          });
          break;
        }
        case 'bookDelta':
          context.events.push({
            type: 'bookDelta',
            seq: context.seq,
            symbol: market.definition.symbol,
            side: event.side === BookSide.BUY ? 'BUY' : 'SELL',
            priceTicks: event.priceTicks,
            quantityLots: event.levelTotalLots,
          });
          break;
        default: {
          const unreachable: never = event;
          throw new Error(`engine: unknown book event ${JSON.stringify(unreachable)}`);
        }
      }
    }
  }

  private settle(market: MarketState, trade: Extract<BookEvent, { type: 'trade' }>, context: Context): void {
    const taker = this.orders.get(trade.takerOrderId);
    const maker = this.orders.get(trade.makerOrderId);
    if (taker === undefined || maker === undefined)
      throw new Error(`engine: trade between unknown orders ${trade.takerOrderId}/${trade.makerOrderId}`);
    const takerBuys = trade.takerSide === BookSide.BUY;
    const buy = takerBuys ? taker : maker;
    const sell = takerBuys ? maker : taker;
    const quantity = BigInt(trade.quantityLots);
    const quoteMinor = BigInt(trade.priceTicks) * quantity * market.quoteMinorPerTickLot;
    const baseMinor = quantity * market.baseMinorPerLot;
    const buyTier = this.feeTierOf(buy.userId);
    const sellTier = this.feeTierOf(sell.userId);
    const buyFeeMinor = (baseMinor * BigInt(takerBuys ? buyTier.takerBps : buyTier.makerBps)) / 10_000n;
    const sellFeeMinor = (quoteMinor * BigInt(takerBuys ? sellTier.makerBps : sellTier.takerBps)) / 10_000n;
    const tradeId = market.nextTradeId++;
    const settled = this.ledger.settleTrade({
      transferId: this.nextTransferId,
      tradeId,
      baseAssetId: market.base.id,
      quoteAssetId: market.quote.id,
      buyerId: buy.userId,
      sellerId: sell.userId,
      buyerHoldId: buy.holdId,
      sellerHoldId: sell.holdId,
      baseMinor,
      quoteMinor,
      buyerFeeMinor: buyFeeMinor,
      sellerFeeMinor: sellFeeMinor,
    });
    this.nextTransferId += TRADE_TRANSFER_IDS;
    if (settled.result !== ResultCode.OK) {
      throw new Error(
        `engine: trade ${market.definition.symbol}#${tradeId} failed to settle: ${resultCodeName(settled.result)} at leg ${settled.index}`,
      );
    }
    // A buy limit order holds its limit price; filling lower frees the difference at once.
    if (buy.limitPriced && trade.priceTicks < buy.priceTicks) {
      const releaseMinor = BigInt(buy.priceTicks - trade.priceTicks) * quantity * market.quoteMinorPerTickLot;
      const hold = this.ledger.hold(buy.holdId);
      if (hold !== undefined) this.resizeHold(buy.holdId, hold.remainingMinor - releaseMinor);
    }
    for (const record of [buy, sell]) {
      record.executedLots += trade.quantityLots;
      record.cumulativeQuoteMinor += quoteMinor;
    }
    buy.status = (takerBuys ? trade.takerDone : trade.makerDone) ? 'FILLED' : 'PARTIALLY_FILLED';
    sell.status = (takerBuys ? trade.makerDone : trade.takerDone) ? 'FILLED' : 'PARTIALLY_FILLED';
    context.events.push({
      type: 'trade',
      seq: context.seq,
      symbol: market.definition.symbol,
      tradeId,
      priceTicks: trade.priceTicks,
      quantityLots: trade.quantityLots,
      baseMinor,
      quoteMinor,
      takerSide: takerBuys ? 'BUY' : 'SELL',
      timeMs: context.timeMs,
      buy: {
        orderId: buy.orderId,
        userId: buy.userId,
        clientOrderId: buy.clientOrderId,
        executedLots: buy.executedLots,
        cumulativeQuoteMinor: buy.cumulativeQuoteMinor,
        status: buy.status,
        feeMinor: buyFeeMinor,
        isMaker: !takerBuys,
      },
      sell: {
        orderId: sell.orderId,
        userId: sell.userId,
        clientOrderId: sell.clientOrderId,
        executedLots: sell.executedLots,
        cumulativeQuoteMinor: sell.cumulativeQuoteMinor,
        status: sell.status,
        feeMinor: sellFeeMinor,
        isMaker: takerBuys,
      },
    });
  }

  private finishOrder(orderId: number, bookReason: number, context: Context): void {
    const record = this.orders.get(orderId);
    if (record === undefined) throw new Error(`engine: done event for unknown order ${orderId}`);
    const done = DONE[bookReason];
    if (done === undefined) throw new Error(`engine: unknown done reason ${bookReason}`);
    let status = done.status;
    let reason = done.reason;
    if (reason === 'OCO' && context.cancelCause !== null) status = 'CANCELED';
    if (context.cancelCause === 'FROZEN' && (reason === 'CANCELED' || reason === 'OCO')) reason = 'FROZEN';
    record.status = status;
    this.orders.delete(orderId);
    const owner = this.users.get(record.userId)!;
    owner.openClientOrderIds.delete(record.clientOrderId);
    this.rememberClientOrderId(owner, record.clientOrderId, context.timeMs);
    context.events.push({
      type: 'orderDone',
      seq: context.seq,
      orderId,
      userId: record.userId,
      symbol: record.symbol,
      clientOrderId: record.clientOrderId,
      status,
      reason,
      executedLots: record.executedLots,
      cumulativeQuoteMinor: record.cumulativeQuoteMinor,
    });
    if (record.orderListId < 0) {
      this.releaseHold(record.holdId);
      return;
    }
    const list = this.orderLists.get(record.orderListId);
    if (list === undefined) throw new Error(`engine: order ${orderId} belongs to unknown list ${record.orderListId}`);
    list.openLegs--;
    if (list.openLegs > 0) return;
    this.releaseHold(list.holdId);
    this.orderLists.delete(list.orderListId);
    context.events.push({
      type: 'orderListStatus',
      seq: context.seq,
      orderListId: list.orderListId,
      listClientOrderId: list.listClientOrderId,
      userId: list.userId,
      symbol: list.symbol,
      orderIds: list.orderIds,
      listStatus: 'ALL_DONE',
      listOrderStatus: 'ALL_DONE',
    });
  }

  // ------------------------------------------------------------------------------------ order validation

  private tradableMarket(symbol: unknown): MarketState {
    const market = this.knownMarket(symbol);
    if (market.halted) reject(RejectCode.MARKET_HALTED, `market ${market.definition.symbol} is halted`);
    return market;
  }

  private knownMarket(symbol: unknown): MarketState {
    const market = typeof symbol === 'string' ? this.markets.get(symbol) : undefined;
    return market ?? reject(RejectCode.UNKNOWN_MARKET, `unknown market ${JSON.stringify(symbol)}`);
  }

  /** The user placing an order or withdrawing: may be new (not yet stored), must not be frozen. */
  private activeUser(userId: unknown): UserState {
    if (!isPositiveSafeInteger(userId)) return reject(RejectCode.INVALID_COMMAND, 'userId must be a positive integer');
    const user = this.users.get(userId) ?? {
      frozen: false,
      feeTier: null,
      openClientOrderIds: new Map<string, number>(),
      recentClientOrderIds: new Map<string, number>(),
    };
    if (user.frozen) reject(RejectCode.USER_FROZEN, 'this account is frozen');
    return user;
  }

  private storedUser(userId: number): UserState {
    let user = this.users.get(userId);
    if (user === undefined) {
      user = { frozen: false, feeTier: null, openClientOrderIds: new Map(), recentClientOrderIds: new Map() };
      this.users.set(userId, user);
    }
    return user;
  }

  private checkNewClientOrderId(
    user: UserState,
    clientOrderId: unknown,
    nowMs: number,
    allowed: string | null = null,
  ): void {
    if (!isClientOrderId(clientOrderId)) {
      reject(RejectCode.INVALID_COMMAND, 'clientOrderId must be 1-36 characters of letters, digits and .:/_-');
    }
    if (user.openClientOrderIds.has(clientOrderId as string)) {
      reject(RejectCode.DUPLICATE_CLIENT_ORDER_ID, 'an open order with this client order id exists');
    }
    const endedAtMs = user.recentClientOrderIds.get(clientOrderId as string);
    if (endedAtMs !== undefined && clientOrderId !== allowed && nowMs - endedAtMs < CLIENT_ORDER_ID_REUSE_AFTER_MS) {
      reject(RejectCode.DUPLICATE_CLIENT_ORDER_ID, 'an order with this client order id ended less than a minute ago');
    }
  }

  /** Remembers an ended order's client id for the retry window, dropping what is too old or too many. */
  private rememberClientOrderId(user: UserState, clientOrderId: string, nowMs: number): void {
    const recent = user.recentClientOrderIds;
    recent.delete(clientOrderId);
    recent.set(clientOrderId, nowMs);
    for (const [id, endedAtMs] of recent) {
      if (recent.size <= RECENT_CLIENT_ORDER_IDS_MAX && nowMs - endedAtMs < CLIENT_ORDER_ID_REUSE_AFTER_MS) break;
      recent.delete(id);
    }
  }

  private validateOrderFields(command: PlaceOrder, market: MarketState): ValidOrder {
    if (!SIDES.includes(command.side)) reject(RejectCode.INVALID_COMMAND, 'side must be BUY or SELL');
    const orderType = command.orderType;
    if (typeof orderType !== 'string' || !(orderType in ORDER_TYPES))
      reject(RejectCode.INVALID_COMMAND, 'unknown order type');
    const limitPriced = LIMIT_PRICED.has(orderType);
    const stop = STOPS.has(orderType);
    const optionalPositive = (value: unknown, name: string, required: boolean): number => {
      if (value === undefined || value === 0) {
        if (required) reject(RejectCode.INVALID_COMMAND, `${name} is required for ${orderType} orders`);
        return 0;
      }
      if (!required) reject(RejectCode.INVALID_COMMAND, `${name} is not allowed for ${orderType} orders`);
      if (!isPositiveSafeInteger(value)) reject(RejectCode.INVALID_COMMAND, `${name} must be a positive integer`);
      return value as number;
    };
    const priceTicks = optionalPositive(command.priceTicks, 'price', limitPriced);
    const stopPriceTicks = optionalPositive(command.stopPriceTicks, 'stopPrice', stop);
    const byQuote = command.quoteOrderQtyMinor !== undefined;
    if (byQuote && orderType !== 'MARKET')
      reject(RejectCode.INVALID_COMMAND, 'quoteOrderQty is only for MARKET orders');
    const quantityLots = optionalPositive(command.quantityLots, 'quantity', !byQuote);
    let quoteBudget = 0;
    let quoteOrderQtyMinor = '0';
    if (byQuote) {
      const quoteMinor = parseMinor(command.quoteOrderQtyMinor);
      if (quoteMinor === null || quoteMinor === 0n)
        reject(RejectCode.INVALID_COMMAND, 'quoteOrderQty must be positive');
      quoteBudget = floorDivToSafe(quoteMinor!, market.quoteMinorPerTickLot);
      if (quoteBudget === 0) reject(RejectCode.NOTIONAL_BELOW_MIN, 'quoteOrderQty is less than one tick of one lot');
      quoteOrderQtyMinor = quoteMinor!.toString();
    }
    const hasTimeInForce = limitPriced;
    let timeInForce: TimeInForce = 'GTC';
    if (command.timeInForce !== undefined) {
      if (!hasTimeInForce) reject(RejectCode.INVALID_COMMAND, `timeInForce is not allowed for ${orderType} orders`);
      if (!(command.timeInForce in TIFS)) reject(RejectCode.INVALID_COMMAND, 'timeInForce must be GTC, IOC or FOK');
      if (orderType === 'LIMIT_MAKER' && command.timeInForce !== 'GTC') {
        reject(RejectCode.INVALID_COMMAND, 'LIMIT_MAKER orders are GTC');
      }
      timeInForce = command.timeInForce;
    }
    const stpMode = command.stpMode ?? 'NONE';
    if (!(stpMode in STP_MODES)) reject(RejectCode.INVALID_COMMAND, 'unknown self-trade prevention mode');
    return {
      side: command.side,
      orderType,
      timeInForce,
      hasTimeInForce,
      priceTicks,
      stopPriceTicks,
      quantityLots,
      quoteBudget,
      quoteOrderQtyMinor,
      stpMode,
    };
  }

  /**
   * What an order must hold, and the caps that keep the book from trading more than that. Rejects
   * INSUFFICIENT_BALANCE when the user's available balance (plus `extraAvailableMinor` about to be freed by a
   * replace) cannot pay for it.
   */
  private sizeHold(userId: number, market: MarketState, order: ValidOrder, extraAvailableMinor = 0n): SizedHold {
    const buying = order.side === 'BUY';
    const asset = buying ? market.quote : market.base;
    const availableMinor = this.ledger.balance(userId, asset.id, Bucket.AVAILABLE) + extraAvailableMinor;
    const need = this.holdNeed(market, order, availableMinor);
    if (need.minor === 0n || need.minor > availableMinor) {
      reject(RejectCode.INSUFFICIENT_BALANCE, `insufficient ${asset.code} balance for this order`);
    }
    return {
      holdAsset: asset.id,
      holdMinor: need.minor,
      caps: { quantityLots: need.quantityCap, notional: need.notionalCap },
    };
  }

  private holdNeed(
    market: MarketState,
    order: ValidOrder,
    availableMinor = 0n,
  ): { asset: number; minor: bigint; notionalCap: number; quantityCap: number } {
    const perTickLot = market.quoteMinorPerTickLot;
    if (order.side === 'SELL') {
      if (order.quantityLots > 0) {
        return {
          asset: market.base.id,
          minor: BigInt(order.quantityLots) * market.baseMinorPerLot,
          notionalCap: 0,
          quantityCap: 0,
        };
      }
      // A market sell for a quote amount may sell everything available; the quote budget stops it earlier.
      const lots = floorDivToSafe(availableMinor, market.baseMinorPerLot);
      return { asset: market.base.id, minor: BigInt(lots) * market.baseMinorPerLot, notionalCap: 0, quantityCap: lots };
    }
    const quote = market.quote.id;
    if (order.priceTicks > 0) {
      return {
        asset: quote,
        minor: BigInt(order.priceTicks) * BigInt(order.quantityLots) * perTickLot,
        notionalCap: 0,
        quantityCap: 0,
      };
    }
    if (order.quoteBudget > 0) {
      return {
        asset: quote,
        minor: BigInt(order.quoteBudget) * perTickLot,
        notionalCap: order.quoteBudget,
        quantityCap: 0,
      };
    }
    if (order.stopPriceTicks > 0) {
      // A stop-market buy has no limit price: hold its quantity at the stop price plus a margin, and never spend
      // more than that when it triggers (the rest expires with reason CAP).
      const marginBps = BigInt(Math.max(STOP_MARKET_HOLD_MARGIN_BPS, market.definition.priceBandBps));
      const atStop = BigInt(order.stopPriceTicks) * BigInt(order.quantityLots);
      const notional = (atStop * (10_000n + marginBps) + 9_999n) / 10_000n;
      return { asset: quote, minor: notional * perTickLot, notionalCap: Number(notional), quantityCap: 0 };
    }
    // A market buy by quantity may spend everything available; the quantity stops it earlier.
    const notional = floorDivToSafe(availableMinor, perTickLot);
    return { asset: quote, minor: BigInt(notional) * perTickLot, notionalCap: notional, quantityCap: 0 };
  }

  private checkAvailable(userId: number, assetId: number, amountMinor: bigint): void {
    if (this.ledger.balance(userId, assetId, Bucket.AVAILABLE) < amountMinor) {
      reject(
        RejectCode.INSUFFICIENT_BALANCE,
        `insufficient ${this.assetsById[assetId - 1]!.code} balance for this order`,
      );
    }
  }

  private findOwnOrder(userId: unknown, symbol: string, orderId: unknown, clientOrderId: unknown): OrderRecord {
    if (!isPositiveSafeInteger(userId)) return reject(RejectCode.INVALID_COMMAND, 'userId must be a positive integer');
    let record: OrderRecord | undefined;
    if (orderId !== undefined) {
      if (!isPositiveSafeInteger(orderId))
        return reject(RejectCode.INVALID_COMMAND, 'orderId must be a positive integer');
      record = this.orders.get(orderId);
      if (record !== undefined && clientOrderId !== undefined && record.clientOrderId !== clientOrderId)
        record = undefined;
    } else if (clientOrderId !== undefined) {
      if (!isClientOrderId(clientOrderId)) return reject(RejectCode.INVALID_COMMAND, 'clientOrderId is invalid');
      const id = this.users.get(userId)?.openClientOrderIds.get(clientOrderId);
      record = id === undefined ? undefined : this.orders.get(id);
    } else {
      return reject(RejectCode.INVALID_COMMAND, 'orderId or clientOrderId is required');
    }
    // Someone else's order is reported exactly like a missing one, so ids reveal nothing about other users.
    if (record === undefined || record.userId !== userId || record.symbol !== symbol) {
      return reject(RejectCode.UNKNOWN_ORDER, 'order does not exist');
    }
    return record;
  }

  private openOrdersOf(userId: number, symbol: string | null): OrderRecord[] {
    const user = this.users.get(userId);
    if (user === undefined) return [];
    const records: OrderRecord[] = [];
    for (const orderId of user.openClientOrderIds.values()) {
      const record = this.orders.get(orderId);
      if (record !== undefined && (symbol === null || record.symbol === symbol)) records.push(record);
    }
    return records.sort((a, b) => a.orderId - b.orderId);
  }

  private feeTierOf(userId: number): FeeTier {
    const name = this.users.get(userId)?.feeTier ?? this.defaultFeeTier;
    return (name === null ? undefined : this.feeTiers.get(name)) ?? ZERO_FEES;
  }

  // ------------------------------------------------------------------------------------------ holds

  private openHold(holdId: number, userId: number, assetId: number, amountMinor: bigint): void {
    this.storedUser(userId);
    const result = this.ledger.createHold({
      transferId: this.nextTransferId++,
      holdId,
      ownerId: userId,
      assetId,
      amountMinor,
      bucket: Bucket.LOCKED,
    });
    if (result !== ResultCode.OK)
      throw new Error(`engine: hold ${holdId} failed after checks: ${resultCodeName(result)}`);
  }

  private releaseHold(holdId: number): void {
    if (this.ledger.hold(holdId) === undefined) return; // fully posted already
    const result = this.ledger.voidHold({ transferId: this.nextTransferId++, holdId });
    if (result !== ResultCode.OK) throw new Error(`engine: releasing hold ${holdId} failed: ${resultCodeName(result)}`);
  }

  private resizeHold(holdId: number, remainingMinor: bigint): void {
    const result = this.ledger.resizeHold({ transferId: this.nextTransferId++, holdId, remainingMinor });
    if (result !== ResultCode.OK) throw new Error(`engine: resizing hold ${holdId} failed: ${resultCodeName(result)}`);
  }

  /** After an amend down, hold only what the remaining quantity needs. */
  private shrinkHoldForRemaining(market: MarketState, record: OrderRecord): void {
    const hold = this.ledger.hold(record.holdId);
    if (hold === undefined) return;
    const remainingLots = BigInt(record.quantityLots - record.executedLots);
    const needMinor =
      record.side === 'SELL'
        ? remainingLots * market.baseMinorPerLot
        : BigInt(record.priceTicks) * remainingLots * market.quoteMinorPerTickLot;
    if (needMinor < hold.remainingMinor) this.resizeHold(record.holdId, needMinor);
  }

  // ------------------------------------------------------------------------------- deposits, withdrawals

  private creditDeposit(command: CreditDeposit, context: Context): void {
    if (!isPositiveSafeInteger(command.userId)) reject(RejectCode.INVALID_COMMAND, 'userId must be a positive integer');
    const asset = this.knownAsset(command.asset);
    const amountMinor = this.positiveAmount(command.amountMinor, 'amountMinor');
    if (!isExternalId(command.depositId))
      reject(RejectCode.INVALID_COMMAND, 'depositId must be 1-128 printable characters');
    const transferId = this.nextTransferId;
    const result = this.ledger.deposit({
      transferId,
      ownerId: command.userId,
      assetId: asset.id,
      amountMinor,
      externalKey: `deposit:${command.depositId}`,
      reference: context.seq,
    });
    this.checkLedger(result, 'deposit');
    this.nextTransferId = transferId + 1;
    this.storedUser(command.userId);
    this.balanceUpdate(context, command.userId, asset.code, amountMinor, 'DEPOSIT');
  }

  private holdWithdrawal(command: HoldWithdrawal, context: Context): void {
    this.activeUser(command.userId);
    const asset = this.knownAsset(command.asset);
    const amountMinor = this.positiveAmount(command.amountMinor, 'amountMinor');
    const feeMinor = command.feeMinor === undefined ? 0n : parseMinor(command.feeMinor);
    if (feeMinor === null || feeMinor >= amountMinor)
      reject(RejectCode.INVALID_COMMAND, 'feeMinor must be below amountMinor');
    if (!isExternalId(command.withdrawalId))
      reject(RejectCode.INVALID_COMMAND, 'withdrawalId must be 1-128 printable characters');
    if (this.withdrawalIdsUsed.has(command.withdrawalId))
      reject(RejectCode.DUPLICATE_WITHDRAWAL, 'this withdrawal id was used before');
    const holdId = this.nextId;
    const transferId = this.nextTransferId;
    const result = this.ledger.holdWithdrawal({
      transferId,
      holdId,
      withdrawalId: holdId,
      ownerId: command.userId,
      assetId: asset.id,
      amountMinor,
    });
    this.checkLedger(result, 'withdrawal');
    this.nextTransferId = transferId + 1;
    this.nextId++;
    this.storedUser(command.userId);
    this.withdrawals.set(command.withdrawalId, {
      withdrawalId: command.withdrawalId,
      holdId,
      userId: command.userId,
      assetId: asset.id,
      feeMinor: feeMinor!,
    });
    this.withdrawalIdsUsed.add(command.withdrawalId);
    this.balanceUpdate(context, command.userId, asset.code, -amountMinor, 'WITHDRAWAL');
  }

  private releaseWithdrawal(command: ReleaseWithdrawal, context: Context): void {
    const withdrawal =
      this.withdrawals.get(command.withdrawalId) ??
      reject(RejectCode.UNKNOWN_WITHDRAWAL, 'no pending withdrawal with this id');
    const amountMinor = this.ledger.hold(withdrawal.holdId)!.remainingMinor;
    const result = this.ledger.releaseWithdrawal({ transferId: this.nextTransferId, holdId: withdrawal.holdId });
    this.checkLedger(result, 'withdrawal release');
    this.nextTransferId++;
    this.withdrawals.delete(command.withdrawalId);
    const asset = this.assetsById[withdrawal.assetId - 1]!;
    this.balanceUpdate(context, withdrawal.userId, asset.code, amountMinor, 'WITHDRAWAL_RELEASE');
  }

  private settleWithdrawal(command: SettleWithdrawal, _context: Context): void {
    const withdrawal =
      this.withdrawals.get(command.withdrawalId) ??
      reject(RejectCode.UNKNOWN_WITHDRAWAL, 'no pending withdrawal with this id');
    const settled = this.ledger.settleWithdrawal({
      transferId: this.nextTransferId,
      holdId: withdrawal.holdId,
      feeMinor: withdrawal.feeMinor,
    });
    if (settled.result !== ResultCode.OK)
      throw new Error(`engine: withdrawal settlement failed: ${resultCodeName(settled.result)}`);
    this.nextTransferId += WITHDRAWAL_SETTLE_TRANSFER_IDS;
    this.withdrawals.delete(command.withdrawalId);
  }

  private adjustBalance(command: AdjustBalance, context: Context): void {
    if (!isPositiveSafeInteger(command.userId)) reject(RejectCode.INVALID_COMMAND, 'userId must be a positive integer');
    if (!isPositiveSafeInteger(command.staffId))
      reject(RejectCode.INVALID_COMMAND, 'staffId must be a positive integer');
    if (!isShortText(command.reason, REASON_LENGTH_MAX)) reject(RejectCode.INVALID_COMMAND, 'a reason is required');
    const asset = this.knownAsset(command.asset);
    const deltaMinor = parseSignedMinor(command.deltaMinor);
    if (deltaMinor === null || deltaMinor === 0n)
      reject(RejectCode.INVALID_COMMAND, 'deltaMinor must be a non-zero integer');
    const transferId = this.nextTransferId;
    const result = this.ledger.adjust({
      transferId,
      adjustmentId: context.seq,
      ownerId: command.userId,
      assetId: asset.id,
      amountMinor: deltaMinor!,
      reason: `staff ${command.staffId}: ${command.reason}`,
    });
    this.checkLedger(result, 'adjustment');
    this.nextTransferId = transferId + 1;
    this.storedUser(command.userId);
    this.balanceUpdate(context, command.userId, asset.code, deltaMinor!, 'ADJUSTMENT');
  }

  /** Binance's balanceUpdate: a change of a user's balance that is not a trade (deposit, withdrawal, adjustment). */
  private balanceUpdate(
    context: Context,
    userId: number,
    asset: string,
    deltaMinor: bigint,
    cause: Extract<EngineEvent, { type: 'balanceUpdate' }>['cause'],
  ): void {
    context.events.push({ type: 'balanceUpdate', seq: context.seq, userId, asset, deltaMinor, cause });
  }

  private knownAsset(code: unknown): AssetState {
    const asset = typeof code === 'string' ? this.assets.get(code) : undefined;
    return asset ?? reject(RejectCode.UNKNOWN_ASSET, `unknown asset ${JSON.stringify(code)}`);
  }

  private positiveAmount(value: unknown, name: string): bigint {
    const amount = parseMinor(value);
    if (amount === null || amount === 0n)
      return reject(RejectCode.INVALID_COMMAND, `${name} must be a positive integer string`);
    return amount;
  }

  /** Translates the ledger's expected refusals; anything else after the engine's own checks is a bug. */
  private checkLedger(result: ResultCode, what: string): void {
    switch (result) {
      case ResultCode.OK:
        return;
      case ResultCode.INSUFFICIENT_FUNDS:
        return reject(RejectCode.INSUFFICIENT_BALANCE, `insufficient balance for this ${what}`);
      case ResultCode.EXTERNAL_KEY_ALREADY_USED:
        return reject(RejectCode.DUPLICATE_DEPOSIT, `this ${what} was credited before`);
      case ResultCode.AMOUNT_TOO_LARGE:
      case ResultCode.BALANCE_LIMIT_EXCEEDED:
        return reject(RejectCode.AMOUNT_LIMIT_EXCEEDED, `the ${what} would exceed the largest storable amount`);
      default:
        throw new Error(`engine: ledger refused ${what}: ${resultCodeName(result)}`);
    }
  }

  // -------------------------------------------------------------------------------- market and user admin

  private setMarketStatus(command: HaltMarket, context: Context): void {
    const market = this.knownMarket(command.symbol);
    if (!isShortText(command.reason, REASON_LENGTH_MAX)) reject(RejectCode.INVALID_COMMAND, 'a reason is required');
    market.halted = command.type === 'haltMarket';
    context.events.push({
      type: 'marketStatus',
      seq: context.seq,
      symbol: command.symbol,
      status: market.halted ? 'HALT' : 'TRADING',
      reason: command.reason,
    });
  }

  private setUserFrozen(command: FreezeUser, context: Context): void {
    if (!isPositiveSafeInteger(command.userId)) reject(RejectCode.INVALID_COMMAND, 'userId must be a positive integer');
    if (!isShortText(command.reason, REASON_LENGTH_MAX)) reject(RejectCode.INVALID_COMMAND, 'a reason is required');
    const user = this.storedUser(command.userId);
    user.frozen = command.type === 'freezeUser';
    context.events.push({
      type: 'userStatus',
      seq: context.seq,
      userId: command.userId,
      frozen: user.frozen,
      reason: command.reason,
    });
    if (!user.frozen) return;
    // A frozen account must not trade on: its open orders are cancelled, oldest first.
    for (const record of this.openOrdersOf(command.userId, null)) {
      if (this.orders.has(record.orderId))
        this.cancelRecords(this.markets.get(record.symbol)!, [record], context, 'FROZEN');
    }
  }

  private setUserFeeTier(command: SetUserFeeTier, context: Context): void {
    if (!isPositiveSafeInteger(command.userId)) reject(RejectCode.INVALID_COMMAND, 'userId must be a positive integer');
    if (typeof command.tier !== 'string' || !this.feeTiers.has(command.tier))
      reject(RejectCode.UNKNOWN_FEE_TIER, 'unknown fee tier');
    this.storedUser(command.userId).feeTier = command.tier;
    context.events.push({
      type: 'defined',
      seq: context.seq,
      what: 'feeTier',
      name: `${command.userId}:${command.tier}`,
    });
  }

  // ------------------------------------------------------------------------------------ transfers, balances

  private onTransfer(transfer: Transfer): void {
    const context = this.context;
    if (context === null) return; // restoring
    if (transfer.debitOwnerId !== 0) this.touch(context, transfer.debitOwnerId, transfer.assetId);
    if (transfer.creditOwnerId !== 0) this.touch(context, transfer.creditOwnerId, transfer.assetId);
    if (!this.emitTransfers) return;
    context.events.push({
      type: 'transfer',
      seq: context.seq,
      transfer: {
        id: transfer.id,
        debitOwnerId: transfer.debitOwnerId,
        debitBucket: bucketName(transfer.debitBucket),
        creditOwnerId: transfer.creditOwnerId,
        creditBucket: bucketName(transfer.creditBucket),
        asset: this.assetsById[transfer.assetId - 1]!.code,
        amountMinor: transfer.amountMinor,
        code: transferCodeName(transfer.code),
        reference: transfer.reference,
        holdId: transfer.holdId,
        holdAction: holdActionName(transfer.holdAction),
        memo: transfer.memo,
        externalKey: transfer.externalKey,
      },
    });
  }

  private touch(context: Context, userId: number, assetId: number): void {
    let assets = context.touched.get(userId);
    if (assets === undefined) {
      assets = new Set();
      context.touched.set(userId, assets);
    }
    assets.add(assetId);
  }

  private emitBalances(context: Context): void {
    for (const [userId, assetIds] of context.touched) {
      const balances: BalanceView[] = [];
      for (const assetId of assetIds) balances.push(this.balanceView(userId, this.assetsById[assetId - 1]!));
      context.events.push({ type: 'balances', seq: context.seq, userId, balances });
    }
  }

  private balanceView(userId: number, asset: AssetState): BalanceView {
    return {
      asset: asset.code,
      availableMinor: this.ledger.balance(userId, asset.id, Bucket.AVAILABLE),
      lockedMinor: this.ledger.balance(userId, asset.id, Bucket.LOCKED),
      withdrawingMinor: this.ledger.balance(userId, asset.id, Bucket.WITHDRAWING),
    };
  }

  // ------------------------------------------------------------------------------------------------ queries

  /** Every asset the user has ever held, with its balances. */
  balancesOf(userId: number): BalanceView[] {
    const assetIds = new Set(this.ledger.balancesOf(userId).map((balance) => balance.assetId));
    return [...assetIds].sort((a, b) => a - b).map((id) => this.balanceView(userId, this.assetsById[id - 1]!));
  }

  openOrders(userId: number, symbol: string | null = null): OrderView[] {
    return this.openOrdersOf(userId, symbol).map((record) => record.view());
  }

  /** Every open order (and pending stop) of every user, by order id: the gateway's starting view. */
  allOpenOrders(): OrderView[] {
    return [...this.orders.values()].sort((a, b) => a.orderId - b.orderId).map((record) => record.view());
  }

  /** An open order (or pending stop) by id; undefined once it has ended. */
  openOrder(orderId: number): OrderView | undefined {
    return this.orders.get(orderId)?.view();
  }

  openOrderList(
    orderListId: number,
  ):
    | { orderListId: number; listClientOrderId: string; userId: number; symbol: string; orderIds: readonly number[] }
    | undefined {
    const list = this.orderLists.get(orderListId);
    return list === undefined ? undefined : { ...list };
  }

  marketSymbols(): string[] {
    return [...this.markets.keys()];
  }

  market(
    symbol: string,
  ): { definition: DefineMarket; halted: boolean; lastPriceTicks: number | null; nextTradeId: number } | undefined {
    const market = this.markets.get(symbol);
    if (market === undefined) return undefined;
    return {
      definition: market.definition,
      halted: market.halted,
      lastPriceTicks: market.book.lastTradePriceTicks(),
      nextTradeId: market.nextTradeId,
    };
  }

  book(symbol: string): OrderBook | undefined {
    return this.markets.get(symbol)?.book;
  }

  assetCodes(): { asset: string; decimals: number }[] {
    return this.assetsById.map((asset) => ({ asset: asset.code, decimals: asset.decimals }));
  }

  userStatus(userId: number): { frozen: boolean; feeTier: string | null; makerBps: number; takerBps: number } {
    const user = this.users.get(userId);
    const tier = this.feeTierOf(userId);
    return {
      frozen: user?.frozen ?? false,
      feeTier: user?.feeTier ?? this.defaultFeeTier,
      makerBps: tier.makerBps,
      takerBps: tier.takerBps,
    };
  }

  feeTier(tier: string): { makerBps: number; takerBps: number; isDefault: boolean } | undefined {
    const fees = this.feeTiers.get(tier);
    return fees === undefined ? undefined : { ...fees, isDefault: this.defaultFeeTier === tier };
  }

  ledgerTrialBalance(): ReturnType<Ledger['trialBalance']> {
    return this.ledger.trialBalance();
  }

  // ----------------------------------------------------------------------------------- invariants, snapshots

  /**
   * Throws on any broken invariant: the ledger's own (money conserved per asset, no negative user balance,
   * LOCKED equal to open holds), every book's, and the engine's links between them: each open order has its
   * book entry and its hold, and every hold belongs to an open order, list or withdrawal.
   */
  checkInvariants(): void {
    this.ledger.checkInvariants();
    for (const market of this.markets.values()) market.book.validateInternalState();
    const holdOwners = new Set<number>();
    for (const record of this.orders.values()) {
      const market = this.markets.get(record.symbol);
      if (market?.book.order(record.orderId) === undefined)
        throw new Error(`engine invariant: order ${record.orderId} is not in its book`);
      const user = this.users.get(record.userId);
      if (user?.openClientOrderIds.get(record.clientOrderId) !== record.orderId) {
        throw new Error(`engine invariant: order ${record.orderId} missing from its user's client id index`);
      }
      holdOwners.add(record.holdId);
    }
    for (const withdrawal of this.withdrawals.values()) holdOwners.add(withdrawal.holdId);
    let userOrders = 0;
    for (const user of this.users.values()) userOrders += user.openClientOrderIds.size;
    if (userOrders !== this.orders.size)
      throw new Error(`engine invariant: ${userOrders} indexed orders, ${this.orders.size} open`);
    let bookOrders = 0;
    for (const market of this.markets.values()) {
      const counts = market.book.counts();
      bookOrders += counts.restingBids + counts.restingAsks + counts.pendingStops;
    }
    if (bookOrders !== this.orders.size)
      throw new Error(`engine invariant: books hold ${bookOrders} orders, engine ${this.orders.size}`);
    for (const hold of this.ledger.snapshot().holds) {
      // Holds that are fully posted close themselves; every open one must still be owned.
      if (!holdOwners.has(hold[0]))
        throw new Error(`engine invariant: hold ${hold[0]} belongs to no open order or withdrawal`);
    }
  }

  snapshot(): EngineSnapshot {
    return {
      format: ENGINE_SNAPSHOT_FORMAT,
      nextId: this.nextId,
      nextOrderListId: this.nextOrderListId,
      nextTransferId: this.nextTransferId,
      assets: this.assetsById.map((asset) => [asset.code, asset.decimals]),
      feeTiers: [...this.feeTiers].map(([tier, fees]) => [tier, fees.makerBps, fees.takerBps]),
      defaultFeeTier: this.defaultFeeTier,
      markets: [...this.markets.values()].map((market) => ({
        definition: market.definition,
        halted: market.halted,
        nextTradeId: market.nextTradeId,
        book: market.book.snapshot(),
      })),
      users: [...this.users].map(([userId, user]) => [
        userId,
        user.frozen,
        user.feeTier,
        [...user.recentClientOrderIds],
      ]),
      orders: [...this.orders.values()].map((r) => [
        r.orderId,
        r.userId,
        r.symbol,
        r.clientOrderId,
        r.orderListId,
        r.side,
        r.orderType,
        r.timeInForce,
        r.priceTicks,
        r.stopPriceTicks,
        r.quantityLots,
        r.quoteOrderQtyMinor,
        r.stpMode,
        r.createdAtMs,
        r.workingAtMs,
        r.holdId,
        r.executedLots,
        r.cumulativeQuoteMinor.toString(),
        r.status,
      ]),
      orderLists: [...this.orderLists.values()].map((l) => [
        l.orderListId,
        l.listClientOrderId,
        l.userId,
        l.symbol,
        l.orderIds[0],
        l.orderIds[1],
        l.holdId,
        l.openLegs,
      ]),
      withdrawals: [...this.withdrawals.values()].map((w) => [
        w.withdrawalId,
        w.holdId,
        w.userId,
        w.assetId,
        w.feeMinor.toString(),
      ]),
      withdrawalIdsUsed: [...this.withdrawalIdsUsed],
      ledger: this.ledger.snapshot(),
    };
  }

  static restore(snapshot: EngineSnapshot, options: EngineStateOptions = {}): EngineState {
    if (snapshot.format !== ENGINE_SNAPSHOT_FORMAT)
      throw new Error(`engine: unknown snapshot format ${String(snapshot.format)}`);
    const state = new EngineState(options);
    state.nextId = snapshot.nextId;
    state.nextOrderListId = snapshot.nextOrderListId;
    state.nextTransferId = snapshot.nextTransferId;
    for (const [code, decimals] of snapshot.assets) {
      const asset: AssetState = { id: state.assetsById.length + 1, code, decimals };
      state.assets.set(code, asset);
      state.assetsById.push(asset);
    }
    for (const [tier, makerBps, takerBps] of snapshot.feeTiers) state.feeTiers.set(tier, { makerBps, takerBps });
    state.defaultFeeTier = snapshot.defaultFeeTier;
    for (const entry of snapshot.markets) {
      const d = entry.definition;
      const book = restoreOrderBook(entry.book, state.bookImplementation);
      state.markets.set(d.symbol, {
        definition: d,
        base: state.assets.get(d.base)!,
        quote: state.assets.get(d.quote)!,
        quoteMinorPerTickLot: BigInt(d.quoteMinorPerTickLot),
        baseMinorPerLot: BigInt(d.baseMinorPerLot),
        book,
        halted: entry.halted,
        nextTradeId: entry.nextTradeId,
      });
    }
    for (const [userId, frozen, feeTier, recent] of snapshot.users) {
      state.users.set(userId, {
        frozen,
        feeTier,
        openClientOrderIds: new Map(),
        recentClientOrderIds: new Map(recent),
      });
    }
    for (const o of snapshot.orders) {
      const record = new OrderRecord(
        o[0],
        o[1],
        o[2],
        o[3],
        o[4],
        o[5],
        o[6],
        o[7],
        o[8],
        o[9],
        o[10],
        o[11],
        o[12],
        o[13],
        o[14],
        o[15],
      );
      record.executedLots = o[16];
      record.cumulativeQuoteMinor = BigInt(o[17]);
      record.status = o[18];
      state.orders.set(record.orderId, record);
      state.users.get(record.userId)!.openClientOrderIds.set(record.clientOrderId, record.orderId);
    }
    for (const [
      orderListId,
      listClientOrderId,
      userId,
      symbol,
      first,
      second,
      holdId,
      openLegs,
    ] of snapshot.orderLists) {
      state.orderLists.set(orderListId, {
        orderListId,
        listClientOrderId,
        userId,
        symbol,
        orderIds: [first, second],
        holdId,
        openLegs,
      });
    }
    for (const [withdrawalId, holdId, userId, assetId, feeMinor] of snapshot.withdrawals) {
      state.withdrawals.set(withdrawalId, { withdrawalId, holdId, userId, assetId, feeMinor: BigInt(feeMinor) });
    }
    for (const id of snapshot.withdrawalIdsUsed) state.withdrawalIdsUsed.add(id);
    state.ledger = Ledger.restore(snapshot.ledger, { sink: (transfer) => state.onTransfer(transfer) });
    return state;
  }

  /**
   * The state a stored snapshot describes, proven whole by its hash (throws naming the snapshot if not), or a new
   * empty state when there is none.
   */
  static fromStoredSnapshot(
    stored: { seq: number; stateHash: string; state: unknown } | null,
    options: EngineStateOptions = {},
  ): EngineState {
    if (stored === null) return new EngineState(options);
    const state = EngineState.restore(stored.state as EngineSnapshot, options);
    const actual = state.stateHash();
    if (actual !== stored.stateHash) {
      throw new Error(`snapshot ${stored.seq} is corrupt: stored hash ${stored.stateHash}, restored ${actual}`);
    }
    return state;
  }

  /** SHA-256 (hex) of the canonical snapshot: equal hashes mean equal books, orders, holds and balances. */
  stateHash(): string {
    return hashEngineSnapshot(this.snapshot());
  }
}

/** The state hash of a snapshot: SHA-256 (hex) of its canonical JSON. */
export const hashEngineSnapshot = (snapshot: EngineSnapshot): string =>
  createHash('sha256').update(JSON.stringify(snapshot)).digest('hex');

/** A validated order as the book takes it; caps of 0 mean none. */
const bookOrderSpec = (
  orderId: number,
  ownerId: number,
  order: ValidOrder,
  quantityLotsCap: number,
  notionalCap: number,
): OrderSpec => ({
  orderId,
  ownerId,
  side: order.side === 'BUY' ? BookSide.BUY : BookSide.SELL,
  type: ORDER_TYPES[order.orderType],
  timeInForce: order.hasTimeInForce ? TIFS[order.timeInForce] : 0,
  priceTicks: order.priceTicks,
  stopPriceTicks: order.stopPriceTicks,
  quantityLots: order.quantityLots,
  quoteOrderQty: order.quoteBudget,
  stpMode: STP_MODES[order.stpMode],
  quantityLotsCap,
  notionalCap,
});

interface ValidOrder {
  side: Side;
  orderType: OrderType;
  timeInForce: TimeInForce;
  hasTimeInForce: boolean;
  priceTicks: number;
  stopPriceTicks: number;
  quantityLots: number;
  quoteBudget: number;
  quoteOrderQtyMinor: string;
  stpMode: StpMode;
}

interface SizedHold {
  holdAsset: number;
  holdMinor: bigint;
  caps: { quantityLots: number; notional: number };
}

const ZERO_FEES: FeeTier = { makerBps: 0, takerBps: 0 };

const BOOK_REJECT_TEXT = (reason: number): string => {
  for (const [name, value] of Object.entries(BookReject)) if (value === reason) return name;
  return `UNKNOWN(${reason})`;
};

/** The engine's whole state as JSON-safe data (bigints as decimal strings), deterministic for a given state. */
export interface EngineSnapshot {
  format: string;
  nextId: number;
  nextOrderListId: number;
  nextTransferId: number;
  assets: [string, number][];
  feeTiers: [string, number, number][];
  defaultFeeTier: string | null;
  markets: { definition: DefineMarket; halted: boolean; nextTradeId: number; book: BookSnapshot }[];
  users: [number, boolean, string | null, [string, number][]][];
  orders: [
    number,
    number,
    string,
    string,
    number,
    Side,
    OrderType,
    TimeInForce,
    number,
    number,
    number,
    string,
    StpMode,
    number,
    number,
    number,
    number,
    string,
    OrderStatus,
  ][];
  orderLists: [number, string, number, string, number, number, number, number][];
  withdrawals: [string, number, number, number, string][];
  withdrawalIdsUsed: string[];
  ledger: LedgerSnapshot;
}
