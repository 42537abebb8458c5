// The convenience side of the event interface: a sink that turns each event into a discriminated-union
// object, for tests and for the engine, which journals and publishes events as data. The hot path (replay,
// benchmarks) uses a primitive-argument sink instead and allocates nothing per event.
import type { Command, DoneReason, EventSink, MatchingEvent, OrderBook, RejectReason, Side } from './types.js';
import { assertNever } from './internal/assert.js';

export class EventCollector implements EventSink {
  events: MatchingEvent[] = [];

  /** Returns the events collected so far and starts a new list. */
  take(): MatchingEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  onAccepted(orderId: number): void {
    this.events.push({ type: 'accepted', orderId });
  }

  onRejected(orderId: number, reason: RejectReason): void {
    this.events.push({ type: 'rejected', orderId, reason });
  }

  onTrade(
    takerOrderId: number,
    makerOrderId: number,
    takerOwnerId: number,
    makerOwnerId: number,
    takerSide: Side,
    priceTicks: number,
    quantityLots: number,
    takerDone: boolean,
    makerDone: boolean,
  ): void {
    this.events.push({
      type: 'trade',
      takerOrderId,
      makerOrderId,
      takerOwnerId,
      makerOwnerId,
      takerSide,
      priceTicks,
      quantityLots,
      takerDone,
      makerDone,
    });
  }

  onDone(orderId: number, reason: DoneReason, remainingLots: number): void {
    this.events.push({ type: 'done', orderId, reason, remainingLots });
  }

  onTriggered(orderId: number): void {
    this.events.push({ type: 'triggered', orderId });
  }

  onAmended(orderId: number, priceTicks: number, quantityLots: number, priorityKept: boolean): void {
    this.events.push({ type: 'amended', orderId, priceTicks, quantityLots, priorityKept });
  }

  onBookDelta(side: Side, priceTicks: number, levelTotalLots: number): void {
    this.events.push({ type: 'bookDelta', side, priceTicks, levelTotalLots });
  }
}

/** Applies one command and returns its events, in order. */
export function applyCommand(book: OrderBook, command: Command): MatchingEvent[] {
  const collector = new EventCollector();
  book.apply(command, collector);
  return collector.events;
}

/** Replays events into a sink: lets code written against EventSink consume collected events too. */
export function emitEvents(events: readonly MatchingEvent[], sink: EventSink): void {
  for (const event of events) {
    switch (event.type) {
      case 'accepted':
        sink.onAccepted(event.orderId);
        break;
      case 'rejected':
        sink.onRejected(event.orderId, event.reason);
        break;
      case 'trade':
        sink.onTrade(
          event.takerOrderId,
          event.makerOrderId,
          event.takerOwnerId,
          event.makerOwnerId,
          event.takerSide,
          event.priceTicks,
          event.quantityLots,
          event.takerDone,
          event.makerDone,
        );
        break;
      case 'done':
        sink.onDone(event.orderId, event.reason, event.remainingLots);
        break;
      case 'triggered':
        sink.onTriggered(event.orderId);
        break;
      case 'amended':
        sink.onAmended(event.orderId, event.priceTicks, event.quantityLots, event.priorityKept);
        break;
      case 'bookDelta':
        sink.onBookDelta(event.side, event.priceTicks, event.levelTotalLots);
        break;
      default:
        assertNever(event, 'event type');
    }
  }
}
