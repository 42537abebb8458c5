'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { Branding } from '../lib/market-summary';
import { HeaderAccount } from './header-account';
import { ThemeToggle } from './theme-toggle';

export function SiteHeader({ branding }: { branding: Branding }) {
  const pathname = usePathname();
  const onMarkets = pathname === '/' || pathname.startsWith('/markets');
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        {branding.logoUrl !== null ? (
          <img src={branding.logoUrl} alt="" />
        ) : (
          <span className="brand-mark" aria-hidden="true">
            {branding.name.charAt(0).toUpperCase()}
          </span>
        )}
        <span className="brand-name">{branding.name}</span>
      </Link>
      <nav className="site-nav" aria-label="Main">
        <Link href="/markets" aria-current={onMarkets ? 'page' : undefined}>
          Markets
        </Link>
        <Link
          href={`/trade/${branding.defaultMarket}`}
          aria-current={pathname.startsWith('/trade') ? 'page' : undefined}
        >
          Trade
        </Link>
        <Link
          href="/wallet"
          className="nav-secondary"
          aria-current={pathname.startsWith('/wallet') ? 'page' : undefined}
        >
          Wallet
        </Link>
      </nav>
      <div className="header-actions">
        <ThemeToggle />
        <HeaderAccount />
      </div>
    </header>
  );
}
