// Tables the engine owns. The journal is the durable truth; every other table here is a projection
// rebuilt exactly from it (see docs/ARCHITECTURE.md).
import {
  bigint,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  customType,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * One row per group commit: the sequenced commands `first_seq..last_seq`, one JSON array `[timestampMs, command]`
 * a line. A batch row is written once and never updated; the primary key refuses a second writer's overlapping batch.
 */
export const engineJournal = pgTable('engine_journal', {
  firstSeq: bigint('first_seq', { mode: 'number' }).primaryKey(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().unique(),
  commandCount: integer('command_count').notNull(),
  committedAt: timestamp('committed_at', { withTimezone: true }).notNull().defaultNow(),
  payload: text('payload').notNull(),
});

/**
 * Which rules of the state machine wrote this journal. Replaying a journal under other rules would not reproduce
 * what was acknowledged, so the engine refuses to start on a journal of another rules version.
 */
export const engineMeta = pgTable('engine_meta', {
  id: smallint('id').primaryKey(),
  rulesVersion: integer('rules_version').notNull(),
});

/** Engine state (books, balances, holds, counters) after `seq`, gzip-compressed JSON, with its state hash. */
export const engineSnapshots = pgTable('engine_snapshots', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  stateHash: text('state_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  payload: bytea('payload').notNull(),
});

/** How far the projections below are applied; written in the same transaction as the rows it covers. */
export const engineProjection = pgTable('engine_projection', {
  id: smallint('id').primaryKey(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
});

/** Orders as last seen by the projector (one row per order, updated as it fills or ends). */
export const orders = pgTable(
  'orders',
  {
    orderId: bigint('order_id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    symbol: text('symbol').notNull(),
    clientOrderId: text('client_order_id').notNull(),
    orderListId: bigint('order_list_id', { mode: 'number' }).notNull(),
    side: text('side').notNull(),
    type: text('type').notNull(),
    timeInForce: text('time_in_force').notNull(),
    priceTicks: bigint('price_ticks', { mode: 'number' }).notNull(),
    stopPriceTicks: bigint('stop_price_ticks', { mode: 'number' }).notNull(),
    quantityLots: bigint('quantity_lots', { mode: 'number' }).notNull(),
    quoteOrderQtyMinor: numeric('quote_order_qty_minor', { precision: 38, scale: 0 }).notNull(),
    executedLots: bigint('executed_lots', { mode: 'number' }).notNull(),
    cumulativeQuoteMinor: numeric('cumulative_quote_minor', { precision: 38, scale: 0 }).notNull(),
    status: text('status').notNull(),
    stpMode: text('stp_mode').notNull(),
    createdSeq: bigint('created_seq', { mode: 'number' }).notNull(),
    updatedSeq: bigint('updated_seq', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    index('orders_user_symbol_idx').on(table.userId, table.symbol, table.orderId),
    index('orders_user_client_idx').on(table.userId, table.clientOrderId),
  ],
);

/** Trades, numbered per market as Binance numbers them. */
export const trades = pgTable(
  'trades',
  {
    symbol: text('symbol').notNull(),
    tradeId: bigint('trade_id', { mode: 'number' }).notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    priceTicks: bigint('price_ticks', { mode: 'number' }).notNull(),
    quantityLots: bigint('quantity_lots', { mode: 'number' }).notNull(),
    quoteMinor: numeric('quote_minor', { precision: 38, scale: 0 }).notNull(),
    buyOrderId: bigint('buy_order_id', { mode: 'number' }).notNull(),
    sellOrderId: bigint('sell_order_id', { mode: 'number' }).notNull(),
    buyUserId: bigint('buy_user_id', { mode: 'number' }).notNull(),
    sellUserId: bigint('sell_user_id', { mode: 'number' }).notNull(),
    takerSide: text('taker_side').notNull(),
    buyFeeMinor: numeric('buy_fee_minor', { precision: 38, scale: 0 }).notNull(),
    sellFeeMinor: numeric('sell_fee_minor', { precision: 38, scale: 0 }).notNull(),
    executedAt: timestamp('executed_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.symbol, table.tradeId] }),
    index('trades_buy_user_idx').on(table.buyUserId, table.symbol, table.tradeId),
    index('trades_sell_user_idx').on(table.sellUserId, table.symbol, table.tradeId),
    index('trades_time_idx').on(table.symbol, table.executedAt),
  ],
);
