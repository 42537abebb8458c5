import type { Metadata } from 'next';
import { ApiKeysPage } from '../../../components/account/api-keys-page';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'API keys' };

export default function AccountApiKeysPage() {
  return <ApiKeysPage />;
}
