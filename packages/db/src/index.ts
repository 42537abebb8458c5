// @exbox/db: the database client, the migrations and the embedded PostgreSQL (PGlite) for the demo. Domain packages
// own their tables (src/schema.ts, with drizzle-orm/pg-core) and use the operators re-exported here.

export {
  createDb,
  type CreateDbOptions,
  type Database,
  type DrizzleDatabase,
  type DrizzleSchema,
  type DrizzleTransaction,
} from './client.js';
export { demoDataDir, startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded.js';
export { readDatabaseEnvironment, type DatabaseEnvironment } from './env.js';
export * as dbLimits from './limits.js';
export { migrate, migrationsFolder, type MigrateOptions, type MigrateResult } from './migrate.js';

// Drizzle's operators and the `sql` tag, as create-t3-turbo does, so callers need no drizzle-orm internals.
export * from 'drizzle-orm/sql';
export { alias } from 'drizzle-orm/pg-core';
export type { InferInsertModel, InferSelectModel } from 'drizzle-orm';
