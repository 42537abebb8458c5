'use client';
// Says so when the live connection is lost, counts down to the next attempt and offers to retry now. Hidden while
// connected, and during the first second of the first connect (no flash on a normal page load).
import { useEffect, useState } from 'react';
import { useConnection } from './gateway-provider';

/** A first connect slower than this is worth mentioning. */
const slowConnectMs = 2_000;

export function ConnectionBanner() {
  const { state, reconnectNow } = useConnection();
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (state.status !== 'reconnecting') return;
    const timer = setInterval(() => setNowMs(Date.now()), 250);
    return () => clearInterval(timer);
  }, [state.status]);
  useEffect(() => {
    if (state.status !== 'connecting') return setSlow(false);
    const timer = setTimeout(() => setSlow(true), slowConnectMs);
    return () => clearTimeout(timer);
  }, [state.status]);

  if (state.status === 'open' || state.status === 'closed') return null;
  if (state.status === 'connecting' && !slow) return null;
  const seconds = state.status === 'reconnecting' ? Math.max(0, Math.ceil((state.retryAtMs - nowMs) / 1000)) : 0;
  return (
    <div className="connection-banner" role="status" aria-live="polite" data-testid="connection-banner">
      <span className="spinner" aria-hidden="true" />
      {state.status === 'connecting' ? (
        <span>Connecting to live market data…</span>
      ) : (
        <span>
          Connection lost. Prices may be out of date.{' '}
          {seconds > 0 ? `Reconnecting in ${seconds}s (attempt ${state.attempt})…` : 'Reconnecting…'}
        </span>
      )}
      <button type="button" onClick={reconnectNow}>
        Retry now
      </button>
    </div>
  );
}
