// The wallet: balances with their estimated value, deposit and withdrawal history. Needs a session: the view sends
// signed-out visitors to log in and come back here.
import type { Metadata } from 'next';
import { WalletView } from '../../components/wallet/wallet-view';
import { marketSummaries, tenantConfig } from '../../tenant';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Wallet' };

export default async function WalletPage() {
  const config = await tenantConfig();
  const defaultMarket = config.markets.find((market) => market.symbol === config.branding.defaultMarket);
  // Values are estimated in the default market's quote asset (USDT in the demo), the unit people price in here.
  const valuationAsset = defaultMarket?.quote ?? config.markets[0]?.quote ?? config.assets[0]?.code ?? 'USDT';
  return (
    <WalletView
      assets={config.assets.map((asset) => ({ code: asset.code, name: asset.name, decimals: asset.decimals }))}
      markets={marketSummaries(config)}
      valuationAsset={valuationAsset}
      defaultMarket={config.branding.defaultMarket}
    />
  );
}
