// drizzle-kit configuration: `npm run -w @exbox/db generate` diffs the domain packages' tables against the last
// snapshot in ./drizzle and writes the next SQL migration there. Applying migrations is bin/migrate.js's job.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'drizzle-kit';

// Each domain package owns its tables in src/schema.ts (DESIGN.md). Packages listed here that have no schema
// yet are skipped, so the list can name them ahead of time.
const domainSchemaFiles = [
  '../ledger/src/schema.ts',
  '../engine/src/schema.ts',
  '../auth/src/schema.ts',
  '../kyc/src/schema.ts',
  '../custody/src/schema.ts',
]
  .map((path) => fileURLToPath(new URL(path, import.meta.url)))
  .filter((path) => existsSync(path));

if (domainSchemaFiles.length === 0) {
  throw new Error('drizzle.config.ts: no domain schema files exist yet (packages/*/src/schema.ts)');
}

export default defineConfig({
  dialect: 'postgresql',
  schema: domainSchemaFiles,
  // Relative to the working directory: drizzle-kit prefixes "./" to `out` when it reads existing snapshots, which
  // breaks an absolute path.
  out: relative(process.cwd(), fileURLToPath(new URL('./drizzle', import.meta.url))) || '.',
  strict: true,
  verbose: true,
});
