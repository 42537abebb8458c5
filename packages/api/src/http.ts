// The HTTP edge: a fetch Request in, a Response out, for a Next.js route handler
// (`export const GET = POST = (request) => handleTrpcRequest(request, options)`). Refuses state-changing requests
// whose Origin is not the host's own (CSRF) before anything runs, and writes the session cookie with Secure when
// the request came over https.

import type { MasterKeyring } from '@exbox/auth';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Sql } from 'postgres';
import { createTraderContext } from './context.js';
import { isSameOrigin } from './csrf.js';
import { traderRouter } from './root.js';

export interface HandleTrpcRequestOptions {
  readonly sql: Sql;
  readonly keyring: MasterKeyring;
  /** Where the router is mounted; default '/api/trpc'. */
  readonly endpoint?: string;
  /** The client's address, as the caller determined it from a trusted proxy's header; '' when unknown. */
  readonly ip?: string;
  readonly demoMailbox?: boolean;
  /** Links in messages; default EXBOX_PUBLIC_URL. */
  readonly linkBaseUrl?: string;
  readonly allowedOrigins?: readonly string[];
  /** Default: the request URL is https (behind a TLS-terminating proxy, pass true). */
  readonly secure?: boolean;
  /** Unexpected errors (not the domain's expected ones): log them. */
  readonly onInternalError?: (error: unknown, path: string | undefined) => void;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function handleTrpcRequest(request: Request, options: HandleTrpcRequestOptions): Promise<Response> {
  const url = new URL(request.url);
  const host = request.headers.get('host') ?? url.host;
  if (
    !SAFE_METHODS.has(request.method) &&
    !isSameOrigin(request.headers.get('origin'), host, options.allowedOrigins ?? [])
  ) {
    return Response.json(
      {
        error: { message: 'cross-origin request refused', code: -32003, data: { code: 'FORBIDDEN', httpStatus: 403 } },
      },
      { status: 403 },
    );
  }
  const headers = new Headers(request.headers);
  headers.set('host', host);
  const response = await fetchRequestHandler({
    endpoint: options.endpoint ?? '/api/trpc',
    req: request,
    router: traderRouter,
    createContext: ({ resHeaders }) =>
      createTraderContext({
        sql: options.sql,
        keyring: options.keyring,
        headers,
        ip: options.ip,
        demoMailbox: options.demoMailbox,
        linkBaseUrl: options.linkBaseUrl,
        allowedOrigins: options.allowedOrigins,
        secure: options.secure ?? url.protocol === 'https:',
        resHeaders,
      }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') options.onInternalError?.(error.cause ?? error, path);
    },
  });
  // Account data is personal: never cached by a shared cache.
  response.headers.set('Cache-Control', 'private, no-store');
  return response;
}
