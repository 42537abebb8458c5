'use client';
// Chooses a new password with the token from the reset mail (from the link, or pasted: the mail prints it too).
// Success signs out every session, this browser's included, so the next step is logging in.
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { accountErrorMessage, readAccountFailure } from '../../lib/account-errors';
import { passwordAcceptable } from '../../lib/account-rules';
import { useTRPC } from '../../lib/trpc';
import { useRefreshSession } from '../use-session';
import { AuthHeading } from './auth-card';
import { forgetSecrets, NewPasswordFields, Notice, SubmitButton, TextField } from './fields';

export function ResetPasswordForm({ token }: { token: string | undefined }) {
  const trpc = useTRPC();
  const refresh = useRefreshSession();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions(forgetSecrets));
  const hasToken = token !== undefined && token !== '';

  if (reset.isSuccess) {
    return (
      <div className="auth-done">
        <div className="auth-done-icon auth-done-good" aria-hidden="true">
          ✓
        </div>
        <AuthHeading title="Your password has been reset" />
        <p>Every device that was signed in has been signed out. Log in with your new password.</p>
        <Link href="/login" className="button button-primary acct-button-wide">
          Log in
        </Link>
      </div>
    );
  }

  const tokenToSend = hasToken ? token : code.trim();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (tokenToSend === '' || !passwordAcceptable(password, confirmation)) return;
    reset.mutate(
      { token: tokenToSend, password },
      {
        onSuccess: () => {
          setPassword('');
          setConfirmation('');
          void refresh();
        },
      },
    );
  };
  const tokenRefused = reset.error !== null && readAccountFailure(reset.error).authCode === 'TOKEN_INVALID';

  return (
    <form onSubmit={submit} noValidate className="auth-form">
      <AuthHeading
        title="Choose a new password"
        subtitle={hasToken ? undefined : 'Paste the code from the reset email, then choose your new password.'}
      />
      {!hasToken && (
        <TextField
          label="Reset code"
          name="token"
          autoComplete="off"
          spellCheck={false}
          mono
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={submitted && code.trim() === '' ? 'Paste the code from the email.' : undefined}
        />
      )}
      <NewPasswordFields
        password={password}
        confirmation={confirmation}
        onPassword={setPassword}
        onConfirmation={setConfirmation}
        submitted={submitted}
      />
      {reset.error !== null && (
        <Notice tone="error">
          {accountErrorMessage(reset.error, 'resetPassword')}
          {tokenRefused && (
            <span className="acct-notice-links">
              <Link href="/forgot-password" className="acct-link">
                Send a new link
              </Link>
            </span>
          )}
        </Notice>
      )}
      <SubmitButton busy={reset.isPending} busyText="Saving…">
        Reset password
      </SubmitButton>
    </form>
  );
}
