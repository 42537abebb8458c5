// Server only. The account backend behind /api/trpc: one database pool and the master keyring per server process,
// created on first use (so a build needs neither), then @exbox/api's fetch handler for every request.
import type * as apiModule from '@exbox/api';
import type * as authModule from '@exbox/auth';
import type * as dbModule from '@exbox/db';
import { readTraderEnvironment } from '../env';

interface AccountBackend {
  handle: (request: Request) => Promise<Response>;
}

let loading: Promise<AccountBackend> | null = null;

/** Connections this process opens to the database (the embedded demo database accepts only a few in all). */
const databaseConnections = 3;

/**
 * The workspace packages are imported by Node at run time rather than bundled (see tenant.ts): the auth package
 * finds the demo's key file next to its own file, and postgres.js and argon2 are Node libraries.
 */
async function loadBackend(): Promise<AccountBackend> {
  const environment = readTraderEnvironment();
  if (environment.databaseUrl === undefined) {
    throw new Error('DATABASE_URL is not set: the portal needs the exchange database for accounts');
  }
  const [api, auth, db]: [typeof apiModule, typeof authModule, typeof dbModule] = await Promise.all([
    import(/* turbopackIgnore: true */ '@exbox/api'),
    import(/* turbopackIgnore: true */ '@exbox/auth'),
    import(/* turbopackIgnore: true */ '@exbox/db'),
  ]);
  const { keyring } = auth.resolveMasterKeyring(environment.demo ? { keyFile: auth.demoMasterKeyFile } : {});
  const { sql } = db.createDb(environment.databaseUrl, {
    applicationName: 'exbox-trader',
    maxConnections: databaseConnections,
  });
  return {
    handle: (request) =>
      api.handleTrpcRequest(request, {
        sql,
        keyring,
        ip: clientIp(request, environment.trustProxy),
        demoMailbox: environment.demo,
        onInternalError: (error, path) => console.error(`[trpc] ${path ?? '?'}:`, error),
      }),
  };
}

/**
 * The client's address: behind a trusted proxy, the last hop of its X-Forwarded-For (the address the proxy saw);
 * otherwise what bin/serve.js took from the socket (it overwrites the header on every request).
 */
export function clientIp(request: Request, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = (request.headers.get('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim());
    return hops.at(-1) ?? '';
  }
  return request.headers.get('x-exbox-client-ip') ?? '';
}

export function accountBackend(): Promise<AccountBackend> {
  loading ??= loadBackend().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
