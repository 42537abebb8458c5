// Proves the test-database helper on both backends: by default it uses the real PostgreSQL when one answers (the
// backend is printed), creating a fresh migrated database per call that other calls cannot see and that close()
// drops; forced to PGlite (by option or EXBOX_TEST_DATABASE) it serves a migrated in-memory database through the
// embedded server. Also proves migrate() is idempotent and safe to run from several callers at once.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, readDatabaseEnvironment } from './index.js';
import { createTestDatabase, defaultTestDatabaseUrl, testDatabaseKind, type TestDatabase } from './testing.js';

const fixtureMigrations = new URL('./testdata/migrations', import.meta.url).pathname;
const kind = await testDatabaseKind();
console.log(`[db] createTestDatabase backend: ${kind}`);

const opened: TestDatabase[] = [];
afterAll(() => Promise.all(opened.map((database) => database.close())));
async function open(options: Parameters<typeof createTestDatabase>[0]): Promise<TestDatabase> {
  const database = await createTestDatabase(options);
  opened.push(database);
  return database;
}

describe('createTestDatabase', () => {
  it.runIf(kind === 'postgres')(
    'gives each call its own migrated PostgreSQL database and drops it on close',
    async () => {
      const [first, second] = await Promise.all([
        open({ migrationsFolder: fixtureMigrations }),
        open({ migrationsFolder: fixtureMigrations }),
      ]);
      if (first === undefined || second === undefined) throw new Error('expected two databases');
      expect(first.kind).toBe('postgres');
      expect(first.url).not.toBe(second.url);
      expect(await first.sql`select label from migration_probe`).toEqual([{ label: 'seeded by 0001' }]);

      await first.sql`insert into migration_probe (id, label) values (2, 'only in first')`;
      expect(await second.sql`select count(*)::int as rows from migration_probe`).toEqual([{ rows: 1 }]);

      const name = new URL(first.url).pathname.slice(1);
      await first.close();
      const server = postgres(readDatabaseEnvironment().DATABASE_URL ?? defaultTestDatabaseUrl, { max: 1 });
      try {
        expect(await server`select 1 from pg_database where datname = ${name}`).toEqual([]);
      } finally {
        await server.end();
      }
    },
  );

  it('serves a migrated in-memory PGlite database when asked to', async () => {
    const database = await open({ kind: 'pglite', migrationsFolder: fixtureMigrations });
    expect(database.kind).toBe('pglite');
    expect(await testDatabaseKind({ kind: 'pglite' })).toBe('pglite');
    const [row] = await database.sql`select amount_minor from migration_probe where id = 1`;
    expect(row).toEqual({ amount_minor: '123456789012345678901234567890' });
  });

  it('reads the backend choice from EXBOX_TEST_DATABASE', () => {
    expect(readDatabaseEnvironment({ EXBOX_TEST_DATABASE: 'pglite' }).EXBOX_TEST_DATABASE).toBe('pglite');
    expect(readDatabaseEnvironment({ EXBOX_TEST_DATABASE: '' }).EXBOX_TEST_DATABASE).toBe('auto');
    expect(() => readDatabaseEnvironment({ EXBOX_TEST_DATABASE: 'sqlite' })).toThrow(/EXBOX_TEST_DATABASE/);
    expect(() => readDatabaseEnvironment({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
  });

  it('applies no migrations when given null, and the real (possibly empty) folder by default', async () => {
    const bare = await open({ migrationsFolder: null });
    expect(await bare.sql`select to_regclass('drizzle.__drizzle_migrations') as present`).toEqual([{ present: null }]);
    const defaulted = await open({});
    expect(await defaulted.sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`).toEqual([
      { present: true },
    ]);
  });
});

describe('migrate', () => {
  it('applies each migration once, even when several callers race', async () => {
    const database = await open({ migrationsFolder: null });
    const results = await Promise.all(
      Array.from({ length: 3 }, () => migrate(database.url, { migrationsFolder: fixtureMigrations })),
    );
    expect(results.map((result) => result.appliedCount).sort()).toEqual([0, 0, 2]);
    expect(await migrate(database.url, { migrationsFolder: fixtureMigrations })).toEqual({
      appliedCount: 0,
      totalCount: 2,
    });
  });

  it('names a folder without a journal', async () => {
    await expect(migrate('postgres://nobody@127.0.0.1:1/none', { migrationsFolder: '/nonexistent' })).rejects.toThrow(
      '/nonexistent has no meta/_journal.json',
    );
  });

  const migrateCli = new URL('../bin/migrate.js', import.meta.url).pathname;
  const built = existsSync(new URL('../dist/index.js', import.meta.url));
  it.runIf(built)('runs as a command against DATABASE_URL (bin/migrate.js, built package)', async () => {
    const database = await open({ migrationsFolder: null });
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [migrateCli], {
      env: { ...process.env, DATABASE_URL: database.url },
    });
    expect(stdout).toMatch(/^\[migrate\] applied \d+ migration\(s\); the database has \d+\.$/m);
    await expect(run(process.execPath, [migrateCli], { env: { ...process.env, DATABASE_URL: '' } })).rejects.toThrow(
      /DATABASE_URL is not set/,
    );
  });
});
