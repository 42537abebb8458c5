import type { Metadata } from 'next';
import { MailboxNotAvailable, MailboxView } from '../../components/account/mailbox-view';
import { readTraderEnvironment } from '../../env';
import '../account.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Demo mailbox', referrer: 'no-referrer', robots: { index: false } };

export default async function MailboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const to = (await searchParams)['to'];
  return (
    <main className="acct-page acct-page-narrow">
      {readTraderEnvironment().demo ? (
        <MailboxView initialRecipient={typeof to === 'string' ? to : ''} />
      ) : (
        <MailboxNotAvailable />
      )}
    </main>
  );
}
