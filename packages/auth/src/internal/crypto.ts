// Hashes, random tokens and constant-time comparison for tokens and codes. Tokens and recovery codes carry at least
// 80 random bits, so a plain SHA-256 is enough to store them (a slow hash protects guessable secrets: passwords).

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RandomBytesSource } from './random.js';

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function sha256Hex(text: string): string {
  return sha256(text).toString('hex');
}

/** Equal byte strings in time that depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function randomToken(size: number, source: RandomBytesSource = randomBytes): string {
  return Buffer.from(source(size)).toString('base64url');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `length` characters of RFC 4648 base32 (32 divides 256: no bias). */
export function randomBase32(length: number, source: RandomBytesSource = randomBytes): string {
  const bytes = source(length);
  let text = '';
  for (let index = 0; index < length; index++) text += BASE32[(bytes[index] ?? 0) % 32];
  return text;
}
