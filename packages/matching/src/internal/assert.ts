// Assertions stay on in production: a broken invariant in the book is a bug, and continuing would corrupt
// state that the engine journals and settles. Messages are constant strings on hot paths (no allocation).

export class MatchingInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatchingInvariantError';
  }
}

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new MatchingInvariantError(message);
}

/** For exhaustive switches: the compiler proves this is unreachable, the throw covers bad runtime data. */
export function assertNever(value: never, what: string): never {
  throw new MatchingInvariantError(`unexpected ${what}: ${String(value)}`);
}
