import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '../../components/account/auth-card';
import { ForgotPasswordForm } from '../../components/account/forgot-password-form';
import { readTraderEnvironment } from '../../env';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Forgot password' };

export default function ForgotPasswordPage() {
  return (
    <AuthCard
      footer={
        <>
          Remembered it? <Link href="/login">Log in</Link>
        </>
      }
    >
      <ForgotPasswordForm demo={readTraderEnvironment().demo} />
    </AuthCard>
  );
}
