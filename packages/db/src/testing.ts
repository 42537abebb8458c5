// Databases for tests (`@exbox/db/testing`). DESIGN.md: tests use the real PostgreSQL at DATABASE_URL, or
// postgres://postgres@127.0.0.1:5432/test when it answers, else PGlite; both paths stay green.

import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDb, type Database } from './client.js';
import { startEmbeddedPostgres } from './embedded.js';
import { readDatabaseEnvironment } from './env.js';
import { testProbeTimeoutSeconds } from './limits.js';
import { migrate } from './migrate.js';

/** The PostgreSQL tests try when DATABASE_URL is unset. */
export const defaultTestDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

export type TestDatabaseKind = 'postgres' | 'pglite';

export interface TestDatabaseOptions {
  /** Force a backend; default: EXBOX_TEST_DATABASE, else `auto`. */
  readonly kind?: TestDatabaseKind | 'auto';
  /** Migrations to apply (drizzle-kit layout); default packages/db/drizzle. Pass null to apply none. */
  readonly migrationsFolder?: string | null;
}

export interface TestDatabase extends Database {
  /** The URL of this test's own database, for code under test that takes a DATABASE_URL. */
  readonly url: string;
  readonly kind: TestDatabaseKind;
  /** Closes the pool and drops the database (PostgreSQL) or stops the embedded server (PGlite). */
  close(): Promise<void>;
}

interface Backend {
  readonly kind: TestDatabaseKind;
  /** The server URL to create databases on (PostgreSQL only). */
  readonly serverUrl: string | undefined;
}

const backendByRequest = new Map<string, Promise<Backend>>();

/** Which backend createTestDatabase would use with these options (probing PostgreSQL once per process). */
export async function testDatabaseKind(options: Pick<TestDatabaseOptions, 'kind'> = {}): Promise<TestDatabaseKind> {
  return (await chooseBackend(options.kind)).kind;
}

/**
 * A fresh, migrated database. On PostgreSQL each call creates its own uniquely named database, so test files
 * running in parallel never see each other's rows; on PGlite each call starts its own in-memory instance
 * (about 1-2 s). Always `close()` it (afterAll).
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const backend = await chooseBackend(options.kind);
  const migrationsFolder = options.migrationsFolder === null ? undefined : options.migrationsFolder;
  const applyMigrations = async (url: string) => {
    if (options.migrationsFolder !== null)
      await migrate(url, migrationsFolder === undefined ? {} : { migrationsFolder });
  };

  if (backend.kind === 'pglite') {
    const server = await startEmbeddedPostgres();
    try {
      await applyMigrations(server.url);
      const database = createDb(server.url);
      return {
        ...database,
        url: server.url,
        kind: 'pglite',
        close: async () => {
          await database.close();
          await server.stop();
        },
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  if (backend.serverUrl === undefined) throw new Error('createTestDatabase: PostgreSQL backend without a URL');
  const name = `exbox_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const url = withDatabase(backend.serverUrl, name);
  await administer(backend.serverUrl, (sql) => sql`create database ${sql(name)}`);
  const dropDatabase = () =>
    administer(backend.serverUrl ?? '', (sql) => sql`drop database if exists ${sql(name)} with (force)`);
  try {
    await applyMigrations(url);
    const database = createDb(url);
    let closing: Promise<void> | undefined;
    return {
      ...database,
      url,
      kind: 'postgres',
      close: () =>
        (closing ??= (async () => {
          try {
            await database.close();
          } finally {
            await dropDatabase();
          }
        })()),
    };
  } catch (error) {
    await dropDatabase();
    throw error;
  }
}

function chooseBackend(requested: TestDatabaseOptions['kind']): Promise<Backend> {
  const environment = readDatabaseEnvironment();
  const kind = requested ?? environment.EXBOX_TEST_DATABASE;
  const serverUrl = environment.DATABASE_URL ?? defaultTestDatabaseUrl;
  const key = `${kind} ${serverUrl}`;
  let backend = backendByRequest.get(key);
  if (backend === undefined) {
    backend = resolveBackend(kind, serverUrl, environment.DATABASE_URL !== undefined);
    backendByRequest.set(key, backend);
  }
  return backend;
}

async function resolveBackend(
  kind: TestDatabaseKind | 'auto',
  serverUrl: string,
  urlConfigured: boolean,
): Promise<Backend> {
  if (kind === 'pglite') return { kind: 'pglite', serverUrl: undefined };
  const problem = await probe(serverUrl);
  if (problem === undefined) return { kind: 'postgres', serverUrl };
  // An explicitly configured server that is down is an error, not a reason to test something else.
  if (kind === 'postgres' || urlConfigured) {
    throw new Error(`createTestDatabase: PostgreSQL at ${redact(serverUrl)} does not answer: ${problem}`);
  }
  return { kind: 'pglite', serverUrl: undefined };
}

/** Undefined when the server answers a query within the probe timeout, else why not. */
async function probe(url: string): Promise<string | undefined> {
  const sql = postgres(url, { max: 1, connect_timeout: testProbeTimeoutSeconds, onnotice: () => {} });
  try {
    await sql`select 1`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await sql.end({ timeout: 0 });
  }
}

async function administer(serverUrl: string, statement: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, connect_timeout: testProbeTimeoutSeconds * 5, onnotice: () => {} });
  try {
    await statement(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
