// Turns engine events into projection rows and writes them in one transaction per flush, together with the
// watermark that says how far they go. Rows are gathered per flush: an order's row is written once with its
// latest state however many events touched it; trades and transfers are appended.
import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres';
import type { EngineEvent, OrderView } from '../state/results.js';

interface OrderRow {
  view: OrderView;
  /** True when the order was accepted within this flush (insert the whole row), else update its changing fields. */
  isNew: boolean;
  createdSeq: number;
  updatedSeq: number;
  updatedAtMs: number;
}

interface TradeRow {
  symbol: string;
  tradeId: number;
  seq: number;
  priceTicks: number;
  quantityLots: number;
  quoteMinor: string;
  buyOrderId: number;
  sellOrderId: number;
  buyUserId: number;
  sellUserId: number;
  takerSide: string;
  buyFeeMinor: string;
  sellFeeMinor: string;
  executedAtMs: number;
}

interface TransferRow {
  id: number;
  seq: number;
  debitOwnerId: number;
  debitBucket: string;
  creditOwnerId: number;
  creditBucket: string;
  asset: string;
  amountMinor: string;
  code: string;
  reference: number;
  holdId: number | null;
  holdAction: string | null;
  externalKey: string | null;
  memo: string | null;
  createdAtMs: number;
}

interface BalanceRow {
  ownerId: number;
  asset: string;
  bucket: string;
  amountMinor: string;
  seq: number;
}

export class ProjectionBuffer {
  private orders = new Map<number, OrderRow>();
  private trades: TradeRow[] = [];
  private transfers: TransferRow[] = [];
  /** owner -> asset -> bucket -> latest amount and the sequence that set it; rows are made only at flush. */
  private balances = new Map<number, Map<string, Map<string, { amountMinor: bigint; seq: number }>>>();
  private commands = 0;
  lastSeq = 0;

  get size(): number {
    return this.commands;
  }

  /** Adds the events of the command with sequence `seq`, stamped `timeMs`. */
  add(seq: number, timeMs: number, events: readonly EngineEvent[]): void {
    this.commands++;
    this.lastSeq = seq;
    for (const event of events) {
      switch (event.type) {
        case 'orderAccepted':
          this.orders.set(event.order.orderId, {
            view: { ...event.order },
            isNew: true,
            createdSeq: seq,
            updatedSeq: seq,
            updatedAtMs: timeMs,
          });
          break;
        case 'trade': {
          this.trades.push({
            symbol: event.symbol,
            tradeId: event.tradeId,
            seq,
            priceTicks: event.priceTicks,
            quantityLots: event.quantityLots,
            quoteMinor: event.quoteMinor.toString(),
            buyOrderId: event.buy.orderId,
            sellOrderId: event.sell.orderId,
            buyUserId: event.buy.userId,
            sellUserId: event.sell.userId,
            takerSide: event.takerSide,
            buyFeeMinor: event.buy.feeMinor.toString(),
            sellFeeMinor: event.sell.feeMinor.toString(),
            executedAtMs: event.timeMs,
          });
          for (const side of [event.buy, event.sell]) {
            const row = this.orderRow(side.orderId, seq, timeMs);
            row.view.executedLots = side.executedLots;
            row.view.cumulativeQuoteMinor = side.cumulativeQuoteMinor;
            row.view.status = side.status;
          }
          break;
        }
        case 'orderDone': {
          const row = this.orderRow(event.orderId, seq, timeMs);
          row.view.status = event.status;
          row.view.executedLots = event.executedLots;
          row.view.cumulativeQuoteMinor = event.cumulativeQuoteMinor;
          break;
        }
        case 'orderAmended': {
          const row = this.orderRow(event.orderId, seq, timeMs);
          row.view.priceTicks = event.priceTicks;
          row.view.quantityLots = event.quantityLots;
          break;
        }
        case 'orderTriggered':
          this.orderRow(event.orderId, seq, timeMs).view.workingAtMs = timeMs;
          break;
        case 'transfer': {
          const t = event.transfer;
          this.transfers.push({
            id: t.id,
            seq,
            debitOwnerId: t.debitOwnerId,
            debitBucket: t.debitBucket,
            creditOwnerId: t.creditOwnerId,
            creditBucket: t.creditBucket,
            asset: t.asset,
            amountMinor: t.amountMinor.toString(),
            code: t.code,
            reference: t.reference,
            holdId: t.holdId === 0 ? null : t.holdId,
            holdAction: t.holdAction === 'NONE' ? null : t.holdAction,
            externalKey: t.externalKey,
            memo: t.memo,
            createdAtMs: timeMs,
          });
          break;
        }
        case 'balances':
          for (const balance of event.balances) {
            this.setBalance(event.userId, balance.asset, 'AVAILABLE', balance.availableMinor, seq);
            this.setBalance(event.userId, balance.asset, 'LOCKED', balance.lockedMinor, seq);
            this.setBalance(event.userId, balance.asset, 'WITHDRAWING', balance.withdrawingMinor, seq);
          }
          break;
        case 'orderListStatus':
        case 'bookDelta':
        case 'balanceUpdate':
        case 'marketStatus':
        case 'userStatus':
        case 'defined':
          break;
        default: {
          const unreachable: never = event;
          throw new Error(`projection: unknown event ${JSON.stringify(unreachable)}`);
        }
      }
    }
  }

  /** System account balances (fees, custody, ...) as of the end of this flush. */
  setSystemBalance(asset: string, bucket: string, amountMinor: bigint, seq: number): void {
    this.setBalance(0, asset, bucket, amountMinor, seq);
  }

  private setBalance(ownerId: number, asset: string, bucket: string, amountMinor: bigint, seq: number): void {
    let assets = this.balances.get(ownerId);
    if (assets === undefined) {
      assets = new Map();
      this.balances.set(ownerId, assets);
    }
    let buckets = assets.get(asset);
    if (buckets === undefined) {
      buckets = new Map();
      assets.set(asset, buckets);
    }
    buckets.set(bucket, { amountMinor, seq });
  }

  private orderRow(orderId: number, seq: number, timeMs: number): OrderRow {
    let row = this.orders.get(orderId);
    if (row === undefined) {
      // Accepted in an earlier flush: only its changing fields are written, so the rest of the view is unused.
      row = {
        view: { ...PLACEHOLDER_VIEW, orderId },
        isNew: false,
        createdSeq: 0,
        updatedSeq: seq,
        updatedAtMs: timeMs,
      };
      this.orders.set(orderId, row);
    }
    row.updatedSeq = seq;
    row.updatedAtMs = timeMs;
    return row;
  }

  /**
   * Writes everything gathered plus the watermark, in one transaction, then empties the buffer. `bulk` is how
   * rows are appended: COPY (fastest) or INSERT ... SELECT FROM unnest (for the embedded PGlite, which cannot take
   * COPY FROM STDIN over the wire).
   */
  async flush(sql: Sql, bulk: BulkWrite = 'copy'): Promise<number> {
    const watermark = this.lastSeq;
    await sql.begin(async (tx) => {
      // The projections are rebuilt from the journal after a crash (the watermark commits with them), so this
      // transaction need not wait for its WAL flush: only the journal's commits must be synchronous.
      await tx`set local synchronous_commit = off`;
      await appendRows(tx, bulk, 'trades', TRADE_COLUMNS, this.trades);
      await appendRows(tx, bulk, 'ledger_transfers', TRANSFER_COLUMNS, this.transfers);
      const all = [...this.orders.values()];
      await appendRows(
        tx,
        bulk,
        'orders',
        ORDER_COLUMNS,
        all.filter((row) => row.isNew),
      );
      await this.updateOrders(
        tx,
        all.filter((row) => !row.isNew),
      );
      await this.writeBalances(tx);
      await tx`insert into engine_projection (id, last_seq) values (1, ${watermark})
               on conflict (id) do update set last_seq = excluded.last_seq`;
    });
    this.orders = new Map();
    this.trades = [];
    this.transfers = [];
    this.balances = new Map();
    this.commands = 0;
    return watermark;
  }

  /** Orders accepted in an earlier flush: only the fields that change are written. */
  private async updateOrders(tx: TransactionSql, updates: readonly OrderRow[]): Promise<void> {
    if (updates.length === 0) return;
    const v = updates.map((row) => row.view);
    await tx`
      update orders as o set
        price_ticks = coalesce(u.price_ticks, o.price_ticks),
        quantity_lots = coalesce(u.quantity_lots, o.quantity_lots),
        executed_lots = coalesce(u.executed_lots, o.executed_lots),
        cumulative_quote_minor = coalesce(u.cumulative_quote_minor, o.cumulative_quote_minor),
        status = coalesce(u.status, o.status),
        updated_seq = u.updated_seq,
        updated_at = u.updated_at
      from unnest(
        ${texts(
          tx,
          v.map((o) => o.orderId),
        )}::bigint[], ${texts(
          tx,
          v.map((o) => nullIfUnset(o.priceTicks)),
        )}::bigint[],
        ${texts(
          tx,
          v.map((o) => nullIfUnset(o.quantityLots)),
        )}::bigint[], ${texts(
          tx,
          v.map((o) => nullIfUnset(o.executedLots)),
        )}::bigint[],
        ${texts(
          tx,
          v.map((o) => (o.cumulativeQuoteMinor < 0n ? null : o.cumulativeQuoteMinor)),
        )}::numeric[],
        ${texts(
          tx,
          v.map((o) => (o.status === PLACEHOLDER_VIEW.status ? null : o.status)),
        )}::text[],
        ${texts(
          tx,
          updates.map((row) => row.updatedSeq),
        )}::bigint[], ${texts(
          tx,
          updates.map((row) => isoTime(row.updatedAtMs)),
        )}::timestamptz[]
      ) as u(order_id, price_ticks, quantity_lots, executed_lots, cumulative_quote_minor, status, updated_seq, updated_at)
      where o.order_id = u.order_id`;
  }

  private async writeBalances(tx: TransactionSql): Promise<void> {
    const rows: BalanceRow[] = [];
    for (const [ownerId, assets] of this.balances) {
      for (const [asset, buckets] of assets) {
        for (const [bucket, { amountMinor, seq }] of buckets) {
          rows.push({ ownerId, asset, bucket, amountMinor: amountMinor.toString(), seq });
        }
      }
    }
    if (rows.length === 0) return;
    const column = (value: (row: BalanceRow) => string | number) => texts(tx, rows.map(value));
    await tx`
      insert into ledger_balances (owner_id, asset, bucket, amount, last_sequence)
      select * from unnest(${column((r) => r.ownerId)}::bigint[], ${column((r) => r.asset)}::text[],
                           ${column((r) => r.bucket)}::text[], ${column((r) => r.amountMinor)}::numeric[],
                           ${column((r) => r.seq)}::bigint[])
      on conflict (owner_id, asset, bucket) do update set amount = excluded.amount, last_sequence = excluded.last_sequence`;
  }
}

export type BulkWrite = 'copy' | 'insert';

type Cell = string | number | bigint | null;
/** One projected column: its name, its SQL type (for the unnest casts) and how a row yields its value. */
type Column<R> = readonly [name: string, type: string, value: (row: R) => Cell];

const TRADE_COLUMNS: readonly Column<TradeRow>[] = [
  ['symbol', 'text', (r) => r.symbol],
  ['trade_id', 'bigint', (r) => r.tradeId],
  ['seq', 'bigint', (r) => r.seq],
  ['price_ticks', 'bigint', (r) => r.priceTicks],
  ['quantity_lots', 'bigint', (r) => r.quantityLots],
  ['quote_minor', 'numeric', (r) => r.quoteMinor],
  ['buy_order_id', 'bigint', (r) => r.buyOrderId],
  ['sell_order_id', 'bigint', (r) => r.sellOrderId],
  ['buy_user_id', 'bigint', (r) => r.buyUserId],
  ['sell_user_id', 'bigint', (r) => r.sellUserId],
  ['taker_side', 'text', (r) => r.takerSide],
  ['buy_fee_minor', 'numeric', (r) => r.buyFeeMinor],
  ['sell_fee_minor', 'numeric', (r) => r.sellFeeMinor],
  ['executed_at', 'timestamptz', (r) => isoTime(r.executedAtMs)],
];

const TRANSFER_COLUMNS: readonly Column<TransferRow>[] = [
  ['id', 'bigint', (r) => r.id],
  ['sequence', 'bigint', (r) => r.seq],
  ['debit_owner_id', 'bigint', (r) => r.debitOwnerId],
  ['debit_bucket', 'text', (r) => r.debitBucket],
  ['credit_owner_id', 'bigint', (r) => r.creditOwnerId],
  ['credit_bucket', 'text', (r) => r.creditBucket],
  ['asset', 'text', (r) => r.asset],
  ['amount', 'numeric', (r) => r.amountMinor],
  ['code', 'text', (r) => r.code],
  ['reference', 'bigint', (r) => r.reference],
  ['hold_id', 'bigint', (r) => r.holdId],
  ['hold_action', 'text', (r) => r.holdAction],
  ['external_key', 'text', (r) => r.externalKey],
  ['memo', 'text', (r) => r.memo],
  ['created_at', 'timestamptz', (r) => isoTime(r.createdAtMs)],
];

const ORDER_COLUMNS: readonly Column<OrderRow>[] = [
  ['order_id', 'bigint', (r) => r.view.orderId],
  ['user_id', 'bigint', (r) => r.view.userId],
  ['symbol', 'text', (r) => r.view.symbol],
  ['client_order_id', 'text', (r) => r.view.clientOrderId],
  ['order_list_id', 'bigint', (r) => r.view.orderListId],
  ['side', 'text', (r) => r.view.side],
  ['type', 'text', (r) => r.view.orderType],
  ['time_in_force', 'text', (r) => r.view.timeInForce],
  ['price_ticks', 'bigint', (r) => r.view.priceTicks],
  ['stop_price_ticks', 'bigint', (r) => r.view.stopPriceTicks],
  ['quantity_lots', 'bigint', (r) => r.view.quantityLots],
  ['quote_order_qty_minor', 'numeric', (r) => r.view.quoteOrderQtyMinor],
  ['executed_lots', 'bigint', (r) => r.view.executedLots],
  ['cumulative_quote_minor', 'numeric', (r) => r.view.cumulativeQuoteMinor],
  ['status', 'text', (r) => r.view.status],
  ['stp_mode', 'text', (r) => r.view.stpMode],
  ['created_seq', 'bigint', (r) => r.createdSeq],
  ['updated_seq', 'bigint', (r) => r.updatedSeq],
  ['created_at', 'timestamptz', (r) => isoTime(r.view.createdAtMs)],
  ['updated_at', 'timestamptz', (r) => isoTime(r.updatedAtMs)],
];

/** Appends rows to `table` with COPY FROM STDIN, or with one INSERT of unnested column arrays. */
const appendRows = async <R>(
  tx: TransactionSql,
  bulk: BulkWrite,
  table: string,
  columns: readonly Column<R>[],
  rows: readonly R[],
): Promise<void> => {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  if (bulk === 'copy') {
    let text = '';
    for (const row of rows) {
      for (let i = 0; i < columns.length; i++) {
        const value = columns[i]![2](row);
        text +=
          (i === 0 ? '' : '\t') + (value === null ? NULL : typeof value === 'string' ? copyText(value) : String(value));
      }
      text += '\n';
    }
    return copyIn(tx.unsafe(`copy ${table} (${names}) from stdin`), text);
  }
  const parameters = columns.map(([, , value]) => texts(tx, rows.map(value)));
  const unnested = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  await tx.unsafe(`insert into ${table} (${names}) select * from unnest(${unnested})`, parameters);
};

const NULL = '\\N';

/** COPY's text format: backslash, tab, newline and carriage return are escaped; null is \N. */
const copyText = (value: string | null): string =>
  value === null ? NULL : /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Streams `text` into a COPY ... FROM STDIN statement of the transaction. */
const copyIn = async (statement: PendingQuery<Row[]>, text: string): Promise<void> => {
  const stream = await statement.writable();
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(text);
  });
};

/** Consecutive rows mostly share a command's timestamp: format each distinct one once. */
let lastIsoMs = Number.NaN;
let lastIso = '';
const isoTime = (ms: number): string => {
  if (ms !== lastIsoMs) {
    lastIsoMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
};

/** A row's fields that no event set stay at these markers and are left alone by the update. */
const UNSET = -1;
const PLACEHOLDER_VIEW: OrderView = {
  orderId: 0,
  userId: 0,
  symbol: '',
  clientOrderId: '',
  orderListId: -1,
  side: 'BUY',
  orderType: 'LIMIT',
  timeInForce: 'GTC',
  priceTicks: UNSET,
  stopPriceTicks: UNSET,
  quantityLots: UNSET,
  quoteOrderQtyMinor: '0',
  stpMode: 'NONE',
  executedLots: UNSET,
  cumulativeQuoteMinor: -1n,
  status: 'PENDING_NEW',
  createdAtMs: 0,
  workingAtMs: 0,
};

const nullIfUnset = (value: number): number | null => (value === UNSET ? null : value);

/** Columns travel as text arrays and are cast in SQL: one parameter per column however many rows. */
const TEXT_OID = 25;
const texts = (tx: TransactionSql, values: readonly (string | number | bigint | null)[]) =>
  tx.array(
    values.map((value) => (value === null ? null : String(value))),
    TEXT_OID,
  );
