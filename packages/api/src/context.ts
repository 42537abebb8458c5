// The tRPC context of the trader portal: the database, the master keyring, the session from the cookie, where the
// request came from (for audit and rate limits) and what the CSRF check compares (Origin against Host). Cookies
// the procedures set or clear go to the response headers (handleTrpcRequest) and are recorded for tests.

import {
  createBlankSessionCookie,
  createSessionCookie,
  readAuthEnvironment,
  readSessionCookie,
  validateSession,
  type MasterKeyring,
  type SessionContext,
} from '@exbox/auth';
import type { Sql } from 'postgres';

export interface SessionCookieJar {
  set(session: { id: string; expiresAt: Date }): void;
  clear(): void;
  /** Every Set-Cookie value written in this request, in order. */
  readonly written: readonly string[];
}

export interface TraderContext {
  readonly sql: Sql;
  readonly keyring: MasterKeyring;
  /** The valid session named by the cookie, possibly still waiting for its second factor; undefined without one. */
  readonly session: SessionContext | undefined;
  readonly ip: string;
  readonly userAgent: string;
  /** The Origin header (browsers send it on every POST); null when absent. */
  readonly requestOrigin: string | null;
  /** The Host header (or the request URL's host). */
  readonly host: string | null;
  /** Origins besides the host's own that may send mutations (a separate portal domain); default none. */
  readonly allowedOrigins: readonly string[];
  /** The demo's local mailbox page (mailbox.list) is served only when true. */
  readonly demoMailbox: boolean;
  /** The portal's public URL for links in messages (EXBOX_PUBLIC_URL). */
  readonly linkBaseUrl: string;
  readonly cookies: SessionCookieJar;
}

export interface CreateTraderContextOptions {
  readonly sql: Sql;
  readonly keyring: MasterKeyring;
  readonly headers: Headers;
  /** The client's address as the edge determined it (after trusted proxies); '' when unknown. */
  readonly ip?: string;
  readonly demoMailbox?: boolean;
  /** Default: EXBOX_PUBLIC_URL. */
  readonly linkBaseUrl?: string;
  readonly allowedOrigins?: readonly string[];
  /** Whether cookies get the Secure attribute: true when the request came over https. Default false. */
  readonly secure?: boolean;
  /** The response's headers, where Set-Cookie goes (fetch adapter); omitted in tests that use createCaller. */
  readonly resHeaders?: Headers;
}

export async function createTraderContext(options: CreateTraderContextOptions): Promise<TraderContext> {
  const secure = options.secure ?? false;
  const written: string[] = [];
  const write = (value: string) => {
    written.push(value);
    options.resHeaders?.append('Set-Cookie', value);
  };
  const cookies: SessionCookieJar = {
    set: (session) => write(createSessionCookie(session, { secure })),
    clear: () => write(createBlankSessionCookie({ secure })),
    written,
  };
  const sessionId = readSessionCookie(options.headers.get('cookie'));
  const session = sessionId === undefined ? undefined : await validateSession({ sql: options.sql, sessionId });
  if (sessionId !== undefined && session === undefined) cookies.clear();
  // lucia extended the session: send the cookie again with the new expiry.
  if (session?.fresh === true) cookies.set(session.session);
  return {
    sql: options.sql,
    keyring: options.keyring,
    session,
    ip: options.ip ?? '',
    userAgent: options.headers.get('user-agent') ?? '',
    requestOrigin: options.headers.get('origin'),
    host: options.headers.get('host'),
    allowedOrigins: options.allowedOrigins ?? [],
    demoMailbox: options.demoMailbox ?? false,
    linkBaseUrl: options.linkBaseUrl ?? readAuthEnvironment().EXBOX_PUBLIC_URL,
    cookies,
  };
}
