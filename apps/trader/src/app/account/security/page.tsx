import type { Metadata } from 'next';
import { SecurityPage } from '../../../components/account/security-page';
import { tenantConfig } from '../../../tenant';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Security' };

export default async function AccountSecurityPage() {
  const { branding } = await tenantConfig();
  return <SecurityPage exchangeName={branding.name} />;
}
