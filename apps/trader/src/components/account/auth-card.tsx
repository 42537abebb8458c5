// The frame of the pages around logging in (sign up, log in, verify, reset): one card in the middle of the page,
// and on wide screens a column saying what protects the account. Server-rendered; the forms inside are clients.
import type { ReactNode } from 'react';
import '../../app/account.css';

/** The card's heading; the client forms render it themselves when their step changes it. */
export function AuthHeading({ title, subtitle }: { title: string; subtitle?: ReactNode }) {
  return (
    <header className="auth-heading">
      <h1>{title}</h1>
      {subtitle !== undefined && <div className="auth-subtitle">{subtitle}</div>}
    </header>
  );
}

export function AuthCard({
  children,
  footer,
  aside = false,
  exchangeName,
}: {
  children: ReactNode;
  footer?: ReactNode;
  /** Show the column about account protection next to the card (sign-up and login). */
  aside?: boolean;
  exchangeName?: string;
}) {
  return (
    <main className={aside ? 'auth-page auth-page-split' : 'auth-page'}>
      {aside && (
        <section className="auth-aside" aria-label="How your account is protected">
          <p className="auth-aside-kicker">{exchangeName ?? 'Your account'}</p>
          <h2>Trade spot markets with an account that is hard to take over.</h2>
          <ul>
            <li>
              <strong>Two-factor authentication</strong>
              <span>Codes from an authenticator app, with one-time recovery codes.</span>
            </li>
            <li>
              <strong>Anti-phishing code</strong>
              <span>Your own code at the top of every email we send you.</span>
            </li>
            <li>
              <strong>Sessions and login history</strong>
              <span>See every device signed in, and sign any of them out.</span>
            </li>
            <li>
              <strong>API keys with IP allow-lists</strong>
              <span>Read, trade or withdraw permissions, locked to your servers.</span>
            </li>
          </ul>
        </section>
      )}
      <div className="auth-column">
        <div className="panel auth-card">{children}</div>
        {footer !== undefined && <div className="auth-footer">{footer}</div>}
      </div>
    </main>
  );
}
