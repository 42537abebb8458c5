// Turns engine events into projection rows and writes them in one transaction per flush, together with the
// watermark that says how far they go. Rows are gathered per flush: an order's row is written once with its
// latest state however many events touched it; trades and transfers are appended.
import type { Sql, TransactionSql } from 'postgres';
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
    const rows = this.trades;
    if (rows.length === 0) return;
    await tx`
      insert into trades (symbol, trade_id, seq, price_ticks, quantity_lots, quote_minor, buy_order_id, sell_order_id,
                          buy_user_id, sell_user_id, taker_side, buy_fee_minor, sell_fee_minor, executed_at)
      select * from unnest(
        ${texts(rows.map((r) => r.symbol))}::text[], ${texts(rows.map((r) => r.tradeId))}::bigint[],
        ${texts(rows.map((r) => r.seq))}::bigint[], ${texts(rows.map((r) => r.priceTicks))}::bigint[],
        ${texts(rows.map((r) => r.quantityLots))}::bigint[], ${texts(rows.map((r) => r.quoteMinor))}::numeric[],
        ${texts(rows.map((r) => r.buyOrderId))}::bigint[], ${texts(rows.map((r) => r.sellOrderId))}::bigint[],
        ${texts(rows.map((r) => r.buyUserId))}::bigint[], ${texts(rows.map((r) => r.sellUserId))}::bigint[],
        ${texts(rows.map((r) => r.takerSide))}::text[], ${texts(rows.map((r) => r.buyFeeMinor))}::numeric[],
        ${texts(rows.map((r) => r.sellFeeMinor))}::numeric[], ${timestamps(rows.map((r) => r.executedAtMs))}::timestamptz[])`;
  }

  private async writeTransfers(tx: TransactionSql): Promise<void> {
    const rows = this.transfers;
    if (rows.length === 0) return;
    await tx`
      insert into ledger_transfers (id, sequence, debit_owner_id, debit_bucket, credit_owner_id, credit_bucket, asset,
                                    amount, code, reference, hold_id, hold_action, external_key, memo, created_at)
      select * from unnest(
        ${texts(rows.map((r) => r.id))}::bigint[], ${texts(rows.map((r) => r.seq))}::bigint[],
        ${texts(rows.map((r) => r.debitOwnerId))}::bigint[], ${texts(rows.map((r) => r.debitBucket))}::text[],
        ${texts(rows.map((r) => r.creditOwnerId))}::bigint[], ${texts(rows.map((r) => r.creditBucket))}::text[],
        ${texts(rows.map((r) => r.asset))}::text[], ${texts(rows.map((r) => r.amountMinor))}::numeric[],
        ${texts(rows.map((r) => r.code))}::text[], ${texts(rows.map((r) => r.reference))}::bigint[],
        ${texts(rows.map((r) => r.holdId))}::bigint[], ${texts(rows.map((r) => r.holdAction))}::text[],
        ${texts(rows.map((r) => r.externalKey))}::text[], ${texts(rows.map((r) => r.memo))}::text[],
        ${timestamps(rows.map((r) => r.createdAtMs))}::timestamptz[])`;
  }

  private async writeOrders(tx: TransactionSql): Promise<void> {
    const all = [...this.orders.values()];
    const inserts = all.filter((row) => row.isNew);
    const updates = all.filter((row) => !row.isNew);
    if (inserts.length > 0) {
      const v = inserts.map((row) => row.view);
      await tx`
        insert into orders (order_id, user_id, symbol, client_order_id, order_list_id, side, type, time_in_force,
                            price_ticks, stop_price_ticks, quantity_lots, quote_order_qty_minor, executed_lots,
                            cumulative_quote_minor, status, stp_mode, created_seq, updated_seq, created_at, updated_at)
        select * from unnest(
          ${texts(v.map((o) => o.orderId))}::bigint[], ${texts(v.map((o) => o.userId))}::bigint[],
          ${texts(v.map((o) => o.symbol))}::text[], ${texts(v.map((o) => o.clientOrderId))}::text[],
          ${texts(v.map((o) => o.orderListId))}::bigint[], ${texts(v.map((o) => o.side))}::text[],
          ${texts(v.map((o) => o.orderType))}::text[], ${texts(v.map((o) => o.timeInForce))}::text[],
          ${texts(v.map((o) => o.priceTicks))}::bigint[], ${texts(v.map((o) => o.stopPriceTicks))}::bigint[],
          ${texts(v.map((o) => o.quantityLots))}::bigint[], ${texts(v.map((o) => o.quoteOrderQtyMinor))}::numeric[],
          ${texts(v.map((o) => o.executedLots))}::bigint[], ${texts(v.map((o) => o.cumulativeQuoteMinor))}::numeric[],
          ${texts(v.map((o) => o.status))}::text[], ${texts(v.map((o) => o.stpMode))}::text[],
          ${texts(inserts.map((row) => row.createdSeq))}::bigint[], ${texts(inserts.map((row) => row.updatedSeq))}::bigint[],
          ${timestamps(v.map((o) => o.createdAtMs))}::timestamptz[], ${timestamps(inserts.map((row) => row.updatedAtMs))}::timestamptz[])`;
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
          ${texts(v.map((o) => o.orderId))}::bigint[], ${texts(v.map((o) => nullIfUnset(o.priceTicks)))}::bigint[],
          ${texts(v.map((o) => nullIfUnset(o.quantityLots)))}::bigint[], ${texts(v.map((o) => nullIfUnset(o.executedLots)))}::bigint[],
          ${texts(v.map((o) => (o.cumulativeQuoteMinor < 0n ? null : o.cumulativeQuoteMinor)))}::numeric[],
          ${texts(v.map((o) => (o.status === PLACEHOLDER_VIEW.status ? null : o.status)))}::text[],
          ${texts(updates.map((row) => row.updatedSeq))}::bigint[], ${timestamps(updates.map((row) => row.updatedAtMs))}::timestamptz[]
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
        ${texts(rows.map((r) => r.ownerId))}::bigint[], ${texts(rows.map((r) => r.asset))}::text[],
        ${texts(rows.map((r) => r.bucket))}::text[], ${texts(rows.map((r) => r.amountMinor))}::numeric[],
        ${texts(rows.map((r) => r.seq))}::bigint[])
      on conflict (owner_id, asset, bucket) do update set amount = excluded.amount, last_sequence = excluded.last_sequence`;
  }
}

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
const texts = (values: readonly (string | number | bigint | null)[]): (string | null)[] =>
  values.map((value) => (value === null ? null : String(value)));
const timestamps = (values: readonly number[]): string[] => values.map((ms) => new Date(ms).toISOString());
