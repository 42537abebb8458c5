// The fast book, after exchange-core's direct implementation:
// - orders live in typed arrays indexed by slot, growing on demand, with a free list. The per-slot fields are
//   split into a few arrays by how they are used together, each holding a small fixed-stride record per slot
//   (quantities; identity; links; codes), so cancelling or filling an order touches a handful of cache lines
//   rather than one per field;
// - an open-addressing id index (id-index.ts) finds an order's slot;
// - each price level is a FIFO of slots with intrusive prev/next links and a running total, so cancelling an
//   order is O(1): unlink it and adjust its level;
// - each side keeps a ladder: level keys sorted ascending with the best price at the END (bids key = price,
//   asks key = -price), so taking liquidity pops from the end and most new orders, which land within a few
//   ticks of the best, are found by a short scan from the end. An emptied level stays in the ladder (marked
//   by a zero count) until it reaches the top or the ladder is compacted, which keeps a cancel O(1) amortized;
//   the top level is never empty, so the best price is always that of ladder.levels[size - 1];
// - pending stops are two arrays of slots sorted by trigger priority (not on the hot path).
// Semantics mirror naive-book.ts step for step; book.model.test.ts holds them to identical events and state.
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
import { IdIndex } from './id-index.js';
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

const NONE = -1;

// Quantities record: Float64Array, QUANTITY_STRIDE numbers per slot, all touched by every trade.
const QUANTITY_STRIDE = 4;
/** Infinity for a market order with a quote budget (its quantity is bounded by the budget). */
const REMAINING = 0;
const FILLED = 1;
/** Lots the order may still trade under its quantity cap; Infinity = no cap. */
const QUANTITY_ROOM = 2;
/** Notional the order may still trade under its notional cap; Infinity = no cap. */
const NOTIONAL_ROOM = 3;

// Identity record: Float64Array, IDENTITY_STRIDE numbers per slot.
const IDENTITY_STRIDE = 4;
const ORDER_ID = 0;
const OWNER_ID = 1;
const SEQUENCE = 2;
/** Limit price (0 for market types). */
const PRICE = 3;

// Links record: Int32Array, LINK_STRIDE numbers per slot.
const LINK_STRIDE = 4;
/** FIFO successor within the level; also links the free list. */
const NEXT = 0;
const PREVIOUS = 1;
const LEVEL = 2;
/** Slot of the other OCO leg, or NONE. */
const SIBLING = 3;

// Codes record: Uint8Array, CODE_STRIDE bytes per slot.
const CODE_STRIDE = 8;
const SIDE = 0;
const TYPE = 1;
const TIME_IN_FORCE = 2;
const STP_MODE = 3;
const STATUS = 4;

// Slot states.
const FREE = 0;
const RESTING = 1;
const PENDING = 2;
/** Accepted and matching now, not in the id index (a new order). */
const TAKING = 3;
/** Matching now and already in the id index (a triggered stop or an amended order). */
const TAKING_INDEXED = 4;

const SLOTS_INITIAL = 1024;
const LEVELS_INITIAL = 256;
const LADDER_INITIAL = 256;
/** Levels a new price is compared against linearly from the best end before switching to binary search. */
const LADDER_SCAN_STEPS = 8;
/** Emptied levels tolerated in a ladder before compaction is considered. */
const LADDER_EMPTY_SLACK = 64;

const toRoom = (cap: number | undefined): number => (cap === undefined || cap === 0 ? Infinity : cap);
const fromRoom = (room: number): number => (room === Infinity ? 0 : room);

function grownFloat64(array: Float64Array, length: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(length);
  grown.set(array);
  return grown;
}
function grownInt32(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(length);
  grown.set(array);
  return grown;
}
function grownUint8(array: Uint8Array, length: number): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(length);
  grown.set(array);
  return grown;
}

/** One side's price levels: keys ascending, best at the end. */
class Ladder {
  keys = new Int32Array(LADDER_INITIAL);
  levels = new Int32Array(LADDER_INITIAL);
  size = 0;
  /** Levels in the ladder whose count is zero (never the top one). */
  emptyLevels = 0;
}

export class FastOrderBook implements OrderBook {
  readonly implementation = 'fast' as const;
  private marketRules: MarketRules;
  /** Live orders (resting and pending) this book accepts before BOOK_FULL. */
  private readonly liveOrdersMax: number;

  // ----- orders, by slot -----
  private slotCapacity = 0;
  private slotHighWater = 0;
  private freeSlotHead = NONE;
  private quantities = new Float64Array(0);
  private identities = new Float64Array(0);
  private links = new Int32Array(0);
  private codes = new Uint8Array(0);
  /** Stop prices are read only by the stop queues, so they stay out of the hot records. */
  private stopPriceTicksOf = new Int32Array(0);
  private slotByOrderId = new IdIndex(this.identities, IDENTITY_STRIDE);

  // ----- price levels -----
  private levelCapacity = 0;
  private levelHighWater = 0;
  private freeLevelHead = NONE;
  private levelPriceTicks = new Int32Array(0);
  private levelSide = new Uint8Array(0);
  private levelTotalLots = new Float64Array(0);
  /** -1 marks a free level. */
  private levelOrderCount = new Int32Array(0);
  /** Head also links the free list of levels. */
  private levelHead = new Int32Array(0);
  private levelTail = new Int32Array(0);
  private bidLadder = new Ladder();
  private askLadder = new Ladder();

  // ----- stops, counters, per-command state -----
  /** Stops triggered by a rise, lowest stop first, then by sequence. */
  private risingStops: number[] = [];
  /** Stops triggered by a fall, highest stop first, then by sequence. */
  private fallingStops: number[] = [];
  private restingBids = 0;
  private restingAsks = 0;
  private lastPriceTicks = 0;
  private nextSequence = 1;
  private bandLowTicks = 0;
  private bandHighTicks = PRICE_UNBOUNDED;
  private commandRunning = false;

  constructor(rules?: Partial<MarketRules>, liveOrdersMax: number = ORDERS_PER_BOOK_MAX) {
    this.marketRules = normalizeRules(rules);
    this.liveOrdersMax = checkedLiveOrdersMax(liveOrdersMax);
    this.growSlots(SLOTS_INITIAL);
    this.growLevels(LEVELS_INITIAL);
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
    if (this.slotByOrderId.size + 1 > this.liveOrdersMax) {
      sink.onRejected(order.orderId, RejectReason.BOOK_FULL);
      return;
    }
    sink.onAccepted(order.orderId);
    const slot = this.newOrder(order);
    if (isStopType(order.type)) {
      this.addPendingStop(slot);
      return;
    }
    this.take(slot, order.quoteOrderQty ?? 0, sink);
    if (this.risingStops.length !== 0 || this.fallingStops.length !== 0) this.runTriggers(sink);
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
    if (this.slotByOrderId.size + 2 > this.liveOrdersMax) {
      return rejectBoth(RejectReason.BOOK_FULL, RejectReason.BOOK_FULL);
    }
    // Same order of steps as the naive book: accept and link both, arm the stops, then place the LIMIT_MAKER leg.
    sink.onAccepted(first.orderId);
    const firstSlot = this.newOrder(first);
    sink.onAccepted(second.orderId);
    const secondSlot = this.newOrder(second);
    this.links[firstSlot * LINK_STRIDE + SIBLING] = secondSlot;
    this.links[secondSlot * LINK_STRIDE + SIBLING] = firstSlot;
    if (isStopType(first.type)) this.addPendingStop(firstSlot);
    if (isStopType(second.type)) this.addPendingStop(secondSlot);
    if (!isStopType(first.type)) this.take(firstSlot, 0, sink);
    if (!isStopType(second.type)) this.take(secondSlot, 0, sink);
  }

  private cancelOrder(command: CancelOrder, sink: EventSink): void {
    const slot = this.slotByOrderId.get(command.orderId);
    if (slot === NONE) {
      if (command.reportUnknown === true) sink.onRejected(command.orderId, RejectReason.UNKNOWN_ORDER);
      return;
    }
    const remainingLots = this.quantities[slot * QUANTITY_STRIDE + REMAINING]!;
    const sibling = this.links[slot * LINK_STRIDE + SIBLING]!;
    this.removeLive(slot, sink);
    sink.onDone(command.orderId, DoneReason.CANCELLED, remainingLots);
    if (sibling !== NONE) this.endOcoSibling(sibling, sink);
  }

  private amendOrder(command: AmendOrder, sink: EventSink): void {
    const orderId = command.orderId;
    const shape = amendShapeReason(orderId, command.quantityLots, command.priceTicks);
    if (shape !== 0) return sink.onRejected(orderId, shape);
    const slot = this.slotByOrderId.get(orderId);
    if (slot === NONE) return sink.onRejected(orderId, RejectReason.UNKNOWN_ORDER);
    if (this.statusOf(slot) === PENDING) return sink.onRejected(orderId, RejectReason.ORDER_NOT_AMENDABLE);
    const identity = slot * IDENTITY_STRIDE;
    const quantity = slot * QUANTITY_STRIDE;
    const priceTicks = this.identities[identity + PRICE]!;
    const newPriceTicks =
      command.priceTicks === undefined || command.priceTicks === 0 ? priceTicks : command.priceTicks;
    const newQuantityLots = command.quantityLots;
    const priceChanged = newPriceTicks !== priceTicks;
    const filterReason = amendFilterReason(
      newQuantityLots,
      newPriceTicks,
      priceChanged,
      this.marketRules,
      this.lastPriceTicks,
    );
    if (filterReason !== 0) return sink.onRejected(orderId, filterReason);
    const side = this.codes[slot * CODE_STRIDE + SIDE]! as Side;
    const remainingLots = this.quantities[quantity + REMAINING]!;
    if (!priceChanged && newQuantityLots <= remainingLots) {
      const level = this.links[slot * LINK_STRIDE + LEVEL]!;
      const reductionLots = remainingLots - newQuantityLots;
      this.quantities[quantity + REMAINING] = newQuantityLots;
      this.levelTotalLots[level] = this.levelTotalLots[level]! - reductionLots;
      sink.onAmended(orderId, priceTicks, newQuantityLots, true);
      if (reductionLots > 0) sink.onBookDelta(side, priceTicks, this.levelTotalLots[level]!);
      return;
    }
    if (this.codes[slot * CODE_STRIDE + TYPE] === OrderType.LIMIT_MAKER && this.crosses(side, newPriceTicks)) {
      return sink.onRejected(orderId, RejectReason.POST_ONLY_WOULD_TRADE);
    }
    // Loses priority: out of the book, then in again as a new placement at the back (it may trade).
    this.unlinkResting(slot, sink);
    this.codes[slot * CODE_STRIDE + STATUS] = TAKING_INDEXED;
    sink.onAmended(orderId, newPriceTicks, newQuantityLots, false);
    this.identities[identity + PRICE] = newPriceTicks;
    this.quantities[quantity + REMAINING] = newQuantityLots;
    this.identities[identity + SEQUENCE] = this.nextSequence++;
    this.take(slot, 0, sink);
    if (this.risingStops.length !== 0 || this.fallingStops.length !== 0) this.runTriggers(sink);
  }

  // ----- queries -----

  bestBidTicks(): number | null {
    return this.topPrice(this.bidLadder);
  }

  bestAskTicks(): number | null {
    return this.topPrice(this.askLadder);
  }

  lastTradePriceTicks(): number | null {
    return this.lastPriceTicks === 0 ? null : this.lastPriceTicks;
  }

  depth(side: Side, levelsMax: number): DepthLevel[] {
    assert(Number.isSafeInteger(levelsMax) && levelsMax >= 0, 'depth: levelsMax must be a non-negative integer');
    const limit = Math.min(levelsMax, DEPTH_LEVELS_MAX);
    const ladder = side === Side.BUY ? this.bidLadder : this.askLadder;
    const result: DepthLevel[] = [];
    for (let index = ladder.size - 1; index >= 0 && result.length < limit; index--) {
      const level = ladder.levels[index]!;
      const orderCount = this.levelOrderCount[level]!;
      if (orderCount === 0) continue;
      result.push({ priceTicks: this.levelPriceTicks[level]!, quantityLots: this.levelTotalLots[level]!, orderCount });
    }
    return result;
  }

  order(orderId: number): OrderState | undefined {
    const slot = this.slotByOrderId.get(orderId);
    if (slot === NONE) return undefined;
    const quantity = slot * QUANTITY_STRIDE;
    const identity = slot * IDENTITY_STRIDE;
    const code = slot * CODE_STRIDE;
    const filledLots = this.quantities[quantity + FILLED]!;
    const remainingLots = this.quantities[quantity + REMAINING]!;
    let status: OrderStatus = filledLots > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW;
    if (this.codes[code + STATUS] === PENDING) status = OrderStatus.PENDING_TRIGGER;
    const sibling = this.links[slot * LINK_STRIDE + SIBLING]!;
    return {
      orderId,
      ownerId: this.identities[identity + OWNER_ID]!,
      side: this.codes[code + SIDE]! as Side,
      type: this.codes[code + TYPE]! as OrderType,
      timeInForce: this.codes[code + TIME_IN_FORCE]! as TimeInForce | 0,
      stpMode: this.codes[code + STP_MODE]! as StpMode,
      status,
      priceTicks: this.identities[identity + PRICE]!,
      stopPriceTicks: this.stopPriceTicksOf[slot]!,
      quantityLots: filledLots + remainingLots,
      filledLots,
      remainingLots,
      quantityLotsCapRoom: fromRoom(this.quantities[quantity + QUANTITY_ROOM]!),
      notionalCapRoom: fromRoom(this.quantities[quantity + NOTIONAL_ROOM]!),
      sequence: this.identities[identity + SEQUENCE]!,
      ocoSiblingOrderId: sibling === NONE ? 0 : this.orderIdOf(sibling),
    };
  }

  counts(): BookCounts {
    return {
      restingBids: this.restingBids,
      restingAsks: this.restingAsks,
      pendingStops: this.risingStops.length + this.fallingStops.length,
      bidLevels: this.bidLadder.size - this.bidLadder.emptyLevels,
      askLevels: this.askLadder.size - this.askLadder.emptyLevels,
    };
  }

  snapshot(): BookSnapshot {
    const orders: number[] = [];
    for (const ladder of [this.bidLadder, this.askLadder]) {
      for (let index = ladder.size - 1; index >= 0; index--) {
        const level = ladder.levels[index]!;
        for (let slot = this.levelHead[level]!; slot !== NONE; slot = this.nextOf(slot)) this.pushRecord(orders, slot);
      }
    }
    const stops = [...this.risingStops, ...this.fallingStops].sort((a, b) => this.sequenceOf(a) - this.sequenceOf(b));
    for (const slot of stops) this.pushRecord(orders, slot);
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
    this.resetStorage();
    this.lastPriceTicks = snapshot.lastTradePriceTicks;
    this.nextSequence = snapshot.nextSequence;
    const records = snapshot.orders;
    const siblingIds: [number, number][] = [];
    for (let offset = 0; offset < records.length; offset += ORDER_RECORD_LENGTH) {
      const field = (index: number) => records[offset + index] as number;
      const orderId = field(Field.orderId);
      assert(!this.slotByOrderId.has(orderId), 'snapshot: duplicate order id');
      const slot = this.allocateSlot();
      const quantity = slot * QUANTITY_STRIDE;
      const identity = slot * IDENTITY_STRIDE;
      const code = slot * CODE_STRIDE;
      this.identities[identity + ORDER_ID] = orderId;
      this.identities[identity + OWNER_ID] = field(Field.ownerId);
      this.identities[identity + SEQUENCE] = field(Field.sequence);
      this.identities[identity + PRICE] = field(Field.priceTicks);
      this.codes[code + SIDE] = field(Field.side);
      this.codes[code + TYPE] = field(Field.type);
      this.codes[code + TIME_IN_FORCE] = field(Field.timeInForce);
      this.codes[code + STP_MODE] = field(Field.stpMode);
      this.stopPriceTicksOf[slot] = field(Field.stopPriceTicks);
      this.quantities[quantity + REMAINING] = field(Field.remainingLots);
      this.quantities[quantity + FILLED] = field(Field.filledLots);
      this.quantities[quantity + QUANTITY_ROOM] = toRoom(field(Field.quantityLotsCapRoom));
      this.quantities[quantity + NOTIONAL_ROOM] = toRoom(field(Field.notionalCapRoom));
      this.links[slot * LINK_STRIDE + SIBLING] = NONE;
      if (field(Field.ocoSiblingOrderId) !== 0) siblingIds.push([slot, field(Field.ocoSiblingOrderId)]);
      if (field(Field.pendingTrigger) === 1) {
        this.addPendingStop(slot);
      } else {
        this.appendToLevel(slot);
        this.slotByOrderId.add(orderId, slot);
      }
    }
    for (const [slot, siblingId] of siblingIds) {
      const sibling = this.slotByOrderId.get(siblingId);
      assert(sibling !== NONE, 'snapshot: OCO sibling is not in the snapshot');
      this.links[slot * LINK_STRIDE + SIBLING] = sibling;
    }
    this.validateInternalState();
  }

  stateHash(): string {
    return hashSnapshot(this.snapshot());
  }

  validateInternalState(): void {
    let resting = 0;
    for (const side of [Side.BUY, Side.SELL]) {
      const ladder = side === Side.BUY ? this.bidLadder : this.askLadder;
      let emptyLevels = 0;
      let restingOnSide = 0;
      for (let index = 0; index < ladder.size; index++) {
        const level = ladder.levels[index]!;
        const key = ladder.keys[index]!;
        assert(index === 0 || ladder.keys[index - 1]! < key, 'fast: ladder keys not strictly ascending');
        assert(this.levelSide[level] === side, 'fast: level on the wrong side');
        const priceTicks = this.levelPriceTicks[level]!;
        assert(key === (side === Side.BUY ? priceTicks : -priceTicks), 'fast: ladder key differs from level price');
        const count = this.levelOrderCount[level]!;
        assert(count >= 0, 'fast: free level in a ladder');
        if (count === 0) {
          emptyLevels += 1;
          assert(index !== ladder.size - 1, 'fast: empty level at the top of a ladder');
          assert(this.levelHead[level] === NONE && this.levelTail[level] === NONE, 'fast: empty level has links');
          assert(this.levelTotalLots[level] === 0, 'fast: empty level has quantity');
          continue;
        }
        let totalLots = 0;
        let seen = 0;
        let previous = NONE;
        for (let slot = this.levelHead[level]!; slot !== NONE; slot = this.nextOf(slot)) {
          const link = slot * LINK_STRIDE;
          assert(seen < count, 'fast: FIFO longer than the level count (cycle?)');
          assert(this.statusOf(slot) === RESTING, 'fast: order in a level is not resting');
          assert(this.links[link + PREVIOUS] === previous, 'fast: FIFO back link broken');
          assert(this.links[link + LEVEL] === level, 'fast: order points at another level');
          assert(this.codes[slot * CODE_STRIDE + SIDE] === side, 'fast: order on the wrong side');
          assert(this.identities[slot * IDENTITY_STRIDE + PRICE] === priceTicks, 'fast: order on the wrong level');
          assert(hasLimitPrice(this.codes[slot * CODE_STRIDE + TYPE]!), 'fast: resting order of a non-limit kind');
          assert(this.codes[slot * CODE_STRIDE + TIME_IN_FORCE] === TimeInForce.GTC, 'fast: resting order not GTC');
          const remainingLots = this.quantities[slot * QUANTITY_STRIDE + REMAINING]!;
          assert(Number.isSafeInteger(remainingLots) && remainingLots > 0, 'fast: resting quantity');
          assert(this.capsCover(slot), 'fast: resting order not covered by its caps');
          assert(this.slotByOrderId.get(this.orderIdOf(slot)) === slot, 'fast: resting order missing from the index');
          assert(previous === NONE || this.sequenceOf(previous) < this.sequenceOf(slot), 'fast: FIFO out of sequence');
          totalLots += remainingLots;
          seen += 1;
          previous = slot;
        }
        assert(seen === count, 'fast: level count differs from its FIFO');
        assert(this.levelTail[level] === previous, 'fast: level tail is not the last order');
        assert(totalLots === this.levelTotalLots[level], 'fast: level total differs from the sum of its orders');
        restingOnSide += count;
      }
      assert(emptyLevels === ladder.emptyLevels, 'fast: empty level count is wrong');
      assert(restingOnSide === (side === Side.BUY ? this.restingBids : this.restingAsks), 'fast: resting count');
      resting += restingOnSide;
    }
    const bestBid = this.bestBidTicks();
    const bestAsk = this.bestAskTicks();
    assert(bestBid === null || bestAsk === null || bestBid < bestAsk, 'fast: crossed book at rest');
    for (const rising of [true, false]) {
      const stops = rising ? this.risingStops : this.fallingStops;
      stops.forEach((slot, index) => {
        const side = this.codes[slot * CODE_STRIDE + SIDE]!;
        const type = this.codes[slot * CODE_STRIDE + TYPE]!;
        assert(this.statusOf(slot) === PENDING && isStopType(type), 'fast: pending slot is not a stop');
        assert(triggersOnRise(side, type) === rising, 'fast: stop in the wrong queue');
        assert(this.slotByOrderId.get(this.orderIdOf(slot)) === slot, 'fast: pending stop missing from the index');
        const before = stops[index - 1];
        assert(before === undefined || this.stopPrecedes(before, slot, rising), 'fast: stop queue out of order');
        assert(
          !stopTriggered(side, type, this.stopPriceTicksOf[slot]!, this.lastPriceTicks),
          'fast: a stop that should have triggered is still pending',
        );
      });
    }
    const pending = this.risingStops.length + this.fallingStops.length;
    assert(this.slotByOrderId.size === resting + pending, 'fast: index size differs from live orders');
    let freeSlots = 0;
    for (let slot = this.freeSlotHead; slot !== NONE; slot = this.nextOf(slot)) {
      assert(this.statusOf(slot) === FREE && freeSlots < this.slotHighWater, 'fast: free list broken');
      freeSlots += 1;
    }
    assert(freeSlots + resting + pending === this.slotHighWater, 'fast: slots leaked');
    this.slotByOrderId.forEach((orderId, slot) => {
      assert(this.orderIdOf(slot) === orderId, 'fast: index points at another order');
      assert(this.sequenceOf(slot) < this.nextSequence, 'fast: sequence not below nextSequence');
      const sibling = this.links[slot * LINK_STRIDE + SIBLING]!;
      if (sibling !== NONE) {
        assert(this.links[sibling * LINK_STRIDE + SIBLING] === slot, 'fast: OCO link not symmetric');
        const siblingStatus = this.statusOf(sibling);
        assert(siblingStatus === RESTING || siblingStatus === PENDING, 'fast: OCO sibling is not live');
        assert(
          this.identities[sibling * IDENTITY_STRIDE + OWNER_ID] === this.identities[slot * IDENTITY_STRIDE + OWNER_ID],
          'fast: OCO legs have different owners',
        );
        assert(
          this.codes[sibling * CODE_STRIDE + SIDE] === this.codes[slot * CODE_STRIDE + SIDE],
          'fast: OCO legs on different sides',
        );
      }
    });
  }

  // ----- commands: checks and order creation -----

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

  private placementReason(spec: OrderSpec): RejectReason | 0 {
    const shape = orderShapeReason(spec);
    if (shape !== 0) return shape;
    if (this.slotByOrderId.has(spec.orderId)) return RejectReason.DUPLICATE_ID;
    const filter = orderFilterReason(spec, this.marketRules, this.lastPriceTicks);
    if (filter !== 0) return filter;
    if (spec.type === OrderType.LIMIT_MAKER && this.crosses(spec.side, spec.priceTicks ?? 0)) {
      return RejectReason.POST_ONLY_WOULD_TRADE;
    }
    return 0;
  }

  private newOrder(spec: OrderSpec): number {
    const slot = this.allocateSlot();
    const quantityLots = spec.quantityLots ?? 0;
    const quantity = slot * QUANTITY_STRIDE;
    const identity = slot * IDENTITY_STRIDE;
    const code = slot * CODE_STRIDE;
    // A MARKET order without a quantity has a quote budget: its quantity is bounded by that instead.
    this.quantities[quantity + REMAINING] = quantityLots === 0 ? Infinity : quantityLots;
    this.quantities[quantity + FILLED] = 0;
    this.quantities[quantity + QUANTITY_ROOM] = toRoom(spec.quantityLotsCap);
    this.quantities[quantity + NOTIONAL_ROOM] = toRoom(spec.notionalCap);
    this.identities[identity + ORDER_ID] = spec.orderId;
    this.identities[identity + OWNER_ID] = spec.ownerId;
    this.identities[identity + SEQUENCE] = this.nextSequence++;
    this.identities[identity + PRICE] = spec.priceTicks ?? 0;
    this.codes[code + SIDE] = spec.side;
    this.codes[code + TYPE] = spec.type;
    this.codes[code + TIME_IN_FORCE] = effectiveTimeInForce(spec);
    this.codes[code + STP_MODE] = spec.stpMode ?? StpMode.NONE;
    this.codes[code + STATUS] = TAKING;
    this.links[slot * LINK_STRIDE + SIBLING] = NONE;
    this.stopPriceTicksOf[slot] = spec.stopPriceTicks ?? 0;
    return slot;
  }

  private crosses(side: Side, priceTicks: number): boolean {
    const ladder = side === Side.BUY ? this.askLadder : this.bidLadder;
    if (ladder.size === 0) return false;
    const bestTicks = this.levelPriceTicks[ladder.levels[ladder.size - 1]!]!;
    return side === Side.BUY ? bestTicks <= priceTicks : bestTicks >= priceTicks;
  }

  // ----- matching -----

  /** Same steps, in the same order, as NaiveOrderBook.take(); see there. */
  private take(taker: number, quoteOrderQty: number, sink: EventSink): void {
    const takerCode = taker * CODE_STRIDE;
    const takerQuantity = taker * QUANTITY_STRIDE;
    const takerIdentity = taker * IDENTITY_STRIDE;
    const side = this.codes[takerCode + SIDE]! as Side;
    const timeInForce = this.codes[takerCode + TIME_IN_FORCE]!;
    const isMarket = !hasLimitPrice(this.codes[takerCode + TYPE]!);
    const limitTicks = isMarket ? (side === Side.BUY ? PRICE_UNBOUNDED : 0) : this.identities[takerIdentity + PRICE]!;
    if (timeInForce === TimeInForce.FOK && !this.canFillCompletely(taker, limitTicks)) {
      return this.finish(taker, DoneReason.FOK_NOT_FILLABLE, sink);
    }
    const ladder = side === Side.BUY ? this.askLadder : this.bidLadder;
    const makerSide = (side ^ 1) as Side;
    const buying = side === Side.BUY;
    const takerOrderId = this.identities[takerIdentity + ORDER_ID]!;
    const takerOwnerId = this.identities[takerIdentity + OWNER_ID]!;
    const stpMode = this.codes[takerCode + STP_MODE]!;
    const bandLowTicks = this.bandLowTicks;
    const bandHighTicks = this.bandHighTicks;
    // Nothing below allocates slots or levels, so the arrays can be held in locals for the whole loop.
    const levelPriceTicks = this.levelPriceTicks;
    const levelTotalLots = this.levelTotalLots;
    const levelHead = this.levelHead;
    const quantities = this.quantities;
    const identities = this.identities;
    const links = this.links;
    let remainingLots = quantities[takerQuantity + REMAINING]!;
    let filledLots = quantities[takerQuantity + FILLED]!;
    let quantityRoom = quantities[takerQuantity + QUANTITY_ROOM]!;
    let notionalRoom = quantities[takerQuantity + NOTIONAL_ROOM]!;
    let quoteRoom = quoteOrderQty > 0 ? quoteOrderQty : Infinity;
    let reason: DoneReason | 0 = 0;
    for (;;) {
      if (remainingLots === 0 || quoteRoom === 0) {
        reason = DoneReason.FILLED;
        break;
      }
      if (quantityRoom === 0 || notionalRoom === 0) {
        reason = DoneReason.CAP;
        break;
      }
      const size = ladder.size;
      if (size === 0) break;
      const level = ladder.levels[size - 1]!;
      const priceTicks = levelPriceTicks[level]!;
      if (buying ? priceTicks > limitTicks : priceTicks < limitTicks) break;
      if (priceTicks < bandLowTicks || priceTicks > bandHighTicks) {
        reason = DoneReason.PRICE_BAND;
        break;
      }
      let lots = remainingLots;
      if (quantityRoom < lots) lots = quantityRoom;
      if (notionalRoom !== Infinity) {
        const notionalLots = lotsWithinNotional(notionalRoom, priceTicks);
        if (notionalLots < lots) lots = notionalLots;
        if (lots === 0) {
          reason = DoneReason.CAP;
          break;
        }
      }
      if (quoteRoom !== Infinity) {
        const quoteLots = lotsWithinNotional(quoteRoom, priceTicks);
        if (quoteLots === 0) {
          // The budget is spent down to less than one lot at the best price: as filled as it can be.
          reason = DoneReason.FILLED;
          break;
        }
        if (quoteLots < lots) lots = quoteLots;
      }
      const maker = levelHead[level]!;
      const makerQuantity = maker * QUANTITY_STRIDE;
      const makerIdentity = maker * IDENTITY_STRIDE;
      const makerOwnerId = identities[makerIdentity + OWNER_ID]!;
      if (stpMode !== StpMode.NONE && makerOwnerId === takerOwnerId) {
        if (stpMode === StpMode.EXPIRE_TAKER) {
          reason = DoneReason.STP;
          break;
        }
        const makerOrderId = identities[makerIdentity + ORDER_ID]!;
        const makerRemaining = quantities[makerQuantity + REMAINING]!;
        const sibling = links[maker * LINK_STRIDE + SIBLING]!;
        this.removeLive(maker, sink);
        sink.onDone(makerOrderId, DoneReason.STP, makerRemaining);
        if (sibling !== NONE) this.endOcoSibling(sibling, sink);
        if (stpMode === StpMode.EXPIRE_BOTH) {
          reason = DoneReason.STP;
          break;
        }
        continue;
      }
      const makerRemaining = quantities[makerQuantity + REMAINING]!;
      if (makerRemaining < lots) lots = makerRemaining;
      const notional = lots * priceTicks;
      remainingLots -= lots;
      filledLots += lots;
      quantityRoom -= lots;
      notionalRoom -= notional;
      quoteRoom -= notional;
      const makerLeft = makerRemaining - lots;
      quantities[makerQuantity + REMAINING] = makerLeft;
      quantities[makerQuantity + FILLED] = quantities[makerQuantity + FILLED]! + lots;
      quantities[makerQuantity + QUANTITY_ROOM] = quantities[makerQuantity + QUANTITY_ROOM]! - lots;
      quantities[makerQuantity + NOTIONAL_ROOM] = quantities[makerQuantity + NOTIONAL_ROOM]! - notional;
      const levelTotal = levelTotalLots[level]! - lots;
      levelTotalLots[level] = levelTotal;
      this.lastPriceTicks = priceTicks;
      const makerOrderId = identities[makerIdentity + ORDER_ID]!;
      sink.onTrade(
        takerOrderId,
        makerOrderId,
        takerOwnerId,
        makerOwnerId,
        side,
        priceTicks,
        lots,
        remainingLots === 0 || quoteRoom === 0,
        makerLeft === 0,
      );
      sink.onBookDelta(makerSide, priceTicks, levelTotal);
      const sibling = links[maker * LINK_STRIDE + SIBLING]!;
      if (makerLeft === 0) {
        this.removeFilledHead(maker, level, ladder, makerSide);
        sink.onDone(makerOrderId, DoneReason.FILLED, 0);
      }
      if (sibling !== NONE) {
        links[maker * LINK_STRIDE + SIBLING] = NONE;
        this.endOcoSibling(sibling, sink);
      }
    }
    quantities[takerQuantity + REMAINING] = remainingLots;
    quantities[takerQuantity + FILLED] = filledLots;
    quantities[takerQuantity + QUANTITY_ROOM] = quantityRoom;
    quantities[takerQuantity + NOTIONAL_ROOM] = notionalRoom;
    if (reason === 0) {
      if (isMarket || timeInForce !== TimeInForce.GTC) {
        assert(timeInForce !== TimeInForce.FOK, 'fast: FOK judged fillable did not fill');
        reason = DoneReason.EXPIRED;
      } else if (!this.capsCover(taker)) {
        reason = DoneReason.CAP;
      } else {
        return this.rest(taker, sink);
      }
    }
    this.finish(taker, reason, sink);
  }

  /** The FOK check: the steps of take() without changing anything; whole levels at a time without STP. */
  private canFillCompletely(taker: number, limitTicks: number): boolean {
    const side = this.codes[taker * CODE_STRIDE + SIDE]!;
    const ladder = side === Side.BUY ? this.askLadder : this.bidLadder;
    const stpMode = this.codes[taker * CODE_STRIDE + STP_MODE]!;
    const takerOwnerId = this.identities[taker * IDENTITY_STRIDE + OWNER_ID]!;
    let needLots = this.quantities[taker * QUANTITY_STRIDE + REMAINING]!;
    let quantityRoom = this.quantities[taker * QUANTITY_STRIDE + QUANTITY_ROOM]!;
    let notionalRoom = this.quantities[taker * QUANTITY_STRIDE + NOTIONAL_ROOM]!;
    for (let index = ladder.size - 1; index >= 0; index--) {
      const level = ladder.levels[index]!;
      if (this.levelOrderCount[level] === 0) continue;
      const priceTicks = this.levelPriceTicks[level]!;
      if (side === Side.BUY ? priceTicks > limitTicks : priceTicks < limitTicks) return false;
      if (priceTicks < this.bandLowTicks || priceTicks > this.bandHighTicks) return false;
      if (stpMode === StpMode.NONE) {
        const capLots = Math.min(quantityRoom, lotsWithinNotional(notionalRoom, priceTicks));
        const wantedLots = Math.min(needLots, this.levelTotalLots[level]!);
        // At one price the caps shrink lot for lot, so they either cover what this level can give or stop it.
        if (capLots < wantedLots || capLots === 0) return false;
        needLots -= wantedLots;
        quantityRoom -= wantedLots;
        notionalRoom -= wantedLots * priceTicks;
        if (needLots === 0) return true;
        continue;
      }
      for (let maker = this.levelHead[level]!; maker !== NONE; maker = this.nextOf(maker)) {
        const capLots = Math.min(quantityRoom, lotsWithinNotional(notionalRoom, priceTicks));
        if (capLots === 0) return false;
        if (this.identities[maker * IDENTITY_STRIDE + OWNER_ID] === takerOwnerId) {
          if (stpMode === StpMode.EXPIRE_MAKER) continue;
          return false;
        }
        const makerRemaining = this.quantities[maker * QUANTITY_STRIDE + REMAINING]!;
        const lots = Math.min(needLots, makerRemaining, capLots);
        needLots -= lots;
        quantityRoom -= lots;
        notionalRoom -= lots * priceTicks;
        if (needLots === 0) return true;
        if (lots < makerRemaining) return false;
      }
    }
    return false;
  }

  private capsCover(slot: number): boolean {
    const quantity = slot * QUANTITY_STRIDE;
    const remainingLots = this.quantities[quantity + REMAINING]!;
    return (
      remainingLots <= this.quantities[quantity + QUANTITY_ROOM]! &&
      remainingLots * this.identities[slot * IDENTITY_STRIDE + PRICE]! <= this.quantities[quantity + NOTIONAL_ROOM]!
    );
  }

  private rest(slot: number, sink: EventSink): void {
    const wasIndexed = this.statusOf(slot) === TAKING_INDEXED;
    const level = this.appendToLevel(slot);
    if (!wasIndexed) this.slotByOrderId.add(this.orderIdOf(slot), slot);
    sink.onBookDelta(this.levelSide[level]! as Side, this.levelPriceTicks[level]!, this.levelTotalLots[level]!);
  }

  /** Ends a taker that is not resting: done event, then its OCO sibling if it still has one. */
  private finish(slot: number, reason: DoneReason, sink: EventSink): void {
    const orderId = this.orderIdOf(slot);
    const remainingLots = this.quantities[slot * QUANTITY_STRIDE + REMAINING]!;
    const sibling = this.links[slot * LINK_STRIDE + SIBLING]!;
    if (this.statusOf(slot) === TAKING_INDEXED) this.slotByOrderId.delete(orderId);
    this.freeSlot(slot);
    sink.onDone(orderId, reason, remainingLots === Infinity ? 0 : remainingLots);
    if (sibling !== NONE) this.endOcoSibling(sibling, sink);
  }

  private runTriggers(sink: EventSink): void {
    for (;;) {
      const lastTicks = this.lastPriceTicks;
      if (lastTicks === 0) return;
      let stop = NONE;
      let rising = false;
      const risingHead = this.risingStops[0];
      if (risingHead !== undefined && lastTicks >= this.stopPriceTicksOf[risingHead]!) {
        stop = risingHead;
        rising = true;
      }
      const fallingHead = this.fallingStops[0];
      if (fallingHead !== undefined && lastTicks <= this.stopPriceTicksOf[fallingHead]!) {
        if (stop === NONE || this.sequenceOf(fallingHead) < this.sequenceOf(stop)) {
          stop = fallingHead;
          rising = false;
        }
      }
      if (stop === NONE) return;
      (rising ? this.risingStops : this.fallingStops).shift();
      this.codes[stop * CODE_STRIDE + STATUS] = TAKING_INDEXED;
      sink.onTriggered(this.orderIdOf(stop));
      const sibling = this.links[stop * LINK_STRIDE + SIBLING]!;
      if (sibling !== NONE) {
        this.links[stop * LINK_STRIDE + SIBLING] = NONE;
        this.endOcoSibling(sibling, sink);
      }
      // It enters the book now, behind everything already there.
      this.identities[stop * IDENTITY_STRIDE + SEQUENCE] = this.nextSequence++;
      this.take(stop, 0, sink);
    }
  }

  /** Ends the other leg of an OCO whose first leg traded, triggered or ended. */
  private endOcoSibling(sibling: number, sink: EventSink): void {
    const orderId = this.orderIdOf(sibling);
    const remainingLots = this.quantities[sibling * QUANTITY_STRIDE + REMAINING]!;
    this.links[sibling * LINK_STRIDE + SIBLING] = NONE;
    this.removeLive(sibling, sink);
    sink.onDone(orderId, DoneReason.OCO, remainingLots);
  }

  // ----- structure: stops -----

  /** Whether stop a triggers before stop b in the same queue. */
  private stopPrecedes(a: number, b: number, rising: boolean): boolean {
    const stopA = this.stopPriceTicksOf[a]!;
    const stopB = this.stopPriceTicksOf[b]!;
    if (stopA !== stopB) return rising ? stopA < stopB : stopA > stopB;
    return this.sequenceOf(a) < this.sequenceOf(b);
  }

  /** Position of a stop in its queue: the first entry it does not follow. */
  private stopPosition(stops: number[], slot: number, rising: boolean): number {
    let low = 0;
    let high = stops.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.stopPrecedes(stops[middle]!, slot, rising)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private addPendingStop(slot: number): void {
    const rising = triggersOnRise(this.codes[slot * CODE_STRIDE + SIDE]!, this.codes[slot * CODE_STRIDE + TYPE]!);
    const stops = rising ? this.risingStops : this.fallingStops;
    stops.splice(this.stopPosition(stops, slot, rising), 0, slot);
    this.codes[slot * CODE_STRIDE + STATUS] = PENDING;
    this.slotByOrderId.add(this.orderIdOf(slot), slot);
  }

  private removePendingStop(slot: number): void {
    const rising = triggersOnRise(this.codes[slot * CODE_STRIDE + SIDE]!, this.codes[slot * CODE_STRIDE + TYPE]!);
    const stops = rising ? this.risingStops : this.fallingStops;
    const position = this.stopPosition(stops, slot, rising);
    assert(stops[position] === slot, 'fast: pending stop not found in its queue');
    stops.splice(position, 1);
  }

  // ----- structure: orders in levels -----

  /** Removes a live order (resting or pending) from every structure and frees its slot. */
  private removeLive(slot: number, sink: EventSink): void {
    if (this.statusOf(slot) === PENDING) this.removePendingStop(slot);
    else this.unlinkResting(slot, sink);
    this.slotByOrderId.delete(this.orderIdOf(slot));
    this.freeSlot(slot);
  }

  /** O(1): unlink from the level's FIFO, adjust the level, report the new level total. */
  private unlinkResting(slot: number, sink: EventSink): void {
    const links = this.links;
    const link = slot * LINK_STRIDE;
    const level = links[link + LEVEL]!;
    const previous = links[link + PREVIOUS]!;
    const next = links[link + NEXT]!;
    if (previous === NONE) this.levelHead[level] = next;
    else links[previous * LINK_STRIDE + NEXT] = next;
    if (next === NONE) this.levelTail[level] = previous;
    else links[next * LINK_STRIDE + PREVIOUS] = previous;
    const side = this.levelSide[level]! as Side;
    const levelTotal = this.levelTotalLots[level]! - this.quantities[slot * QUANTITY_STRIDE + REMAINING]!;
    this.levelTotalLots[level] = levelTotal;
    const count = this.levelOrderCount[level]! - 1;
    this.levelOrderCount[level] = count;
    if (side === Side.BUY) this.restingBids -= 1;
    else this.restingAsks -= 1;
    const priceTicks = this.levelPriceTicks[level]!;
    if (count === 0) this.levelEmptied(side === Side.BUY ? this.bidLadder : this.askLadder);
    sink.onBookDelta(side, priceTicks, levelTotal);
  }

  /** A maker at the head of the best level traded its last lot (the trade already lowered the total). */
  private removeFilledHead(slot: number, level: number, ladder: Ladder, side: Side): void {
    const next = this.links[slot * LINK_STRIDE + NEXT]!;
    this.levelHead[level] = next;
    if (next === NONE) this.levelTail[level] = NONE;
    else this.links[next * LINK_STRIDE + PREVIOUS] = NONE;
    const count = this.levelOrderCount[level]! - 1;
    this.levelOrderCount[level] = count;
    if (side === Side.BUY) this.restingBids -= 1;
    else this.restingAsks -= 1;
    this.slotByOrderId.delete(this.orderIdOf(slot));
    this.freeSlot(slot);
    if (count === 0) this.levelEmptied(ladder);
  }

  private appendToLevel(slot: number): number {
    const side = this.codes[slot * CODE_STRIDE + SIDE]! as Side;
    const level = this.findOrAddLevel(side, this.identities[slot * IDENTITY_STRIDE + PRICE]!);
    const links = this.links;
    const link = slot * LINK_STRIDE;
    const tail = this.levelTail[level]!;
    links[link + PREVIOUS] = tail;
    links[link + NEXT] = NONE;
    links[link + LEVEL] = level;
    if (tail === NONE) this.levelHead[level] = slot;
    else links[tail * LINK_STRIDE + NEXT] = slot;
    this.levelTail[level] = slot;
    this.levelOrderCount[level] = this.levelOrderCount[level]! + 1;
    this.levelTotalLots[level] = this.levelTotalLots[level]! + this.quantities[slot * QUANTITY_STRIDE + REMAINING]!;
    this.codes[slot * CODE_STRIDE + STATUS] = RESTING;
    if (side === Side.BUY) this.restingBids += 1;
    else this.restingAsks += 1;
    return level;
  }

  // ----- structure: ladders -----

  private topPrice(ladder: Ladder): number | null {
    return ladder.size === 0 ? null : this.levelPriceTicks[ladder.levels[ladder.size - 1]!]!;
  }

  /** Index of the greatest key <= key, or -1: a short scan from the best end, then binary search. */
  private ladderSearch(ladder: Ladder, key: number): number {
    const keys = ladder.keys;
    let index = ladder.size - 1;
    const scanEnd = index - LADDER_SCAN_STEPS;
    while (index >= 0 && index > scanEnd) {
      if (keys[index]! <= key) return index;
      index -= 1;
    }
    let low = 0;
    let high = index;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (keys[middle]! <= key) low = middle + 1;
      else high = middle - 1;
    }
    return high;
  }

  private findOrAddLevel(side: Side, priceTicks: number): number {
    const ladder = side === Side.BUY ? this.bidLadder : this.askLadder;
    const key = side === Side.BUY ? priceTicks : -priceTicks;
    const index = ladder.size === 0 ? -1 : this.ladderSearch(ladder, key);
    if (index >= 0 && ladder.keys[index] === key) {
      const existing = ladder.levels[index]!;
      if (this.levelOrderCount[existing] === 0) ladder.emptyLevels -= 1;
      return existing;
    }
    const level = this.allocateLevel(side, priceTicks);
    if (ladder.size === ladder.keys.length) {
      ladder.keys = grownInt32(ladder.keys, ladder.keys.length * 2);
      ladder.levels = grownInt32(ladder.levels, ladder.levels.length * 2);
    }
    const at = index + 1;
    ladder.keys.copyWithin(at + 1, at, ladder.size);
    ladder.levels.copyWithin(at + 1, at, ladder.size);
    ladder.keys[at] = key;
    ladder.levels[at] = level;
    ladder.size += 1;
    return level;
  }

  /**
   * A level's count reached zero. The top level is popped at once (with any emptied levels under it), so the
   * best price stays exact; one further down waits, costing nothing now, until it reaches the top, is reused
   * by a new order, or the ladder is compacted because empties outnumber live levels.
   */
  private levelEmptied(ladder: Ladder): void {
    ladder.emptyLevels += 1;
    let size = ladder.size;
    while (size > 0) {
      const top = ladder.levels[size - 1]!;
      if (this.levelOrderCount[top] !== 0) break;
      this.freeLevel(top);
      size -= 1;
      ladder.emptyLevels -= 1;
    }
    ladder.size = size;
    if (ladder.emptyLevels > LADDER_EMPTY_SLACK && ladder.emptyLevels * 2 > ladder.size) this.compactLadder(ladder);
  }

  private compactLadder(ladder: Ladder): void {
    let kept = 0;
    for (let index = 0; index < ladder.size; index++) {
      const level = ladder.levels[index]!;
      if (this.levelOrderCount[level] === 0) {
        this.freeLevel(level);
        continue;
      }
      ladder.keys[kept] = ladder.keys[index]!;
      ladder.levels[kept] = level;
      kept += 1;
    }
    ladder.size = kept;
    ladder.emptyLevels = 0;
  }

  // ----- storage -----

  private orderIdOf(slot: number): number {
    return this.identities[slot * IDENTITY_STRIDE + ORDER_ID]!;
  }

  private sequenceOf(slot: number): number {
    return this.identities[slot * IDENTITY_STRIDE + SEQUENCE]!;
  }

  private statusOf(slot: number): number {
    return this.codes[slot * CODE_STRIDE + STATUS]!;
  }

  private nextOf(slot: number): number {
    return this.links[slot * LINK_STRIDE + NEXT]!;
  }

  private resetStorage(): void {
    this.slotCapacity = 0;
    this.slotHighWater = 0;
    this.freeSlotHead = NONE;
    this.quantities = new Float64Array(0);
    this.identities = new Float64Array(0);
    this.links = new Int32Array(0);
    this.codes = new Uint8Array(0);
    this.stopPriceTicksOf = new Int32Array(0);
    this.slotByOrderId = new IdIndex(this.identities, IDENTITY_STRIDE);
    this.levelCapacity = 0;
    this.levelHighWater = 0;
    this.freeLevelHead = NONE;
    this.bidLadder = new Ladder();
    this.askLadder = new Ladder();
    this.risingStops = [];
    this.fallingStops = [];
    this.restingBids = 0;
    this.restingAsks = 0;
    this.growSlots(SLOTS_INITIAL);
    this.growLevels(LEVELS_INITIAL);
  }

  private allocateSlot(): number {
    let slot = this.freeSlotHead;
    if (slot !== NONE) {
      this.freeSlotHead = this.nextOf(slot);
      return slot;
    }
    if (this.slotHighWater === this.slotCapacity) this.growSlots(this.slotCapacity * 2);
    slot = this.slotHighWater;
    this.slotHighWater += 1;
    return slot;
  }

  private freeSlot(slot: number): void {
    this.codes[slot * CODE_STRIDE + STATUS] = FREE;
    const link = slot * LINK_STRIDE;
    this.links[link + SIBLING] = NONE;
    this.links[link + NEXT] = this.freeSlotHead;
    this.freeSlotHead = slot;
  }

  private growSlots(capacity: number): void {
    assert(capacity > this.slotCapacity, 'fast: slot capacity must grow');
    this.quantities = grownFloat64(this.quantities, capacity * QUANTITY_STRIDE);
    this.identities = grownFloat64(this.identities, capacity * IDENTITY_STRIDE);
    this.links = grownInt32(this.links, capacity * LINK_STRIDE);
    this.codes = grownUint8(this.codes, capacity * CODE_STRIDE);
    this.stopPriceTicksOf = grownInt32(this.stopPriceTicksOf, capacity);
    this.slotCapacity = capacity;
    this.slotByOrderId.useOrderIds(this.identities);
  }

  private allocateLevel(side: Side, priceTicks: number): number {
    let level = this.freeLevelHead;
    if (level !== NONE) {
      this.freeLevelHead = this.levelHead[level]!;
    } else {
      if (this.levelHighWater === this.levelCapacity) this.growLevels(this.levelCapacity * 2);
      level = this.levelHighWater;
      this.levelHighWater += 1;
    }
    this.levelPriceTicks[level] = priceTicks;
    this.levelSide[level] = side;
    this.levelTotalLots[level] = 0;
    this.levelOrderCount[level] = 0;
    this.levelHead[level] = NONE;
    this.levelTail[level] = NONE;
    return level;
  }

  private freeLevel(level: number): void {
    this.levelOrderCount[level] = -1;
    this.levelHead[level] = this.freeLevelHead;
    this.freeLevelHead = level;
  }

  private growLevels(capacity: number): void {
    assert(capacity > this.levelCapacity, 'fast: level capacity must grow');
    this.levelPriceTicks = grownInt32(this.levelPriceTicks, capacity);
    this.levelSide = grownUint8(this.levelSide, capacity);
    this.levelTotalLots = grownFloat64(this.levelTotalLots, capacity);
    this.levelOrderCount = grownInt32(this.levelOrderCount, capacity);
    this.levelHead = grownInt32(this.levelHead, capacity);
    this.levelTail = grownInt32(this.levelTail, capacity);
    this.levelCapacity = capacity;
  }

  private pushRecord(orders: number[], slot: number): void {
    const quantity = slot * QUANTITY_STRIDE;
    const identity = slot * IDENTITY_STRIDE;
    const code = slot * CODE_STRIDE;
    const sibling = this.links[slot * LINK_STRIDE + SIBLING]!;
    orders.push(
      this.identities[identity + ORDER_ID]!,
      this.identities[identity + OWNER_ID]!,
      this.codes[code + SIDE]!,
      this.codes[code + TYPE]!,
      this.codes[code + TIME_IN_FORCE]!,
      this.codes[code + STP_MODE]!,
      this.codes[code + STATUS] === PENDING ? 1 : 0,
      this.identities[identity + PRICE]!,
      this.stopPriceTicksOf[slot]!,
      this.quantities[quantity + REMAINING]!,
      this.quantities[quantity + FILLED]!,
      fromRoom(this.quantities[quantity + QUANTITY_ROOM]!),
      fromRoom(this.quantities[quantity + NOTIONAL_ROOM]!),
      this.identities[identity + SEQUENCE]!,
      sibling === NONE ? 0 : this.orderIdOf(sibling),
    );
  }
}
