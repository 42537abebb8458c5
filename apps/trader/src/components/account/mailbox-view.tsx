'use client';
// The demo's mailbox: every message the exchange has sent, newest first, refreshed every few seconds (the demo
// delivers its outbox every 2 s). It is how a demo user confirms their address, so the main link of each message
// is also a button. Bodies are plain text; links are made clickable without ever rendering HTML from a message.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { isNotAvailable } from '../../lib/account-errors';
import { formatDateTime, formatRelative, linkifyText, mailAction, portalLocalPath } from '../../lib/account-format';
import { useTRPC } from '../../lib/trpc';
import { TextField } from './fields';
import { LoadError } from './session-gate';

const REFRESH_INTERVAL_MS = 2_500;
/** Messages shown unfolded; the rest show their subject, recipient and button until opened. */
const MESSAGES_OPEN = 3;

const kindLabels: Record<string, string> = {
  VERIFY_EMAIL: 'Verification',
  SIGN_UP_ATTEMPTED: 'Sign-up attempt',
  RESET_PASSWORD: 'Password reset',
  PASSWORD_CHANGED: 'Security',
  TWO_FACTOR_ENABLED: 'Security',
  TWO_FACTOR_DISABLED: 'Security',
  RECOVERY_CODE_USED: 'Security',
  ANTI_PHISHING_CODE_SET: 'Security',
  API_KEY_CREATED: 'API keys',
  API_KEY_DELETED: 'API keys',
};

export function MailboxNotAvailable() {
  return (
    <div className="panel acct-state">
      <h1>The mailbox is not available</h1>
      <p className="muted">
        The mailbox page exists only on the demo exchange, where no real email is sent. On this exchange, messages go to
        your real inbox: look there for your confirmation or reset link.
      </p>
      <Link href="/login" className="button button-primary">
        Go to log in
      </Link>
    </div>
  );
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function MailboxView({ initialRecipient }: { initialRecipient: string }) {
  const trpc = useTRPC();
  const [recipient, setRecipient] = useState(initialRecipient);
  const now = useNow(15_000);
  const query = useQuery({
    ...trpc.mailbox.list.queryOptions(),
    refetchInterval: (state) => (state.state.error !== null ? false : REFRESH_INTERVAL_MS),
    staleTime: 0,
    retry: (count, error) => !isNotAvailable(error) && count < 2,
  });

  if (query.error !== null && isNotAvailable(query.error)) return <MailboxNotAvailable />;

  const filter = recipient.trim().toLowerCase();
  const messages = (query.data ?? []).filter((message) => filter === '' || message.to.toLowerCase().includes(filter));

  return (
    <>
      <div className="acct-page-head">
        <div>
          <h1>Demo mailbox</h1>
          <p className="muted">
            This demo exchange sends no real email: every message it sends lands here instead, newest first. Open the
            confirmation link to verify a new account.
          </p>
        </div>
        <span className="acct-live" aria-hidden="true">
          <span className="acct-live-dot" /> Live
        </span>
      </div>
      <div className="panel acct-mailbox">
        <div className="acct-mailbox-toolbar">
          <TextField
            label="Recipient"
            type="search"
            placeholder="Show messages to this address"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            value={recipient}
            onChange={(event) => setRecipient(event.target.value)}
          />
          <p className="muted acct-small" aria-live="polite">
            {query.data === undefined
              ? 'Loading…'
              : `${messages.length} message${messages.length === 1 ? '' : 's'}${filter === '' ? '' : ' to this address'}`}
          </p>
        </div>
        {query.error !== null && (
          <LoadError error={query.error} what="the mailbox" retry={() => void query.refetch()} />
        )}
        {query.data !== undefined && messages.length === 0 && (
          <div className="empty">
            <p>{filter === '' ? 'No messages yet.' : 'No messages to this address yet.'}</p>
            <p className="acct-small">New messages appear here within a few seconds; this page refreshes itself.</p>
          </div>
        )}
        <ol className="acct-mail-list">
          {messages.map((message, index) => {
            const action = mailAction(message.kind, message.body);
            const subjectId = `mail-${message.id}-subject`;
            return (
              <li key={message.id}>
                <article className="acct-mail" aria-labelledby={subjectId}>
                  <header className="acct-mail-head">
                    <div className="acct-mail-title">
                      <span className="acct-badge">{kindLabels[message.kind] ?? 'Message'}</span>
                      <h2 id={subjectId}>{message.subject}</h2>
                    </div>
                    <dl className="acct-mail-meta">
                      <div>
                        <dt>To</dt>
                        <dd>{message.to}</dd>
                      </div>
                      <div>
                        <dt>Sent</dt>
                        <dd>
                          <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
                            {formatRelative(message.createdAt, now)}
                          </time>
                          {message.sentAt === null && (
                            <span className="acct-badge acct-badge-muted" title="Waiting in the outbox">
                              Sending
                            </span>
                          )}
                        </dd>
                      </div>
                    </dl>
                  </header>
                  {/* The newest few open; older ones fold to their header (their button stays visible). */}
                  <details className="acct-mail-details" open={index < MESSAGES_OPEN}>
                    <summary>Message</summary>
                    <div className="acct-mail-body">
                      {linkifyText(message.body).map((part, partIndex) => {
                        if (part.kind === 'text') return <span key={partIndex}>{part.text}</span>;
                        const local = portalLocalPath(part.href);
                        return local !== undefined ? (
                          <Link key={partIndex} href={local} className="acct-link acct-break">
                            {part.text}
                          </Link>
                        ) : (
                          <a
                            key={partIndex}
                            href={part.href}
                            className="acct-link acct-break"
                            rel="noreferrer noopener"
                          >
                            {part.text}
                          </a>
                        );
                      })}
                    </div>
                  </details>
                  {action !== undefined && (
                    <div className="acct-mail-action">
                      <Link href={action.path} className="button button-primary">
                        {action.label}
                      </Link>
                    </div>
                  )}
                </article>
              </li>
            );
          })}
        </ol>
      </div>
    </>
  );
}
