'use client';
// The account panel's three tables. Each row is a table row (role row) carrying its time, pair, side (coloured),
// type, price, amounts and status as text, so people and tests find an order by what it says.
import { formatDecimal, formatUnits, multiplyUnits, parseUnits } from '../../lib/decimal';
import type { MarketRules } from '../../lib/market-rules';
import type { OrderRecord, TradeRecord } from '../../lib/trading-state';
import {
  filledText,
  formatTime,
  isStopType,
  orderAmountText,
  orderPriceText,
  orderTypeLabels,
  pairLabel,
  priceDigitsOf,
  quantityDigitsOf,
  quoteDigitsOf,
  statusLabel,
  triggerLabel,
} from './order-format';

type RulesBySymbol = ReadonlyMap<string, MarketRules> | undefined;

/** Date and time, each unbreakable, so a narrow column wraps between them and nowhere else. */
export function TimeText({ ms }: { ms: number }) {
  const [date, time] = formatTime(ms).split(' ');
  return (
    <>
      <span className="nowrap">{date}</span> <span className="nowrap">{time}</span>
    </>
  );
}

function Side({ side }: { side: string }) {
  const buy = side === 'BUY';
  return <span className={buy ? 'up side-cell' : 'down side-cell'}>{buy ? 'Buy' : 'Sell'}</span>;
}

function TypeCell({ order, rules }: { order: OrderRecord; rules: MarketRules | undefined }) {
  return (
    <>
      {orderTypeLabels[order.type] ?? order.type}
      {isStopType(order.type) && <span className="cell-note">Trigger {triggerLabel(order, priceDigitsOf(rules))}</span>}
    </>
  );
}

/** A table's header: names ending in '#' are numeric (right-aligned); `actions` adds the unlabelled button column. */
function HeaderRow({ columns, actions = false }: { columns: readonly string[]; actions?: boolean }) {
  return (
    <thead>
      <tr>
        {columns.map((column) =>
          column.endsWith('#') ? (
            <th key={column} scope="col" className="num-col">
              {column.slice(0, -1)}
            </th>
          ) : (
            <th key={column} scope="col">
              {column}
            </th>
          ),
        )}
        {actions && (
          <th scope="col" className="action-col">
            <span className="visually-hidden">Actions</span>
          </th>
        )}
      </tr>
    </thead>
  );
}

/** The cells an open order and a past one share: time, pair, side, type, price, amount, filled. */
function OrderCells({ order, rules }: { order: OrderRecord; rules: MarketRules | undefined }) {
  return (
    <>
      <td className="time-cell">
        <TimeText ms={order.time} />
      </td>
      <td>{pairLabel(order.symbol, rules)}</td>
      <td>
        <Side side={order.side} />
      </td>
      <td>
        <TypeCell order={order} rules={rules} />
      </td>
      <td className="num num-col">{orderPriceText(order, rules)}</td>
      <td className="num num-col">{orderAmountText(order, rules)}</td>
      <td className="num num-col">{filledText(order, rules)}</td>
    </>
  );
}

export function OpenOrdersTable(props: {
  orders: readonly OrderRecord[];
  rules: RulesBySymbol;
  cancelling: ReadonlySet<number>;
  onCancel: (order: OrderRecord) => void;
}) {
  return (
    <div className="table-scroll">
      <table className="orders-table" aria-label="Open orders">
        <HeaderRow columns={['Time', 'Pair', 'Side', 'Type', 'Price#', 'Amount#', 'Filled#', 'Status']} actions />
        <tbody>
          {props.orders.map((order) => {
            const rules = props.rules?.get(order.symbol);
            const cancelling = props.cancelling.has(order.orderId);
            return (
              <tr key={order.orderId} data-order-id={order.orderId}>
                <OrderCells order={order} rules={rules} />
                <td>{statusLabel(order)}</td>
                <td className="action-col">
                  <button
                    type="button"
                    className="button button-ghost cancel-order"
                    disabled={cancelling}
                    onClick={() => props.onCancel(order)}
                  >
                    {cancelling ? 'Cancelling…' : 'Cancel'}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function OrderHistoryTable(props: { orders: readonly OrderRecord[]; rules: RulesBySymbol }) {
  return (
    <div className="table-scroll">
      <table className="orders-table" aria-label="Order history">
        <HeaderRow columns={['Time', 'Pair', 'Side', 'Type', 'Price#', 'Amount#', 'Filled#', 'Total#', 'Status']} />
        <tbody>
          {props.orders.map((order) => {
            const rules = props.rules?.get(order.symbol);
            const quote = parseUnits(order.cummulativeQuoteQty) ?? 0n;
            return (
              <tr key={order.orderId} data-order-id={order.orderId}>
                <OrderCells order={order} rules={rules} />
                <td className="num num-col">
                  {quote === 0n ? '—' : formatUnits(quote, quoteDigitsOf(rules), { grouping: true })}
                </td>
                <td className={order.status === 'FILLED' ? 'status-filled' : 'muted'}>{statusLabel(order)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function TradeHistoryTable(props: { trades: readonly TradeRecord[]; rules: RulesBySymbol }) {
  return (
    <div className="table-scroll">
      <table className="orders-table" aria-label="Trade history">
        <HeaderRow columns={['Time', 'Pair', 'Side', 'Price#', 'Amount#', 'Total#', 'Fee#', 'Role']} />
        <tbody>
          {props.trades.map((trade) => {
            const rules = props.rules?.get(trade.symbol);
            // A fill from an order reply has no quote amount yet: price x quantity until the stream's copy arrives.
            const totalUnits =
              parseUnits(trade.quoteQty) ?? multiplyUnits(parseUnits(trade.price) ?? 0n, parseUnits(trade.qty) ?? 0n);
            return (
              <tr key={`${trade.symbol}:${trade.id}:${trade.isBuyer}`}>
                <td className="time-cell">
                  <TimeText ms={trade.time} />
                </td>
                <td>{pairLabel(trade.symbol, rules)}</td>
                <td>
                  <Side side={trade.isBuyer ? 'BUY' : 'SELL'} />
                </td>
                <td className="num num-col">{formatDecimal(trade.price, priceDigitsOf(rules))}</td>
                <td className="num num-col">{formatDecimal(trade.qty, quantityDigitsOf(rules))}</td>
                <td className="num num-col">{formatUnits(totalUnits, quoteDigitsOf(rules), { grouping: true })}</td>
                <td className="num num-col">
                  {formatDecimal(trade.commission, 8).replace(/\.?0+$/, '') || '0'} {trade.commissionAsset}
                </td>
                <td className="muted">{trade.isMaker ? 'Maker' : 'Taker'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
