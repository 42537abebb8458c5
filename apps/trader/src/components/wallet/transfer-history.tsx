'use client';
// Deposits, withdrawals and balance corrections (wallet.history on the account API), newest first. Reloaded when
// the user data stream reports a balance change that is not a trade (`refreshKey`), never on a timer.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { parseUnits } from '../../lib/decimal';
import { useTRPC } from '../../lib/trpc';
import { formatAmount } from '../orders/order-format';
import { TimeText } from '../orders/order-tables';
import type { WalletAsset } from './wallet-view';

const kindLabels: Record<string, string> = {
  DEPOSIT: 'Deposit',
  WITHDRAWAL: 'Withdrawal',
  ADJUSTMENT: 'Balance correction',
};
const statusLabels: Record<string, string> = { COMPLETED: 'Completed', PENDING: 'Pending', CANCELLED: 'Cancelled' };

export function TransferHistory({ assets, refreshKey }: { assets: WalletAsset[]; refreshKey: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const history = useQuery({ ...trpc.wallet.history.queryOptions(), staleTime: Infinity, retry: 1 });
  const lastKey = useRef(refreshKey);
  useEffect(() => {
    if (refreshKey === lastKey.current) return;
    lastKey.current = refreshKey;
    void queryClient.invalidateQueries({ queryKey: trpc.wallet.history.queryKey() });
  }, [refreshKey, queryClient, trpc]);
  const decimals = new Map(assets.map((asset) => [asset.code, asset.decimals]));
  const amount = (asset: string, text: string) => {
    const negative = text.startsWith('-');
    const units = parseUnits(negative ? text.slice(1) : text);
    return units === null ? text : `${negative ? '−' : ''}${formatAmount(units, decimals.get(asset) ?? 8)}`;
  };

  let body;
  if (history.isPending) body = <div className="empty">Loading the history…</div>;
  else if (history.isError)
    body = (
      <div className="account-notice error" role="alert">
        <span>Cannot load the deposit and withdrawal history: {history.error.message}</span>
        <button type="button" className="button button-ghost" onClick={() => void history.refetch()}>
          Try again
        </button>
      </div>
    );
  else if (history.data.length === 0) body = <div className="empty">No deposits or withdrawals yet.</div>;
  else
    body = (
      <div className="table-scroll">
        <table className="orders-table" aria-label="Deposit and withdrawal history">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Type</th>
              <th scope="col">Asset</th>
              <th scope="col" className="num-col">
                Amount
              </th>
              <th scope="col" className="num-col hide-phone">
                Fee
              </th>
              <th scope="col">Status</th>
              <th scope="col" className="hide-phone">
                Reference
              </th>
            </tr>
          </thead>
          <tbody>
            {history.data.map((entry) => (
              <tr key={entry.id}>
                <td className="time-cell">
                  <TimeText ms={Date.parse(entry.createdAt)} />
                </td>
                <td>{kindLabels[entry.kind] ?? entry.kind}</td>
                <td>{entry.asset}</td>
                <td
                  className={`num num-col ${entry.kind === 'WITHDRAWAL' || entry.amount.startsWith('-') ? 'down' : 'up'}`}
                >
                  {amount(entry.asset, entry.amount)}
                </td>
                <td className="num num-col hide-phone">{entry.fee === '0' ? '—' : amount(entry.asset, entry.fee)}</td>
                <td className={`history-status-${entry.status.toLowerCase()}`}>
                  {statusLabels[entry.status] ?? entry.status}
                </td>
                <td className="history-reference hide-phone" title={entry.reference ?? undefined}>
                  {entry.reference ?? '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <section className="panel" aria-label="Deposits and withdrawals">
      <div className="panel-title">Deposits and withdrawals</div>
      {body}
    </section>
  );
}
