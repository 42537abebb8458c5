// The reference book: written to be obviously correct rather than fast. Orders are plain objects in a Map,
// each side is an array of price levels sorted best first (binary search + splice), each level an array of
// orders in arrival order, and pending stops are one unsorted array searched on every trigger check.
// The fast book must emit exactly the same events and reach exactly the same state (book.model.test.ts).
import { DEPTH_LEVELS_MAX, ORDERS_PER_BOOK_MAX } from '../limits.js';
import {
  DoneReason,
  OrderStatus,
  OrderType,
  RejectReason,
  SNAPSHOT_FORMAT,
  Side,
  StpMode,
  TimeInForce,
  type AmendOrder,
  type BookCounts,
  type BookSnapshot,
  type CancelOrder,
  type Command,
  type DepthLevel,
  type EventSink,
  type MarketRules,
  type OrderBook,
  type OrderSpec,
  type OrderState,
  type PlaceOco,
  type PlaceOrder,
} from '../types.js';
import { assert, assertNever } from './assert.js';
import { Field, ORDER_RECORD_LENGTH, hashSnapshot } from './canonical.js';
import {
  PRICE_UNBOUNDED,
  amendFilterReason,
  amendShapeReason,
  effectiveTimeInForce,
  hasLimitPrice,
  isStopType,
  lotsWithinNotional,
  checkedLiveOrdersMax,
  normalizeRules,
  ocoPairReason,
  orderFilterReason,
  orderShapeReason,
  priceBandHighTicks,
  priceBandLowTicks,
  stopTriggered,
  triggersOnRise,
} from './rules.js';
import { checkSnapshot } from './snapshot-check.js';

interface NaiveOrder {
  orderId: number;
  ownerId: number;
  side: Side;
  type: OrderType;
  timeInForce: number;
  stpMode: number;
  priceTicks: number;
  stopPriceTicks: number;
  /** Infinity for a market order given a quote budget: its quantity is bounded by the budget instead. */
  remainingLots: number;
  filledLots: number;
  /** Infinity when the order has no cap. */
  quantityCapRoomLots: number;
  notionalCapRoom: number;
  sequence: number;
  ocoSiblingId: number;
  pendingTrigger: boolean;
}

interface NaiveLevel {
  priceTicks: number;
  orders: NaiveOrder[];
  totalLots: number;
}

const toRoom = (cap: number | undefined): number => (cap === undefined || cap === 0 ? Infinity : cap);
const fromRoom = (room: number): number => (room === Infinity ? 0 : room);

export class NaiveOrderBook implements OrderBook {
  readonly implementation = 'naive' as const;
  private marketRules: MarketRules;
  /** Live orders (resting and pending) this book accepts before BOOK_FULL. */
  private readonly liveOrdersMax: number;
  private orders = new Map<number, NaiveOrder>();
  /** Highest price first. */
  private bids: NaiveLevel[] = [];
  /** Lowest price first. */
  private asks: NaiveLevel[] = [];
  private stops: NaiveOrder[] = [];
  private lastPriceTicks = 0;
  private nextSequence = 1;
  // The price band is fixed when a command arrives and holds for everything it sets off (triggers included).
  private bandLowTicks = 0;
  private bandHighTicks = PRICE_UNBOUNDED;
  private commandRunning = false;

  constructor(rules?: Partial<MarketRules>, liveOrdersMax: number = ORDERS_PER_BOOK_MAX) {
    this.marketRules = normalizeRules(rules);
    this.liveOrdersMax = checkedLiveOrdersMax(liveOrdersMax);
  }

  rules(): MarketRules {
    return { ...this.marketRules };
  }

  apply(command: Command, sink: EventSink): void {
    switch (command.kind) {
      case 'place':
        return this.place(command, sink);
      case 'placeOco':
        return this.placeOco(command, sink);
      case 'cancel':
        return this.cancel(command, sink);
      case 'amend':
        return this.amend(command, sink);
      default:
        return assertNever(command, 'command kind');
    }
  }

  place(order: PlaceOrder, sink: EventSink): void {
    this.enterCommand();
    this.placeOrder(order, sink);
    this.commandRunning = false;
  }

  placeOco(command: PlaceOco, sink: EventSink): void {
    this.enterCommand();
    this.placeOcoPair(command, sink);
    this.commandRunning = false;
  }

  cancel(command: CancelOrder, sink: EventSink): void {
    this.enterCommand();
    this.cancelOrder(command, sink);
    this.commandRunning = false;
  }

  amend(command: AmendOrder, sink: EventSink): void {
    this.enterCommand();
    this.amendOrder(command, sink);
    this.commandRunning = false;
  }

  private placeOrder(order: PlaceOrder, sink: EventSink): void {
    const reason = this.placementReason(order);
    if (reason !== 0) {
      sink.onRejected(order.orderId, reason);
      return;
    }
    if (this.orders.size + 1 > this.liveOrdersMax) {
      sink.onRejected(order.orderId, RejectReason.BOOK_FULL);
      return;
    }
    sink.onAccepted(order.orderId);
    const accepted = this.newOrder(order);
    if (isStopType(accepted.type)) {
      this.addPendingStop(accepted);
      return;
    }
    this.take(accepted, order.quoteOrderQty ?? 0, sink);
    this.runTriggers(sink);
  }

  private placeOcoPair(command: PlaceOco, sink: EventSink): void {
    const { first, second } = command;
    const rejectBoth = (firstReason: RejectReason, secondReason: RejectReason) => {
      sink.onRejected(first.orderId, firstReason);
      sink.onRejected(second.orderId, secondReason);
    };
    const firstShape = orderShapeReason(first);
    const secondShape = orderShapeReason(second);
    if (firstShape !== 0 || secondShape !== 0) {
      const sibling = RejectReason.OCO_SIBLING_REJECTED;
      return rejectBoth(firstShape === 0 ? sibling : firstShape, secondShape === 0 ? sibling : secondShape);
    }
    const pairReason = ocoPairReason(first, second);
    if (pairReason !== 0) return rejectBoth(pairReason, pairReason);
    const firstReason = this.placementReason(first);
    if (firstReason !== 0) return rejectBoth(firstReason, RejectReason.OCO_SIBLING_REJECTED);
    const secondReason = this.placementReason(second);
    if (secondReason !== 0) return rejectBoth(RejectReason.OCO_SIBLING_REJECTED, secondReason);
    if (this.orders.size + 2 > this.liveOrdersMax) return rejectBoth(RejectReason.BOOK_FULL, RejectReason.BOOK_FULL);
    // Both accepted and linked first; then the stop legs are armed and the LIMIT_MAKER leg, if any, is placed
    // like any order: it cannot trade (post-only), so it rests, or ends with CAP (ending its sibling too).
    const legs = [first, second].map((spec) => {
      sink.onAccepted(spec.orderId);
      return this.newOrder(spec);
    });
    const [firstLeg, secondLeg] = legs as [NaiveOrder, NaiveOrder];
    firstLeg.ocoSiblingId = secondLeg.orderId;
    secondLeg.ocoSiblingId = firstLeg.orderId;
    for (const leg of legs) if (isStopType(leg.type)) this.addPendingStop(leg);
    for (const leg of legs) if (!isStopType(leg.type)) this.take(leg, 0, sink);
  }

  private cancelOrder(command: CancelOrder, sink: EventSink): void {
    const order = this.orders.get(command.orderId);
    if (order === undefined) {
      if (command.reportUnknown === true) sink.onRejected(command.orderId, RejectReason.UNKNOWN_ORDER);
      return;
    }
    this.removeLive(order, sink);
    sink.onDone(order.orderId, DoneReason.CANCELLED, order.remainingLots);
    this.endOcoSibling(order, sink);
  }

  private amendOrder(command: AmendOrder, sink: EventSink): void {
    const shape = amendShapeReason(command.orderId, command.quantityLots, command.priceTicks);
    if (shape !== 0) return sink.onRejected(command.orderId, shape);
    const order = this.orders.get(command.orderId);
    if (order === undefined) return sink.onRejected(command.orderId, RejectReason.UNKNOWN_ORDER);
    if (order.pendingTrigger) return sink.onRejected(command.orderId, RejectReason.ORDER_NOT_AMENDABLE);
    const newPriceTicks =
      command.priceTicks === undefined || command.priceTicks === 0 ? order.priceTicks : command.priceTicks;
    const newQuantityLots = command.quantityLots;
    const priceChanged = newPriceTicks !== order.priceTicks;
    const filterReason = amendFilterReason(
      newQuantityLots,
      newPriceTicks,
      priceChanged,
      this.marketRules,
      this.lastPriceTicks,
    );
    if (filterReason !== 0) return sink.onRejected(command.orderId, filterReason);
    const keepsPriority = !priceChanged && newQuantityLots <= order.remainingLots;
    if (keepsPriority) {
      const level = this.levelOf(order);
      const reductionLots = order.remainingLots - newQuantityLots;
      order.remainingLots = newQuantityLots;
      level.totalLots -= reductionLots;
      sink.onAmended(order.orderId, order.priceTicks, newQuantityLots, true);
      if (reductionLots > 0) sink.onBookDelta(order.side, order.priceTicks, level.totalLots);
      return;
    }
    if (order.type === OrderType.LIMIT_MAKER && this.crosses(order.side, newPriceTicks)) {
      return sink.onRejected(command.orderId, RejectReason.POST_ONLY_WOULD_TRADE);
    }
    // Loses priority: out of the book, then in again as a new placement at the back (it may trade).
    this.removeFromLevel(order, sink);
    sink.onAmended(order.orderId, newPriceTicks, newQuantityLots, false);
    order.priceTicks = newPriceTicks;
    order.remainingLots = newQuantityLots;
    order.sequence = this.nextSequence++;
    this.take(order, 0, sink);
    this.runTriggers(sink);
  }

  // ----- queries -----

  bestBidTicks(): number | null {
    return this.bids[0]?.priceTicks ?? null;
  }

  bestAskTicks(): number | null {
    return this.asks[0]?.priceTicks ?? null;
  }

  lastTradePriceTicks(): number | null {
    return this.lastPriceTicks === 0 ? null : this.lastPriceTicks;
  }

  depth(side: Side, levelsMax: number): DepthLevel[] {
    assert(Number.isSafeInteger(levelsMax) && levelsMax >= 0, 'depth: levelsMax must be a non-negative integer');
    const levels = side === Side.BUY ? this.bids : this.asks;
    return levels.slice(0, Math.min(levelsMax, DEPTH_LEVELS_MAX)).map((level) => ({
      priceTicks: level.priceTicks,
      quantityLots: level.totalLots,
      orderCount: level.orders.length,
    }));
  }

  order(orderId: number): OrderState | undefined {
    const order = this.orders.get(orderId);
    if (order === undefined) return undefined;
    let status: OrderStatus = order.filledLots > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW;
    if (order.pendingTrigger) status = OrderStatus.PENDING_TRIGGER;
    return {
      orderId: order.orderId,
      ownerId: order.ownerId,
      side: order.side,
      type: order.type,
      timeInForce: order.timeInForce as TimeInForce | 0,
      stpMode: order.stpMode as StpMode,
      status,
      priceTicks: order.priceTicks,
      stopPriceTicks: order.stopPriceTicks,
      quantityLots: order.filledLots + order.remainingLots,
      filledLots: order.filledLots,
      remainingLots: order.remainingLots,
      quantityLotsCapRoom: fromRoom(order.quantityCapRoomLots),
      notionalCapRoom: fromRoom(order.notionalCapRoom),
      sequence: order.sequence,
      ocoSiblingOrderId: order.ocoSiblingId,
    };
  }

  counts(): BookCounts {
    const restingOn = (levels: NaiveLevel[]) => levels.reduce((sum, level) => sum + level.orders.length, 0);
    return {
      restingBids: restingOn(this.bids),
      restingAsks: restingOn(this.asks),
      pendingStops: this.stops.length,
      bidLevels: this.bids.length,
      askLevels: this.asks.length,
    };
  }

  snapshot(): BookSnapshot {
    const orders: number[] = [];
    const add = (order: NaiveOrder) =>
      orders.push(
        order.orderId,
        order.ownerId,
        order.side,
        order.type,
        order.timeInForce,
        order.stpMode,
        order.pendingTrigger ? 1 : 0,
        order.priceTicks,
        order.stopPriceTicks,
        order.remainingLots,
        order.filledLots,
        fromRoom(order.quantityCapRoomLots),
        fromRoom(order.notionalCapRoom),
        order.sequence,
        order.ocoSiblingId,
      );
    for (const level of [...this.bids, ...this.asks]) level.orders.forEach(add);
    [...this.stops].sort((a, b) => a.sequence - b.sequence).forEach(add);
    return {
      format: SNAPSHOT_FORMAT,
      rules: { ...this.marketRules },
      lastTradePriceTicks: this.lastPriceTicks,
      nextSequence: this.nextSequence,
      orders,
    };
  }

  restore(snapshot: BookSnapshot): void {
    assert(!this.commandRunning, 'restore was called from inside an event sink');
    checkSnapshot(snapshot);
    this.marketRules = normalizeRules(snapshot.rules);
    this.orders = new Map();
    this.bids = [];
    this.asks = [];
    this.stops = [];
    this.lastPriceTicks = snapshot.lastTradePriceTicks;
    this.nextSequence = snapshot.nextSequence;
    const records = snapshot.orders;
    for (let offset = 0; offset < records.length; offset += ORDER_RECORD_LENGTH) {
      const field = (index: number) => records[offset + index] as number;
      const order: NaiveOrder = {
        orderId: field(Field.orderId),
        ownerId: field(Field.ownerId),
        side: field(Field.side) as Side,
        type: field(Field.type) as OrderType,
        timeInForce: field(Field.timeInForce),
        stpMode: field(Field.stpMode),
        priceTicks: field(Field.priceTicks),
        stopPriceTicks: field(Field.stopPriceTicks),
        remainingLots: field(Field.remainingLots),
        filledLots: field(Field.filledLots),
        quantityCapRoomLots: toRoom(field(Field.quantityLotsCapRoom)),
        notionalCapRoom: toRoom(field(Field.notionalCapRoom)),
        sequence: field(Field.sequence),
        ocoSiblingId: field(Field.ocoSiblingOrderId),
        pendingTrigger: field(Field.pendingTrigger) === 1,
      };
      assert(!this.orders.has(order.orderId), 'snapshot: duplicate order id');
      if (order.pendingTrigger) {
        this.addPendingStop(order);
      } else {
        const level = this.findOrAddLevel(order.side, order.priceTicks);
        level.orders.push(order);
        level.totalLots += order.remainingLots;
        this.orders.set(order.orderId, order);
      }
    }
    this.validateInternalState();
  }

  stateHash(): string {
    return hashSnapshot(this.snapshot());
  }

  validateInternalState(): void {
    let resting = 0;
    for (const side of [Side.BUY, Side.SELL]) {
      const levels = side === Side.BUY ? this.bids : this.asks;
      levels.forEach((level, index) => {
        const previous = levels[index - 1];
        if (previous !== undefined) {
          const sorted =
            side === Side.BUY ? previous.priceTicks > level.priceTicks : previous.priceTicks < level.priceTicks;
          assert(sorted, 'naive: levels not sorted best first');
        }
        assert(level.orders.length > 0, 'naive: empty level kept');
        let totalLots = 0;
        level.orders.forEach((order, position) => {
          assert(this.orders.get(order.orderId) === order, 'naive: resting order missing from the index');
          assert(order.side === side && order.priceTicks === level.priceTicks, 'naive: order on the wrong level');
          assert(!order.pendingTrigger && hasLimitPrice(order.type), 'naive: resting order of a non-limit kind');
          assert(order.timeInForce === TimeInForce.GTC, 'naive: resting order not GTC');
          assert(Number.isSafeInteger(order.remainingLots) && order.remainingLots > 0, 'naive: resting quantity');
          assert(this.capsCover(order), 'naive: resting order not covered by its caps');
          const before = level.orders[position - 1];
          assert(before === undefined || before.sequence < order.sequence, 'naive: FIFO not in sequence order');
          totalLots += order.remainingLots;
        });
        assert(totalLots === level.totalLots, 'naive: level total differs from the sum of its orders');
        resting += level.orders.length;
      });
    }
    const bestBid = this.bids[0]?.priceTicks;
    const bestAsk = this.asks[0]?.priceTicks;
    assert(bestBid === undefined || bestAsk === undefined || bestBid < bestAsk, 'naive: crossed book at rest');
    for (const stop of this.stops) {
      assert(stop.pendingTrigger && isStopType(stop.type), 'naive: pending order is not a stop');
      assert(this.orders.get(stop.orderId) === stop, 'naive: pending stop missing from the index');
      assert(
        !stopTriggered(stop.side, stop.type, stop.stopPriceTicks, this.lastPriceTicks),
        'naive: a stop that should have triggered is still pending',
      );
    }
    assert(this.orders.size === resting + this.stops.length, 'naive: index size differs from live orders');
    for (const order of this.orders.values()) {
      assert(order.sequence < this.nextSequence, 'naive: sequence not below nextSequence');
      if (order.ocoSiblingId !== 0) {
        const sibling = this.orders.get(order.ocoSiblingId);
        assert(sibling !== undefined && sibling.ocoSiblingId === order.orderId, 'naive: OCO link not symmetric');
        assert(sibling.ownerId === order.ownerId && sibling.side === order.side, 'naive: OCO legs differ');
      }
    }
  }

  // ----- matching -----

  /**
   * Every command starts here. The band is fixed at arrival for everything the command sets off. A sink that
   * called back into the book mid-command would see (and, in the fast book, corrupt) half-done state: refuse.
   */
  private enterCommand(): void {
    assert(!this.commandRunning, 'a command was issued from inside an event sink');
    this.commandRunning = true;
    this.bandLowTicks = priceBandLowTicks(this.marketRules, this.lastPriceTicks);
    this.bandHighTicks = priceBandHighTicks(this.marketRules, this.lastPriceTicks);
  }

  /** Every check of a new order except capacity, in precedence order. */
  private placementReason(spec: OrderSpec): RejectReason | 0 {
    const shape = orderShapeReason(spec);
    if (shape !== 0) return shape;
    if (this.orders.has(spec.orderId)) return RejectReason.DUPLICATE_ID;
    const filter = orderFilterReason(spec, this.marketRules, this.lastPriceTicks);
    if (filter !== 0) return filter;
    if (spec.type === OrderType.LIMIT_MAKER && this.crosses(spec.side, spec.priceTicks ?? 0)) {
      return RejectReason.POST_ONLY_WOULD_TRADE;
    }
    return 0;
  }

  private newOrder(spec: OrderSpec): NaiveOrder {
    const quoteBudget = spec.type === OrderType.MARKET && (spec.quantityLots ?? 0) === 0;
    return {
      orderId: spec.orderId,
      ownerId: spec.ownerId,
      side: spec.side,
      type: spec.type,
      timeInForce: effectiveTimeInForce(spec),
      stpMode: spec.stpMode ?? StpMode.NONE,
      priceTicks: spec.priceTicks ?? 0,
      stopPriceTicks: spec.stopPriceTicks ?? 0,
      remainingLots: quoteBudget ? Infinity : (spec.quantityLots ?? 0),
      filledLots: 0,
      quantityCapRoomLots: toRoom(spec.quantityLotsCap),
      notionalCapRoom: toRoom(spec.notionalCap),
      sequence: this.nextSequence++,
      ocoSiblingId: 0,
      pendingTrigger: false,
    };
  }

  /** Whether a limit price at this side would meet the opposite best price. */
  private crosses(side: Side, priceTicks: number): boolean {
    if (side === Side.BUY) {
      const bestAsk = this.asks[0];
      return bestAsk !== undefined && bestAsk.priceTicks <= priceTicks;
    }
    const bestBid = this.bids[0];
    return bestBid !== undefined && bestBid.priceTicks >= priceTicks;
  }

  /**
   * Matches a taker against the opposite side, then rests it or ends it. At each step, in this order: filled?
   * cap exhausted? liquidity left? price acceptable? inside the band? room under the caps at this price?
   * self-trade? then trade with the oldest order at the best price.
   */
  private take(taker: NaiveOrder, quoteOrderQty: number, sink: EventSink): void {
    const isMarket = !hasLimitPrice(taker.type);
    const limitTicks = isMarket ? (taker.side === Side.BUY ? PRICE_UNBOUNDED : 0) : taker.priceTicks;
    if (taker.timeInForce === TimeInForce.FOK && !this.canFillCompletely(taker, limitTicks)) {
      return this.finish(taker, DoneReason.FOK_NOT_FILLABLE, sink);
    }
    const opposite = taker.side === Side.BUY ? this.asks : this.bids;
    let quoteRoom = quoteOrderQty > 0 ? quoteOrderQty : Infinity;
    let reason: DoneReason | 0 = 0;
    for (;;) {
      if (taker.remainingLots === 0 || quoteRoom === 0) {
        reason = DoneReason.FILLED;
        break;
      }
      if (taker.quantityCapRoomLots === 0 || taker.notionalCapRoom === 0) {
        reason = DoneReason.CAP;
        break;
      }
      const level = opposite[0];
      if (level === undefined) break;
      const priceTicks = level.priceTicks;
      if (taker.side === Side.BUY ? priceTicks > limitTicks : priceTicks < limitTicks) break;
      if (priceTicks < this.bandLowTicks || priceTicks > this.bandHighTicks) {
        reason = DoneReason.PRICE_BAND;
        break;
      }
      const capLots = Math.min(taker.quantityCapRoomLots, lotsWithinNotional(taker.notionalCapRoom, priceTicks));
      if (capLots === 0) {
        reason = DoneReason.CAP;
        break;
      }
      const quoteLots = lotsWithinNotional(quoteRoom, priceTicks);
      if (quoteLots === 0) {
        // The budget is spent down to less than one lot at the best price: as filled as it can be.
        reason = DoneReason.FILLED;
        break;
      }
      const maker = level.orders[0] as NaiveOrder;
      if (taker.stpMode !== StpMode.NONE && maker.ownerId === taker.ownerId) {
        if (taker.stpMode === StpMode.EXPIRE_TAKER) {
          reason = DoneReason.STP;
          break;
        }
        this.removeLive(maker, sink);
        sink.onDone(maker.orderId, DoneReason.STP, maker.remainingLots);
        this.endOcoSibling(maker, sink);
        if (taker.stpMode === StpMode.EXPIRE_BOTH) {
          reason = DoneReason.STP;
          break;
        }
        continue;
      }
      const lots = Math.min(taker.remainingLots, maker.remainingLots, capLots, quoteLots);
      const notional = lots * priceTicks;
      taker.remainingLots -= lots;
      taker.filledLots += lots;
      taker.quantityCapRoomLots -= lots;
      taker.notionalCapRoom -= notional;
      quoteRoom -= notional;
      maker.remainingLots -= lots;
      maker.filledLots += lots;
      maker.quantityCapRoomLots -= lots;
      maker.notionalCapRoom -= notional;
      level.totalLots -= lots;
      this.lastPriceTicks = priceTicks;
      sink.onTrade(
        taker.orderId,
        maker.orderId,
        taker.ownerId,
        maker.ownerId,
        taker.side,
        priceTicks,
        lots,
        taker.remainingLots === 0 || quoteRoom === 0,
        maker.remainingLots === 0,
      );
      sink.onBookDelta(maker.side, priceTicks, level.totalLots);
      if (maker.remainingLots === 0) {
        level.orders.shift();
        if (level.orders.length === 0) opposite.shift();
        this.orders.delete(maker.orderId);
        sink.onDone(maker.orderId, DoneReason.FILLED, 0);
      }
      this.endOcoSibling(maker, sink);
    }
    if (reason === 0) {
      if (isMarket || taker.timeInForce !== TimeInForce.GTC) {
        assert(taker.timeInForce !== TimeInForce.FOK, 'naive: FOK judged fillable did not fill');
        reason = DoneReason.EXPIRED;
      } else if (!this.capsCover(taker)) {
        reason = DoneReason.CAP;
      } else {
        return this.rest(taker, sink);
      }
    }
    this.finish(taker, reason, sink);
  }

  /** The FOK check: walks the same steps as take() without changing anything. */
  private canFillCompletely(taker: NaiveOrder, limitTicks: number): boolean {
    const opposite = taker.side === Side.BUY ? this.asks : this.bids;
    let needLots = taker.remainingLots;
    let quantityRoom = taker.quantityCapRoomLots;
    let notionalRoom = taker.notionalCapRoom;
    for (const level of opposite) {
      const priceTicks = level.priceTicks;
      if (taker.side === Side.BUY ? priceTicks > limitTicks : priceTicks < limitTicks) return false;
      if (priceTicks < this.bandLowTicks || priceTicks > this.bandHighTicks) return false;
      for (const maker of level.orders) {
        const capLots = Math.min(quantityRoom, lotsWithinNotional(notionalRoom, priceTicks));
        if (capLots === 0) return false;
        if (taker.stpMode !== StpMode.NONE && maker.ownerId === taker.ownerId) {
          if (taker.stpMode === StpMode.EXPIRE_MAKER) continue;
          return false;
        }
        const lots = Math.min(needLots, maker.remainingLots, capLots);
        needLots -= lots;
        quantityRoom -= lots;
        notionalRoom -= lots * priceTicks;
        if (needLots === 0) return true;
        // The maker still has quantity, so the caps limited this step: take() would stop here with CAP.
        if (lots < maker.remainingLots) return false;
      }
    }
    return false;
  }

  /** A resting order must never be able to trade past its caps: at its own price, they must cover it all. */
  private capsCover(order: NaiveOrder): boolean {
    return (
      order.remainingLots <= order.quantityCapRoomLots &&
      order.remainingLots * order.priceTicks <= order.notionalCapRoom
    );
  }

  private rest(order: NaiveOrder, sink: EventSink): void {
    const level = this.findOrAddLevel(order.side, order.priceTicks);
    level.orders.push(order);
    level.totalLots += order.remainingLots;
    this.orders.set(order.orderId, order);
    sink.onBookDelta(order.side, order.priceTicks, level.totalLots);
  }

  private finish(order: NaiveOrder, reason: DoneReason, sink: EventSink): void {
    this.orders.delete(order.orderId);
    const remainingLots = order.remainingLots === Infinity ? 0 : order.remainingLots;
    sink.onDone(order.orderId, reason, remainingLots);
    this.endOcoSibling(order, sink);
  }

  /** Triggers stops one at a time until none holds: each may trade and move the last price again. */
  private runTriggers(sink: EventSink): void {
    for (;;) {
      const stop = this.nextTriggeredStop();
      if (stop === undefined) return;
      this.stops.splice(this.stops.indexOf(stop), 1);
      stop.pendingTrigger = false;
      sink.onTriggered(stop.orderId);
      this.endOcoSibling(stop, sink);
      // It enters the book now, behind everything already there.
      stop.sequence = this.nextSequence++;
      this.take(stop, 0, sink);
    }
  }

  /**
   * Of the stops whose condition holds, the one whose stop price the market crossed first: lowest stop among
   * those triggered by a rise, highest among those triggered by a fall, earliest sequence on a tie; between
   * the two directions, the earlier sequence.
   */
  private nextTriggeredStop(): NaiveOrder | undefined {
    const last = this.lastPriceTicks;
    const triggered = this.stops.filter((stop) => stopTriggered(stop.side, stop.type, stop.stopPriceTicks, last));
    const rising = triggered
      .filter((stop) => triggersOnRise(stop.side, stop.type))
      .sort((a, b) => a.stopPriceTicks - b.stopPriceTicks || a.sequence - b.sequence)[0];
    const falling = triggered
      .filter((stop) => !triggersOnRise(stop.side, stop.type))
      .sort((a, b) => b.stopPriceTicks - a.stopPriceTicks || a.sequence - b.sequence)[0];
    if (rising === undefined) return falling;
    if (falling === undefined) return rising;
    return rising.sequence < falling.sequence ? rising : falling;
  }

  private addPendingStop(order: NaiveOrder): void {
    order.pendingTrigger = true;
    this.stops.push(order);
    this.orders.set(order.orderId, order);
  }

  /** The first trade, trigger or end of an OCO leg ends the other leg. */
  private endOcoSibling(order: NaiveOrder, sink: EventSink): void {
    if (order.ocoSiblingId === 0) return;
    const sibling = this.orders.get(order.ocoSiblingId);
    assert(sibling !== undefined, 'naive: OCO sibling is not live');
    order.ocoSiblingId = 0;
    sibling.ocoSiblingId = 0;
    this.removeLive(sibling, sink);
    sink.onDone(sibling.orderId, DoneReason.OCO, sibling.remainingLots);
  }

  /** Removes a live order (resting or pending) from every structure. */
  private removeLive(order: NaiveOrder, sink: EventSink): void {
    if (order.pendingTrigger) this.stops.splice(this.stops.indexOf(order), 1);
    else this.removeFromLevel(order, sink);
    this.orders.delete(order.orderId);
  }

  private removeFromLevel(order: NaiveOrder, sink: EventSink): void {
    const levels = order.side === Side.BUY ? this.bids : this.asks;
    const index = this.levelIndex(order.side, order.priceTicks);
    const level = levels[index];
    assert(level !== undefined && level.priceTicks === order.priceTicks, 'naive: order level not found');
    level.orders.splice(level.orders.indexOf(order), 1);
    level.totalLots -= order.remainingLots;
    if (level.orders.length === 0) levels.splice(index, 1);
    sink.onBookDelta(order.side, order.priceTicks, level.totalLots);
  }

  private levelOf(order: NaiveOrder): NaiveLevel {
    const levels = order.side === Side.BUY ? this.bids : this.asks;
    const level = levels[this.levelIndex(order.side, order.priceTicks)];
    assert(level !== undefined && level.priceTicks === order.priceTicks, 'naive: order level not found');
    return level;
  }

  /** Binary search: the index of the level at this price, or where it would be inserted. */
  private levelIndex(side: Side, priceTicks: number): number {
    const levels = side === Side.BUY ? this.bids : this.asks;
    let low = 0;
    let high = levels.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const levelPrice = (levels[middle] as NaiveLevel).priceTicks;
      const better = side === Side.BUY ? levelPrice > priceTicks : levelPrice < priceTicks;
      if (better) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private findOrAddLevel(side: Side, priceTicks: number): NaiveLevel {
    const levels = side === Side.BUY ? this.bids : this.asks;
    const index = this.levelIndex(side, priceTicks);
    const existing = levels[index];
    if (existing !== undefined && existing.priceTicks === priceTicks) return existing;
    const level: NaiveLevel = { priceTicks, orders: [], totalLots: 0 };
    levels.splice(index, 0, level);
    return level;
  }
}
