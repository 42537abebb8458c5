import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '../../components/account/auth-card';
import { ResetPasswordForm } from '../../components/account/reset-password-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Reset password', referrer: 'no-referrer' };

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const token = (await searchParams)['token'];
  return (
    <AuthCard
      footer={
        <>
          Link expired? <Link href="/forgot-password">Send a new one</Link>
        </>
      }
    >
      <ResetPasswordForm token={typeof token === 'string' ? token : undefined} />
    </AuthCard>
  );
}
