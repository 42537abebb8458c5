'use client';
// Pages that need a signed-in user. Signed out on arrival: off to /login?next=<this page>. Half logged in (waiting
// for the second factor): off to /login?step=2fa. Signed in, then the session ended (expired, revoked elsewhere,
// logged out in another tab): the page says so and offers to log in again, rather than vanishing. Failures of the
// page's own calls go through LoadError, which spots an expired session the same way.
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import {
  accountErrorMessage,
  isSessionExpired,
  isTwoFactorPending,
  type AccountAction,
} from '../../lib/account-errors';
import { loginPathFor } from '../../lib/account-redirect';
import { useTRPC } from '../../lib/trpc';
import { useSession, wasLoggedOutOnPurpose, type SessionUser } from '../use-session';
import { Notice } from './fields';

const AccountUserContext = createContext<SessionUser | null>(null);

/** The signed-in user, inside <RequireSession>. */
export function useAccountUser(): SessionUser {
  const user = useContext(AccountUserContext);
  if (user === null) throw new Error('useAccountUser outside RequireSession');
  return user;
}

export function RequireSession({ children }: { children: ReactNode }) {
  const { user, error } = useSession();
  const router = useRouter();
  const pathname = usePathname();
  const wasSignedIn = useRef(false);
  if (user !== null && user !== undefined && user.twoFactorVerified) wasSignedIn.current = true;
  const expired = user === null && wasSignedIn.current && !wasLoggedOutOnPurpose();

  useEffect(() => {
    if (user === null && !wasSignedIn.current) router.replace(loginPathFor(pathname));
    else if (user !== null && user !== undefined && !user.twoFactorVerified) {
      router.replace(loginPathFor(pathname, { twoFactor: true }));
    }
  }, [user, router, pathname]);

  if (expired) return <SessionExpired />;
  if (user === undefined) {
    if (error !== null) {
      return (
        <div className="panel acct-state">
          <Notice tone="error" title="Your account could not be loaded">
            {accountErrorMessage(error, 'load')}
          </Notice>
          <button type="button" className="button button-ghost" onClick={() => window.location.reload()}>
            Try again
          </button>
        </div>
      );
    }
    return <PageSkeleton />;
  }
  if (user === null || !user.twoFactorVerified) {
    return (
      <div className="panel acct-state" role="status">
        <p>
          {user !== null
            ? 'Finish logging in with your two-factor code.'
            : wasSignedIn.current
              ? 'You have logged out.'
              : 'You need to log in to see this page.'}
        </p>
        <Link href={loginPathFor(pathname, { twoFactor: user !== null })} className="button button-primary">
          Log in
        </Link>
      </div>
    );
  }
  return <AccountUserContext.Provider value={user}>{children}</AccountUserContext.Provider>;
}

/** "Your session has expired — log in again", with the way back to this page. */
export function SessionExpired() {
  const pathname = usePathname();
  return (
    <div className="panel acct-state acct-expired" role="alert">
      <h2>Your session has expired — log in again</h2>
      <p className="muted">
        For your security, sessions end after a while, when you log out elsewhere, or when a session is revoked.
      </p>
      <Link href={loginPathFor(pathname)} className="button button-primary">
        Log in again
      </Link>
    </div>
  );
}

/** When a call fails because the session ended, refresh `auth.me` so the header and the gate notice too. */
function useNoticeExpiredSession(error: unknown): boolean {
  const expired = error !== null && error !== undefined && (isSessionExpired(error) || isTwoFactorPending(error));
  const queryClient = useQueryClient();
  const trpc = useTRPC();
  useEffect(() => {
    if (expired) void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
  }, [expired, queryClient, trpc]);
  return expired;
}

/** A failed load: the session-expired panel, or the reason and a retry button. */
export function LoadError({ error, what, retry }: { error: unknown; what: string; retry: () => void }) {
  const expired = useNoticeExpiredSession(error);
  if (expired) return <SessionExpired />;
  return (
    <div className="acct-load-error">
      <Notice tone="error" title={`Could not load ${what}`}>
        {accountErrorMessage(error, 'load')}
      </Notice>
      <button type="button" className="button button-ghost" onClick={retry}>
        Try again
      </button>
    </div>
  );
}

/** A failed action, in words; an expired session also gets a link to log in again. */
export function ActionError({ error, action }: { error: unknown; action: AccountAction }) {
  const pathname = usePathname();
  const expired = useNoticeExpiredSession(error);
  if (error === null || error === undefined) return null;
  return (
    <Notice tone="error">
      {accountErrorMessage(error, action)}
      {expired && (
        <>
          {' '}
          <Link href={loginPathFor(pathname)}>Log in again</Link>
        </>
      )}
    </Notice>
  );
}

export function PageSkeleton() {
  return (
    <div className="acct-skeleton" aria-busy="true" aria-label="Loading">
      <div className="acct-skeleton-line wide" />
      <div className="acct-skeleton-block" />
      <div className="acct-skeleton-block" />
    </div>
  );
}
