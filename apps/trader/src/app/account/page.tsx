import type { Metadata } from 'next';
import { AccountOverview } from '../../components/account/account-overview';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Account' };

export default function AccountPage() {
  return <AccountOverview />;
}
