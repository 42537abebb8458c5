import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { InteractiveMark } from '../../../components/interactive-mark';
import { TradeView } from '../../../components/trade-view';
import { marketSummaries, tenantConfig } from '../../../tenant';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ symbol: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { symbol } = await params;
  const market = (await tenantConfig()).markets.find((candidate) => candidate.symbol === symbol.toUpperCase());
  return { title: market === undefined ? 'Unknown market' : `${market.base}/${market.quote}` };
}

export default async function TradePage({ params }: Props) {
  const { symbol } = await params;
  const config = await tenantConfig();
  const wanted = symbol.toUpperCase();
  const market = config.markets.find((candidate) => candidate.symbol === wanted);
  if (market === undefined) notFound();
  // One address per market: /trade/btcusdt goes to /trade/BTCUSDT.
  if (symbol !== wanted) redirect(`/trade/${wanted}`);
  return (
    <>
      <InteractiveMark name="trade" />
      <TradeView symbol={market.symbol} markets={marketSummaries(config)} />
    </>
  );
}
