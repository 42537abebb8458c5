/**
 * A broken ledger invariant: a bug or corrupted state, never bad input (that is a ResultCode).
 * Assertions stay on in production; the engine must stop rather than continue from a wrong balance.
 */
export class LedgerInvariantError extends Error {
  override readonly name = 'LedgerInvariantError';

  constructor(message: string) {
    super(`ledger invariant: ${message}`);
  }
}

export function invariant(message: string): never {
  throw new LedgerInvariantError(message);
}

export function assertNever(value: never): never {
  throw new LedgerInvariantError(`unexpected value ${String(value)}`);
}
