// The most recent trades of one market, in a ring of typed arrays (no object per trade, nothing for the garbage
// collector), oldest first, ids strictly increasing. Each trade records whether it starts an aggregate trade:
// Binance aggregates the trades of one taker order at one price filled at the same time, which in the engine are
// consecutive trades of one command; an aggregate's id is its first trade's id, so it is the same after a restart.

/** What market data keeps of a trade. */
export interface TapeTrade {
  tradeId: number;
  timeMs: number;
  priceTicks: number;
  quantityLots: number;
  isBuyerMaker: boolean;
  startsAggregate: boolean;
}

const BUYER_MAKER = 1;
const STARTS_AGGREGATE = 2;
const INITIAL_CAPACITY = 64;

export class TradeTape {
  private ids: Float64Array;
  private times: Float64Array;
  private prices: Float64Array;
  private quantities: Float64Array;
  private flags: Uint8Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacityMax: number) {
    if (!(Number.isSafeInteger(capacityMax) && capacityMax >= 1))
      throw new Error(`trade tape: capacity ${capacityMax}`);
    const capacity = Math.min(INITIAL_CAPACITY, capacityMax);
    this.ids = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.prices = new Float64Array(capacity);
    this.quantities = new Float64Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  private slot(index: number): number {
    return (this.start + index) % this.ids.length;
  }

  idAt(index: number): number {
    return this.ids[this.slot(index)]!;
  }

  timeAt(index: number): number {
    return this.times[this.slot(index)]!;
  }

  at(index: number): TapeTrade {
    if (!(index >= 0 && index < this.count)) throw new Error(`trade tape: index ${index} of ${this.count}`);
    const slot = this.slot(index);
    const flags = this.flags[slot]!;
    return {
      tradeId: this.ids[slot]!,
      timeMs: this.times[slot]!,
      priceTicks: this.prices[slot]!,
      quantityLots: this.quantities[slot]!,
      isBuyerMaker: (flags & BUYER_MAKER) !== 0,
      startsAggregate: (flags & STARTS_AGGREGATE) !== 0,
    };
  }

  /** The oldest and newest ids, or undefined when empty. */
  oldestId(): number | undefined {
    return this.count === 0 ? undefined : this.idAt(0);
  }

  newestId(): number | undefined {
    return this.count === 0 ? undefined : this.idAt(this.count - 1);
  }

  push(trade: TapeTrade): void {
    const newest = this.newestId();
    if (newest !== undefined && trade.tradeId <= newest) {
      throw new Error(`trade tape: trade ${trade.tradeId} after ${newest}`);
    }
    if (this.count === this.ids.length) {
      if (this.ids.length < this.capacityMax) this.grow();
      else {
        this.start = (this.start + 1) % this.ids.length;
        this.count -= 1;
      }
    }
    const slot = (this.start + this.count) % this.ids.length;
    this.ids[slot] = trade.tradeId;
    this.times[slot] = trade.timeMs;
    this.prices[slot] = trade.priceTicks;
    this.quantities[slot] = trade.quantityLots;
    this.flags[slot] = (trade.isBuyerMaker ? BUYER_MAKER : 0) | (trade.startsAggregate ? STARTS_AGGREGATE : 0);
    this.count += 1;
  }

  private grow(): void {
    const capacity = Math.min(this.capacityMax, this.ids.length * 2);
    const copy = <T extends Float64Array | Uint8Array>(from: T, to: T): T => {
      for (let index = 0; index < this.count; index++) to[index] = from[this.slot(index)]!;
      return to;
    };
    this.ids = copy(this.ids, new Float64Array(capacity));
    this.times = copy(this.times, new Float64Array(capacity));
    this.prices = copy(this.prices, new Float64Array(capacity));
    this.quantities = copy(this.quantities, new Float64Array(capacity));
    this.flags = copy(this.flags, new Uint8Array(capacity));
    this.start = 0;
  }

  /** Index of the first trade with id >= tradeId (size when none). */
  indexAtOrAfterId(tradeId: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.idAt(middle) < tradeId) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Index of the first trade at or after timeMs (size when none). */
  indexAtOrAfterTime(timeMs: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.timeAt(middle) < timeMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Trades [from, to) by index, oldest first. */
  slice(from: number, to: number): TapeTrade[] {
    const out: TapeTrade[] = [];
    for (let index = Math.max(0, from); index < Math.min(to, this.count); index++) out.push(this.at(index));
    return out;
  }

  /** Replaces the content with `older` (history) followed by what the tape holds, keeping the newest. */
  prepend(older: readonly TapeTrade[]): void {
    const kept = this.slice(0, this.count);
    const oldest = kept[0]?.tradeId;
    const all = oldest === undefined ? [...older] : [...older.filter((trade) => trade.tradeId < oldest), ...kept];
    this.start = 0;
    this.count = 0;
    for (const trade of all.slice(Math.max(0, all.length - this.capacityMax))) this.push(trade);
  }
}
