#!/usr/bin/env node
// Applies packages/db/drizzle/*.sql to DATABASE_URL (`npm run migrate`). Runs the built package (dist/); `npm start`
// and `npm test` build it, or run `npm run build`.

const usage = 'usage: DATABASE_URL=postgres://user@host:port/database node packages/db/bin/migrate.js';

let db;
try {
  db = await import('../dist/index.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  console.error('[migrate] @exbox/db is not built yet: run `npm run build` first.');
  process.exit(1);
}

let url;
try {
  url = db.readDatabaseEnvironment().DATABASE_URL;
} catch (error) {
  console.error(`[migrate] ${error.message}`);
  process.exit(1);
}
if (url === undefined) {
  console.error(`[migrate] DATABASE_URL is not set.\n${usage}`);
  process.exit(1);
}

try {
  const { appliedCount, totalCount } = await db.migrate(url);
  console.log(`[migrate] applied ${appliedCount} migration(s); the database has ${totalCount}.`);
} catch (error) {
  console.error(`[migrate] failed: ${error?.message ?? error}`);
  process.exit(1);
}
