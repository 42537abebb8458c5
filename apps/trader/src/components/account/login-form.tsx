'use client';
// Login in two steps: email and password, then (for accounts with two-factor) a 6-digit code from the
// authenticator app or one of the recovery codes. `next` (already checked to be a path on this site) is where the
// user goes afterwards. `/login?step=2fa` resumes a login whose password was given but whose code was not (the
// header links there for such a half-logged-in session).
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { accountErrorMessage, readAccountFailure } from '../../lib/account-errors';
import { emailLooksValid, normalizeRecoveryCode, normalizeTotpCode } from '../../lib/account-rules';
import { useTRPC } from '../../lib/trpc';
import { clearLoggedOutOnPurpose, useRefreshSession, useSession } from '../use-session';
import { AuthHeading } from './auth-card';
import { EmailField, forgetSecrets, Notice, PasswordField, SubmitButton, TextField, TotpCodeField } from './fields';
import { AccountIcon } from './icons';

type Step = 'password' | 'code';

export function LoginForm({ next, resume, demo }: { next: string; resume: boolean; demo: boolean }) {
  const router = useRouter();
  const refresh = useRefreshSession();
  const { user, error: sessionError } = useSession();
  const [step, setStep] = useState<Step | null>(resume ? null : 'password');
  const [notice, setNotice] = useState<string | null>(null);
  const leaving = useRef(false);

  const finish = async () => {
    leaving.current = true;
    clearLoggedOutOnPurpose();
    await refresh();
    router.replace(next);
  };

  // Decide the first step once the session is known: a half-logged-in session continues with its code; a full
  // one has nothing to do here; none starts from the password (saying so when a resumed login had timed out).
  useEffect(() => {
    if (leaving.current) return;
    if (user === undefined) {
      // The account API did not answer: show the form; logging in will say what is wrong.
      if (sessionError !== null && step === null) setStep('password');
      return;
    }
    if (user !== null && user.twoFactorVerified) {
      if (step !== 'code') {
        leaving.current = true;
        router.replace(next);
      }
      return;
    }
    if (step !== null) return;
    if (user !== null) setStep('code');
    else {
      setStep('password');
      setNotice('The login waiting for your two-factor code has ended (it lasts 10 minutes). Log in again.');
    }
  }, [user, sessionError, step, router, next]);

  if (step === null) return <div className="acct-skeleton-block" aria-busy="true" aria-label="Loading" />;
  if (step === 'code') {
    return (
      <TwoFactorStep
        email={user?.email ?? null}
        onDone={finish}
        onRestart={(message) => {
          setNotice(message);
          setStep('password');
        }}
      />
    );
  }
  return (
    <PasswordStep
      demo={demo}
      notice={notice}
      onLoggedIn={async (twoFactorRequired) => {
        setNotice(null);
        if (twoFactorRequired) {
          setStep('code');
          await refresh();
        } else {
          await finish();
        }
      }}
    />
  );
}

function PasswordStep({
  demo,
  notice,
  onLoggedIn,
}: {
  demo: boolean;
  notice: string | null;
  onLoggedIn: (twoFactorRequired: boolean) => Promise<void>;
}) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [finishing, setFinishing] = useState(false);
  const login = useMutation(trpc.auth.login.mutationOptions(forgetSecrets));
  const emailError = submitted && !emailLooksValid(email) ? 'Enter your email address.' : undefined;
  const passwordError = submitted && password === '' ? 'Enter your password.' : undefined;
  const failure = login.error === null ? null : readAccountFailure(login.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!emailLooksValid(email) || password === '') return;
    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: async (result) => {
          setFinishing(true);
          setPassword('');
          try {
            await onLoggedIn(result.twoFactorRequired);
          } finally {
            setFinishing(false);
          }
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="auth-form">
      <AuthHeading title="Log in" subtitle="Welcome back. Log in with your email address." />
      {notice !== null && <Notice tone="info">{notice}</Notice>}
      <EmailField
        autoComplete="username"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={emailError}
      />
      <PasswordField
        label="Password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={passwordError}
        aside={
          <Link href="/forgot-password" className="acct-link acct-small">
            Forgot password?
          </Link>
        }
      />
      {login.error !== null && (
        <Notice tone="error">
          {accountErrorMessage(login.error, 'login')}
          {failure?.authCode === 'EMAIL_NOT_VERIFIED' && (
            <span className="acct-notice-links">
              {demo && (
                <Link href={`/mailbox?to=${encodeURIComponent(email.trim())}`} className="acct-link">
                  Open the demo mailbox
                </Link>
              )}
              <Link href="/forgot-password" className="acct-link">
                Reset your password
              </Link>
            </span>
          )}
        </Notice>
      )}
      <SubmitButton busy={login.isPending || finishing} busyText="Logging in…">
        Log in
      </SubmitButton>
    </form>
  );
}

function TwoFactorStep({
  email,
  onDone,
  onRestart,
}: {
  email: string | null;
  onDone: () => Promise<void>;
  onRestart: (message: string) => void;
}) {
  const trpc = useTRPC();
  const refresh = useRefreshSession();
  const [method, setMethod] = useState<'totp' | 'recovery'>('totp');
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [finishing, setFinishing] = useState(false);
  const verify = useMutation(trpc.auth.verifyTwoFactor.mutationOptions(forgetSecrets));
  const cancel = useMutation(trpc.auth.logout.mutationOptions());
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [method]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const normalized = method === 'totp' ? normalizeTotpCode(code) : normalizeRecoveryCode(code);
    if (normalized === undefined) {
      setProblem(
        method === 'totp'
          ? 'Enter the 6 digits your authenticator app shows.'
          : 'Enter a recovery code like ABCD-EFGH-IJKL-MNOP.',
      );
      return;
    }
    setProblem(undefined);
    verify.mutate(
      { code: normalized },
      {
        onSuccess: async () => {
          setFinishing(true);
          await onDone();
        },
        onError: (error) => {
          const { authCode } = readAccountFailure(error);
          if (authCode === 'SESSION_INVALID') {
            void refresh();
            onRestart(accountErrorMessage(error, 'verifyTwoFactor'));
          } else if (authCode === 'TWO_FACTOR_NOT_PENDING') {
            void onDone();
          } else {
            input.current?.select();
          }
        },
      },
    );
  };

  const switchMethod = () => {
    setMethod((value) => (value === 'totp' ? 'recovery' : 'totp'));
    setCode('');
    setProblem(undefined);
    verify.reset();
  };

  return (
    <form onSubmit={submit} noValidate className="auth-form">
      <div className="auth-step-icon">
        <AccountIcon name={method === 'totp' ? 'phone' : 'life-buoy'} size={26} />
      </div>
      <AuthHeading
        title="Two-factor authentication"
        subtitle={
          method === 'totp' ? (
            <>
              Enter the 6-digit code from your authenticator app
              {email !== null && (
                <>
                  {' '}
                  for <strong>{email}</strong>
                </>
              )}
              .
            </>
          ) : (
            'Enter one of the recovery codes you saved when you turned on two-factor. Each code works once.'
          )
        }
      />
      {method === 'totp' ? (
        <TotpCodeField
          key="totp"
          ref={input}
          pattern="[0-9 ]*"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={problem}
        />
      ) : (
        <TextField
          key="recovery"
          ref={input}
          label="Recovery code"
          name="recovery-code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={24}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          mono
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={problem}
        />
      )}
      {verify.error !== null && <Notice tone="error">{accountErrorMessage(verify.error, 'verifyTwoFactor')}</Notice>}
      <SubmitButton busy={verify.isPending || finishing} busyText="Checking…">
        Verify
      </SubmitButton>
      <div className="auth-links-row">
        <button type="button" className="acct-text-button" onClick={switchMethod}>
          {method === 'totp' ? 'Use a recovery code instead' : 'Use your authenticator app instead'}
        </button>
        <button
          type="button"
          className="acct-text-button muted"
          disabled={cancel.isPending}
          onClick={() =>
            cancel.mutate(undefined, {
              onSettled: async () => {
                await refresh();
                onRestart('Log in with your email and password.');
              },
            })
          }
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
