'use client';
// /account/security: two-factor first (what protects the account most), then password, anti-phishing code,
// sessions and login history. Links from elsewhere jump to a section by its id (#two-factor, #password,
// #anti-phishing, #sessions, #login-history).
import { useEffect } from 'react';
import { AccountPageHead } from './account-shell';
import { AntiPhishingSection } from './anti-phishing-section';
import { PasswordSection } from './password-section';
import { LoginHistorySection, SessionsSection } from './sessions-section';
import { TwoFactorSection } from './two-factor-section';

export function SecurityPage({ exchangeName }: { exchangeName: string }) {
  // The sections render after the session is known, so the browser's own jump to #fragment finds nothing.
  useEffect(() => {
    const id = window.location.hash.slice(1);
    if (id !== '') document.getElementById(id)?.scrollIntoView({ block: 'start' });
  }, []);
  return (
    <>
      <AccountPageHead title="Security" subtitle="Protect your account and see where it is used." />
      <div className="acct-stack-lg">
        <TwoFactorSection exchangeName={exchangeName} />
        <PasswordSection />
        <AntiPhishingSection />
        <SessionsSection />
        <LoginHistorySection />
      </div>
    </>
  );
}
