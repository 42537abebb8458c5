// The committed order book of one market as market data shows it: both sides' levels, the update id that Binance
// clients synchronise on, and the changes collected for the diff depth streams.
//
// The update id increases by one for every level change. A diff window collects the final total of each level
// changed since the window opened and the first and last ids it covers, so consecutive published windows chain
// (U = previous u + 1) and applying them to a snapshot taken at any id within reproduces the book.
import type { Level } from './price-levels.js';
import { PriceLevels } from './price-levels.js';

export type BookSide = 'BUY' | 'SELL';

/** The changes of one diff stream window: final level totals by price, and the ids covered. */
export class DiffWindow {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  /** -1 while empty. */
  firstUpdateId = -1;
  lastUpdateId = -1;

  get empty(): boolean {
    return this.firstUpdateId < 0;
  }

  record(side: BookSide, priceTicks: number, quantityLots: number, updateId: number): void {
    if (this.firstUpdateId < 0) this.firstUpdateId = updateId;
    this.lastUpdateId = updateId;
    (side === 'BUY' ? this.bids : this.asks).set(priceTicks, quantityLots);
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
    this.firstUpdateId = -1;
    this.lastUpdateId = -1;
  }
}

export class BookMirror {
  readonly bids = new PriceLevels(true);
  readonly asks = new PriceLevels(false);
  /** For `<symbol>@depth@100ms` and `<symbol>@depth` (1000 ms). */
  readonly fastWindow = new DiffWindow();
  readonly slowWindow = new DiffWindow();

  constructor(public updateId: number) {
    if (!(Number.isSafeInteger(updateId) && updateId >= 0)) throw new Error(`book mirror: update id ${updateId}`);
  }

  /** Replaces both sides (no diff: clients that hold a book must fetch a new snapshot). */
  load(bids: readonly Level[], asks: readonly Level[]): void {
    this.bids.clear();
    this.asks.clear();
    for (const level of bids) this.bids.set(level.priceTicks, level.quantityLots);
    for (const level of asks) this.asks.set(level.priceTicks, level.quantityLots);
    this.updateId += 1;
    this.fastWindow.clear();
    this.slowWindow.clear();
  }

  /**
   * One level's new total (0 = removed); records it in the windows whose streams have subscribers. A window that
   * misses a change is dropped, so a published window never has a hole between its first and last id.
   */
  apply(side: BookSide, priceTicks: number, quantityLots: number, recordFast: boolean, recordSlow: boolean): void {
    (side === 'BUY' ? this.bids : this.asks).set(priceTicks, quantityLots);
    const updateId = ++this.updateId;
    if (recordFast) this.fastWindow.record(side, priceTicks, quantityLots, updateId);
    else if (!this.fastWindow.empty) this.fastWindow.clear();
    if (recordSlow) this.slowWindow.record(side, priceTicks, quantityLots, updateId);
    else if (!this.slowWindow.empty) this.slowWindow.clear();
  }
}
