// The candles of one market and one interval that memory keeps: the most recent `keepMax` slots that had trades,
// oldest first (slots without trades take no room; readers fill them in). Trades arrive in time order, so a trade
// updates the newest candle or starts a new one: O(1). Lookups by time are binary searches.
//
// `completeFromMs` says from which slot on memory holds every trade, so that a reader knows what to ask the
// database for: -Infinity until history is loaded or a candle is dropped (memory is all there is). Then
// `closeBeforeComplete` is the last price before that point, which is what empty slots right after it show.
import { addTrade, mergeInto, newCandle, type Candle, type CandleTrade } from './candle.js';
import { slotAfter, slotStart, type KlineInterval } from './intervals.js';

/** The deque compacts its array once this many dropped slots are ahead of the head. */
const COMPACT_AFTER = 1_024;

export class CandleSeries {
  private candles: Candle[] = [];
  private head = 0;
  /** Every trade at or after this time is in memory (a slot start, or -Infinity). */
  completeFromMs = -Infinity;
  /** Whether `closeBeforeCompleteTicks` is known (it may be known to be undefined: no trade before). */
  closeBeforeCompleteKnown = false;
  closeBeforeCompleteTicks: number | undefined = undefined;
  /** Bumped by every change, so a stream can tell whether the newest candle changed since it last sent it. */
  version = 0;
  /** Where the newest candle's slot ends: most trades fall in it, and need no slot arithmetic (1M uses Date). */
  private newestEndMs = -Infinity;

  constructor(
    readonly interval: KlineInterval,
    readonly keepMax: number,
  ) {
    if (!(Number.isSafeInteger(keepMax) && keepMax >= 1)) throw new Error(`candle series: keepMax ${keepMax}`);
  }

  get size(): number {
    return this.candles.length - this.head;
  }

  /** The i-th kept candle, oldest first. */
  at(index: number): Candle | undefined {
    return index < 0 ? undefined : this.candles[this.head + index];
  }

  newest(): Candle | undefined {
    return this.candles[this.candles.length - 1];
  }

  addTrade(trade: CandleTrade): void {
    const newest = this.newest();
    this.version += 1;
    if (newest !== undefined && trade.timeMs < this.newestEndMs && trade.timeMs >= newest.openTimeMs) {
      addTrade(newest, trade);
      return;
    }
    const openTimeMs = slotStart(this.interval, trade.timeMs);
    if (newest !== undefined && newest.openTimeMs >= openTimeMs) {
      throw new Error(`candle series ${this.interval}: trade at ${trade.timeMs} before slot ${newest.openTimeMs}`);
    }
    this.candles.push(newCandle(openTimeMs, trade));
    this.newestEndMs = slotAfter(this.interval, openTimeMs);
    this.trim();
  }

  /** Index of the first kept candle opening at or after `timeMs` (size when none). */
  indexAtOrAfter(timeMs: number): number {
    let low = this.head;
    let high = this.candles.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.candles[middle]!.openTimeMs < timeMs) low = middle + 1;
      else high = middle;
    }
    return low - this.head;
  }

  /** Kept candles opening within [fromMs, toMs], oldest first. */
  range(fromMs: number, toMs: number): Candle[] {
    const out: Candle[] = [];
    for (let index = this.head + this.indexAtOrAfter(fromMs); index < this.candles.length; index++) {
      const candle = this.candles[index]!;
      if (candle.openTimeMs > toMs) break;
      out.push(candle);
    }
    return out;
  }

  /**
   * The close before `timeMs` (>= completeFromMs) as memory knows it: the close of the newest candle opening
   * before it, else the close before completeFromMs. `known` is false when memory cannot tell.
   */
  closeBefore(timeMs: number): { known: boolean; closeTicks: number | undefined } {
    const index = this.indexAtOrAfter(timeMs) - 1;
    const candle = this.at(index);
    if (candle !== undefined && candle.openTimeMs >= this.completeFromMs) {
      return { known: true, closeTicks: candle.closeTicks };
    }
    return { known: this.closeBeforeCompleteKnown, closeTicks: this.closeBeforeCompleteTicks };
  }

  /**
   * Merges candles read back from history (every trade of seq <= S from `completeFromMs` on, sorted by time)
   * with the live candles (trades of seq > S, all later). `closeBeforeTicks` is the last price of seq <= S before
   * completeFromMs (undefined: there was no trade before).
   */
  mergeHistory(history: readonly Candle[], completeFromMs: number, closeBeforeTicks: number | undefined): void {
    const live = this.candles.slice(this.head);
    const loadedFromMs = slotStart(this.interval, completeFromMs);
    const merged: Candle[] = [];
    let liveIndex = 0;
    for (const candle of history) {
      while (liveIndex < live.length && live[liveIndex]!.openTimeMs < candle.openTimeMs) {
        merged.push(live[liveIndex++]!);
      }
      const copy = { ...candle };
      const same = live[liveIndex];
      if (same !== undefined && same.openTimeMs === candle.openTimeMs) {
        mergeInto(copy, same);
        liveIndex += 1;
      }
      merged.push(copy);
    }
    while (liveIndex < live.length) merged.push(live[liveIndex++]!);
    for (let index = 1; index < merged.length; index++) {
      if (merged[index - 1]!.openTimeMs >= merged[index]!.openTimeMs) {
        throw new Error(`candle series ${this.interval}: history out of order at ${merged[index]!.openTimeMs}`);
      }
    }
    this.candles = merged;
    this.head = 0;
    this.version += 1;
    const newest = this.newest();
    this.newestEndMs = newest === undefined ? -Infinity : slotAfter(this.interval, newest.openTimeMs);
    // Live candles were dropped after the load's start: memory is complete only from where live kept all.
    if (this.completeFromMs <= loadedFromMs) {
      this.completeFromMs = loadedFromMs;
      this.closeBeforeCompleteKnown = true;
      // Live trades all come after history's: one before the load's start is the last price before it.
      let liveBefore: Candle | undefined;
      for (const candle of live) if (candle.openTimeMs < loadedFromMs) liveBefore = candle;
      this.closeBeforeCompleteTicks = liveBefore?.closeTicks ?? closeBeforeTicks;
    }
    this.trim();
  }

  private trim(): void {
    while (this.size > this.keepMax) {
      const dropped = this.candles[this.head]!;
      this.head += 1;
      const after = slotAfter(this.interval, dropped.openTimeMs);
      if (after > this.completeFromMs) {
        this.completeFromMs = after;
        this.closeBeforeCompleteKnown = true;
        this.closeBeforeCompleteTicks = dropped.closeTicks;
      }
    }
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.candles.length) {
      this.candles = this.candles.slice(this.head);
      this.head = 0;
    }
  }
}
