'use client';
// /account: who is signed in and how well the account is protected, with the way to each setting. Identity
// verification (KYC) and its limits do not exist yet, and the page says so instead of showing made-up numbers.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../../lib/trpc';
import { AccountPageHead, Section, StatusPill } from './account-shell';
import { useAccountUser } from './session-gate';

export function AccountOverview() {
  const user = useAccountUser();
  const trpc = useTRPC();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const sessions = useQuery(trpc.security.sessions.queryOptions());
  const protections = [user.emailVerified, user.twoFactorEnabled, user.antiPhishingCode !== null];
  const on = protections.filter(Boolean).length;
  const level = on === protections.length ? 'High' : user.twoFactorEnabled ? 'Medium' : 'Low';

  return (
    <>
      <AccountPageHead title="Account" subtitle="Your profile, security and verification at a glance." />
      <section className="panel acct-profile" aria-label="Profile">
        <div className="acct-profile-avatar" aria-hidden="true">
          {(user.email ?? 'A').charAt(0).toUpperCase()}
        </div>
        <div className="acct-profile-main">
          <p className="acct-profile-email">{user.email ?? 'No email address'}</p>
          <p className="muted acct-small">
            User ID <span className="num">{user.id}</span>
          </p>
        </div>
        <div className="acct-profile-badges">
          <StatusPill tone={user.emailVerified ? 'good' : 'warning'}>
            {user.emailVerified ? 'Email verified' : 'Email not verified'}
          </StatusPill>
          <StatusPill tone={user.twoFactorEnabled ? 'good' : 'warning'}>
            {user.twoFactorEnabled ? '2FA on' : '2FA off'}
          </StatusPill>
        </div>
      </section>

      <div className="acct-grid">
        <Section
          title="Security"
          description="The more of these are on, the harder your account is to take over."
          status={
            <StatusPill tone={level === 'High' ? 'good' : level === 'Medium' ? 'neutral' : 'warning'}>
              Security level: {level}
            </StatusPill>
          }
        >
          <div className="acct-meter" aria-hidden="true">
            {protections.map((done, index) => (
              <span key={index} data-on={done ? 'true' : 'false'} />
            ))}
          </div>
          <ul className="acct-rows">
            <li>
              <div>
                <strong>Email address</strong>
                <span className="muted">{user.email}</span>
              </div>
              <StatusPill tone={user.emailVerified ? 'good' : 'warning'}>
                {user.emailVerified ? 'Verified' : 'Not verified'}
              </StatusPill>
            </li>
            <li>
              <div>
                <strong>Two-factor authentication</strong>
                <span className="muted">A code from your phone at every login and for API keys.</span>
              </div>
              <span className="acct-row-end">
                <StatusPill tone={user.twoFactorEnabled ? 'good' : 'warning'}>
                  {user.twoFactorEnabled ? 'On' : 'Off'}
                </StatusPill>
                <Link href="/account/security#two-factor" className="acct-link">
                  {user.twoFactorEnabled ? 'Manage' : 'Enable'}
                </Link>
              </span>
            </li>
            <li>
              <div>
                <strong>Anti-phishing code</strong>
                <span className="muted">Shown at the top of every email from us.</span>
              </div>
              <span className="acct-row-end">
                <StatusPill tone={user.antiPhishingCode !== null ? 'good' : 'neutral'}>
                  {user.antiPhishingCode !== null ? 'Set' : 'Not set'}
                </StatusPill>
                <Link href="/account/security#anti-phishing" className="acct-link">
                  {user.antiPhishingCode !== null ? 'Change' : 'Set up'}
                </Link>
              </span>
            </li>
            <li>
              <div>
                <strong>Password</strong>
                <span className="muted">Changing it signs out your other devices.</span>
              </div>
              <Link href="/account/security#password" className="acct-link">
                Change
              </Link>
            </li>
          </ul>
        </Section>

        <Section title="Verification (KYC)" status={<StatusPill tone="neutral">Not started</StatusPill>}>
          <p>Identity verification opens when the operator enables it. There is nothing to do here until then.</p>
          <h3 className="acct-subhead">Limits</h3>
          <p className="muted">
            Deposit and withdrawal limits arrive with identity verification, one set per verification level. None apply
            or are shown until then.
          </p>
        </Section>

        <Section title="API keys" description="Keys for trading bots and tools (Binance-compatible API).">
          <p className="acct-stat">
            <span className="num">{keys.data === undefined ? '—' : keys.data.length}</span>
            <span className="muted">{keys.data?.length === 1 ? 'key' : 'keys'}</span>
          </p>
          <Link href="/account/api-keys" className="button button-ghost">
            Manage API keys
          </Link>
        </Section>

        <Section title="Devices" description="Browsers where you are logged in right now.">
          <p className="acct-stat">
            <span className="num">{sessions.data === undefined ? '—' : sessions.data.length}</span>
            <span className="muted">active {sessions.data?.length === 1 ? 'session' : 'sessions'}</span>
          </p>
          <Link href="/account/security#sessions" className="button button-ghost">
            See sessions and login history
          </Link>
        </Section>
      </div>
    </>
  );
}
