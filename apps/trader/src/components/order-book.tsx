'use client';
// The order book panel: asks above, bids below, the last price and spread between, depth bars from the running
// totals, and grouping by tick multiples. Clicking a level hands its price to the order form.
import { useEffect, useMemo, useState } from 'react';
import { formatDecimal, formatUnits, fractionDigits, multiplyUnits } from '../lib/decimal';
import { groupLevels, groupingSteps } from '../lib/depth-grouping';
import type { MarketRules } from '../lib/market-rules';
import type { DepthView } from './use-depth';

/** Levels shown per side. */
const levelsShown = 14;

export function OrderBook({
  depth,
  rules,
  lastPrice,
  lastTick,
  onPickPrice,
}: {
  depth: DepthView;
  rules: MarketRules;
  lastPrice: string | undefined;
  lastTick: 'up' | 'down' | null;
  onPickPrice: (price: string) => void;
}) {
  const steps = useMemo(() => groupingSteps(rules.tickSize), [rules.tickSize]);
  const [step, setStep] = useState(steps[0] ?? rules.tickSize);
  useEffect(() => setStep(steps[0] ?? rules.tickSize), [steps, rules.tickSize]);
  const priceDigits = fractionDigits(step);

  const { asks, bids, maxTotal } = useMemo(() => {
    const book = depth.book;
    if (book === null || !book.synced) return { asks: [], bids: [], maxTotal: 0n };
    const groupedAsks = groupLevels(book.askLevels(), 'ask', step, levelsShown);
    const groupedBids = groupLevels(book.bidLevels(), 'bid', step, levelsShown);
    const totals = [groupedAsks.at(-1)?.cumulativeUnits ?? 0n, groupedBids.at(-1)?.cumulativeUnits ?? 0n];
    return { asks: groupedAsks, bids: groupedBids, maxTotal: totals[0]! > totals[1]! ? totals[0]! : totals[1]! };
    // depth.version is in the list because the book object stays the same while its levels change.
  }, [depth.book, depth.version, step]);

  const spread = asks[0] !== undefined && bids[0] !== undefined ? asks[0].priceUnits - bids[0].priceUnits : null;
  const row = (level: (typeof asks)[number], side: 'ask' | 'bid') => {
    const widthPct = maxTotal === 0n ? 0 : Number((level.cumulativeUnits * 1000n) / maxTotal) / 10;
    const price = formatUnits(level.priceUnits, priceDigits);
    return (
      <div
        key={`${side}${level.priceUnits}`}
        className={`book-row ${side}`}
        role="button"
        tabIndex={0}
        onClick={() => onPickPrice(price)}
        onKeyDown={(event) => event.key === 'Enter' && onPickPrice(price)}
        data-testid={`${side}-level`}
      >
        <span className="depth-bar" style={{ width: `${widthPct}%` }} />
        <span className={`num ${side === 'ask' ? 'down' : 'up'}`}>
          {formatUnits(level.priceUnits, priceDigits, { grouping: true })}
        </span>
        <span className="num">{formatUnits(level.quantityUnits, rules.quantityDigits)}</span>
        <span className="num muted">
          {formatUnits(multiplyUnits(level.priceUnits, level.quantityUnits), Math.min(rules.quoteDigits, 2), {
            grouping: true,
          })}
        </span>
      </div>
    );
  };

  return (
    <section className="panel area-book" aria-label="Order book" data-testid="order-book">
      <div className="panel-title">
        <span>Order book</span>
        <select
          className="book-select"
          aria-label="Group prices by"
          value={step}
          onChange={(event) => setStep(event.target.value)}
        >
          {steps.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </div>
      <div className="book-header">
        <span>Price ({rules.quoteAsset})</span>
        <span>Amount ({rules.baseAsset})</span>
        <span>Total</span>
      </div>
      {depth.status === 'syncing' && asks.length === 0 && bids.length === 0 ? (
        <div className="empty">Loading order book…</div>
      ) : (
        <>
          <div>{[...asks].reverse().map((level) => row(level, 'ask'))}</div>
          <div className="book-spread">
            <span className={`num ${lastTick ?? ''}`}>
              {lastPrice === undefined ? '—' : formatDecimal(lastPrice, rules.priceDigits)}
            </span>
            <span className="muted num">
              {spread === null ? '' : `Spread ${formatUnits(spread, rules.priceDigits)}`}
            </span>
          </div>
          <div>{bids.map((level) => row(level, 'bid'))}</div>
          {asks.length === 0 && bids.length === 0 && <div className="empty">No orders on the book yet.</div>}
        </>
      )}
    </section>
  );
}
