'use client';
// The order form for every order type the gateway takes (LIMIT, MARKET by quantity or by quote amount,
// LIMIT_MAKER, STOP_LOSS(_LIMIT), TAKE_PROFIT(_LIMIT)), checked against the market's filters on every keystroke
// (checkDraft), sized from the available balance (25/50/75/100%), and sent with the user's session (`submit`).
// The exchange's answer is shown in place: what was bought, sold or placed, or Binance's reason for a refusal.
// Signed out, the button is a link to log in and come back here.
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import '../app/trading.css';
import { formatTrimmed, formatUnits, parseUnits } from '../lib/decimal';
import type { MarketRules } from '../lib/market-rules';
import {
  allowsQuoteSize,
  checkDraft,
  hasLimitPrice,
  hasStopPrice,
  type DraftField,
  type MarketPrices,
  type OrderDraft,
  type OrderSide,
  type OrderType,
} from '../lib/order-draft';
import { quantityForTotal, sizeForPercent, sizePercents } from '../lib/order-size-state';
import { describeRefusal, PrivateRestError, sessionExpiredMessage } from '../lib/private-rest';
import type { OrderReply } from '../lib/trading-state';
import { confirmationOf, formatAmount, orderTypeLabels } from './orders/order-format';
import type { TradingSession } from './orders/trading-provider';

export interface OrderFormAccount {
  session: TradingSession;
  /** The gateway refused the session since the page loaded. */
  sessionExpired: boolean;
  /** Free balances as decimal strings; null while the account is loading. */
  baseFree: string | null;
  quoteFree: string | null;
}

export interface OrderFormProps {
  rules: MarketRules;
  prices: MarketPrices;
  /** A price picked in the order book (with a counter, so picking the same price twice still fills it). */
  picked: { price: string; count: number } | null;
  account: OrderFormAccount;
  /** Sends the order with the user's session; absent while nobody is signed in. */
  submit?: (params: Record<string, string>) => Promise<OrderReply>;
}

type Outcome =
  | { kind: 'placed'; text: string }
  | { kind: 'refused'; text: string }
  | { kind: 'session' }
  | { kind: 'failed'; text: string };

function Field(props: {
  id: string;
  label: string;
  unit: string;
  value: string;
  error: string | undefined;
  hint?: string;
  onChange: (value: string) => void;
}) {
  const invalid = props.error !== undefined && props.value !== '';
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <div className="input-group" data-invalid={invalid}>
        <input
          id={props.id}
          inputMode="decimal"
          autoComplete="off"
          placeholder="0"
          value={props.value}
          aria-invalid={invalid}
          aria-describedby={`${props.id}-message`}
          onChange={(event) => props.onChange(event.target.value.replace(',', '.'))}
        />
        <span className="unit">{props.unit}</span>
      </div>
      <div id={`${props.id}-message`} className={invalid ? 'field-error' : 'field-hint'}>
        {invalid ? props.error : (props.hint ?? ' ')}
      </div>
    </div>
  );
}

/** Free balance text for the form: grouped, "—" while unknown. */
function availableText(free: string | null, digits: number): string {
  if (free === null) return '—';
  const units = parseUnits(free);
  return units === null ? free : formatAmount(units, digits);
}

export function OrderForm({ rules, prices, picked, account, submit }: OrderFormProps) {
  const [draft, setDraft] = useState<OrderDraft>({
    side: 'BUY',
    type: 'LIMIT',
    price: '',
    stopPrice: '',
    quantity: '',
    quoteAmount: '',
    sizeMode: 'quantity',
  });
  /** What the user typed in a limit order's Total field; null when the total follows price x amount. */
  const [totalText, setTotalText] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const update = (changes: Partial<OrderDraft>) => {
    setDraft((current) => ({ ...current, ...changes }));
    if (outcome?.kind !== 'session') setOutcome(null);
  };

  useEffect(() => {
    if (picked === null) return;
    setDraft((current) => ({ ...current, price: picked.price }));
    setTotalText(null);
  }, [picked]);
  // A new market starts with an empty form.
  useEffect(() => {
    setDraft((current) => ({ ...current, price: '', stopPrice: '', quantity: '', quoteAmount: '' }));
    setTotalText(null);
    setOutcome(null);
  }, [rules.symbol]);

  const check = useMemo(() => checkDraft(draft, rules, prices), [draft, rules, prices]);
  const error = (field: DraftField) => check.errors[field];
  const types = (Object.keys(orderTypeLabels) as OrderType[]).filter((type) => rules.orderTypes.includes(type));
  const buy = draft.side === 'BUY';
  const limit = hasLimitPrice(draft.type);
  const quoteSized = allowsQuoteSize(draft.type) && draft.sizeMode === 'quote';
  const sideLabel = `${buy ? 'Buy' : 'Sell'} ${rules.baseAsset}`;
  const quoteDigits = Math.min(rules.quoteDigits, 8);
  const spendAsset = buy ? rules.quoteAsset : rules.baseAsset;
  const spendFree = buy ? account.quoteFree : account.baseFree;
  const signedIn = account.session === 'signedIn';
  const priceUnits = limit ? parseUnits(draft.price) : null;

  const computedTotal = check.totalUnits === null || quoteSized ? '' : formatTrimmed(check.totalUnits);
  const setTotal = (text: string) => {
    setTotalText(text);
    const total = parseUnits(text);
    const quantity =
      total === null || priceUnits === null || priceUnits <= 0n
        ? ''
        : formatUnits(quantityForTotal(total, priceUnits, rules.stepUnits), rules.quantityDigits);
    update({ quantity });
  };

  // The price a share of the balance converts at: the limit price, else the side of the book the order meets.
  const percentPriceUnits = limit
    ? priceUnits
    : ((buy ? prices.bestAskUnits : prices.bestBidUnits) ?? prices.lastUnits);
  const percentNeedsPrice = buy ? !quoteSized : quoteSized;
  const percentBlocked =
    spendFree === null || (percentNeedsPrice && (percentPriceUnits === null || percentPriceUnits <= 0n));
  const applyPercent = (percent: number) => {
    const availableUnits = spendFree === null ? null : parseUnits(spendFree);
    if (availableUnits === null) return;
    const sized = sizeForPercent({
      percent,
      side: draft.side,
      sizeMode: quoteSized ? 'quote' : 'quantity',
      availableUnits,
      priceUnits: percentPriceUnits,
      rules,
    });
    if (sized === null) return;
    setTotalText(null);
    update(sized);
  };

  // A heads-up before the exchange refuses: the order needs more than the free balance.
  // (A sell sized in quote needs an unknown amount of base: the exchange decides.)
  const neededUnits = buy
    ? quoteSized
      ? parseUnits(draft.quoteAmount)
      : check.totalUnits
    : quoteSized
      ? null
      : parseUnits(draft.quantity);
  const freeUnits = spendFree === null ? null : parseUnits(spendFree);
  const exceedsBalance =
    signedIn && neededUnits !== null && freeUnits !== null && neededUnits > freeUnits && check.params !== null;

  const send = () => {
    if (submit === undefined || check.params === null) return;
    setSending(true);
    setOutcome(null);
    submit(check.params)
      .then((reply) => setOutcome({ kind: 'placed', text: confirmationOf(reply, rules) }))
      .catch((failure: unknown) => {
        const unknown = (message: string) =>
          setOutcome({
            kind: 'failed',
            text: `${message} The order may or may not have been placed: check Open orders below before trying again.`,
          });
        if (!(failure instanceof PrivateRestError)) return unknown(describeRefusal(failure));
        switch (failure.kind) {
          case 'session':
            return setOutcome({ kind: 'session' });
          case 'rejected':
            return setOutcome({ kind: 'refused', text: describeRefusal(failure) });
          case 'rate':
            // Refused before it was looked at: nothing was placed.
            return setOutcome({ kind: 'failed', text: `The order was not placed. ${failure.message}` });
          case 'network':
          case 'server':
            return unknown(failure.message);
        }
      })
      .finally(() => setSending(false));
  };

  const loginHref = `/login?next=/trade/${rules.symbol}`;
  return (
    <section className="panel area-form" aria-label="Place an order">
      <form
        className="order-form"
        data-testid="order-form"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <div className="side-switch" role="group" aria-label="Side">
          {(['BUY', 'SELL'] as OrderSide[]).map((side) => (
            <button
              key={side}
              type="button"
              className={side === 'BUY' ? 'buy' : 'sell'}
              aria-pressed={draft.side === side}
              onClick={() => update({ side })}
            >
              {side === 'BUY' ? 'Buy' : 'Sell'}
            </button>
          ))}
        </div>
        <div className="field">
          <label htmlFor="order-type">Order type</label>
          <select
            id="order-type"
            className="order-type-select"
            value={draft.type}
            onChange={(event) => {
              setTotalText(null);
              update({ type: event.target.value as OrderType });
            }}
          >
            {types.map((type) => (
              <option key={type} value={type}>
                {orderTypeLabels[type]}
              </option>
            ))}
          </select>
        </div>
        {hasStopPrice(draft.type) && (
          <Field
            id="order-stop-price"
            label="Stop price"
            unit={rules.quoteAsset}
            value={draft.stopPrice}
            error={error('stopPrice')}
            hint={
              draft.type.startsWith('STOP')
                ? `Triggers when the price ${buy ? 'rises' : 'falls'} to this`
                : `Triggers when the price ${buy ? 'falls' : 'rises'} to this`
            }
            onChange={(stopPrice) => update({ stopPrice })}
          />
        )}
        {limit && (
          <Field
            id="order-price"
            label="Price"
            unit={rules.quoteAsset}
            value={draft.price}
            error={error('price')}
            onChange={(price) => {
              setTotalText(null);
              update({ price });
            }}
          />
        )}
        {allowsQuoteSize(draft.type) && (
          <div className="tabs size-switch" role="group" aria-label="Size by">
            <button
              type="button"
              className="tab"
              aria-pressed={!quoteSized}
              onClick={() => update({ sizeMode: 'quantity' })}
            >
              Amount ({rules.baseAsset})
            </button>
            <button
              type="button"
              className="tab"
              aria-pressed={quoteSized}
              onClick={() => update({ sizeMode: 'quote' })}
            >
              Total ({rules.quoteAsset})
            </button>
          </div>
        )}
        {quoteSized ? (
          <Field
            id="order-quote-amount"
            label="Total"
            unit={rules.quoteAsset}
            value={draft.quoteAmount}
            error={error('quoteAmount')}
            hint={`${buy ? 'Spend' : 'Receive'} this much ${rules.quoteAsset} at the best prices in the book`}
            onChange={(quoteAmount) => update({ quoteAmount })}
          />
        ) : (
          <Field
            id="order-quantity"
            label="Amount"
            unit={rules.baseAsset}
            value={draft.quantity}
            error={error('quantity')}
            onChange={(quantity) => {
              setTotalText(null);
              update({ quantity });
            }}
          />
        )}
        {signedIn && (
          <div className="percent-buttons" role="group" aria-label="Share of available balance">
            {sizePercents.map((percent) => (
              <button
                key={percent}
                type="button"
                className="percent-button"
                disabled={percentBlocked}
                title={
                  percentBlocked && spendFree !== null
                    ? 'Enter a price first'
                    : `Use ${percent}% of your available ${spendAsset}`
                }
                onClick={() => applyPercent(percent)}
              >
                {percent}%
              </button>
            ))}
          </div>
        )}
        {limit && (
          <Field
            id="order-total"
            label="Total"
            unit={rules.quoteAsset}
            value={totalText ?? computedTotal}
            error={
              totalText !== null && (priceUnits === null || priceUnits <= 0n)
                ? 'Enter a price first'
                : draft.quantity === ''
                  ? undefined
                  : error('total')
            }
            onChange={setTotal}
          />
        )}
        {!limit && !quoteSized && (
          <div className="form-row">
            <span>Estimated total</span>
            <span className="num">
              {check.totalUnits === null
                ? '—'
                : `${formatUnits(check.totalUnits, quoteDigits, { grouping: true })} ${rules.quoteAsset}`}
            </span>
          </div>
        )}
        {!limit && !quoteSized && error('total') !== undefined && draft.quantity !== '' && (
          <div className="field-error">{error('total')}</div>
        )}
        {check.warnings.map((warning) => (
          <div key={warning} className="field-hint">
            {warning}
          </div>
        ))}
        {signedIn && (
          <div className="form-row" data-testid="available-balance">
            <span>Available</span>
            <span className="num">
              {availableText(spendFree, buy ? rules.quoteDigits : rules.quantityDigits)} {spendAsset}
            </span>
          </div>
        )}
        {exceedsBalance && (
          <div className="field-hint balance-warning">This order needs more {spendAsset} than you have available.</div>
        )}
        <div className="form-row">
          <span>Min order</span>
          <span className="num">
            {formatTrimmed(rules.minNotionalUnits)} {rules.quoteAsset}
          </span>
        </div>
        {account.session === 'loading' ? (
          <button
            type="button"
            className={`button submit-order ${buy ? 'buy' : 'sell'}`}
            disabled
            data-testid="submit-order"
          >
            {sideLabel}
          </button>
        ) : account.session === 'signedOut' || submit === undefined ? (
          <>
            <Link
              href={loginHref}
              className={`button submit-order login-to-trade ${buy ? 'buy' : 'sell'}`}
              data-testid="submit-order"
            >
              Log in to trade
            </Link>
            <div className="login-note">
              {account.sessionExpired ? (
                // Said once: the alert below says it when this form's own order met the expired session.
                outcome?.kind === 'session' ? null : (
                  `${sessionExpiredMessage}.`
                )
              ) : (
                <>
                  Log in or <Link href="/signup">create an account</Link> to {buy ? 'buy' : 'sell'} {rules.baseAsset}.
                </>
              )}
            </div>
          </>
        ) : (
          <button
            type="submit"
            className={`button submit-order ${buy ? 'buy' : 'sell'}`}
            disabled={sending || check.params === null}
            data-testid="submit-order"
          >
            {sending ? 'Sending…' : sideLabel}
          </button>
        )}
        {outcome?.kind === 'placed' && (
          <div className="order-outcome placed" role="status">
            {outcome.text}
          </div>
        )}
        {outcome?.kind === 'refused' && (
          <div className="order-outcome refused" role="alert">
            <strong>Order rejected:</strong> {outcome.text}
          </div>
        )}
        {outcome?.kind === 'failed' && (
          <div className="order-outcome refused" role="alert">
            {outcome.text}
          </div>
        )}
        {outcome?.kind === 'session' && (
          <div className="order-outcome refused" role="alert">
            {sessionExpiredMessage}.{' '}
            <Link href={loginHref} className="notice-link">
              Log in
            </Link>
          </div>
        )}
      </form>
    </section>
  );
}
