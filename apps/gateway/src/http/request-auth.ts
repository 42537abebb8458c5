// Authenticates Binance-style requests: the API key in X-MBX-APIKEY, its IP allow-list and permissions, then
// for signed endpoints the timestamp (+ recvWindow) and the signature over the raw query string and raw body as
// received. The checks run in Binance's order, so a client sees the error Binance would give.
import { BinanceError, errors } from '../binance/errors.js';
import type { Security } from './types.js';

export type Permission = 'read' | 'trade' | 'withdraw';

/** What the gateway needs of an API key (the auth package's key store provides it). */
export interface ApiKeyGrant {
  userId: number;
  permissions: ReadonlySet<Permission>;
  ipAllowed(ip: string): boolean;
  /** Verifies a signature over `payload` (HMAC-SHA256 hex, or Ed25519 base64 for Ed25519 keys). */
  verify(payload: string, signature: string): boolean;
}

export interface KeyStore {
  lookup(apiKey: string): ApiKeyGrant | undefined;
}

export const recvWindowDefaultMs = 5_000;
export const recvWindowMaxMs = 60_000;
/** Binance refuses timestamps more than a second ahead of its clock. */
export const timestampAheadMaxMs = 1_000;

const apiKeyPattern = /^[A-Za-z0-9]{1,128}$/;

export interface SignedRequestParts {
  apiKey: string | undefined;
  ip: string;
  /** The raw query string as received (percent-encoding untouched). */
  rawQuery: string;
  /** The raw body as received. */
  rawBody: string;
  params: ReadonlyMap<string, string>;
  nowMs: number;
}

/**
 * The signed payload: Binance signs `totalParams`, the query string concatenated with the body, each with its
 * `signature` parameter removed exactly as sent.
 */
export const signedPayload = (
  rawQuery: string,
  rawBody: string,
): { payload: string; signature: string | undefined } => {
  let signature: string | undefined;
  const strip = (raw: string): string => {
    if (raw === '') return raw;
    // Fast path: one signature parameter, last (how every client sends it).
    const at = raw.startsWith('signature=') ? 0 : raw.indexOf('&signature=') + 1;
    if (at > 0 || raw.startsWith('signature=')) {
      const valueStart = at + 'signature='.length;
      if (raw.indexOf('&', valueStart) < 0 && raw.indexOf('signature=', valueStart) < 0) {
        if (signature !== undefined) throw errors.duplicateParameter('signature');
        signature = decodeURIComponent(raw.slice(valueStart));
        return at === 0 ? '' : raw.slice(0, at - 1);
      }
    }
    const kept: string[] = [];
    for (const part of raw.split('&')) {
      if (part.startsWith('signature=')) {
        if (signature !== undefined) throw errors.duplicateParameter('signature');
        signature = decodeURIComponent(part.slice('signature='.length));
      } else {
        kept.push(part);
      }
    }
    return kept.join('&');
  };
  const query = strip(rawQuery);
  const body = strip(rawBody);
  return { payload: query + body, signature };
};

/** Returns the key's grant after every check for `security`; throws the Binance error otherwise. */
export const authenticate = (store: KeyStore, security: Security, request: SignedRequestParts): ApiKeyGrant => {
  if (request.apiKey === undefined || request.apiKey === '') {
    throw new BinanceError(-2014, 'API-key format invalid.', 401);
  }
  if (!apiKeyPattern.test(request.apiKey)) throw errors.badApiKeyFormat();
  const grant = store.lookup(request.apiKey);
  if (grant === undefined) throw errors.rejectedApiKey();
  if (!grant.ipAllowed(request.ip)) throw errors.rejectedApiKey();
  const needed: Permission = security === 'TRADE' ? 'trade' : 'read';
  if (!grant.permissions.has(needed)) throw errors.rejectedApiKey();
  if (security === 'USER_STREAM' || security === 'NONE') return grant;

  const timestampText = request.params.get('timestamp');
  if (timestampText === undefined || timestampText === '') throw errors.mandatoryMissing('timestamp');
  if (!/^\d{1,16}$/.test(timestampText)) throw errors.illegalChars('timestamp', '^[0-9]{1,20}$');
  const recvText = request.params.get('recvWindow');
  let recvWindowMs = recvWindowDefaultMs;
  if (recvText !== undefined) {
    if (!/^\d{1,9}(\.\d{1,3})?$/.test(recvText)) throw errors.illegalChars('recvWindow', '^[0-9]{1,9}(.[0-9]{1,3})?$');
    recvWindowMs = Number(recvText);
    if (recvWindowMs > recvWindowMaxMs || recvWindowMs <= 0) throw errors.badRecvWindow();
  }
  const timestampMs = Number(timestampText);
  if (timestampMs > request.nowMs + timestampAheadMaxMs) throw errors.timestampAhead();
  if (request.nowMs - timestampMs > recvWindowMs) throw errors.timestampOutsideWindow();

  const { payload, signature } = signedPayload(request.rawQuery, request.rawBody);
  if (signature === undefined || signature === '') throw errors.mandatoryMissing('signature');
  if (!grant.verify(payload, signature)) throw errors.invalidSignature();
  return grant;
};
