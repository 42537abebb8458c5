'use client';
// The order form for every order type the gateway takes (LIMIT, MARKET by quantity or by quote amount,
// LIMIT_MAKER, STOP_LOSS(_LIMIT), TAKE_PROFIT(_LIMIT)), checked against the market's filters on every keystroke
// (checkDraft). Sending needs an account: until the accounts work provides `submit` (a signed order through the
// user's session), the button says "Log in to trade".
import { useEffect, useMemo, useState } from 'react';
import { formatTrimmed, formatUnits } from '../lib/decimal';
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

const typeLabels: Record<OrderType, string> = {
  LIMIT: 'Limit',
  MARKET: 'Market',
  LIMIT_MAKER: 'Limit (post only)',
  STOP_LOSS: 'Stop market',
  STOP_LOSS_LIMIT: 'Stop limit',
  TAKE_PROFIT: 'Take profit market',
  TAKE_PROFIT_LIMIT: 'Take profit limit',
};

export interface OrderFormProps {
  rules: MarketRules;
  prices: MarketPrices;
  /** A price picked in the order book (with a counter, so picking the same price twice still fills it). */
  picked: { price: string; count: number } | null;
  /** Sends the order; absent while nobody is logged in. */
  submit?: (params: Record<string, string>) => Promise<void>;
}

function Field(props: {
  id: string;
  label: string;
  unit: string;
  value: string;
  error: string | undefined;
  hint?: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <div className="input-group" data-invalid={props.error !== undefined && props.value !== ''}>
        <input
          id={props.id}
          inputMode="decimal"
          autoComplete="off"
          placeholder="0"
          value={props.value}
          aria-invalid={props.error !== undefined && props.value !== ''}
          aria-describedby={`${props.id}-message`}
          onChange={(event) => props.onChange(event.target.value.replace(',', '.'))}
        />
        <span className="unit">{props.unit}</span>
      </div>
      <div
        id={`${props.id}-message`}
        className={props.error !== undefined && props.value !== '' ? 'field-error' : 'field-hint'}
      >
        {props.error !== undefined && props.value !== '' ? props.error : (props.hint ?? ' ')}
      </div>
    </div>
  );
}

export function OrderForm({ rules, prices, picked, submit }: OrderFormProps) {
  const [draft, setDraft] = useState<OrderDraft>({
    side: 'BUY',
    type: 'LIMIT',
    price: '',
    stopPrice: '',
    quantity: '',
    quoteAmount: '',
    sizeMode: 'quantity',
  });
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const update = (changes: Partial<OrderDraft>) => setDraft((current) => ({ ...current, ...changes }));

  useEffect(() => {
    if (picked !== null) setDraft((current) => ({ ...current, price: picked.price }));
  }, [picked]);
  // A new market starts with an empty form.
  useEffect(
    () => setDraft((current) => ({ ...current, price: '', stopPrice: '', quantity: '', quoteAmount: '' })),
    [rules.symbol],
  );

  const check = useMemo(() => checkDraft(draft, rules, prices), [draft, rules, prices]);
  const error = (field: DraftField) => check.errors[field];
  const types = (Object.keys(typeLabels) as OrderType[]).filter((type) => rules.orderTypes.includes(type));
  const buy = draft.side === 'BUY';
  const quoteSized = allowsQuoteSize(draft.type) && draft.sizeMode === 'quote';
  const sideLabel = `${buy ? 'Buy' : 'Sell'} ${rules.baseAsset}`;

  return (
    <section className="panel area-form" aria-label="Place an order">
      <form
        className="order-form"
        data-testid="order-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (submit === undefined || check.params === null) return;
          setSending(true);
          setOutcome(null);
          submit(check.params)
            .then(() => setOutcome('Order placed'))
            .catch((failure: unknown) =>
              setOutcome(failure instanceof Error ? failure.message : 'The order was refused'),
            )
            .finally(() => setSending(false));
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
            onChange={(event) => update({ type: event.target.value as OrderType })}
          >
            {types.map((type) => (
              <option key={type} value={type}>
                {typeLabels[type]}
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
        {hasLimitPrice(draft.type) && (
          <Field
            id="order-price"
            label="Limit price"
            unit={rules.quoteAsset}
            value={draft.price}
            error={error('price')}
            onChange={(price) => update({ price })}
          />
        )}
        {allowsQuoteSize(draft.type) && (
          <div className="tabs" role="group" aria-label="Size by">
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
            label={`Total to ${buy ? 'spend' : 'receive'}`}
            unit={rules.quoteAsset}
            value={draft.quoteAmount}
            error={error('quoteAmount')}
            onChange={(quoteAmount) => update({ quoteAmount })}
          />
        ) : (
          <Field
            id="order-quantity"
            label="Amount"
            unit={rules.baseAsset}
            value={draft.quantity}
            error={error('quantity')}
            onChange={(quantity) => update({ quantity })}
          />
        )}
        <div className="form-row">
          <span>
            {draft.type === 'MARKET' || draft.type === 'STOP_LOSS' || draft.type === 'TAKE_PROFIT'
              ? 'Estimated total'
              : 'Total'}
          </span>
          <span className="num">
            {check.totalUnits === null
              ? '—'
              : `${formatUnits(check.totalUnits, Math.min(rules.quoteDigits, 8), { grouping: true })} ${rules.quoteAsset}`}
          </span>
        </div>
        {error('total') !== undefined && draft.quantity !== '' && <div className="field-error">{error('total')}</div>}
        {check.warnings.map((warning) => (
          <div key={warning} className="field-hint">
            {warning}
          </div>
        ))}
        <div className="form-row">
          <span>Min order</span>
          <span className="num">
            {formatTrimmed(rules.minNotionalUnits)} {rules.quoteAsset}
          </span>
        </div>
        {submit === undefined ? (
          <>
            <button
              type="submit"
              className={`button submit-order ${buy ? 'buy' : 'sell'}`}
              disabled
              data-testid="submit-order"
            >
              Log in to trade
            </button>
            <div className="login-note">
              Log in or create an account to {buy ? 'buy' : 'sell'} {rules.baseAsset}.
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
        {outcome !== null && <div className="field-hint">{outcome}</div>}
      </form>
    </section>
  );
}
