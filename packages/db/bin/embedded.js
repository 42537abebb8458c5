#!/usr/bin/env node
// Runs the embedded PostgreSQL (PGlite over the wire protocol) on its own until interrupted, and prints its
// DATABASE_URL: for psql, for drizzle-kit, or for running the apps against the demo data by hand.
//
//   node packages/db/bin/embedded.js              # persistent, in .data/pglite at the repository root
//   node packages/db/bin/embedded.js --memory     # in memory, gone when stopped
//   node packages/db/bin/embedded.js --port 5433  # a fixed port (default: a free one)

import { parseArgs } from 'node:util';

let db;
try {
  db = await import('../dist/index.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  console.error('[embedded] @exbox/db is not built yet: run `npm run build` first.');
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    memory: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '0' },
    migrate: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`[embedded] --port must be 0..65535, got ${values.port}`);
  process.exit(1);
}

const server = await db.startEmbeddedPostgres({
  ...(values.memory ? {} : { dataDir: values['data-dir'] ?? db.demoDataDir }),
  port,
});
if (values.migrate) {
  const { appliedCount, totalCount } = await db.migrate(server.url);
  console.error(`[embedded] applied ${appliedCount} migration(s); the database has ${totalCount}.`);
}
console.error(`[embedded] serving ${server.dataDir ?? 'an in-memory database'}; Ctrl-C to stop`);
console.log(`DATABASE_URL=${server.url}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
