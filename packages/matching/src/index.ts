// Public surface of @exbox/matching: a pure, deterministic order book and matcher. Everything the engine
// and tools may use is exported here; src/internal/ is not part of the API.
export * from './limits.js';
export {
  Side,
  OrderType,
  TimeInForce,
  StpMode,
  RejectReason,
  DoneReason,
  OrderStatus,
  ORDER_RECORD_FIELDS,
  SNAPSHOT_FORMAT,
  codeName,
} from './types.js';
export type {
  MarketRules,
  OrderSpec,
  PlaceOrder,
  PlaceOco,
  CancelOrder,
  AmendOrder,
  Command,
  EventSink,
  MatchingEvent,
  DepthLevel,
  OrderState,
  BookCounts,
  BookSnapshot,
  BookImplementation,
  OrderBook,
} from './types.js';
export { createOrderBook, restoreOrderBook, type OrderBookOptions } from './book.js';
export { EventCollector, applyCommand, emitEvents } from './events.js';
export { DecimalRejectReason, decimalToUnits, unitsToDecimal, type DecimalConversion } from './decimal.js';
export { MatchingInvariantError } from './internal/assert.js';
export { DEFAULT_RULES } from './internal/rules.js';
export {
  WorkloadReplay,
  LineReplay,
  SummarySink,
  WorkloadFormatError,
  formatSummary,
  parseWorkloadLine,
  replayWorkload,
  replayWorkloadText,
  type ReplayOptions,
  type ReplaySummary,
} from './replay.js';
