'use client';
// The frame of /account/*: a side menu (tabs across the top on a phone) and the page, shown only to a signed-in
// user (RequireSession sends everyone else to log in).
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { AccountIcon, type IconName } from './icons';
import { RequireSession } from './session-gate';

const sections: { href: string; label: string; icon: IconName }[] = [
  { href: '/account', label: 'Overview', icon: 'overview' },
  { href: '/account/security', label: 'Security', icon: 'shield' },
  { href: '/account/api-keys', label: 'API keys', icon: 'key' },
  { href: '/wallet', label: 'Wallet', icon: 'wallet' },
];

export function AccountShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  return (
    <div className="acct-layout">
      <nav className="acct-nav" aria-label="Account">
        {sections.map((section) => (
          <Link key={section.href} href={section.href} aria-current={pathname === section.href ? 'page' : undefined}>
            <span className="acct-nav-icon">
              <AccountIcon name={section.icon} />
            </span>
            {section.label}
          </Link>
        ))}
      </nav>
      <div className="acct-content">
        <RequireSession>{children}</RequireSession>
      </div>
    </div>
  );
}

/** A page's title line, with an optional action on the right. */
export function AccountPageHead({
  title,
  subtitle,
  action,
}: {
  title: string;
  subtitle?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="acct-page-head">
      <div>
        <h1>{title}</h1>
        {subtitle !== undefined && <p className="muted">{subtitle}</p>}
      </div>
      {action}
    </div>
  );
}

/** One card of settings: a title, what it is for, and its content. */
export function Section({
  id,
  title,
  description,
  status,
  children,
}: {
  id?: string;
  title: string;
  description?: ReactNode;
  status?: ReactNode;
  children: ReactNode;
}) {
  // Not named after its heading (aria-labelledby): a section called "Anti-phishing code" would share its name with
  // the input inside, and a search by label would find both.
  return (
    <section className="panel acct-section" id={id}>
      <header className="acct-section-head">
        <div>
          <h2>{title}</h2>
          {description !== undefined && <p className="muted">{description}</p>}
        </div>
        {status}
      </header>
      <div className="acct-section-body">{children}</div>
    </section>
  );
}

export function StatusPill({ tone, children }: { tone: 'good' | 'bad' | 'neutral' | 'warning'; children: ReactNode }) {
  return <span className={`acct-pill acct-pill-${tone}`}>{children}</span>;
}
