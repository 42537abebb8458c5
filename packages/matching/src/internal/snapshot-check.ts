// A snapshot comes from storage, so restore checks every field before building anything from it. The
// structural invariants (levels, FIFO, links) are then checked by the book's own validateInternalState().
import { PRICE_TICKS_MAX, QUANTITY_LOTS_MAX, SEQUENCE_MAX } from '../limits.js';
import { OrderType, SNAPSHOT_FORMAT, type BookSnapshot } from '../types.js';
import { assert } from './assert.js';
import { Field, ORDER_RECORD_LENGTH } from './canonical.js';
import { hasLimitPrice, isPositiveSafeInteger, isStopType, normalizeRules } from './rules.js';

const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

export function checkSnapshot(snapshot: BookSnapshot): void {
  assert(snapshot.format === SNAPSHOT_FORMAT, 'snapshot: unknown format');
  normalizeRules(snapshot.rules);
  // Prices are held to the hard limit only: orders placed under earlier rules stay valid when the market's
  // filters change (the engine changes rules by restoring a snapshot with new ones).
  assert(isCount(snapshot.lastTradePriceTicks), 'snapshot: lastTradePriceTicks');
  assert(snapshot.lastTradePriceTicks <= PRICE_TICKS_MAX, 'snapshot: lastTradePriceTicks above the maximum');
  assert(isPositiveSafeInteger(snapshot.nextSequence) && snapshot.nextSequence <= SEQUENCE_MAX, 'snapshot: sequence');
  const records = snapshot.orders;
  assert(Array.isArray(records) && records.length % ORDER_RECORD_LENGTH === 0, 'snapshot: orders length');
  for (let offset = 0; offset < records.length; offset += ORDER_RECORD_LENGTH) {
    for (let index = 0; index < ORDER_RECORD_LENGTH; index++) {
      assert(isCount(records[offset + index]), 'snapshot: order fields must be non-negative safe integers');
    }
    const field = (index: number) => records[offset + index] as number;
    const type = field(Field.type);
    const pending = field(Field.pendingTrigger);
    assert(field(Field.orderId) > 0 && field(Field.ownerId) > 0, 'snapshot: ids');
    assert(field(Field.side) <= 1, 'snapshot: side');
    assert(type >= OrderType.LIMIT && type <= OrderType.TAKE_PROFIT_LIMIT, 'snapshot: type');
    assert(field(Field.timeInForce) <= 3 && field(Field.stpMode) <= 3, 'snapshot: time in force or STP mode');
    assert(pending === 0 || pending === 1, 'snapshot: pendingTrigger');
    assert(pending === 1 ? isStopType(type) : hasLimitPrice(type), 'snapshot: order kind cannot be in that state');
    assert(field(Field.priceTicks) <= PRICE_TICKS_MAX, 'snapshot: price above the maximum');
    assert(field(Field.stopPriceTicks) <= PRICE_TICKS_MAX, 'snapshot: stop price above the maximum');
    const remaining = field(Field.remainingLots);
    assert(remaining > 0 && remaining <= QUANTITY_LOTS_MAX, 'snapshot: remaining quantity');
    assert(field(Field.sequence) > 0 && field(Field.sequence) < snapshot.nextSequence, 'snapshot: order sequence');
  }
}
