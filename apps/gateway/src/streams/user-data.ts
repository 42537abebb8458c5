// The user data stream: listenKeys (POST/PUT/DELETE /api/v3/userDataStream, valid 60 minutes after the last
// keepalive) and the events Binance sends on it, built from committed batches: executionReport for every order
// change, outboundAccountPosition for every balance change, balanceUpdate for deposits, withdrawals and staff
// adjustments, listStatus for OCO lists. Delivery goes to whatever sockets are attached (listenKey sockets at
// /ws/<listenKey> and WebSocket API subscriptions); this module only decides what to send to whom.
import { randomBytes } from 'node:crypto';
import type { EngineEvent } from '@exbox/engine';
import { formatMinor, type MarketFormat } from '../binance/format.js';
import { executionReport } from '../trading/binance-views.js';
import type { OrderChange } from '../trading/order-tracker.js';

export const listenKeyValidityMs = 60 * 60_000;
/** Listen keys one user may hold at once (Binance allows one per account type; we allow a few for several bots). */
export const listenKeysPerUserMax = 10;

interface ListenKey {
  userId: number;
  expiresAtMs: number;
}

export class ListenKeys {
  private readonly keys = new Map<string, ListenKey>();

  /** Binance returns the user's existing key (extending it) rather than making another; so do we, per user. */
  create(userId: number, nowMs: number): string {
    for (const [key, entry] of this.keys) {
      if (entry.userId === userId && entry.expiresAtMs > nowMs) {
        entry.expiresAtMs = nowMs + listenKeyValidityMs;
        return key;
      }
    }
    const key = randomBytes(48).toString('base64url').slice(0, 60);
    this.keys.set(key, { userId, expiresAtMs: nowMs + listenKeyValidityMs });
    return key;
  }

  /** Extends a key of `userId`; false when it does not exist, expired or belongs to someone else. */
  keepAlive(key: string, userId: number, nowMs: number): boolean {
    const entry = this.keys.get(key);
    if (entry === undefined || entry.userId !== userId || entry.expiresAtMs <= nowMs) return false;
    entry.expiresAtMs = nowMs + listenKeyValidityMs;
    return true;
  }

  close(key: string, userId: number): boolean {
    const entry = this.keys.get(key);
    if (entry === undefined || entry.userId !== userId) return false;
    this.keys.delete(key);
    return true;
  }

  userOf(key: string, nowMs: number): number | undefined {
    const entry = this.keys.get(key);
    return entry === undefined || entry.expiresAtMs <= nowMs ? undefined : entry.userId;
  }

  /** Removes expired keys and returns them, so their sockets get `listenKeyExpired` and are closed. */
  expire(nowMs: number): { key: string; userId: number }[] {
    const expired: { key: string; userId: number }[] = [];
    for (const [key, entry] of this.keys) {
      if (entry.expiresAtMs <= nowMs) {
        expired.push({ key, userId: entry.userId });
        this.keys.delete(key);
      }
    }
    return expired;
  }
}

export interface UserEvent {
  userId: number;
  payload: Record<string, unknown>;
}

/**
 * The user-data events of one committed command: order changes (already folded by the tracker) become
 * executionReports; balance events become outboundAccountPosition / balanceUpdate; list events listStatus.
 */
export const userEventsOf = (
  markets: ReadonlyMap<string, MarketFormat>,
  decimalsOf: (asset: string) => number,
  timestampMs: number,
  events: readonly EngineEvent[],
  changes: readonly OrderChange[],
  /** Only users this answers true for get events (the others have no socket to send them to). */
  wanted: (userId: number) => boolean = () => true,
  clientOrderIdOf: (orderId: number) => string = () => '',
): UserEvent[] => {
  const out: UserEvent[] = [];
  for (const change of changes) {
    const userId = change.order.view.userId;
    if (!wanted(userId)) continue;
    const market = markets.get(change.order.view.symbol);
    if (market === undefined) continue;
    switch (change.kind) {
      case 'accepted':
        out.push({ userId, payload: executionReport(market, change.order, timestampMs, 'NEW') });
        break;
      case 'trade':
        out.push({
          userId,
          payload: executionReport(market, change.order, timestampMs, 'TRADE', {
            event: change.trade,
            side: change.side,
          }),
        });
        break;
      case 'done': {
        const status = change.event.status;
        if (status === 'FILLED') break; // the last TRADE report already said FILLED
        const type =
          status === 'EXPIRED_IN_MATCH'
            ? 'TRADE_PREVENTION'
            : status === 'CANCELED'
              ? 'CANCELED'
              : status === 'REJECTED'
                ? 'REJECTED'
                : 'EXPIRED';
        out.push({ userId, payload: executionReport(market, change.order, timestampMs, type) });
        break;
      }
      case 'amended':
        out.push({ userId, payload: executionReport(market, change.order, timestampMs, 'REPLACED') });
        break;
      case 'triggered':
        break;
    }
  }
  for (const event of events) {
    if (
      (event.type === 'balances' || event.type === 'balanceUpdate' || event.type === 'orderListStatus') &&
      !wanted(event.userId)
    ) {
      continue;
    }
    if (event.type === 'balances') {
      out.push({
        userId: event.userId,
        payload: {
          e: 'outboundAccountPosition',
          E: timestampMs,
          u: timestampMs,
          B: event.balances.map((balance) => {
            const decimals = decimalsOf(balance.asset);
            return {
              a: balance.asset,
              f: formatMinor(balance.availableMinor, decimals),
              l: formatMinor(balance.lockedMinor, decimals),
            };
          }),
        },
      });
    } else if (event.type === 'balanceUpdate') {
      out.push({
        userId: event.userId,
        payload: {
          e: 'balanceUpdate',
          E: timestampMs,
          a: event.asset,
          d: formatMinor(event.deltaMinor, decimalsOf(event.asset)),
          T: timestampMs,
        },
      });
    } else if (event.type === 'orderListStatus') {
      out.push({
        userId: event.userId,
        payload: {
          e: 'listStatus',
          E: timestampMs,
          s: event.symbol,
          g: event.orderListId,
          c: 'OCO',
          l: event.listStatus,
          L: event.listOrderStatus,
          r: 'NONE',
          C: event.listClientOrderId,
          T: timestampMs,
          O: event.orderIds.map((orderId) => ({ s: event.symbol, i: orderId, c: clientOrderIdOf(orderId) })),
        },
      });
    }
  }
  return out;
};
