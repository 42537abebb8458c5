// Binance's timing rule for signed requests, as its documentation writes it:
//   if (timestamp < serverTime + 1000 && serverTime - timestamp <= recvWindow) process, else reject.
// A pure function of its three numbers; the caller reads its own clock once per request and passes it in.

import { RECV_WINDOW_DEFAULT_MS, RECV_WINDOW_MAX_MS, TIMESTAMP_AHEAD_MAX_MS } from './limits.js';

export type TimestampCheckCode = 'OK' | 'RECV_WINDOW_INVALID' | 'TIMESTAMP_AHEAD' | 'TIMESTAMP_OUTSIDE_WINDOW';

/**
 * Checks a request's `timestamp` against the server's clock. Outcomes in precedence order: RECV_WINDOW_INVALID
 * (recvWindow not a finite number in [0, RECV_WINDOW_MAX_MS]; Binance -1131), TIMESTAMP_AHEAD (TIMESTAMP_AHEAD_MAX_MS
 * or more ahead; -1021), TIMESTAMP_OUTSIDE_WINDOW (older than recvWindow; -1021), else OK. `recvWindowMs` undefined
 * means the parameter was not sent: RECV_WINDOW_DEFAULT_MS. A timestamp that is not a finite number is outside.
 */
export function checkTimestamp(
  timestampMs: number,
  recvWindowMs: number | undefined,
  serverNowMs: number,
): TimestampCheckCode {
  const windowMs = recvWindowMs ?? RECV_WINDOW_DEFAULT_MS;
  if (!Number.isFinite(windowMs) || windowMs < 0 || windowMs > RECV_WINDOW_MAX_MS) return 'RECV_WINDOW_INVALID';
  if (!Number.isFinite(timestampMs) || !Number.isFinite(serverNowMs)) return 'TIMESTAMP_OUTSIDE_WINDOW';
  if (timestampMs >= serverNowMs + TIMESTAMP_AHEAD_MAX_MS) return 'TIMESTAMP_AHEAD';
  if (serverNowMs - timestampMs > windowMs) return 'TIMESTAMP_OUTSIDE_WINDOW';
  return 'OK';
}
