'use client';
// The wallet page: the estimated total at the top, one row per asset (available, locked, total, estimated value in
// the valuation asset from the live tickers), a toggle that hides balances too small to trade, honest deposit and
// withdrawal buttons (disabled until the operator connects custody), and the deposit/withdrawal history from the
// account API. Balances are live from the user data stream; the history reloads when a deposit or withdrawal
// event arrives on it. Signed-out visitors go to the login page and come back.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import '../../app/trading.css';
import { formatUnits, parseUnits } from '../../lib/decimal';
import type { MarketSummary } from '../../lib/market-summary';
import { totalValue, walletRows, withoutSmallBalances, type WalletBalance } from '../../lib/wallet-state';
import { useMarketRules } from '../gateway-provider';
import { formatAmount } from '../orders/order-format';
import { StreamNotice } from '../orders/stream-notice';
import { TradingProvider, useTrading } from '../orders/trading-provider';
import { useSession } from '../use-session';
import { useTickers } from '../use-tickers';
import { TransferHistory } from './transfer-history';

export interface WalletAsset {
  code: string;
  name: string;
  decimals: number;
}

interface WalletViewProps {
  assets: WalletAsset[];
  markets: MarketSummary[];
  valuationAsset: string;
  defaultMarket: string;
}

const loginUrl = '/login?next=/wallet';

export function WalletView(props: WalletViewProps) {
  const { user } = useSession();
  const router = useRouter();
  const signedOut = user === null || (user !== undefined && !user.twoFactorVerified);
  useEffect(() => {
    if (signedOut) router.replace(loginUrl);
  }, [signedOut, router]);

  return (
    <main className="wallet-page">
      <h1>Wallet</h1>
      {user === undefined || signedOut ? (
        <div className="panel empty">{signedOut ? 'Taking you to the login page…' : 'Loading your wallet…'}</div>
      ) : (
        <TradingProvider mode="wallet">
          <WalletContent {...props} />
        </TradingProvider>
      )}
    </main>
  );
}

function WalletContent({ assets, markets, valuationAsset, defaultMarket }: WalletViewProps) {
  const { state, balanceUpdates } = useTrading();
  const tickers = useTickers();
  const { rules } = useMarketRules();
  const [hideSmall, setHideSmall] = useState(false);

  const lastPrices = useMemo(
    () => new Map([...tickers.values()].map((ticker) => [ticker.symbol, ticker.lastPrice])),
    [tickers],
  );
  const rows = useMemo(() => {
    // Every asset the exchange lists, with what the account holds (zero when it holds none).
    const balances = new Map<string, WalletBalance>(
      assets.map((asset) => [asset.code, { asset: asset.code, free: '0', locked: '0' }]),
    );
    for (const balance of state.balances.values())
      balances.set(balance.asset, { asset: balance.asset, free: balance.free, locked: balance.locked });
    return walletRows([...balances.values()], valuationAsset, markets, lastPrices);
  }, [assets, state.balances, valuationAsset, markets, lastPrices]);
  // Too small to trade: below the default market's minimum order value.
  const smallValueUnits = rules?.get(defaultMarket)?.minNotionalUnits ?? parseUnits('1')!;
  const shown = hideSmall ? withoutSmallBalances(rows, smallValueUnits) : rows;
  const total = totalValue(rows);
  const names = new Map(assets.map((asset) => [asset.code, asset]));
  const loaded = state.balancesKnown;
  const marketFor = (asset: string) =>
    markets.find((market) => market.base === asset && market.quote === valuationAsset) ??
    markets.find((market) => market.base === asset || market.quote === asset);
  const value = (units: bigint) => formatUnits(units, 2, { grouping: true });

  return (
    <>
      <StreamNotice next="/wallet" />
      <section className="panel wallet-summary" aria-label="Estimated total value">
        <div>
          <div className="wallet-total-label">Estimated total value</div>
          <div className="wallet-total num" data-testid="wallet-total">
            {loaded ? (
              <>
                ≈ {value(total.valueUnits)}
                <span className="unit">{valuationAsset}</span>
              </>
            ) : (
              '—'
            )}
          </div>
          {loaded && total.partial && (
            <div className="field-hint">Assets without a price in {valuationAsset} are not counted.</div>
          )}
        </div>
        <div className="wallet-actions">
          <div className="wallet-actions-buttons">
            <button type="button" className="button" disabled aria-describedby="wallet-actions-note">
              Deposit
            </button>
            <button type="button" className="button" disabled aria-describedby="wallet-actions-note">
              Withdraw
            </button>
          </div>
          <div id="wallet-actions-note" className="wallet-actions-note">
            Deposits open when the operator connects a wallet; withdrawals too.
          </div>
        </div>
      </section>

      <section className="panel" aria-label="Balances">
        <div className="panel-title">
          <span>Balances</span>
          <label className="toggle">
            <input type="checkbox" checked={hideSmall} onChange={(event) => setHideSmall(event.target.checked)} />
            Hide small balances
          </label>
        </div>
        {!loaded ? (
          <div className="empty">Loading your balances…</div>
        ) : shown.length === 0 ? (
          <div className="empty">
            No balances worth {value(smallValueUnits)} {valuationAsset} or more.
          </div>
        ) : (
          <div className="table-scroll">
            <table className="orders-table wallet-table" aria-label="Balances">
              <thead>
                <tr>
                  <th scope="col">Asset</th>
                  <th scope="col" className="num-col">
                    Available
                  </th>
                  <th scope="col" className="num-col hide-phone">
                    Locked
                  </th>
                  <th scope="col" className="num-col hide-phone">
                    Total
                  </th>
                  <th scope="col" className="num-col">
                    Value ({valuationAsset})
                  </th>
                  <th scope="col" className="action-col hide-phone">
                    <span className="visually-hidden">Trade</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((row) => {
                  const asset = names.get(row.asset);
                  const digits = asset?.decimals ?? 8;
                  const market = marketFor(row.asset);
                  return (
                    <tr key={row.asset} data-asset={row.asset}>
                      <th scope="row">
                        <div className="asset-cell">
                          <span className="asset-badge" aria-hidden="true">
                            {row.asset.slice(0, 3)}
                          </span>
                          <span>
                            {row.asset}
                            {asset !== undefined && <span className="asset-name">{asset.name}</span>}
                          </span>
                        </div>
                      </th>
                      <td className="num num-col">{formatAmount(row.freeUnits, digits)}</td>
                      <td className="num num-col hide-phone">{formatAmount(row.lockedUnits, digits)}</td>
                      <td className="num num-col hide-phone">{formatAmount(row.totalUnits, digits)}</td>
                      <td className="num num-col">
                        {row.valueUnits === null ? (
                          <span className="muted">No price</span>
                        ) : (
                          `≈ ${value(row.valueUnits)}`
                        )}
                      </td>
                      <td className="action-col hide-phone">
                        {market !== undefined && (
                          <Link
                            className="trade-link"
                            href={`/trade/${market.symbol}`}
                            aria-label={`Trade ${row.asset}`}
                          >
                            Trade
                          </Link>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <TransferHistory assets={assets} refreshKey={balanceUpdates} />
    </>
  );
}
