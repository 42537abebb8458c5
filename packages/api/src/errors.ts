// The one place where @exbox/auth's closed error codes become tRPC errors (STYLE.md 6). The switch is exhaustive:
// a new code in auth fails to compile here until it is mapped.

import { TRPCError } from '@trpc/server';
import type { AuthError } from '@exbox/auth';
import { type AuthErrorCode } from '@exbox/auth';

type TrpcCode = TRPCError['code'];

function assertNever(value: never): never {
  throw new Error(`@exbox/api: unmapped auth error code ${String(value)}`);
}

export function trpcCodeOf(code: AuthErrorCode): TrpcCode {
  switch (code) {
    case 'INPUT_INVALID':
    case 'TOKEN_INVALID':
    case 'TWO_FACTOR_CODE_INVALID':
      return 'BAD_REQUEST';
    case 'CREDENTIALS_INVALID':
    case 'SESSION_INVALID':
      return 'UNAUTHORIZED';
    case 'EMAIL_NOT_VERIFIED':
    case 'TWO_FACTOR_REQUIRED':
      return 'FORBIDDEN';
    case 'USER_NOT_FOUND':
    case 'API_KEY_NOT_FOUND':
    case 'SESSION_NOT_FOUND':
      return 'NOT_FOUND';
    case 'USERNAME_TAKEN':
    case 'TWO_FACTOR_ALREADY_ENABLED':
      return 'CONFLICT';
    case 'TWO_FACTOR_NOT_ENABLED':
    case 'TWO_FACTOR_NOT_PENDING':
    case 'API_KEYS_PER_USER_EXCEEDED':
      return 'PRECONDITION_FAILED';
    case 'TOO_MANY_ATTEMPTS':
      return 'TOO_MANY_REQUESTS';
    case 'MASTER_KEY_MISSING':
    case 'MASTER_KEY_INVALID':
    case 'MASTER_KEY_UNKNOWN':
    case 'SECRET_DECRYPT_FAILED':
      return 'INTERNAL_SERVER_ERROR';
    default:
      return assertNever(code);
  }
}

export function toTrpcError(error: AuthError): TRPCError {
  const code = trpcCodeOf(error.code);
  // Configuration problems are the operator's, not the client's: their messages stay on the server.
  const message = code === 'INTERNAL_SERVER_ERROR' ? 'Internal error' : error.message;
  return new TRPCError({ code, message, cause: error });
}
