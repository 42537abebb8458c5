'use client';
// The header's account corner: Log in / Sign up when signed out; the account's email with its menu (overview,
// wallet, security, API keys, log out) when signed in. A session still waiting for its second factor is sent to
// finish it. The menu closes on a click outside, on Escape (focus back on its button) and on navigation.
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import '../app/account.css';
import { useLogout, useSession } from './use-session';

export function HeaderAccount() {
  const { user, error } = useSession();
  const router = useRouter();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const { logout, pending } = useLogout(() => {
    setOpen(false);
    router.push('/login');
  });

  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (container.current !== null && !container.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    // Focus the first item, as menus do.
    container.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(container.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      setOpen(false);
      button.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  // While loading, a placeholder keeps the header from jumping; if the account API cannot answer, the links to
  // log in stay available (the login page then says what is wrong).
  if (user === undefined && error === null) {
    return <span className="header-account-placeholder" aria-hidden="true" />;
  }
  if (user === undefined || user === null || !user.twoFactorVerified) {
    return (
      <div className="header-account">
        <Link href={user === undefined || user === null ? '/login' : '/login?step=2fa'} className="button button-ghost">
          Log in
        </Link>
        <Link href="/signup" className="button button-primary">
          Sign up
        </Link>
      </div>
    );
  }
  const close = () => setOpen(false);
  return (
    <div className="header-account" ref={container}>
      <button
        ref={button}
        type="button"
        className="button button-ghost account-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Account menu, ${user.email ?? 'signed in'}`}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="account-avatar" aria-hidden="true">
          {(user.email ?? 'A').charAt(0).toUpperCase()}
        </span>
        <span className="account-email">{user.email ?? 'Account'}</span>
      </button>
      {open && (
        <div className="account-menu" role="menu" aria-label="Account" onKeyDown={onMenuKey}>
          <div className="account-menu-head" aria-hidden="true">
            <span className="account-menu-email">{user.email}</span>
            <span className={user.twoFactorEnabled ? 'account-menu-2fa on' : 'account-menu-2fa'}>
              {user.twoFactorEnabled ? 'Two-factor on' : 'Two-factor off'}
            </span>
          </div>
          <Link role="menuitem" href="/account" onClick={close}>
            Account
          </Link>
          <Link role="menuitem" href="/wallet" onClick={close}>
            Wallet
          </Link>
          <Link role="menuitem" href="/account/security" onClick={close}>
            Security
          </Link>
          <Link role="menuitem" href="/account/api-keys" onClick={close}>
            API keys
          </Link>
          <hr aria-hidden="true" />
          <button role="menuitem" type="button" onClick={logout} disabled={pending}>
            Log out
          </button>
        </div>
      )}
    </div>
  );
}
