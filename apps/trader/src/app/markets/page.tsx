import type { Metadata } from 'next';
import { MarketsTable } from '../../components/markets-table';
import { marketSummaries, tenantConfig } from '../../tenant';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Markets' };

export default async function MarketsPage() {
  const config = await tenantConfig();
  return (
    <main className="markets-page">
      <div className="markets-hero">
        <h1>Markets</h1>
        <p>Live spot prices on {config.branding.name}.</p>
      </div>
      <MarketsTable markets={marketSummaries(config)} />
    </main>
  );
}
