import type { Metadata } from 'next';
import { AuthCard } from '../../components/account/auth-card';
import { VerifyEmail } from '../../components/account/verify-email';
import { readTraderEnvironment } from '../../env';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Confirm your email', referrer: 'no-referrer' };

export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const token = (await searchParams)['token'];
  return (
    <AuthCard>
      <VerifyEmail token={typeof token === 'string' ? token : undefined} demo={readTraderEnvironment().demo} />
    </AuthCard>
  );
}
