import type { ReactNode } from 'react';
import { AccountShell } from '../../components/account/account-shell';
import '../account.css';

export default function AccountLayout({ children }: { children: ReactNode }) {
  return (
    <main className="acct-page">
      <AccountShell>{children}</AccountShell>
    </main>
  );
}
