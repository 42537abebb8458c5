'use client';
// Says what is wrong with the live account, where the account is shown: the session expired (with the way back),
// or the live connection dropped (what the page shows may be out of date; when it retries; retry now). Silent
// while all is well.
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { sessionExpiredMessage } from '../../lib/private-rest';
import { useTrading } from './trading-provider';

export function SessionExpiredNotice({ next }: { next: string }) {
  return (
    <div className="account-notice warning" role="alert">
      {sessionExpiredMessage}.{' '}
      <Link href={`/login?next=${next}`} className="notice-link">
        Log in
      </Link>
    </div>
  );
}

export function StreamNotice({ next }: { next: string }) {
  const { status, sessionExpired, session, reconnectNow } = useTrading();
  const [nowMs, setNowMs] = useState(() => Date.now());
  const reconnecting = status?.status === 'reconnecting';
  useEffect(() => {
    if (!reconnecting) return;
    const timer = setInterval(() => setNowMs(Date.now()), 500);
    return () => clearInterval(timer);
  }, [reconnecting]);

  if (sessionExpired && session !== 'signedIn') return <SessionExpiredNotice next={next} />;
  if (status?.status !== 'reconnecting') return null;
  const seconds = Math.max(0, Math.ceil((status.retryAtMs - nowMs) / 1000));
  return (
    <div className="account-notice" role="status" aria-live="polite" data-testid="user-stream-notice">
      <span>
        Live account updates paused ({status.reason}); what you see may be out of date.{' '}
        {seconds > 0 ? `Reconnecting in ${seconds}s…` : 'Reconnecting…'}
      </span>
      <button type="button" className="button button-ghost" onClick={reconnectNow}>
        Reconnect now
      </button>
    </div>
  );
}
