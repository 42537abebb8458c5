'use client';
// Confirms an email address with the token from the sign-up mail. With `?token=` the page confirms at once (the
// token is single use, so React's development double effects must not send it twice); without one it asks for the
// code the mail also prints.
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { accountErrorMessage } from '../../lib/account-errors';
import { useTRPC } from '../../lib/trpc';
import { AuthHeading } from './auth-card';
import { Notice, SubmitButton, TextField } from './fields';

export function VerifyEmail({ token, demo }: { token: string | undefined; demo: boolean }) {
  const trpc = useTRPC();
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions());
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const sent = useRef(false);

  useEffect(() => {
    if (token === undefined || token === '' || sent.current) return;
    sent.current = true;
    verify.mutate({ token });
  }, [token, verify]);

  if (verify.isSuccess) {
    return (
      <div className="auth-done">
        <div className="auth-done-icon auth-done-good" aria-hidden="true">
          ✓
        </div>
        <AuthHeading title="Your email is verified" />
        <p>Your address is confirmed and your account is ready. Log in to start trading.</p>
        {demo && (
          <Notice tone="info" title="Demo exchange">
            Demo funds are credited to new accounts once their address is confirmed.
          </Notice>
        )}
        <Link href="/login" className="button button-primary acct-button-wide">
          Log in
        </Link>
      </div>
    );
  }

  if (token !== undefined && token !== '' && verify.error === null) {
    return (
      <div className="auth-done" aria-busy="true">
        <div className="spinner auth-spinner" aria-hidden="true" />
        <AuthHeading title="Confirming your email…" />
        <p className="muted">This takes a moment.</p>
      </div>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = code.trim();
    if (trimmed === '') {
      setProblem('Paste the code from the email.');
      return;
    }
    setProblem(undefined);
    verify.mutate({ token: trimmed });
  };

  return (
    <form onSubmit={submit} noValidate className="auth-form">
      {verify.error !== null ? (
        <>
          <div className="auth-done-icon auth-done-bad" aria-hidden="true">
            !
          </div>
          <AuthHeading title="This link did not work" />
          <Notice tone="error">{accountErrorMessage(verify.error, 'verifyEmail')}</Notice>
          <p className="muted acct-small">
            Need a new link? Resetting your password also confirms your address:{' '}
            <Link href="/forgot-password" className="acct-link">
              reset your password
            </Link>
            . Or try the code from the email below.
          </p>
        </>
      ) : (
        <AuthHeading
          title="Confirm your email"
          subtitle="Open the link in the email we sent you, or paste the code it contains."
        />
      )}
      <TextField
        label="Verification code"
        name="token"
        autoComplete="off"
        spellCheck={false}
        mono
        value={code}
        onChange={(event) => setCode(event.target.value)}
        error={problem}
      />
      <SubmitButton busy={verify.isPending} busyText="Confirming…">
        Verify
      </SubmitButton>
      <div className="auth-links-row">
        <Link href="/login" className="acct-link">
          Log in
        </Link>
        {demo && (
          <Link href="/mailbox" className="acct-link">
            Demo mailbox
          </Link>
        )}
      </div>
    </form>
  );
}
