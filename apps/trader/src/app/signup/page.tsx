import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '../../components/account/auth-card';
import { SignupForm } from '../../components/account/signup-form';
import { readTraderEnvironment } from '../../env';
import { tenantConfig } from '../../tenant';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign up' };

export default async function SignupPage() {
  const { branding } = await tenantConfig();
  return (
    <AuthCard
      aside
      exchangeName={branding.name}
      footer={
        <>
          Already have an account? <Link href="/login">Log in</Link>
        </>
      }
    >
      <SignupForm demo={readTraderEnvironment().demo} />
    </AuthCard>
  );
}
