'use client';
// Where the account is logged in (this device marked; revoke one, or all others) and the login history (every
// attempt with its address, device and outcome), so a user can spot and end a session that is not theirs.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { describeLoginOutcome, describeUserAgent, formatDateTime, formatRelative } from '../../lib/account-format';
import { useTRPC } from '../../lib/trpc';
import { Section } from './account-shell';
import { Notice } from './fields';
import { AccountIcon } from './icons';
import { ActionError, LoadError } from './session-gate';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function SessionsSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow(30_000);
  const sessions = useQuery({ ...trpc.security.sessions.queryOptions(), staleTime: 0, retry: 1 });
  const [revokedOthers, setRevokedOthers] = useState<number | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.security.pathKey() });
  const revoke = useMutation(trpc.security.revokeSession.mutationOptions({ onSettled: refresh }));
  const revokeOthers = useMutation(
    trpc.security.revokeOtherSessions.mutationOptions({
      onSuccess: (result) => setRevokedOthers(result.revoked),
      onSettled: refresh,
    }),
  );
  const others = sessions.data?.filter((session) => !session.current).length ?? 0;

  return (
    <Section
      id="sessions"
      title="Active sessions"
      description="Devices and browsers logged in to your account. Revoke any you do not recognise, then change your password."
      status={
        <button
          type="button"
          className="button button-ghost"
          disabled={others === 0 || revokeOthers.isPending}
          onClick={() => {
            setRevokedOthers(null);
            revokeOthers.mutate();
          }}
        >
          Sign out all other sessions
        </button>
      }
    >
      {revokedOthers !== null && (
        <Notice tone="success">
          {revokedOthers === 0
            ? 'No other sessions were open.'
            : `Signed out ${revokedOthers} other session${revokedOthers === 1 ? '' : 's'}.`}
        </Notice>
      )}
      <ActionError
        error={revoke.error ?? revokeOthers.error}
        action={revoke.error !== null ? 'revokeSession' : 'revokeOtherSessions'}
      />
      {sessions.error !== null ? (
        <LoadError error={sessions.error} what="your sessions" retry={() => void sessions.refetch()} />
      ) : sessions.data === undefined ? (
        <div className="acct-skeleton-block" aria-busy="true" aria-label="Loading sessions" />
      ) : (
        <ul className="acct-sessions" aria-label="Active sessions">
          {sessions.data.map((session) => {
            const device = describeUserAgent(session.userAgent);
            return (
              <li key={session.publicId} className="acct-session" data-current={session.current ? 'true' : undefined}>
                <span className="acct-session-icon">
                  <AccountIcon name={/iPhone|Android|iPad/.test(device) ? 'phone' : 'laptop'} size={20} />
                </span>
                <div className="acct-session-main">
                  <p className="acct-session-device">
                    {device}
                    {session.current && <span className="acct-badge acct-badge-good">This device</span>}
                  </p>
                  <p className="muted acct-small">
                    <span className="mono">{session.ip === '' ? 'unknown address' : session.ip}</span> · logged in{' '}
                    <time dateTime={session.createdAt} title={formatDateTime(session.createdAt)}>
                      {formatRelative(session.createdAt, now)}
                    </time>{' '}
                    · expires {formatDateTime(session.expiresAt)}
                  </p>
                </div>
                {!session.current && (
                  <button
                    type="button"
                    className="button button-ghost acct-danger-text"
                    aria-label={`Revoke ${device} session`}
                    disabled={revoke.isPending && revoke.variables?.publicId === session.publicId}
                    onClick={() => revoke.mutate({ publicId: session.publicId })}
                  >
                    Revoke
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

const HISTORY_ROWS_SHOWN = 15;

export function LoginHistorySection() {
  const trpc = useTRPC();
  const history = useQuery({ ...trpc.security.loginHistory.queryOptions(), staleTime: 0, retry: 1 });
  const [all, setAll] = useState(false);
  const rows = history.data ?? [];
  const shown = all ? rows : rows.slice(0, HISTORY_ROWS_SHOWN);

  return (
    <Section
      id="login-history"
      title="Login history"
      description="Every attempt to log in to your account, newest first."
    >
      {history.error !== null ? (
        <LoadError error={history.error} what="your login history" retry={() => void history.refetch()} />
      ) : history.data === undefined ? (
        <div className="acct-skeleton-block" aria-busy="true" aria-label="Loading login history" />
      ) : rows.length === 0 ? (
        <p className="empty">No logins yet.</p>
      ) : (
        <>
          <div className="acct-table-wrap">
            <table className="acct-table">
              <caption className="visually-hidden">Login history</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">IP address</th>
                  <th scope="col">Device</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((entry, index) => {
                  const outcome = describeLoginOutcome(entry.outcome);
                  return (
                    <tr key={`${entry.at}-${index}`}>
                      <td data-label="Time">
                        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                      </td>
                      <td data-label="Outcome">
                        <span className={`acct-outcome acct-outcome-${outcome.tone}`}>{outcome.text}</span>
                      </td>
                      <td data-label="IP address" className="mono">
                        {entry.ip === '' ? '—' : entry.ip}
                      </td>
                      <td data-label="Device" title={entry.userAgent}>
                        {describeUserAgent(entry.userAgent)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {rows.length > HISTORY_ROWS_SHOWN && (
            <button type="button" className="acct-text-button" onClick={() => setAll((value) => !value)}>
              {all ? 'Show fewer' : `Show all ${rows.length}`}
            </button>
          )}
        </>
      )}
    </Section>
  );
}
