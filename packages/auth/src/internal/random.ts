// Random API keys and secrets: characters of [A-Za-z0-9] drawn from crypto.randomBytes without modulo bias.

import { randomBytes } from 'node:crypto';
import { assert } from '../codes.js';

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Where random bytes come from: crypto.randomBytes, or a seeded source in tests. */
export type RandomBytesSource = (size: number) => Uint8Array;

/** 248 = 4 * 62: bytes at or above it are dropped, so every character is equally likely. */
const ACCEPT_BELOW = 256 - (256 % ALPHANUMERIC.length);
/** Each byte is kept with probability 248/256; drawing a quarter more makes a second draw rare. */
const OVERDRAW_FACTOR = 1.25;
/** Rounds of draws before giving up: a source that keeps returning rejected bytes is broken, not unlucky. */
const DRAW_ROUNDS_MAX = 64;

export function randomAlphanumeric(length: number, source: RandomBytesSource = randomBytes): string {
  assert(Number.isSafeInteger(length) && length > 0, 'a positive length');
  let text = '';
  for (let round = 0; round < DRAW_ROUNDS_MAX && text.length < length; round++) {
    const bytes = source(Math.ceil((length - text.length) * OVERDRAW_FACTOR));
    for (const byte of bytes) {
      if (byte >= ACCEPT_BELOW) continue;
      text += ALPHANUMERIC[byte % ALPHANUMERIC.length];
      if (text.length === length) break;
    }
  }
  assert(text.length === length, 'the random source yields usable bytes');
  return text;
}
