import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '../../components/account/auth-card';
import { LoginForm } from '../../components/account/login-form';
import { readTraderEnvironment } from '../../env';
import { safeNextPath } from '../../lib/account-redirect';
import { tenantConfig } from '../../tenant';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Log in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ branding }, params] = await Promise.all([tenantConfig(), searchParams]);
  return (
    <AuthCard
      aside
      exchangeName={branding.name}
      footer={
        <>
          New here? <Link href="/signup">Create an account</Link>
        </>
      }
    >
      <LoginForm
        next={safeNextPath(params['next'])}
        resume={params['step'] === '2fa'}
        demo={readTraderEnvironment().demo}
      />
    </AuthCard>
  );
}
