'use client';
// The header's account corner: Log in / Sign up when signed out; the account's email with its menu (wallet,
// security, API keys, log out) when signed in. A session still waiting for its second factor is sent to finish it.
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../lib/trpc';
import { useRefreshSession, useSession } from './use-session';

export function HeaderAccount() {
  const { user } = useSession();
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = useRefreshSession();
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: async () => {
        setOpen(false);
        await refresh();
        router.push('/login');
      },
    }),
  );
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (menu.current !== null && !menu.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  if (user === undefined) return <span className="header-account-placeholder" aria-hidden="true" />;
  if (user === null || !user.twoFactorVerified) {
    return (
      <div className="header-account">
        <Link href={user === null ? '/login' : '/login?step=2fa'} className="button button-ghost">
          Log in
        </Link>
        <Link href="/signup" className="button button-primary">
          Sign up
        </Link>
      </div>
    );
  }
  return (
    <div className="header-account" ref={menu}>
      <button
        type="button"
        className="button button-ghost account-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="account-avatar" aria-hidden="true">
          {(user.email ?? 'A').charAt(0).toUpperCase()}
        </span>
        <span className="account-email">{user.email ?? 'Account'}</span>
      </button>
      {open && (
        <div className="account-menu" role="menu">
          <Link role="menuitem" href="/wallet" onClick={() => setOpen(false)}>
            Wallet
          </Link>
          <Link role="menuitem" href="/account/security" onClick={() => setOpen(false)}>
            Security
          </Link>
          <Link role="menuitem" href="/account/api-keys" onClick={() => setOpen(false)}>
            API keys
          </Link>
          <button role="menuitem" type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Log out
          </button>
        </div>
      )}
    </div>
  );
}
