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
  private balances = new Map<string, BalanceRow>();
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
    this.balances.set(`${ownerId}\u0000${asset}\u0000${bucket}`, {
      ownerId,
      asset,
      bucket,
      amountMinor: amountMinor.toString(),
      seq,
    });
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

  /** Writes everything gathered plus the watermark, in one transaction, then empties the buffer. */
  async flush(sql: Sql): Promise<number> {
    const watermark = this.lastSeq;
    await sql.begin(async (tx) => {
      // The projections are rebuilt from the journal after a crash (the watermark commits with them), so this
      // transaction need not wait for its WAL flush: only the journal's commits must be synchronous.
      await tx`set local synchronous_commit = off`;
      await this.writeTrades(tx);
      await this.writeTransfers(tx);
      await this.writeOrders(tx);
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

  private async writeTrades(tx: TransactionSql): Promise<void> {
    if (this.trades.length === 0) return;
    let text = '';
    for (const r of this.trades) {
      text += `${r.symbol}\t${r.tradeId}\t${r.seq}\t${r.priceTicks}\t${r.quantityLots}\t${r.quoteMinor}\t${r.buyOrderId}\t${r.sellOrderId}\t${r.buyUserId}\t${r.sellUserId}\t${r.takerSide}\t${r.buyFeeMinor}\t${r.sellFeeMinor}\t${isoTime(r.executedAtMs)}\n`;
    }
    await copyIn(
      tx`copy trades (symbol, trade_id, seq, price_ticks, quantity_lots, quote_minor, buy_order_id, sell_order_id,
                      buy_user_id, sell_user_id, taker_side, buy_fee_minor, sell_fee_minor, executed_at) from stdin`,
      text,
    );
  }

  private async writeTransfers(tx: TransactionSql): Promise<void> {
    if (this.transfers.length === 0) return;
    let text = '';
    for (const r of this.transfers) {
      text += `${r.id}\t${r.seq}\t${r.debitOwnerId}\t${r.debitBucket}\t${r.creditOwnerId}\t${r.creditBucket}\t${r.asset}\t${r.amountMinor}\t${r.code}\t${r.reference}\t${r.holdId ?? NULL}\t${r.holdAction ?? NULL}\t${copyText(r.externalKey)}\t${copyText(r.memo)}\t${isoTime(r.createdAtMs)}\n`;
    }
    await copyIn(
      tx`copy ledger_transfers (id, sequence, debit_owner_id, debit_bucket, credit_owner_id, credit_bucket, asset,
                                amount, code, reference, hold_id, hold_action, external_key, memo, created_at) from stdin`,
      text,
    );
  }

  private async writeOrders(tx: TransactionSql): Promise<void> {
    let text = '';
    const updates: OrderRow[] = [];
    for (const row of this.orders.values()) {
      if (!row.isNew) {
        updates.push(row);
        continue;
      }
      const o = row.view;
      text += `${o.orderId}\t${o.userId}\t${o.symbol}\t${copyText(o.clientOrderId)}\t${o.orderListId}\t${o.side}\t${o.orderType}\t${o.timeInForce}\t${o.priceTicks}\t${o.stopPriceTicks}\t${o.quantityLots}\t${o.quoteOrderQtyMinor}\t${o.executedLots}\t${o.cumulativeQuoteMinor}\t${o.status}\t${o.stpMode}\t${row.createdSeq}\t${row.updatedSeq}\t${isoTime(o.createdAtMs)}\t${isoTime(row.updatedAtMs)}\n`;
    }
    if (text.length > 0) {
      await copyIn(
        tx`copy orders (order_id, user_id, symbol, client_order_id, order_list_id, side, type, time_in_force, price_ticks,
                        stop_price_ticks, quantity_lots, quote_order_qty_minor, executed_lots, cumulative_quote_minor,
                        status, stp_mode, created_seq, updated_seq, created_at, updated_at) from stdin`,
        text,
      );
    }
    if (updates.length > 0) {
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
          )}::bigint[], ${timestamps(
            tx,
            updates.map((row) => row.updatedAtMs),
          )}::timestamptz[]
        ) as u(order_id, price_ticks, quantity_lots, executed_lots, cumulative_quote_minor, status, updated_seq, updated_at)
        where o.order_id = u.order_id`;
    }
  }

  private async writeBalances(tx: TransactionSql): Promise<void> {
    const rows = [...this.balances.values()];
    if (rows.length === 0) return;
    await tx`
      insert into ledger_balances (owner_id, asset, bucket, amount, last_sequence)
      select * from unnest(
        ${texts(
          tx,
          rows.map((r) => r.ownerId),
        )}::bigint[], ${texts(
          tx,
          rows.map((r) => r.asset),
        )}::text[],
        ${texts(
          tx,
          rows.map((r) => r.bucket),
        )}::text[], ${texts(
          tx,
          rows.map((r) => r.amountMinor),
        )}::numeric[],
        ${texts(
          tx,
          rows.map((r) => r.seq),
        )}::bigint[])
      on conflict (owner_id, asset, bucket) do update set amount = excluded.amount, last_sequence = excluded.last_sequence`;
  }
}

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

const isoTime = (ms: number): string => new Date(ms).toISOString();

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
const timestamps = (tx: TransactionSql, values: readonly number[]) =>
  tx.array(
    values.map((ms) => new Date(ms).toISOString()),
    TEXT_OID,
  );
