// Binance's request signatures, exactly: the signed payload is the query string as received, without its
// `signature` parameter, concatenated with the request body as received (no separator, nothing re-encoded);
// HMAC keys sign it with HMAC-SHA256 (hex, either case), Ed25519 keys with an Ed25519 signature (base64).
// Pure functions: no clock, no I/O. Malformed signatures are a `false` or a result code, never a throw.

import { createHmac, createSecretKey, timingSafeEqual, verify as verifyAsymmetric, type KeyObject } from 'node:crypto';

export type SignaturePayloadResult =
  | { readonly code: 'OK'; readonly payload: string; readonly signature: string }
  | { readonly code: 'SIGNATURE_MISSING' | 'SIGNATURE_DUPLICATED' | 'SIGNATURE_INVALID' };

const SIGNATURE_PARAMETER = 'signature';
const HMAC_SIGNATURE_HEX = /^[0-9a-fA-F]{64}$/;
/** 64 bytes in standard base64: 86 characters and `==`, the padding optional. */
const ED25519_SIGNATURE_BASE64 = /^[A-Za-z0-9+/]{86}(?:==)?$/;
const ED25519_SIGNATURE_BYTES = 64;

/**
 * Splits a signed request into what was signed and the signature. `rawQuery` is the query string without `?`,
 * `rawBody` the urlencoded body ('' when none), both exactly as received. The `signature` parameter may be in
 * either, at any position (Binance clients put it last); exactly one is required. Everything else stays byte for
 * byte, so a parameter added, removed, reordered, re-encoded or moved between query and body changes the payload.
 * The signature value is percent-decoded ('+' stays '+', as base64 signatures need).
 */
export function signaturePayload(rawQuery: string, rawBody: string): SignaturePayloadResult {
  const query = withoutSignature(rawQuery);
  const body = withoutSignature(rawBody);
  const values = [...query.signatures, ...body.signatures];
  if (values.length > 1) return { code: 'SIGNATURE_DUPLICATED' };
  const encoded = values[0];
  if (encoded === undefined || encoded === '') return { code: 'SIGNATURE_MISSING' };
  let signature: string;
  try {
    signature = decodeURIComponent(encoded);
  } catch {
    return { code: 'SIGNATURE_INVALID' };
  }
  return { code: 'OK', payload: query.rest + body.rest, signature };
}

function withoutSignature(raw: string): { rest: string; signatures: string[] } {
  if (raw === '') return { rest: '', signatures: [] };
  const kept: string[] = [];
  const signatures: string[] = [];
  for (const segment of raw.split('&')) {
    const equals = segment.indexOf('=');
    const name = equals === -1 ? segment : segment.slice(0, equals);
    if (decodedName(name) === SIGNATURE_PARAMETER) signatures.push(equals === -1 ? '' : segment.slice(equals + 1));
    else kept.push(segment);
  }
  // Dropping segments and joining the rest with '&' leaves every other byte as it was received.
  return { rest: signatures.length === 0 ? raw : kept.join('&'), signatures };
}

/** The name as the gateway's parameter parser sees it, so `%73ignature` is the signature here too. */
function decodedName(name: string): string | undefined {
  if (!name.includes('%') && !name.includes('+')) return name;
  try {
    return decodeURIComponent(name.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/** A secret as an HMAC key object: the 64-character secret's bytes, as Binance uses it. */
export function hmacKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** The lower-case hex HMAC-SHA256 signature of `payload`: what a client sends. */
export function signHmac(key: KeyObject | string, payload: string | Uint8Array): string {
  return createHmac('sha256', typeof key === 'string' ? hmacKey(key) : key)
    .update(payload)
    .digest('hex');
}

/**
 * True when `signature` is the HMAC-SHA256 of `payload` under `key`, as 64 hex digits in either case. Compared in
 * constant time over two 32-byte buffers; a signature of any other length or alphabet is false without comparing.
 */
export function verifyHmacSignature(key: KeyObject, payload: string | Uint8Array, signature: string): boolean {
  if (!HMAC_SIGNATURE_HEX.test(signature)) return false;
  const expected = createHmac('sha256', key).update(payload).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** True when `signature` (standard base64) is an Ed25519 signature of `payload` by `publicKey`. */
export function verifyEd25519Signature(publicKey: KeyObject, payload: string | Uint8Array, signature: string): boolean {
  if (!ED25519_SIGNATURE_BASE64.test(signature)) return false;
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== ED25519_SIGNATURE_BYTES) return false;
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  try {
    return verifyAsymmetric(null, data, publicKey, bytes);
  } catch {
    return false;
  }
}

/** The key a request is checked against: an HMAC secret key, or a registered Ed25519 public key. */
export type VerificationKey =
  { readonly type: 'HMAC'; readonly key: KeyObject } | { readonly type: 'ED25519'; readonly publicKey: KeyObject };

/**
 * Checks a request's signature from its raw parts: SIGNATURE_MISSING / SIGNATURE_DUPLICATED when the parameter is
 * absent or repeated, SIGNATURE_INVALID when malformed or wrong, else OK.
 */
export function verifyRequestSignature(
  key: VerificationKey,
  rawQuery: string,
  rawBody: string,
): 'OK' | 'SIGNATURE_MISSING' | 'SIGNATURE_DUPLICATED' | 'SIGNATURE_INVALID' {
  const signed = signaturePayload(rawQuery, rawBody);
  if (signed.code !== 'OK') return signed.code;
  const valid =
    key.type === 'HMAC'
      ? verifyHmacSignature(key.key, signed.payload, signed.signature)
      : verifyEd25519Signature(key.publicKey, signed.payload, signed.signature);
  return valid ? 'OK' : 'SIGNATURE_INVALID';
}
