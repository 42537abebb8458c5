'use client';
// Asks for a password reset link. The answer is the same whether or not the address has an account, and the page
// says so neutrally.
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { accountErrorMessage } from '../../lib/account-errors';
import { emailLooksValid } from '../../lib/account-rules';
import { useTRPC } from '../../lib/trpc';
import { AuthHeading } from './auth-card';
import { EmailField, Notice, SubmitButton } from './fields';
import { AccountIcon } from './icons';

export function ForgotPasswordForm({ demo }: { demo: boolean }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!emailLooksValid(email)) return;
    const address = email.trim();
    request.mutate({ email: address }, { onSuccess: () => setSentTo(address) });
  };

  if (sentTo !== null) {
    return (
      <div className="auth-done">
        <div className="auth-done-icon">
          <AccountIcon name="mail" size={26} />
        </div>
        <AuthHeading title="Check your email" />
        <p>
          If an account uses <strong className="auth-email">{sentTo}</strong>, we have sent it a link to choose a new
          password. The link works once, for 1 hour; asking again replaces it.
        </p>
        <p className="muted">Resetting your password signs out every device, and also confirms your email address.</p>
        {demo && (
          <Notice tone="info" title="Demo exchange">
            No real email is sent here.{' '}
            <Link href={`/mailbox?to=${encodeURIComponent(sentTo)}`} className="acct-link">
              Open the demo mailbox
            </Link>
          </Notice>
        )}
        <Link href="/login" className="button button-ghost acct-button-wide">
          Back to log in
        </Link>
      </div>
    );
  }

  return (
    <form onSubmit={submit} noValidate className="auth-form">
      <AuthHeading
        title="Reset your password"
        subtitle="Enter your account’s email address and we will send you a link to choose a new password."
      />
      <EmailField
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={submitted && !emailLooksValid(email) ? 'Enter an email address like name@example.com.' : undefined}
      />
      {request.error !== null && (
        <Notice tone="error">{accountErrorMessage(request.error, 'requestPasswordReset')}</Notice>
      )}
      <SubmitButton busy={request.isPending} busyText="Sending…">
        Send reset link
      </SubmitButton>
    </form>
  );
}
