import { redirect } from 'next/navigation';
import { tenantConfig } from '../../tenant';

export const dynamic = 'force-dynamic';

/** /trade opens the tenant's default market. */
export default async function TradeIndex() {
  const { branding } = await tenantConfig();
  redirect(`/trade/${branding.defaultMarket}`);
}
