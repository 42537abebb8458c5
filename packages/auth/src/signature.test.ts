// Proves request signatures are checked exactly as Binance does and that tampering fails: Binance's own documented
// examples verify (query only, and query + body); the payload is the raw query without its signature parameter,
// wherever that parameter sits, concatenated with the raw body; hex in either case is accepted; and a wrong secret,
// another user's secret, a modified, reordered, re-encoded or moved parameter, a truncated, extended, non-hex or
// duplicated signature all fail, as do the same attacks on Ed25519 signatures. Malformed input never throws.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  hmacKey,
  signaturePayload,
  signHmac,
  verifyEd25519Signature,
  verifyHmacSignature,
  verifyRequestSignature,
} from './signature.js';
import { SeededRandom } from './testing/seeded-random.js';

// From Binance's API documentation ("SIGNED endpoint examples for POST /api/v3/order").
const BINANCE_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const BINANCE_QUERY =
  'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const BINANCE_QUERY_SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';
const BINANCE_MIXED_QUERY = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC';
const BINANCE_MIXED_BODY = 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const BINANCE_MIXED_SIGNATURE = '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77';

const key = hmacKey(BINANCE_SECRET);
const hmac = { type: 'HMAC', key } as const;

describe("Binance's documented examples", () => {
  it('verifies a signature over the query string', () => {
    expect(signHmac(BINANCE_SECRET, BINANCE_QUERY)).toBe(BINANCE_QUERY_SIGNATURE);
    expect(verifyRequestSignature(hmac, `${BINANCE_QUERY}&signature=${BINANCE_QUERY_SIGNATURE}`, '')).toBe('OK');
  });

  it('verifies a signature over the request body', () => {
    expect(verifyRequestSignature(hmac, '', `${BINANCE_QUERY}&signature=${BINANCE_QUERY_SIGNATURE}`)).toBe('OK');
  });

  it('verifies a signature over query and body concatenated without a separator', () => {
    const body = `${BINANCE_MIXED_BODY}&signature=${BINANCE_MIXED_SIGNATURE}`;
    expect(verifyRequestSignature(hmac, BINANCE_MIXED_QUERY, body)).toBe('OK');
    // With the signature in the query instead of the body, the payload is the same.
    expect(
      verifyRequestSignature(hmac, `${BINANCE_MIXED_QUERY}&signature=${BINANCE_MIXED_SIGNATURE}`, BINANCE_MIXED_BODY),
    ).toBe('OK');
  });

  it('accepts upper-case and mixed-case hex', () => {
    expect(verifyHmacSignature(key, BINANCE_QUERY, BINANCE_QUERY_SIGNATURE.toUpperCase())).toBe(true);
    const mixed = [...BINANCE_QUERY_SIGNATURE].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');
    expect(verifyHmacSignature(key, BINANCE_QUERY, mixed)).toBe(true);
  });
});

describe('signaturePayload', () => {
  it('removes the signature parameter wherever it is and keeps every other byte', () => {
    expect(signaturePayload('a=1&b=2&signature=ab', '')).toEqual({ code: 'OK', payload: 'a=1&b=2', signature: 'ab' });
    expect(signaturePayload('signature=ab&a=1&b=2', '')).toEqual({ code: 'OK', payload: 'a=1&b=2', signature: 'ab' });
    expect(signaturePayload('a=1&signature=ab&b=2', '')).toEqual({ code: 'OK', payload: 'a=1&b=2', signature: 'ab' });
    expect(signaturePayload('a=%41+b&signature=ab', 'c=%7E')).toEqual({
      code: 'OK',
      payload: 'a=%41+bc=%7E',
      signature: 'ab',
    });
    expect(signaturePayload('a=1', 'b=2&signature=ab')).toEqual({ code: 'OK', payload: 'a=1b=2', signature: 'ab' });
    // Names the gateway decodes to 'signature' are the signature here too.
    expect(signaturePayload('a=1&%73ignature=ab', '')).toEqual({ code: 'OK', payload: 'a=1', signature: 'ab' });
    // Only the exact name: these are ordinary parameters.
    expect(signaturePayload('signatures=1&Signature=2&xsignature=3&signature=ab', '')).toEqual({
      code: 'OK',
      payload: 'signatures=1&Signature=2&xsignature=3',
      signature: 'ab',
    });
  });

  it('percent-decodes the signature but keeps + (base64 needs it)', () => {
    expect(signaturePayload('a=1&signature=ab%2Bcd%2F%3D%3D', '')).toMatchObject({ signature: 'ab+cd/==' });
    expect(signaturePayload('a=1&signature=ab+cd', '')).toMatchObject({ signature: 'ab+cd' });
    expect(signaturePayload('a=1&signature=%E0%A4%A', '')).toEqual({ code: 'SIGNATURE_INVALID' });
  });

  it('requires exactly one non-empty signature', () => {
    expect(signaturePayload('a=1', 'b=2')).toEqual({ code: 'SIGNATURE_MISSING' });
    expect(signaturePayload('', '')).toEqual({ code: 'SIGNATURE_MISSING' });
    expect(signaturePayload('a=1&signature=', '')).toEqual({ code: 'SIGNATURE_MISSING' });
    expect(signaturePayload('a=1&signature', '')).toEqual({ code: 'SIGNATURE_MISSING' });
    expect(signaturePayload('signature=ab&signature=ab', '')).toEqual({ code: 'SIGNATURE_DUPLICATED' });
    expect(signaturePayload('signature=ab', 'signature=ab')).toEqual({ code: 'SIGNATURE_DUPLICATED' });
  });
});

describe('HMAC attacks', () => {
  const signed = (query: string, secret = BINANCE_SECRET) => `${query}&signature=${signHmac(secret, query)}`;

  it('refuses a signature made with another secret (a wrong secret, another user)', () => {
    const otherSecret = 'A'.repeat(64);
    expect(verifyRequestSignature(hmac, signed(BINANCE_QUERY, otherSecret), '')).toBe('SIGNATURE_INVALID');
    // One character of the secret changed.
    const nearSecret = `${BINANCE_SECRET.slice(0, -1)}k`;
    expect(verifyRequestSignature(hmac, signed(BINANCE_QUERY, nearSecret), '')).toBe('SIGNATURE_INVALID');
  });

  it('refuses a modified query: a value, an added, a removed or a reordered parameter, a re-encoding', () => {
    const signature = `&signature=${BINANCE_QUERY_SIGNATURE}`;
    const attacks = [
      BINANCE_QUERY.replace('quantity=1', 'quantity=10'),
      BINANCE_QUERY.replace('side=BUY', 'side=SELL'),
      `${BINANCE_QUERY}&quantity=100`,
      BINANCE_QUERY.replace('&recvWindow=5000', ''),
      BINANCE_QUERY.replace('symbol=LTCBTC&side=BUY', 'side=BUY&symbol=LTCBTC'),
      BINANCE_QUERY.replace('price=0.1', 'price=0%2E1'),
      BINANCE_QUERY.replace('timestamp=1499827319559', 'timestamp=1499827319560'),
    ];
    for (const query of attacks)
      expect(verifyRequestSignature(hmac, query + signature, ''), query).toBe('SIGNATURE_INVALID');
  });

  it('refuses a modified body, and a parameter moved between query and body', () => {
    const body = `${BINANCE_MIXED_BODY}&signature=${BINANCE_MIXED_SIGNATURE}`;
    expect(verifyRequestSignature(hmac, BINANCE_MIXED_QUERY, body.replace('quantity=1', 'quantity=2'))).toBe(
      'SIGNATURE_INVALID',
    );
    expect(verifyRequestSignature(hmac, BINANCE_MIXED_QUERY, `${body}&price=0.2`)).toBe('SIGNATURE_INVALID');
    // The body's first parameter moved to the end of the query: a '&' appears, the payload changes.
    const [first, ...rest] = BINANCE_MIXED_BODY.split('&');
    expect(
      verifyRequestSignature(
        hmac,
        `${BINANCE_MIXED_QUERY}&${first}`,
        `${rest.join('&')}&signature=${BINANCE_MIXED_SIGNATURE}`,
      ),
    ).toBe('SIGNATURE_INVALID');
  });

  it('lets the signature parameter move without changing anything else, and catches a parameter slipped after it', () => {
    // Moving only the signature keeps the signed parameters as they were: still valid, as the client signed them.
    expect(verifyRequestSignature(hmac, `signature=${BINANCE_QUERY_SIGNATURE}&${BINANCE_QUERY}`, '')).toBe('OK');
    // Splitting the signed parameters around the signature keeps them in order: still the same payload.
    const [head, ...tail] = BINANCE_QUERY.split('&');
    expect(verifyRequestSignature(hmac, `${head}&signature=${BINANCE_QUERY_SIGNATURE}&${tail.join('&')}`, '')).toBe(
      'OK',
    );
    // Anything added after the signature is part of the payload.
    expect(verifyRequestSignature(hmac, `${BINANCE_QUERY}&signature=${BINANCE_QUERY_SIGNATURE}&side=SELL`, '')).toBe(
      'SIGNATURE_INVALID',
    );
  });

  it('refuses truncated, extended, non-hex, empty and duplicated signatures without throwing', () => {
    const good = BINANCE_QUERY_SIGNATURE;
    const attacks = [
      good.slice(0, -1),
      good.slice(0, 32),
      `${good}0`,
      `${good}00`,
      `${good.slice(0, -1)}g`,
      `${good.slice(0, -2)}  `,
      `0x${good.slice(2)}`,
      Buffer.from(good, 'hex').toString('base64'),
      '',
      ' '.repeat(64),
      'z'.repeat(64),
    ];
    for (const signature of attacks) {
      expect(verifyHmacSignature(key, BINANCE_QUERY, signature), signature).toBe(false);
    }
    expect(verifyRequestSignature(hmac, `${BINANCE_QUERY}&signature=${good}&signature=${good}`, '')).toBe(
      'SIGNATURE_DUPLICATED',
    );
  });

  it('refuses every single-character change of a valid signature (seeded)', () => {
    const random = new SeededRandom(7);
    const alphabet = '0123456789abcdefABCDEF';
    for (let i = 0; i < 64; i++) {
      let replacement = random.pick([...alphabet]);
      while (replacement.toLowerCase() === BINANCE_QUERY_SIGNATURE[i]) replacement = random.pick([...alphabet]);
      const signature = BINANCE_QUERY_SIGNATURE.slice(0, i) + replacement + BINANCE_QUERY_SIGNATURE.slice(i + 1);
      expect(verifyHmacSignature(key, BINANCE_QUERY, signature), `seed 7, position ${i}`).toBe(false);
    }
  });

  it('signs bytes and strings alike (a body received as a Buffer)', () => {
    const bytes = Buffer.from(BINANCE_QUERY, 'utf8');
    expect(verifyHmacSignature(key, bytes, BINANCE_QUERY_SIGNATURE)).toBe(true);
  });
});

describe('Ed25519', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const ed25519 = { type: 'ED25519', publicKey } as const;
  const signEd25519 = (payload: string, key = privateKey) => sign(null, Buffer.from(payload), key).toString('base64');

  it('verifies a base64 signature over the same payload, sent URL-encoded', () => {
    const signature = signEd25519(BINANCE_QUERY);
    expect(verifyEd25519Signature(publicKey, BINANCE_QUERY, signature)).toBe(true);
    expect(verifyRequestSignature(ed25519, `${BINANCE_QUERY}&signature=${encodeURIComponent(signature)}`, '')).toBe(
      'OK',
    );
  });

  it("refuses another key's signature, a modified payload, and malformed signatures without throwing", () => {
    const signature = signEd25519(BINANCE_QUERY);
    expect(verifyEd25519Signature(publicKey, BINANCE_QUERY, signEd25519(BINANCE_QUERY, other.privateKey))).toBe(false);
    expect(verifyEd25519Signature(publicKey, `${BINANCE_QUERY}&x=1`, signature)).toBe(false);
    const bytes = Buffer.from(signature, 'base64');
    const flipped = Buffer.from(bytes);
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    for (const bad of [
      flipped.toString('base64'),
      signature.slice(0, -4),
      `${signature}AAAA`,
      bytes.toString('hex'),
      `${signature.slice(0, 80)}-_-_-_==`,
      '',
    ]) {
      expect(verifyEd25519Signature(publicKey, BINANCE_QUERY, bad), bad).toBe(false);
    }
  });

  it('accepts the base64 padding left off', () => {
    const signature = signEd25519(BINANCE_QUERY);
    expect(signature.endsWith('==')).toBe(true);
    expect(verifyEd25519Signature(publicKey, BINANCE_QUERY, signature.slice(0, -2))).toBe(true);
  });

  it('never accepts an HMAC signature for an Ed25519 key', () => {
    expect(verifyEd25519Signature(publicKey, BINANCE_QUERY, BINANCE_QUERY_SIGNATURE)).toBe(false);
  });
});
