'use client';
// Open orders, order history and trade history of the signed-in user, live from the user data stream (no polling):
// an order placed here or anywhere else (another tab, a bot with an API key) appears at once, fills update it, and
// a reconnect resyncs from REST. This market by default, every market with the toggle. Cancel per order and
// Cancel all; refusals are shown with the exchange's reason. Signed out, each tab says how to log in.
import Link from 'next/link';
import { useMemo, useState } from 'react';
import '../app/trading.css';
import { describeRefusal } from '../lib/private-rest';
import { openOrdersOf, orderHistoryOf, tradesOf } from '../lib/trading-state';
import { useMarketRules } from './gateway-provider';
import { OpenOrdersTable, OrderHistoryTable, TradeHistoryTable } from './orders/order-tables';
import { StreamNotice } from './orders/stream-notice';
import { useTrading } from './orders/trading-provider';

const tabs = ['Open orders', 'Order history', 'Trade history'] as const;
type Tab = (typeof tabs)[number];

/** Rows shown per table; the state keeps more (trading-state.ts limits), the newest come first. */
const rowsShownMax = 100;

export function AccountPanel({ symbol, pair }: { symbol: string; pair: string }) {
  const [tab, setTab] = useState<Tab>('Open orders');
  const trading = useTrading();
  const { rules } = useMarketRules();
  const [cancelling, setCancelling] = useState<ReadonlySet<number>>(new Set());
  const [cancellingAll, setCancellingAll] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const scope = trading.allMarkets ? null : symbol;
  const next = `/trade/${symbol}`;

  const { state } = trading;
  const openOrders = useMemo(() => openOrdersOf(state, scope), [state, scope]);
  const history = useMemo(() => orderHistoryOf(state, scope).slice(0, rowsShownMax), [state, scope]);
  const trades = useMemo(() => tradesOf(state, scope).slice(0, rowsShownMax), [state, scope]);
  const signedIn = trading.session === 'signedIn';
  const loaded = state.balancesKnown;

  const cancel = (order: { symbol: string; orderId: number }) => {
    setCancelling((current) => new Set(current).add(order.orderId));
    setMessage(null);
    trading
      .cancelOrder(order)
      .catch((error: unknown) => setMessage({ text: `Could not cancel: ${describeRefusal(error)}`, error: true }))
      .finally(() =>
        setCancelling((current) => {
          const remaining = new Set(current);
          remaining.delete(order.orderId);
          return remaining;
        }),
      );
  };
  const cancelAll = () => {
    const symbols = [...new Set(openOrders.map((order) => order.symbol))];
    setCancellingAll(true);
    setMessage(null);
    trading
      .cancelAll(symbols)
      .then((count) =>
        setMessage({ text: count === 1 ? '1 order cancelled.' : `${count} orders cancelled.`, error: false }),
      )
      .catch((error: unknown) => setMessage({ text: `Could not cancel all: ${describeRefusal(error)}`, error: true }))
      .finally(() => setCancellingAll(false));
  };

  const where = trading.allMarkets ? '' : ` on ${pair}`;
  let body;
  if (trading.session === 'loading') {
    body = <div className="empty">Loading…</div>;
  } else if (!signedIn) {
    body = trading.sessionExpired ? (
      <StreamNotice next={next} />
    ) : (
      <div className="empty">
        <Link href={`/login?next=${next}`} className="inline-link">
          Log in
        </Link>{' '}
        to see your {tab === 'Trade history' ? 'trades' : 'orders'}.
      </div>
    );
  } else if (!loaded) {
    body = (
      <>
        <StreamNotice next={next} />
        <div className="empty">Loading your {tab === 'Trade history' ? 'trades' : 'orders'}…</div>
      </>
    );
  } else {
    const empty = (text: string) => <div className="empty">{text}</div>;
    body = (
      <>
        <StreamNotice next={next} />
        {message !== null && (
          <div
            className={message.error ? 'account-notice error' : 'account-notice'}
            role={message.error ? 'alert' : 'status'}
          >
            {message.text}
          </div>
        )}
        {tab === 'Open orders' &&
          (openOrders.length === 0 ? (
            empty(`No open orders${where}.`)
          ) : (
            <OpenOrdersTable orders={openOrders} rules={rules} cancelling={cancelling} onCancel={cancel} />
          ))}
        {tab === 'Order history' &&
          (history.length === 0 ? (
            empty(`No finished orders${where} yet.`)
          ) : (
            <OrderHistoryTable orders={history} rules={rules} />
          ))}
        {tab === 'Trade history' &&
          (trades.length === 0 ? empty(`No trades${where} yet.`) : <TradeHistoryTable trades={trades} rules={rules} />)}
      </>
    );
  }

  return (
    <section className="panel area-account" aria-label="Your orders">
      <div className="panel-title account-panel-title">
        <div className="tabs" role="tablist" aria-label="Your orders">
          {tabs.map((name) => (
            <button
              key={name}
              id={`account-tab-${name.replace(' ', '-')}`}
              type="button"
              role="tab"
              className="tab"
              aria-selected={tab === name}
              aria-controls="account-tabpanel"
              aria-label={name}
              onClick={() => setTab(name)}
            >
              {name}
              {name === 'Open orders' && signedIn && loaded && <span className="tab-count">{openOrders.length}</span>}
            </button>
          ))}
        </div>
        {signedIn && (
          <div className="account-panel-tools">
            <label className="toggle">
              <input
                type="checkbox"
                checked={trading.allMarkets}
                onChange={(event) => trading.setAllMarkets(event.target.checked)}
              />
              All markets
            </label>
            {tab === 'Open orders' && (
              <button
                type="button"
                className="button button-ghost cancel-all"
                disabled={openOrders.length === 0 || cancellingAll}
                onClick={cancelAll}
              >
                {cancellingAll ? 'Cancelling…' : 'Cancel all'}
              </button>
            )}
          </div>
        )}
      </div>
      <div
        id="account-tabpanel"
        role="tabpanel"
        aria-labelledby={`account-tab-${tab.replace(' ', '-')}`}
        className="account-tabpanel"
      >
        {body}
      </div>
    </section>
  );
}
