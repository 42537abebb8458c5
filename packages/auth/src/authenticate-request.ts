// Every check a signed (USER_DATA, TRADE) request goes through, in one pure function over the key store, in
// precedence order: the first failing check is the result (codes.ts lists them in this order). Cheap checks that
// need no secret come first; the IP check comes before anything that could tell a caller from the wrong address
// whether its signature was right; permissions come last, so only an authenticated caller learns about them.

import type { ApiKeyEntry, ApiKeyLookup } from './api-key-store.js';
import { checkTimestamp } from './check-timestamp.js';
import type { RequestAuthCode } from './codes.js';
import { API_KEY_LENGTH } from './limits.js';
import { signaturePayload } from './signature.js';
import type { Permission } from './types.js';

const API_KEY_FORMAT = new RegExp(`^[A-Za-z0-9]{${API_KEY_LENGTH}}$`);

/** True when `text` could be an API key (64 characters of [A-Za-z0-9]); Binance answers -2014 otherwise. */
export function isApiKeyFormat(text: string | undefined): text is string {
  return text !== undefined && API_KEY_FORMAT.test(text);
}

export interface SignedRequest {
  /** The X-MBX-APIKEY header; undefined when absent. */
  readonly apiKey: string | undefined;
  /** The client's address as the server sees it (IPv4, IPv6 or IPv4-mapped IPv6). */
  readonly ip: string;
  /** The query string without '?', exactly as received. */
  readonly rawQuery: string;
  /** The urlencoded body exactly as received; '' when none. */
  readonly rawBody: string;
  /** The `timestamp` parameter, already parsed (a missing or malformed one is the caller's -1102/-1100). */
  readonly timestampMs: number;
  /** The `recvWindow` parameter; undefined when not sent. */
  readonly recvWindowMs: number | undefined;
  /** The server's clock when the request arrived. */
  readonly serverNowMs: number;
  /** What the endpoint needs: 'read' for USER_DATA, 'trade' for TRADE, 'withdraw' for withdrawals. */
  readonly permission: Permission;
}

export type AuthenticateResult =
  | { readonly code: 'OK'; readonly userId: number; readonly key: ApiKeyEntry }
  | { readonly code: Exclude<RequestAuthCode, 'OK'> };

export function authenticateRequest(store: ApiKeyLookup, request: SignedRequest): AuthenticateResult {
  if (!isApiKeyFormat(request.apiKey)) return { code: 'API_KEY_FORMAT_INVALID' };
  if (!store.isAvailable()) return { code: 'STORE_UNAVAILABLE' };
  const key = store.lookup(request.apiKey);
  if (key === undefined) return { code: 'API_KEY_UNKNOWN' };
  if (!key.allowsIp(request.ip)) return { code: 'IP_NOT_ALLOWED' };
  const signed = signaturePayload(request.rawQuery, request.rawBody);
  if (signed.code === 'SIGNATURE_MISSING' || signed.code === 'SIGNATURE_DUPLICATED') return { code: signed.code };
  const timing = checkTimestamp(request.timestampMs, request.recvWindowMs, request.serverNowMs);
  if (timing !== 'OK') return { code: timing };
  if (signed.code !== 'OK' || !key.verify(signed.payload, signed.signature)) return { code: 'SIGNATURE_INVALID' };
  if (!key.hasPermission(request.permission)) return { code: 'PERMISSION_DENIED' };
  return { code: 'OK', userId: key.userId, key };
}
