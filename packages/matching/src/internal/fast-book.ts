// The fast book, after exchange-core's direct implementation:
// - orders live in a struct of typed arrays indexed by slot, growing on demand, with a free list;
// - each price level is a FIFO of slots with intrusive prev/next links and a running total, so cancelling an
//   order is O(1): unlink it and adjust its level;
// - each side keeps a ladder: level keys sorted ascending with the best price at the END (bids key = price,
//   asks key = -price), so taking liquidity pops from the end and most new orders, which land within a few
//   ticks of the best, are found by a short scan from the end. An emptied level stays in the ladder (marked
//   by a zero count) until it reaches the top or the ladder is compacted, which keeps a cancel O(1) amortized;
//   the top level is never empty, so the best price is always ladder.levels[size - 1].
// - pending stops are two arrays of slots sorted by trigger priority (not on the hot path).
// Semantics mirror naive-book.ts line for line; book.model.test.ts holds them to identical events and state.
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
  normalizeRules,
  ocoPairReason,
  orderFilterReason,
  orderShapeReason,
  priceBandHighTicks,
  priceBandLowTicks,
  stopTriggered,
  triggersOnRise,
} from './rules.js';
import { IdIndex } from './id-index.js';
import { checkSnapshot } from './snapshot-check.js';

const NONE = -1;

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
/** Orders a new price is compared against linearly from the best end before switching to binary search. */
const LADDER_SCAN_STEPS = 8;
/** Emptied levels tolerated in a ladder before compaction is considered. */
const LADDER_EMPTY_SLACK = 64;

const toRoom = (cap: number | undefined): number => (cap === undefined || cap === 0 ? Infinity : cap);
const fromRoom = (room: number): number => (room === Infinity ? 0 : room);

function grownFloat64(array: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(capacity);
  grown.set(array);
  return grown;
}
function grownInt32(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}
function grownUint8(array: Uint8Array, capacity: number): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(capacity);
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

  // ----- orders: struct of arrays by slot -----
  private slotCapacity = 0;
  private slotHighWater = 0;
  private freeSlotHead = NONE;
  private orderIdOf = new Float64Array(0);
  private ownerIdOf = new Float64Array(0);
  /** Infinity for a market order with a quote budget. */
  private remainingLotsOf = new Float64Array(0);
  private filledLotsOf = new Float64Array(0);
  /** Infinity = no cap. */
  private quantityRoomOf = new Float64Array(0);
  private notionalRoomOf = new Float64Array(0);
  private sequenceOf = new Float64Array(0);
  private priceTicksOf = new Int32Array(0);
  private stopPriceTicksOf = new Int32Array(0);
  /** FIFO links within a level; nextOf also links the free list. */
  private nextOf = new Int32Array(0);
  private previousOf = new Int32Array(0);
  private levelOf = new Int32Array(0);
  /** Slot of the other OCO leg, or NONE. */
  private siblingOf = new Int32Array(0);
  private sideOf = new Uint8Array(0);
  private typeOf = new Uint8Array(0);
  private timeInForceOf = new Uint8Array(0);
  private stpModeOf = new Uint8Array(0);
  private statusOf = new Uint8Array(0);
  private slotByOrderId = new IdIndex(this.orderIdOf);

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

  constructor(rules?: Partial<MarketRules>) {
    this.marketRules = normalizeRules(rules);
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
    this.beginCommand();
    const reason = this.placementReason(order);
    if (reason !== 0) {
      sink.onRejected(order.orderId, reason);
      return;
    }
    if (this.slotByOrderId.size + 1 > ORDERS_PER_BOOK_MAX) {
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

  placeOco(command: PlaceOco, sink: EventSink): void {
    this.beginCommand();
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
    if (this.slotByOrderId.size + 2 > ORDERS_PER_BOOK_MAX) {
      return rejectBoth(RejectReason.BOOK_FULL, RejectReason.BOOK_FULL);
    }
    // Same order of steps as the naive book: accept and link both, arm the stops, then place the LIMIT_MAKER leg.
    sink.onAccepted(first.orderId);
    const firstSlot = this.newOrder(first);
    sink.onAccepted(second.orderId);
    const secondSlot = this.newOrder(second);
    this.siblingOf[firstSlot] = secondSlot;
    this.siblingOf[secondSlot] = firstSlot;
    if (isStopType(first.type)) this.addPendingStop(firstSlot);
    if (isStopType(second.type)) this.addPendingStop(secondSlot);
    if (!isStopType(first.type)) this.take(firstSlot, 0, sink);
    if (!isStopType(second.type)) this.take(secondSlot, 0, sink);
  }

  cancel(command: CancelOrder, sink: EventSink): void {
    const slot = this.slotByOrderId.get(command.orderId);
    if (slot === NONE) {
      if (command.reportUnknown === true) sink.onRejected(command.orderId, RejectReason.UNKNOWN_ORDER);
      return;
    }
    const remainingLots = this.remainingLotsOf[slot]!;
    const sibling = this.siblingOf[slot]!;
    this.removeLive(slot, sink);
    sink.onDone(command.orderId, DoneReason.CANCELLED, remainingLots);
    if (sibling !== NONE) this.endOcoSibling(sibling, sink);
  }

  amend(command: AmendOrder, sink: EventSink): void {
    this.beginCommand();
    const orderId = command.orderId;
    const shape = amendShapeReason(orderId, command.quantityLots, command.priceTicks);
    if (shape !== 0) return sink.onRejected(orderId, shape);
    const slot = this.slotByOrderId.get(orderId);
    if (slot === NONE) return sink.onRejected(orderId, RejectReason.UNKNOWN_ORDER);
    if (this.statusOf[slot] === PENDING) return sink.onRejected(orderId, RejectReason.ORDER_NOT_AMENDABLE);
    const priceTicks = this.priceTicksOf[slot]!;
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
    const side = this.sideOf[slot]! as Side;
    const remainingLots = this.remainingLotsOf[slot]!;
    if (!priceChanged && newQuantityLots <= remainingLots) {
      const level = this.levelOf[slot]!;
      const reductionLots = remainingLots - newQuantityLots;
      this.remainingLotsOf[slot] = newQuantityLots;
      this.levelTotalLots[level] = this.levelTotalLots[level]! - reductionLots;
      sink.onAmended(orderId, priceTicks, newQuantityLots, true);
      if (reductionLots > 0) sink.onBookDelta(side, priceTicks, this.levelTotalLots[level]!);
      return;
    }
    if (this.typeOf[slot] === OrderType.LIMIT_MAKER && this.crosses(side, newPriceTicks)) {
      return sink.onRejected(orderId, RejectReason.POST_ONLY_WOULD_TRADE);
    }
    // Loses priority: out of the book, then in again as a new placement at the back (it may trade).
    this.unlinkResting(slot, sink);
    this.statusOf[slot] = TAKING_INDEXED;
    sink.onAmended(orderId, newPriceTicks, newQuantityLots, false);
    this.priceTicksOf[slot] = newPriceTicks;
    this.remainingLotsOf[slot] = newQuantityLots;
    this.sequenceOf[slot] = this.nextSequence++;
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
    const filledLots = this.filledLotsOf[slot]!;
    const remainingLots = this.remainingLotsOf[slot]!;
    let status: OrderStatus = filledLots > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW;
    if (this.statusOf[slot] === PENDING) status = OrderStatus.PENDING_TRIGGER;
    const sibling = this.siblingOf[slot]!;
    return {
      orderId,
      ownerId: this.ownerIdOf[slot]!,
      side: this.sideOf[slot]! as Side,
      type: this.typeOf[slot]! as OrderType,
      timeInForce: this.timeInForceOf[slot]! as TimeInForce | 0,
      stpMode: this.stpModeOf[slot]! as StpMode,
      status,
      priceTicks: this.priceTicksOf[slot]!,
      stopPriceTicks: this.stopPriceTicksOf[slot]!,
      quantityLots: filledLots + remainingLots,
      filledLots,
      remainingLots,
      quantityLotsCapRoom: fromRoom(this.quantityRoomOf[slot]!),
      notionalCapRoom: fromRoom(this.notionalRoomOf[slot]!),
      sequence: this.sequenceOf[slot]!,
      ocoSiblingOrderId: sibling === NONE ? 0 : this.orderIdOf[sibling]!,
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
        for (let slot = this.levelHead[ladder.levels[index]!]!; slot !== NONE; slot = this.nextOf[slot]!) {
          this.pushRecord(orders, slot);
        }
      }
    }
    const stops = [...this.risingStops, ...this.fallingStops].sort((a, b) => this.sequenceOf[a]! - this.sequenceOf[b]!);
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
      this.orderIdOf[slot] = orderId;
      this.ownerIdOf[slot] = field(Field.ownerId);
      this.sideOf[slot] = field(Field.side);
      this.typeOf[slot] = field(Field.type);
      this.timeInForceOf[slot] = field(Field.timeInForce);
      this.stpModeOf[slot] = field(Field.stpMode);
      this.priceTicksOf[slot] = field(Field.priceTicks);
      this.stopPriceTicksOf[slot] = field(Field.stopPriceTicks);
      this.remainingLotsOf[slot] = field(Field.remainingLots);
      this.filledLotsOf[slot] = field(Field.filledLots);
      this.quantityRoomOf[slot] = toRoom(field(Field.quantityLotsCapRoom));
      this.notionalRoomOf[slot] = toRoom(field(Field.notionalCapRoom));
      this.sequenceOf[slot] = field(Field.sequence);
      this.siblingOf[slot] = NONE;
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
      this.siblingOf[slot] = sibling;
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
        for (let slot = this.levelHead[level]!; slot !== NONE; slot = this.nextOf[slot]!) {
          assert(seen < count, 'fast: FIFO longer than the level count (cycle?)');
          assert(this.statusOf[slot] === RESTING, 'fast: order in a level is not resting');
          assert(this.previousOf[slot] === previous, 'fast: FIFO back link broken');
          assert(this.levelOf[slot] === level, 'fast: order points at another level');
          assert(
            this.sideOf[slot] === side && this.priceTicksOf[slot] === priceTicks,
            'fast: order on the wrong level',
          );
          assert(hasLimitPrice(this.typeOf[slot]!), 'fast: resting order of a non-limit kind');
          assert(this.timeInForceOf[slot] === TimeInForce.GTC, 'fast: resting order not GTC');
          const remainingLots = this.remainingLotsOf[slot]!;
          assert(Number.isSafeInteger(remainingLots) && remainingLots > 0, 'fast: resting quantity');
          assert(this.capsCover(slot), 'fast: resting order not covered by its caps');
          assert(this.slotByOrderId.get(this.orderIdOf[slot]!) === slot, 'fast: resting order missing from the index');
          assert(
            previous === NONE || this.sequenceOf[previous]! < this.sequenceOf[slot]!,
            'fast: FIFO out of sequence',
          );
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
        assert(this.statusOf[slot] === PENDING && isStopType(this.typeOf[slot]!), 'fast: pending slot is not a stop');
        assert(triggersOnRise(this.sideOf[slot]!, this.typeOf[slot]!) === rising, 'fast: stop in the wrong queue');
        assert(this.slotByOrderId.get(this.orderIdOf[slot]!) === slot, 'fast: pending stop missing from the index');
        const before = stops[index - 1];
        assert(before === undefined || this.stopPrecedes(before, slot, rising), 'fast: stop queue out of order');
        assert(
          !stopTriggered(this.sideOf[slot]!, this.typeOf[slot]!, this.stopPriceTicksOf[slot]!, this.lastPriceTicks),
          'fast: a stop that should have triggered is still pending',
        );
      });
    }
    const pending = this.risingStops.length + this.fallingStops.length;
    assert(this.slotByOrderId.size === resting + pending, 'fast: index size differs from live orders');
    let freeSlots = 0;
    for (let slot = this.freeSlotHead; slot !== NONE; slot = this.nextOf[slot]!) {
      assert(this.statusOf[slot] === FREE && freeSlots < this.slotHighWater, 'fast: free list broken');
      freeSlots += 1;
    }
    assert(freeSlots + resting + pending === this.slotHighWater, 'fast: slots leaked');
    this.slotByOrderId.forEach((orderId, slot) => {
      assert(this.orderIdOf[slot] === orderId, 'fast: index points at another order');
      assert(this.sequenceOf[slot]! < this.nextSequence, 'fast: sequence not below nextSequence');
      const sibling = this.siblingOf[slot]!;
      if (sibling !== NONE) {
        assert(this.siblingOf[sibling] === slot, 'fast: OCO link not symmetric');
        const siblingLive = this.statusOf[sibling] === RESTING || this.statusOf[sibling] === PENDING;
        assert(siblingLive, 'fast: OCO sibling is not live');
        assert(this.ownerIdOf[sibling] === this.ownerIdOf[slot], 'fast: OCO legs have different owners');
        assert(this.sideOf[sibling] === this.sideOf[slot], 'fast: OCO legs on different sides');
      }
    });
  }

  // ----- commands: checks and order creation -----

  private beginCommand(): void {
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
    this.orderIdOf[slot] = spec.orderId;
    this.ownerIdOf[slot] = spec.ownerId;
    this.sideOf[slot] = spec.side;
    this.typeOf[slot] = spec.type;
    this.timeInForceOf[slot] = effectiveTimeInForce(spec);
    this.stpModeOf[slot] = spec.stpMode ?? StpMode.NONE;
    this.priceTicksOf[slot] = spec.priceTicks ?? 0;
    this.stopPriceTicksOf[slot] = spec.stopPriceTicks ?? 0;
    // A MARKET order without a quantity has a quote budget: its quantity is bounded by that instead.
    this.remainingLotsOf[slot] = quantityLots === 0 ? Infinity : quantityLots;
    this.filledLotsOf[slot] = 0;
    this.quantityRoomOf[slot] = toRoom(spec.quantityLotsCap);
    this.notionalRoomOf[slot] = toRoom(spec.notionalCap);
    this.sequenceOf[slot] = this.nextSequence++;
    this.siblingOf[slot] = NONE;
    this.statusOf[slot] = TAKING;
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
    const side = this.sideOf[taker]! as Side;
    const type = this.typeOf[taker]!;
    const timeInForce = this.timeInForceOf[taker]!;
    const isMarket = !hasLimitPrice(type);
    const limitTicks = isMarket ? (side === Side.BUY ? PRICE_UNBOUNDED : 0) : this.priceTicksOf[taker]!;
    if (timeInForce === TimeInForce.FOK && !this.canFillCompletely(taker, limitTicks)) {
      return this.finish(taker, DoneReason.FOK_NOT_FILLABLE, sink);
    }
    const ladder = side === Side.BUY ? this.askLadder : this.bidLadder;
    const makerSide = (side ^ 1) as Side;
    const buying = side === Side.BUY;
    const takerOrderId = this.orderIdOf[taker]!;
    const takerOwnerId = this.ownerIdOf[taker]!;
    const stpMode = this.stpModeOf[taker]!;
    const bandLowTicks = this.bandLowTicks;
    const bandHighTicks = this.bandHighTicks;
    // Nothing below allocates slots or levels, so the arrays can be held in locals for the whole loop.
    const levelPriceTicks = this.levelPriceTicks;
    const levelTotalLots = this.levelTotalLots;
    const levelHead = this.levelHead;
    const orderIdOf = this.orderIdOf;
    const ownerIdOf = this.ownerIdOf;
    const remainingLotsOf = this.remainingLotsOf;
    const filledLotsOf = this.filledLotsOf;
    const quantityRoomOf = this.quantityRoomOf;
    const notionalRoomOf = this.notionalRoomOf;
    const siblingOf = this.siblingOf;
    let remainingLots = remainingLotsOf[taker]!;
    let filledLots = filledLotsOf[taker]!;
    let quantityRoom = quantityRoomOf[taker]!;
    let notionalRoom = notionalRoomOf[taker]!;
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
          reason = DoneReason.FILLED;
          break;
        }
        if (quoteLots < lots) lots = quoteLots;
      }
      const maker = levelHead[level]!;
      if (stpMode !== StpMode.NONE && ownerIdOf[maker] === takerOwnerId) {
        if (stpMode === StpMode.EXPIRE_TAKER) {
          reason = DoneReason.STP;
          break;
        }
        const makerOrderId = orderIdOf[maker]!;
        const makerRemaining = remainingLotsOf[maker]!;
        const sibling = siblingOf[maker]!;
        this.removeLive(maker, sink);
        sink.onDone(makerOrderId, DoneReason.STP, makerRemaining);
        if (sibling !== NONE) this.endOcoSibling(sibling, sink);
        if (stpMode === StpMode.EXPIRE_BOTH) {
          reason = DoneReason.STP;
          break;
        }
        continue;
      }
      const makerRemaining = remainingLotsOf[maker]!;
      if (makerRemaining < lots) lots = makerRemaining;
      const notional = lots * priceTicks;
      remainingLots -= lots;
      filledLots += lots;
      quantityRoom -= lots;
      notionalRoom -= notional;
      quoteRoom -= notional;
      const makerLeft = makerRemaining - lots;
      remainingLotsOf[maker] = makerLeft;
      filledLotsOf[maker] = filledLotsOf[maker]! + lots;
      quantityRoomOf[maker] = quantityRoomOf[maker]! - lots;
      notionalRoomOf[maker] = notionalRoomOf[maker]! - notional;
      const levelTotal = levelTotalLots[level]! - lots;
      levelTotalLots[level] = levelTotal;
      this.lastPriceTicks = priceTicks;
      const makerOrderId = orderIdOf[maker]!;
      sink.onTrade(
        takerOrderId,
        makerOrderId,
        takerOwnerId,
        ownerIdOf[maker]!,
        side,
        priceTicks,
        lots,
        remainingLots === 0 || quoteRoom === 0,
        makerLeft === 0,
      );
      sink.onBookDelta(makerSide, priceTicks, levelTotal);
      const sibling = siblingOf[maker]!;
      if (makerLeft === 0) {
        this.removeFilledHead(maker, level, ladder, makerSide);
        sink.onDone(makerOrderId, DoneReason.FILLED, 0);
      }
      if (sibling !== NONE) {
        siblingOf[maker] = NONE;
        this.endOcoSibling(sibling, sink);
      }
    }
    remainingLotsOf[taker] = remainingLots;
    filledLotsOf[taker] = filledLots;
    quantityRoomOf[taker] = quantityRoom;
    notionalRoomOf[taker] = notionalRoom;
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
    const side = this.sideOf[taker]!;
    const ladder = side === Side.BUY ? this.askLadder : this.bidLadder;
    const stpMode = this.stpModeOf[taker]!;
    const takerOwnerId = this.ownerIdOf[taker]!;
    let needLots = this.remainingLotsOf[taker]!;
    let quantityRoom = this.quantityRoomOf[taker]!;
    let notionalRoom = this.notionalRoomOf[taker]!;
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
      for (let maker = this.levelHead[level]!; maker !== NONE; maker = this.nextOf[maker]!) {
        const capLots = Math.min(quantityRoom, lotsWithinNotional(notionalRoom, priceTicks));
        if (capLots === 0) return false;
        if (this.ownerIdOf[maker] === takerOwnerId) {
          if (stpMode === StpMode.EXPIRE_MAKER) continue;
          return false;
        }
        const makerRemaining = this.remainingLotsOf[maker]!;
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
    const remainingLots = this.remainingLotsOf[slot]!;
    return (
      remainingLots <= this.quantityRoomOf[slot]! &&
      remainingLots * this.priceTicksOf[slot]! <= this.notionalRoomOf[slot]!
    );
  }

  private rest(slot: number, sink: EventSink): void {
    const wasIndexed = this.statusOf[slot] === TAKING_INDEXED;
    const level = this.appendToLevel(slot);
    if (!wasIndexed) this.slotByOrderId.add(this.orderIdOf[slot]!, slot);
    sink.onBookDelta(this.sideOf[slot]! as Side, this.priceTicksOf[slot]!, this.levelTotalLots[level]!);
  }

  /** Ends a taker that is not resting: done event, then its OCO sibling if it still has one. */
  private finish(slot: number, reason: DoneReason, sink: EventSink): void {
    const orderId = this.orderIdOf[slot]!;
    const remainingLots = this.remainingLotsOf[slot]!;
    const sibling = this.siblingOf[slot]!;
    if (this.statusOf[slot] === TAKING_INDEXED) this.slotByOrderId.delete(orderId);
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
        if (stop === NONE || this.sequenceOf[fallingHead]! < this.sequenceOf[stop]!) {
          stop = fallingHead;
          rising = false;
        }
      }
      if (stop === NONE) return;
      (rising ? this.risingStops : this.fallingStops).shift();
      this.statusOf[stop] = TAKING_INDEXED;
      sink.onTriggered(this.orderIdOf[stop]!);
      const sibling = this.siblingOf[stop]!;
      if (sibling !== NONE) {
        this.siblingOf[stop] = NONE;
        this.endOcoSibling(sibling, sink);
      }
      this.sequenceOf[stop] = this.nextSequence++;
      this.take(stop, 0, sink);
    }
  }

  /** Ends the other leg of an OCO whose first leg traded, triggered or ended. */
  private endOcoSibling(sibling: number, sink: EventSink): void {
    const orderId = this.orderIdOf[sibling]!;
    const remainingLots = this.remainingLotsOf[sibling]!;
    this.siblingOf[sibling] = NONE;
    this.removeLive(sibling, sink);
    sink.onDone(orderId, DoneReason.OCO, remainingLots);
  }

  // ----- structure: stops -----

  /** Whether stop a triggers before stop b in the same queue. */
  private stopPrecedes(a: number, b: number, rising: boolean): boolean {
    const stopA = this.stopPriceTicksOf[a]!;
    const stopB = this.stopPriceTicksOf[b]!;
    if (stopA !== stopB) return rising ? stopA < stopB : stopA > stopB;
    return this.sequenceOf[a]! < this.sequenceOf[b]!;
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
    const rising = triggersOnRise(this.sideOf[slot]!, this.typeOf[slot]!);
    const stops = rising ? this.risingStops : this.fallingStops;
    stops.splice(this.stopPosition(stops, slot, rising), 0, slot);
    this.statusOf[slot] = PENDING;
    this.slotByOrderId.add(this.orderIdOf[slot]!, slot);
  }

  private removePendingStop(slot: number): void {
    const rising = triggersOnRise(this.sideOf[slot]!, this.typeOf[slot]!);
    const stops = rising ? this.risingStops : this.fallingStops;
    const position = this.stopPosition(stops, slot, rising);
    assert(stops[position] === slot, 'fast: pending stop not found in its queue');
    stops.splice(position, 1);
  }

  // ----- structure: orders in levels -----

  /** Removes a live order (resting or pending) from every structure and frees its slot. */
  private removeLive(slot: number, sink: EventSink): void {
    if (this.statusOf[slot] === PENDING) this.removePendingStop(slot);
    else this.unlinkResting(slot, sink);
    this.slotByOrderId.delete(this.orderIdOf[slot]!);
    this.freeSlot(slot);
  }

  /** O(1): unlink from the level's FIFO, adjust the level, report the new level total. */
  private unlinkResting(slot: number, sink: EventSink): void {
    const level = this.levelOf[slot]!;
    const previous = this.previousOf[slot]!;
    const next = this.nextOf[slot]!;
    if (previous === NONE) this.levelHead[level] = next;
    else this.nextOf[previous] = next;
    if (next === NONE) this.levelTail[level] = previous;
    else this.previousOf[next] = previous;
    const side = this.sideOf[slot]! as Side;
    const levelTotal = this.levelTotalLots[level]! - this.remainingLotsOf[slot]!;
    this.levelTotalLots[level] = levelTotal;
    const count = this.levelOrderCount[level]! - 1;
    this.levelOrderCount[level] = count;
    if (side === Side.BUY) this.restingBids -= 1;
    else this.restingAsks -= 1;
    if (count === 0) this.levelEmptied(side === Side.BUY ? this.bidLadder : this.askLadder);
    sink.onBookDelta(side, this.priceTicksOf[slot]!, levelTotal);
  }

  /** A maker at the head of the best level traded its last lot (the trade already lowered the total). */
  private removeFilledHead(slot: number, level: number, ladder: Ladder, side: Side): void {
    const next = this.nextOf[slot]!;
    this.levelHead[level] = next;
    if (next === NONE) this.levelTail[level] = NONE;
    else this.previousOf[next] = NONE;
    const count = this.levelOrderCount[level]! - 1;
    this.levelOrderCount[level] = count;
    if (side === Side.BUY) this.restingBids -= 1;
    else this.restingAsks -= 1;
    this.slotByOrderId.delete(this.orderIdOf[slot]!);
    this.freeSlot(slot);
    if (count === 0) this.levelEmptied(ladder);
  }

  private appendToLevel(slot: number): number {
    const side = this.sideOf[slot]! as Side;
    const level = this.findOrAddLevel(side, this.priceTicksOf[slot]!);
    const tail = this.levelTail[level]!;
    this.previousOf[slot] = tail;
    this.nextOf[slot] = NONE;
    if (tail === NONE) this.levelHead[level] = slot;
    else this.nextOf[tail] = slot;
    this.levelTail[level] = slot;
    this.levelOrderCount[level] = this.levelOrderCount[level]! + 1;
    this.levelTotalLots[level] = this.levelTotalLots[level]! + this.remainingLotsOf[slot]!;
    this.levelOf[slot] = level;
    this.statusOf[slot] = RESTING;
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

  private resetStorage(): void {
    this.slotCapacity = 0;
    this.slotHighWater = 0;
    this.freeSlotHead = NONE;
    this.slotByOrderId = new IdIndex(this.orderIdOf);
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
      this.freeSlotHead = this.nextOf[slot]!;
      return slot;
    }
    if (this.slotHighWater === this.slotCapacity) this.growSlots(this.slotCapacity * 2);
    slot = this.slotHighWater;
    this.slotHighWater += 1;
    return slot;
  }

  private freeSlot(slot: number): void {
    this.statusOf[slot] = FREE;
    this.siblingOf[slot] = NONE;
    this.nextOf[slot] = this.freeSlotHead;
    this.freeSlotHead = slot;
  }

  private growSlots(capacity: number): void {
    assert(capacity > this.slotCapacity, 'fast: slot capacity must grow');
    this.orderIdOf = grownFloat64(this.orderIdOf, capacity);
    this.ownerIdOf = grownFloat64(this.ownerIdOf, capacity);
    this.remainingLotsOf = grownFloat64(this.remainingLotsOf, capacity);
    this.filledLotsOf = grownFloat64(this.filledLotsOf, capacity);
    this.quantityRoomOf = grownFloat64(this.quantityRoomOf, capacity);
    this.notionalRoomOf = grownFloat64(this.notionalRoomOf, capacity);
    this.sequenceOf = grownFloat64(this.sequenceOf, capacity);
    this.priceTicksOf = grownInt32(this.priceTicksOf, capacity);
    this.stopPriceTicksOf = grownInt32(this.stopPriceTicksOf, capacity);
    this.nextOf = grownInt32(this.nextOf, capacity);
    this.previousOf = grownInt32(this.previousOf, capacity);
    this.levelOf = grownInt32(this.levelOf, capacity);
    this.siblingOf = grownInt32(this.siblingOf, capacity);
    this.sideOf = grownUint8(this.sideOf, capacity);
    this.typeOf = grownUint8(this.typeOf, capacity);
    this.timeInForceOf = grownUint8(this.timeInForceOf, capacity);
    this.stpModeOf = grownUint8(this.stpModeOf, capacity);
    this.statusOf = grownUint8(this.statusOf, capacity);
    this.slotCapacity = capacity;
    this.slotByOrderId.useOrderIds(this.orderIdOf);
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
    const sibling = this.siblingOf[slot]!;
    orders.push(
      this.orderIdOf[slot]!,
      this.ownerIdOf[slot]!,
      this.sideOf[slot]!,
      this.typeOf[slot]!,
      this.timeInForceOf[slot]!,
      this.stpModeOf[slot]!,
      this.statusOf[slot] === PENDING ? 1 : 0,
      this.priceTicksOf[slot]!,
      this.stopPriceTicksOf[slot]!,
      this.remainingLotsOf[slot]!,
      this.filledLotsOf[slot]!,
      fromRoom(this.quantityRoomOf[slot]!),
      fromRoom(this.notionalRoomOf[slot]!),
      this.sequenceOf[slot]!,
      sibling === NONE ? 0 : this.orderIdOf[sibling]!,
    );
  }
}
