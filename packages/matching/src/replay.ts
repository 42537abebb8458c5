// Replays a workload (shared/workloads/README.md: one L, M or C command a line) through a book and
// summarizes it. Pure: bytes in, summary out; the CLI (bin/replay.js) does the file reading and supplies the
// clock. Two parsers on purpose:
// - WorkloadReplay parses bytes straight from chunk buffers into a columnar batch (no strings, no objects per
//   line), then applies the batch to the book; only that second step is timed, so ops/s measures matching.
// - LineReplay is the straightforward baseline: one string per line, split(','), a command object per line.
import { DoneReason, OrderType, RejectReason, Side, TimeInForce } from './types.js';
import type {
  BookImplementation,
  CancelOrder,
  Command,
  DoneReason as DoneReasonCode,
  EventSink,
  OrderBook,
  PlaceOrder,
  RejectReason as RejectReasonCode,
} from './types.js';
import { createOrderBook } from './book.js';

/** The workload summary, fields as shared/workloads/README.md names them. */
export interface ReplaySummary {
  ops: number;
  trades: number;
  volume: number;
  /** Sum of price x quantity over all trades, exact, as a decimal string. */
  notional: string;
  /** FOK orders that could not fill plus post-only orders that would have traded. */
  rejected: number;
  /** Cancels that removed a live order. */
  cancelled: number;
  restingBids: number;
  restingAsks: number;
  bestBid: number | null;
  bestAsk: number | null;
  /** FNV-1a 32 over "<takerId>,<makerId>,<price>,<qty>\n" of every trade in execution order. */
  tradeHash: string;
}

/** One JSON line, fields in the README's order. */
export function formatSummary(summary: ReplaySummary): string {
  const { ops, trades, volume, notional, rejected, cancelled, restingBids, restingAsks, bestBid, bestAsk } = summary;
  const ordered = { ops, trades, volume, notional, rejected, cancelled, restingBids, restingAsks, bestBid, bestAsk };
  return JSON.stringify({ ...ordered, tradeHash: summary.tradeHash });
}

/** A workload line that does not follow the format; lineNumber counts from 1. */
export class WorkloadFormatError extends Error {
  constructor(
    readonly lineNumber: number,
    detail: string,
  ) {
    super(`workload line ${lineNumber}: ${detail}`);
    this.name = 'WorkloadFormatError';
  }
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const COMMA = 44;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
/** Sums below this are added as doubles; each flush to BigInt keeps the double sum exact. */
const NOTIONAL_FLUSH_THRESHOLD = 2 ** 52;
/** The single owner of every workload order (the format has no owners; STP is off). */
const WORKLOAD_OWNER_ID = 1;

/** Counts what the summary needs from the event stream, allocating nothing per event. */
export class SummarySink implements EventSink {
  trades = 0;
  volumeLots = 0;
  rejected = 0;
  cancelled = 0;
  private notionalLow = 0;
  private notionalHigh = 0n;
  private hash = FNV_OFFSET_BASIS | 0;
  private readonly digits = new Uint8Array(24);

  onAccepted(): void {}

  onRejected(_orderId: number, reason: RejectReasonCode): void {
    if (reason === RejectReason.POST_ONLY_WOULD_TRADE) this.rejected += 1;
  }

  onTrade(
    takerOrderId: number,
    makerOrderId: number,
    _takerOwnerId: number,
    _makerOwnerId: number,
    _takerSide: Side,
    priceTicks: number,
    quantityLots: number,
  ): void {
    this.trades += 1;
    this.volumeLots += quantityLots;
    const notional = priceTicks * quantityLots;
    if (notional < NOTIONAL_FLUSH_THRESHOLD) {
      this.notionalLow += notional;
      if (this.notionalLow >= NOTIONAL_FLUSH_THRESHOLD) this.flushNotional();
    } else {
      // Large enough that the double product may be rounded: redo it exactly.
      this.notionalHigh += BigInt(priceTicks) * BigInt(quantityLots);
    }
    let hash = this.hash;
    hash = this.hashDigits(hash, takerOrderId);
    hash = Math.imul(hash ^ COMMA, FNV_PRIME);
    hash = this.hashDigits(hash, makerOrderId);
    hash = Math.imul(hash ^ COMMA, FNV_PRIME);
    hash = this.hashDigits(hash, priceTicks);
    hash = Math.imul(hash ^ COMMA, FNV_PRIME);
    hash = this.hashDigits(hash, quantityLots);
    this.hash = Math.imul(hash ^ NEWLINE, FNV_PRIME);
  }

  onDone(_orderId: number, reason: DoneReasonCode): void {
    if (reason === DoneReason.CANCELLED) this.cancelled += 1;
    else if (reason === DoneReason.FOK_NOT_FILLABLE) this.rejected += 1;
  }

  onTriggered(): void {}

  onAmended(): void {}

  onBookDelta(): void {}

  notional(): string {
    this.flushNotional();
    return this.notionalHigh.toString();
  }

  tradeHash(): string {
    return (this.hash >>> 0).toString(16).padStart(8, '0');
  }

  private flushNotional(): void {
    this.notionalHigh += BigInt(this.notionalLow);
    this.notionalLow = 0;
  }

  /** FNV-1a over the decimal digits of a non-negative safe integer, without building a string. */
  private hashDigits(hash: number, value: number): number {
    const digits = this.digits;
    let length = 0;
    if (value <= 0x7fffffff) {
      // The common case, in 32-bit integer arithmetic (a division by a constant is a multiplication).
      let rest = value | 0;
      do {
        const quotient = (rest / 10) | 0;
        digits[length++] = 48 + rest - quotient * 10;
        rest = quotient;
      } while (rest !== 0);
    } else {
      do {
        const digit = value % 10;
        digits[length++] = 48 + digit;
        value = (value - digit) / 10;
      } while (value > 0);
    }
    while (length > 0) hash = Math.imul(hash ^ digits[--length]!, FNV_PRIME);
    return hash;
  }
}

function summarize(book: OrderBook, sink: SummarySink, ops: number): ReplaySummary {
  const counts = book.counts();
  return {
    ops,
    trades: sink.trades,
    volume: sink.volumeLots,
    notional: sink.notional(),
    rejected: sink.rejected,
    cancelled: sink.cancelled,
    restingBids: counts.restingBids,
    restingAsks: counts.restingAsks,
    bestBid: book.bestBidTicks(),
    bestAsk: book.bestAskTicks(),
    tradeHash: sink.tradeHash(),
  };
}

export interface ReplayOptions {
  /** The book to replay into; default a new fast book with default rules. */
  book?: OrderBook;
  /** Milliseconds from any origin, to time the matching; without it matchingMs stays 0. */
  clock?: () => number;
}

const BATCH_LINES = 1 << 14;
/** Longest workload line accepted: generous for 4 numbers below 2^53. */
const LINE_BYTES_MAX = 256;
/** Digits in one number: up to 15 keeps every value exact in a double. */
const NUMBER_DIGITS_MAX = 15;

const KIND_LIMIT = 1;
const KIND_MARKET = 2;
const KIND_CANCEL = 3;
/** The workload's POST time in force: a LIMIT_MAKER order. */
const TIF_POST = 4;

/** Parses workload bytes chunk by chunk into a columnar batch, then applies each batch (timed) to the book. */
export class WorkloadReplay {
  readonly book: OrderBook;
  readonly sink = new SummarySink();
  /** Time spent applying commands to the book, per the injected clock. */
  matchingMs = 0;
  private ops = 0;
  private lineNumber = 0;
  private readonly clock: (() => number) | undefined;
  private readonly kinds = new Uint8Array(BATCH_LINES);
  private readonly orderIds = new Float64Array(BATCH_LINES);
  private readonly sides = new Uint8Array(BATCH_LINES);
  private readonly prices = new Float64Array(BATCH_LINES);
  private readonly quantities = new Float64Array(BATCH_LINES);
  private readonly timesInForce = new Uint8Array(BATCH_LINES);
  private batchSize = 0;
  /** The unfinished last line of the previous chunk. */
  private readonly carry = new Uint8Array(LINE_BYTES_MAX + 1);
  private carryLength = 0;
  /** Where parseNumber stopped. */
  private cursor = 0;
  // Reused command objects: the book copies what it needs, so one object per kind serves every line.
  private readonly limitOrder: PlaceOrder = reusablePlaceOrder(OrderType.LIMIT);
  private readonly marketOrder: PlaceOrder = reusablePlaceOrder(OrderType.MARKET);
  private readonly cancelOrder: CancelOrder = { kind: 'cancel', orderId: 0, reportUnknown: false };

  constructor(options: ReplayOptions = {}) {
    this.book = options.book ?? createOrderBook();
    this.clock = options.clock;
  }

  /** Parses and applies every complete line of the chunk; the chunk may be reused by the caller afterwards. */
  feed(chunk: Uint8Array): void {
    let position = 0;
    if (this.carryLength > 0) {
      // Complete the line left over from the previous chunk, newline included.
      const newline = chunk.indexOf(NEWLINE);
      const take = newline === -1 ? chunk.length : newline + 1;
      if (this.carryLength + take > LINE_BYTES_MAX) throw new WorkloadFormatError(this.lineNumber + 1, 'line too long');
      this.carry.set(chunk.subarray(0, take), this.carryLength);
      this.carryLength += take;
      if (newline === -1) return;
      this.parseLine(this.carry, 0);
      this.carryLength = 0;
      position = take;
    }
    // One search per chunk for where its complete lines end; every line before that ends with a newline,
    // so parseLine can run from one line to the next without looking for line ends.
    const linesEnd = chunk.lastIndexOf(NEWLINE) + 1;
    while (position < linesEnd) position = this.parseLine(chunk, position);
    const rest = chunk.length - position;
    if (rest > LINE_BYTES_MAX) throw new WorkloadFormatError(this.lineNumber + 1, 'line too long');
    this.carry.set(chunk.subarray(position), 0);
    this.carryLength = rest;
  }

  /** Applies what is left (a last line without a newline included) and summarizes. */
  finish(): ReplaySummary {
    if (this.carryLength > 0) {
      this.carry[this.carryLength] = NEWLINE;
      this.parseLine(this.carry, 0);
      this.carryLength = 0;
    }
    this.flush();
    return summarize(this.book, this.sink, this.ops);
  }

  /** Parses the line starting at `start` (it ends with a newline) into the batch; returns the next line's start. */
  private parseLine(bytes: Uint8Array, start: number): number {
    this.lineNumber += 1;
    const kind = bytes[start];
    if (kind === NEWLINE) return start + 1;
    if (kind === CARRIAGE_RETURN && bytes[start + 1] === NEWLINE) return start + 2;
    const row = this.batchSize;
    if (bytes[start + 1] !== COMMA) this.fail('expected a comma after the command letter');
    this.orderIds[row] = this.parseNumber(bytes, start + 2);
    let position = this.cursor;
    if (kind === 67 /* C */) {
      this.kinds[row] = KIND_CANCEL;
    } else {
      if (kind !== 76 /* L */ && kind !== 77 /* M */) this.fail('unknown command letter');
      if (bytes[position] !== COMMA || bytes[position + 2] !== COMMA) this.fail('expected ,B, or ,S,');
      const side = bytes[position + 1];
      if (side === 66 /* B */) this.sides[row] = Side.BUY;
      else if (side === 83 /* S */) this.sides[row] = Side.SELL;
      else this.fail('side must be B or S');
      if (kind === 77) {
        this.kinds[row] = KIND_MARKET;
        this.quantities[row] = this.parseNumber(bytes, position + 3);
        position = this.cursor;
      } else {
        this.kinds[row] = KIND_LIMIT;
        this.prices[row] = this.parseNumber(bytes, position + 3);
        if (bytes[this.cursor] !== COMMA) this.fail('expected a comma after the price');
        this.quantities[row] = this.parseNumber(bytes, this.cursor + 1);
        position = this.cursor;
        if (bytes[position] !== COMMA) this.fail('expected a comma after the quantity');
        this.timesInForce[row] = this.parseTimeInForce(bytes, position + 1);
        position = this.cursor;
      }
    }
    if (bytes[position] === CARRIAGE_RETURN) position += 1;
    if (bytes[position] !== NEWLINE) this.fail('unexpected text at the end of the line');
    this.batchSize = row + 1;
    if (this.batchSize === BATCH_LINES) this.flush();
    return position + 1;
  }

  /** Digits from `start`; stops at the first non-digit (the line's newline at the latest). */
  private parseNumber(bytes: Uint8Array, start: number): number {
    let value = 0;
    let position = start;
    for (;;) {
      const digit = bytes[position]! - 48;
      // Written so that reading past the end (NaN) also stops.
      if (!(digit >= 0 && digit <= 9)) break;
      value = value * 10 + digit;
      position += 1;
    }
    if (position === start || position - start > NUMBER_DIGITS_MAX) this.fail('expected a number');
    this.cursor = position;
    return value;
  }

  private parseTimeInForce(bytes: Uint8Array, start: number): number {
    const first = bytes[start];
    const second = bytes[start + 1];
    const third = bytes[start + 2];
    let timeInForce = 0;
    let length = 3;
    if (first === 71 /* G */ && second === 84 /* T */ && third === 67 /* C */) timeInForce = TimeInForce.GTC;
    else if (first === 73 /* I */ && second === 79 /* O */ && third === 67 /* C */) timeInForce = TimeInForce.IOC;
    else if (first === 70 /* F */ && second === 79 /* O */ && third === 75 /* K */) timeInForce = TimeInForce.FOK;
    else if (first === 80 /* P */ && second === 79 /* O */ && third === 83 /* S */ && bytes[start + 3] === 84 /* T */) {
      timeInForce = TIF_POST;
      length = 4;
    } else {
      this.fail('time in force must be GTC, IOC, FOK or POST');
    }
    this.cursor = start + length;
    return timeInForce;
  }

  private fail(detail: string): never {
    throw new WorkloadFormatError(this.lineNumber, detail);
  }

  private flush(): void {
    const book = this.book;
    const sink = this.sink;
    const limitOrder = this.limitOrder;
    const marketOrder = this.marketOrder;
    const cancelOrder = this.cancelOrder;
    const startedMs = this.clock === undefined ? 0 : this.clock();
    for (let row = 0; row < this.batchSize; row++) {
      const kind = this.kinds[row];
      if (kind === KIND_CANCEL) {
        cancelOrder.orderId = this.orderIds[row]!;
        book.cancel(cancelOrder, sink);
      } else if (kind === KIND_LIMIT) {
        const timeInForce = this.timesInForce[row]!;
        const postOnly = timeInForce === TIF_POST;
        limitOrder.orderId = this.orderIds[row]!;
        limitOrder.side = this.sides[row]! as Side;
        limitOrder.type = postOnly ? OrderType.LIMIT_MAKER : OrderType.LIMIT;
        limitOrder.timeInForce = postOnly ? 0 : (timeInForce as TimeInForce);
        limitOrder.priceTicks = this.prices[row]!;
        limitOrder.quantityLots = this.quantities[row]!;
        book.place(limitOrder, sink);
      } else {
        marketOrder.orderId = this.orderIds[row]!;
        marketOrder.side = this.sides[row]! as Side;
        marketOrder.quantityLots = this.quantities[row]!;
        book.place(marketOrder, sink);
      }
    }
    if (this.clock !== undefined) this.matchingMs += this.clock() - startedMs;
    this.ops += this.batchSize;
    this.batchSize = 0;
  }
}

function reusablePlaceOrder(type: OrderType): PlaceOrder {
  // Every field present, in one order, so all place commands share one object shape.
  return {
    kind: 'place',
    orderId: 0,
    ownerId: WORKLOAD_OWNER_ID,
    side: Side.BUY,
    type,
    timeInForce: 0,
    priceTicks: 0,
    stopPriceTicks: 0,
    quantityLots: 0,
    quoteOrderQty: 0,
    stpMode: 0,
    quantityLotsCap: 0,
    notionalCap: 0,
  };
}

const WORKLOAD_TIME_IN_FORCE: Record<string, TimeInForce | 'POST'> = {
  GTC: TimeInForce.GTC,
  IOC: TimeInForce.IOC,
  FOK: TimeInForce.FOK,
  POST: 'POST',
};

/** Parses one workload line the plain way (the baseline); null for an empty line. */
export function parseWorkloadLine(line: string, lineNumber: number): Command | null {
  if (line.length === 0) return null;
  const fields = line.split(',');
  const number = (text: string | undefined): number => {
    if (text === undefined || !/^\d{1,15}$/.test(text)) throw new WorkloadFormatError(lineNumber, 'expected a number');
    return Number.parseInt(text, 10);
  };
  const side = (text: string | undefined): Side => {
    if (text === 'B') return Side.BUY;
    if (text === 'S') return Side.SELL;
    throw new WorkloadFormatError(lineNumber, 'side must be B or S');
  };
  const expectFields = (count: number) => {
    if (fields.length !== count) throw new WorkloadFormatError(lineNumber, `expected ${count} fields`);
  };
  switch (fields[0]) {
    case 'L': {
      expectFields(6);
      const timeInForce = WORKLOAD_TIME_IN_FORCE[fields[5] ?? ''];
      if (timeInForce === undefined)
        throw new WorkloadFormatError(lineNumber, 'time in force must be GTC, IOC, FOK or POST');
      return {
        kind: 'place',
        orderId: number(fields[1]),
        ownerId: WORKLOAD_OWNER_ID,
        side: side(fields[2]),
        type: timeInForce === 'POST' ? OrderType.LIMIT_MAKER : OrderType.LIMIT,
        timeInForce: timeInForce === 'POST' ? undefined : timeInForce,
        priceTicks: number(fields[3]),
        quantityLots: number(fields[4]),
      };
    }
    case 'M':
      expectFields(4);
      return {
        kind: 'place',
        orderId: number(fields[1]),
        ownerId: WORKLOAD_OWNER_ID,
        side: side(fields[2]),
        type: OrderType.MARKET,
        quantityLots: number(fields[3]),
      };
    case 'C':
      expectFields(2);
      return { kind: 'cancel', orderId: number(fields[1]) };
    default:
      throw new WorkloadFormatError(lineNumber, 'unknown command letter');
  }
}

/** The baseline replay: lines as strings, parsed with split, batched, then applied (timed) to the book. */
export class LineReplay {
  readonly book: OrderBook;
  readonly sink = new SummarySink();
  matchingMs = 0;
  private ops = 0;
  private lineNumber = 0;
  private batch: Command[] = [];
  private readonly clock: (() => number) | undefined;

  constructor(options: ReplayOptions = {}) {
    this.book = options.book ?? createOrderBook({ implementation: 'naive' });
    this.clock = options.clock;
  }

  line(text: string): void {
    this.lineNumber += 1;
    const command = parseWorkloadLine(text.endsWith('\r') ? text.slice(0, -1) : text, this.lineNumber);
    if (command === null) return;
    this.batch.push(command);
    if (this.batch.length === BATCH_LINES) this.flush();
  }

  finish(): ReplaySummary {
    this.flush();
    return summarize(this.book, this.sink, this.ops);
  }

  private flush(): void {
    const startedMs = this.clock === undefined ? 0 : this.clock();
    for (const command of this.batch) this.book.apply(command, this.sink);
    if (this.clock !== undefined) this.matchingMs += this.clock() - startedMs;
    this.ops += this.batch.length;
    this.batch = [];
  }
}

/** Replays whole byte chunks (for tests and tools): the fast parser into a book of the chosen implementation. */
export function replayWorkload(
  chunks: Iterable<Uint8Array>,
  implementation: BookImplementation = 'fast',
): ReplaySummary {
  const replay = new WorkloadReplay({ book: createOrderBook({ implementation }) });
  for (const chunk of chunks) replay.feed(chunk);
  return replay.finish();
}

/** Replays workload text the baseline way (split lines and fields) into a book of the chosen implementation. */
export function replayWorkloadText(text: string, implementation: BookImplementation = 'naive'): ReplaySummary {
  const replay = new LineReplay({ book: createOrderBook({ implementation }) });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) replay.line(line);
  return replay.finish();
}
