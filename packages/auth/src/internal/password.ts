// argon2id password hashing (@node-rs/argon2, whose default algorithm is argon2id; the parameters are named in
// limits.ts). verifyPassword also runs when there is no account, against a hash of nothing anyone knows, so that a
// login takes as long for an unknown email as for a wrong password.

import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { assert } from '../codes.js';
import { ARGON2_MEMORY_KIB, ARGON2_PARALLELISM, ARGON2_TIME_COST } from '../limits.js';

const options = { memoryCost: ARGON2_MEMORY_KIB, timeCost: ARGON2_TIME_COST, parallelism: ARGON2_PARALLELISM };

export async function hashPassword(password: string): Promise<string> {
  const hashed = await hash(password, options);
  assert(hashed.startsWith('$argon2id$'), 'passwords are hashed with argon2id');
  return hashed;
}

let dummyHash: Promise<string> | undefined;

/** True when `password` matches `hashed`; with no hash, spends the same time and returns false. */
export async function verifyPassword(hashed: string | null | undefined, password: string): Promise<boolean> {
  if (hashed === null || hashed === undefined) {
    dummyHash ??= hashPassword(randomBytes(32).toString('base64'));
    await verify(await dummyHash, password);
    return false;
  }
  try {
    return await verify(hashed, password);
  } catch {
    // A malformed stored hash is a broken row, not a match.
    return false;
  }
}
