// Support for the package's own tests (not exported from index.ts): a seeded PRNG, a one-line text form of
// events that keeps scenario tables readable, and a generator of random command streams covering every
// command kind, order type, STP mode, filter and cap.
import {
  OrderType,
  Side,
  StpMode,
  TimeInForce,
  codeName,
  DoneReason,
  RejectReason,
  type Command,
  type MarketRules,
  type MatchingEvent,
  type OrderSpec,
} from '../types.js';
import { assertNever } from './assert.js';

/** mulberry32, as in shared/workloads/gen.mjs: small, fast, reproducible everywhere. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.below(high - low + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
}

const sideName = (side: number) => (side === Side.BUY ? 'BUY' : 'SELL');

/**
 * One line per event: "accepted 1", "rejected 1 DUPLICATE_ID", "trade 2/1 5@100 taker-done maker-done",
 * "done 1 FILLED 0", "triggered 4", "amended 1 3@100 kept|lost", "delta BUY 100 7".
 */
export function describeEvent(event: MatchingEvent): string {
  switch (event.type) {
    case 'accepted':
      return `accepted ${event.orderId}`;
    case 'rejected':
      return `rejected ${event.orderId} ${codeName(RejectReason, event.reason)}`;
    case 'trade': {
      const flags = `${event.takerDone ? ' taker-done' : ''}${event.makerDone ? ' maker-done' : ''}`;
      return `trade ${event.takerOrderId}/${event.makerOrderId} ${event.quantityLots}@${event.priceTicks}${flags}`;
    }
    case 'done':
      return `done ${event.orderId} ${codeName(DoneReason, event.reason)} ${event.remainingLots}`;
    case 'triggered':
      return `triggered ${event.orderId}`;
    case 'amended':
      return `amended ${event.orderId} ${event.quantityLots}@${event.priceTicks} ${event.priorityKept ? 'kept' : 'lost'}`;
    case 'bookDelta':
      return `delta ${sideName(event.side)} ${event.priceTicks} ${event.levelTotalLots}`;
    default:
      return assertNever(event, 'event type');
  }
}

/** Random market rules: usually permissive, sometimes with every filter and the band switched on. */
export function randomRules(random: SeededRandom): Partial<MarketRules> {
  if (random.chance(0.4)) return {};
  return {
    quantityLotsMin: random.between(1, 2),
    quantityLotsMax: random.between(20, 60),
    priceTicksMin: random.between(900, 960),
    priceTicksMax: random.between(1040, 1100),
    notionalMin: random.chance(0.5) ? random.between(1000, 3000) : 0,
    priceBandBps: random.chance(0.5) ? random.between(50, 400) : 0,
  };
}

/**
 * A stream of random commands over a narrow price range (so orders cross often), three owners (so STP fires),
 * every order type, caps, quote budgets, OCO pairs, amends and cancels of live, dead and unknown ids, and
 * an occasional malformed command.
 */
export interface GeneratorOptions {
  /** Ticks a passive limit order may sit from the mid; wide spreads leave many levels (and emptied ones). */
  spreadTicks?: number;
  /** The first order id; near 2^32 the ids cross into values whose low 32 bits repeat earlier ones. */
  firstOrderId?: number;
}

export class CommandGenerator {
  private nextOrderId: number;
  private readonly recentIds: number[] = [];
  private midTicks = 1000;
  private readonly spreadTicks: number;

  constructor(
    private readonly random: SeededRandom,
    options: GeneratorOptions = {},
  ) {
    this.nextOrderId = options.firstOrderId ?? 1;
    this.spreadTicks = options.spreadTicks ?? 6;
  }

  next(): Command {
    const random = this.random;
    if (random.chance(0.02)) this.midTicks = Math.max(950, Math.min(1050, this.midTicks + random.between(-5, 5)));
    const roll = random.next();
    if (roll < 0.2 && this.recentIds.length > 0) {
      return { kind: 'cancel', orderId: this.someId(), reportUnknown: random.chance(0.3) };
    }
    if (roll < 0.3 && this.recentIds.length > 0) {
      const priceTicks = random.chance(0.5) ? 0 : this.price(random.between(-6, 6));
      return { kind: 'amend', orderId: this.someId(), quantityLots: random.between(0, 12), priceTicks };
    }
    if (roll < 0.36) {
      const side = random.chance(0.5) ? Side.BUY : Side.SELL;
      const secondSide = random.chance(0.05) ? ((side ^ 1) as Side) : side;
      return { kind: 'placeOco', first: this.ocoLeg(side), second: this.ocoLeg(secondSide) };
    }
    return { kind: 'place', ...this.order() };
  }

  private someId(): number {
    if (this.random.chance(0.05)) return this.nextOrderId + 1000;
    return this.random.pick(this.recentIds.slice(-40));
  }

  private newId(): number {
    // Now and then reuse a recent id, to exercise DUPLICATE_ID (or its acceptance once that order is gone).
    const orderId = this.random.chance(0.03) && this.recentIds.length > 0 ? this.someId() : this.nextOrderId++;
    this.recentIds.push(orderId);
    if (this.recentIds.length > 200) this.recentIds.shift();
    return orderId;
  }

  private price(offsetTicks: number): number {
    return this.midTicks + offsetTicks;
  }

  private common(): Pick<OrderSpec, 'orderId' | 'ownerId' | 'side' | 'stpMode' | 'quantityLotsCap' | 'notionalCap'> {
    const random = this.random;
    return {
      orderId: this.newId(),
      ownerId: random.between(1, 3),
      side: random.chance(0.5) ? Side.BUY : Side.SELL,
      stpMode: random.chance(0.5)
        ? StpMode.NONE
        : random.pick([StpMode.EXPIRE_TAKER, StpMode.EXPIRE_MAKER, StpMode.EXPIRE_BOTH]),
      quantityLotsCap: random.chance(0.1) ? random.between(1, 15) : 0,
      notionalCap: random.chance(0.1) ? random.between(500, 15000) : 0,
    };
  }

  private order(): OrderSpec {
    const random = this.random;
    const base = this.common();
    const quantityLots = random.between(1, 12);
    const buying = base.side === Side.BUY;
    // Positive offsets are passive (away from the other side), negative ones aggressive.
    const passive = (offsetTicks: number) => this.price(buying ? -offsetTicks : offsetTicks);
    const limitPrice = () => passive(random.chance(0.8) ? random.between(-4, 6) : random.between(-4, this.spreadTicks));
    const tif = () => random.pick([0, TimeInForce.GTC, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK] as const);
    const roll = random.next();
    if (roll < 0.01) return { ...base, type: OrderType.LIMIT, quantityLots, priceTicks: -1 };
    if (roll < 0.02) return { ...base, type: OrderType.MARKET, quantityLots, quoteOrderQty: 100 };
    if (roll < 0.45)
      return { ...base, type: OrderType.LIMIT, priceTicks: limitPrice(), quantityLots, timeInForce: tif() };
    if (roll < 0.55) return { ...base, type: OrderType.LIMIT_MAKER, priceTicks: limitPrice(), quantityLots };
    if (roll < 0.65) {
      return random.chance(0.7)
        ? { ...base, type: OrderType.MARKET, quantityLots }
        : { ...base, type: OrderType.MARKET, quoteOrderQty: random.between(300, 12000) };
    }
    return this.stop(base, quantityLots, tif);
  }

  private stop(
    base: ReturnType<CommandGenerator['common']>,
    quantityLots: number,
    tif: () => 0 | TimeInForce,
  ): OrderSpec {
    const random = this.random;
    const type = random.pick([
      OrderType.STOP_LOSS,
      OrderType.STOP_LOSS_LIMIT,
      OrderType.TAKE_PROFIT,
      OrderType.TAKE_PROFIT_LIMIT,
    ] as const);
    const stopPriceTicks = this.price(random.between(-8, 8));
    if (type === OrderType.STOP_LOSS || type === OrderType.TAKE_PROFIT) {
      return { ...base, type, stopPriceTicks, quantityLots };
    }
    const priceTicks = stopPriceTicks + random.between(-3, 3);
    return { ...base, type, stopPriceTicks, priceTicks, quantityLots, timeInForce: tif() };
  }

  private ocoLeg(side: Side): OrderSpec {
    const random = this.random;
    const base = { ...this.common(), ownerId: 1, side };
    const quantityLots = random.between(1, 8);
    if (random.chance(0.45)) {
      const offsetTicks = random.between(0, 6);
      const priceTicks = this.price(side === Side.BUY ? -offsetTicks : offsetTicks);
      return { ...base, type: OrderType.LIMIT_MAKER, priceTicks, quantityLots };
    }
    return this.stop(base, quantityLots, () => TimeInForce.GTC);
  }
}
