// The one way our code opens a PostgreSQL connection pool: postgres.js underneath, drizzle on top.

import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres, { type Notice, type Sql } from 'postgres';
import { databaseUrlSchema } from './env.js';
import {
  closeTimeoutSeconds,
  connectTimeoutSeconds,
  poolConnectionsDefault,
  poolIdleTimeoutSeconds,
} from './limits.js';

export type DrizzleSchema = Record<string, unknown>;

export interface CreateDbOptions<TSchema extends DrizzleSchema> {
  /** Tables (and relations) for drizzle's relational queries, `db.query.*`; the query builder needs none. */
  readonly schema?: TSchema;
  /** Pool size. Default: the URL's `?max=` when present, else 10. */
  readonly maxConnections?: number;
  /** Shown in pg_stat_activity. Default: postgres.js's. */
  readonly applicationName?: string;
  /** Receives server notices. Default: warnings go to console.warn, plain notices are dropped. */
  readonly onNotice?: (notice: Notice) => void;
}

export interface Database<TSchema extends DrizzleSchema = Record<string, never>> {
  /** The postgres.js pool, for tagged-template SQL and `sql.begin` transactions. */
  readonly sql: Sql;
  /** Drizzle over the same pool. */
  readonly db: PostgresJsDatabase<TSchema> & { $client: Sql };
  /** Lets running queries finish (up to a few seconds), then closes every connection. */
  close(): Promise<void>;
}

/** The drizzle database type, and the transaction handed to `db.transaction(async (tx) => ...)`. */
export type DrizzleDatabase<TSchema extends DrizzleSchema = Record<string, never>> = Database<TSchema>['db'];
export type DrizzleTransaction<TSchema extends DrizzleSchema = Record<string, never>> = Parameters<
  Parameters<DrizzleDatabase<TSchema>['transaction']>[0]
>[0];

function defaultNotice(notice: Notice): void {
  const severity = String(notice['severity'] ?? '');
  if (severity === 'WARNING') console.warn(`[db] ${severity}: ${String(notice['message'] ?? '')}`);
}

/**
 * A pool for `url` (postgres:// or postgresql://). Works the same against PostgreSQL and the embedded PGlite
 * server (see startEmbeddedPostgres): prepared statements and pipelining are safe on both.
 */
export function createDb<TSchema extends DrizzleSchema = Record<string, never>>(
  url: string,
  options: CreateDbOptions<TSchema> = {},
): Database<TSchema> {
  const parsedUrl = databaseUrlSchema.safeParse(url);
  if (!parsedUrl.success)
    throw new Error(`createDb: DATABASE_URL ${parsedUrl.error.issues[0]?.message ?? 'is invalid'}`);
  const maxFromUrl = Number(new URL(url).searchParams.get('max') ?? Number.NaN);
  const maxConnections = options.maxConnections ?? (Number.isInteger(maxFromUrl) ? maxFromUrl : poolConnectionsDefault);
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new Error(`createDb: maxConnections must be a positive integer, got ${maxConnections}`);
  }
  const sql = postgres(url, {
    max: maxConnections,
    idle_timeout: poolIdleTimeoutSeconds,
    connect_timeout: connectTimeoutSeconds,
    onnotice: options.onNotice ?? defaultNotice,
    ...(options.applicationName === undefined ? {} : { connection: { application_name: options.applicationName } }),
  });
  const db = options.schema === undefined ? drizzle({ client: sql }) : drizzle({ client: sql, schema: options.schema });
  let closing: Promise<void> | undefined;
  return {
    sql,
    db: db as PostgresJsDatabase<TSchema> & { $client: Sql },
    close: () => (closing ??= sql.end({ timeout: closeTimeoutSeconds })),
  };
}
