'use client';
// Sign-up: email and password (twice), the password rules ticked as they are typed. The API answers "check your
// email" whether or not the address already has an account (so nobody can probe who has one), and this page says
// exactly that, neutrally. In the demo, the mails land in the local mailbox, linked from here.
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { accountErrorMessage } from '../../lib/account-errors';
import { emailLooksValid, passwordAcceptable } from '../../lib/account-rules';
import { useTRPC } from '../../lib/trpc';
import { AuthHeading } from './auth-card';
import { EmailField, forgetSecrets, NewPasswordFields, Notice, SubmitButton } from './fields';
import { AccountIcon } from './icons';

export function SignupForm({ demo }: { demo: boolean }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const signUp = useMutation(trpc.auth.signUp.mutationOptions(forgetSecrets));

  const emailError = submitted && !emailLooksValid(email) ? 'Enter an email address like name@example.com.' : undefined;
  const passwordOk = passwordAcceptable(password, confirmation);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!emailLooksValid(email) || !passwordOk) return;
    const address = email.trim();
    signUp.mutate(
      { email: address, password },
      {
        onSuccess: () => {
          setSentTo(address);
          // The password is not kept in the page once it has been sent.
          setPassword('');
          setConfirmation('');
        },
      },
    );
  };

  if (sentTo !== null) {
    return (
      <div className="auth-done">
        <div className="auth-done-icon">
          <AccountIcon name="mail" size={26} />
        </div>
        <AuthHeading title="Check your email" />
        <p>
          We have sent a message to <strong className="auth-email">{sentTo}</strong>. Open the link in it to confirm
          your address and finish signing up. The link works for 24 hours.
        </p>
        <p className="muted">
          If this address already has an account, the message says so and tells you how to log in instead. Nothing
          arrived after a few minutes? Check your spam folder, and that the address is spelled right.
        </p>
        {demo && (
          <Notice tone="info" title="Demo exchange">
            No real email is sent here: messages go to the demo mailbox.{' '}
            <Link href={`/mailbox?to=${encodeURIComponent(sentTo)}`} className="acct-link">
              Open the demo mailbox
            </Link>
          </Notice>
        )}
        <div className="auth-actions">
          <Link href="/login" className="button button-ghost acct-button-wide">
            Go to log in
          </Link>
          <button
            type="button"
            className="acct-text-button"
            onClick={() => {
              setSentTo(null);
              setSubmitted(false);
              signUp.reset();
            }}
          >
            Use a different email address
          </button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={submit} noValidate className="auth-form">
      <AuthHeading title="Create your account" subtitle="Sign up with your email address." />
      <EmailField required value={email} onChange={(event) => setEmail(event.target.value)} error={emailError} />
      <NewPasswordFields
        password={password}
        confirmation={confirmation}
        onPassword={setPassword}
        onConfirmation={setConfirmation}
        submitted={submitted}
        labels={{ password: 'Password', confirmation: 'Confirm password' }}
        required
      />
      <p className="acct-fine-print">
        A long passphrase of a few unrelated words is both strong and easy to remember. Do not reuse a password from
        another site.
      </p>
      {signUp.error !== null && <Notice tone="error">{accountErrorMessage(signUp.error, 'signUp')}</Notice>}
      <SubmitButton busy={signUp.isPending} busyText="Creating your account…">
        Sign up
      </SubmitButton>
    </form>
  );
}
