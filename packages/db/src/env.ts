// The only place this package reads the environment (STYLE.md): every variable is named and validated here.

import { z } from 'zod';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

export const databaseUrlSchema = z
  .string()
  .regex(/^postgres(?:ql)?:\/\/\S+$/, { error: 'must be a postgres:// or postgresql:// URL' });

const databaseEnvironmentSchema = z.object({
  /** The PostgreSQL server: production, the demo's embedded server, or a test server. */
  DATABASE_URL: z.preprocess(emptyAsUnset, databaseUrlSchema.optional()),
  /** Which backend createTestDatabase uses: `auto` (PostgreSQL when it answers, else PGlite), `postgres`, `pglite`. */
  EXBOX_TEST_DATABASE: z.preprocess(emptyAsUnset, z.enum(['auto', 'postgres', 'pglite']).default('auto')),
});

export type DatabaseEnvironment = z.output<typeof databaseEnvironmentSchema>;

/** Validated variables from `environment` (default: this process's environment); throws naming a bad variable. */
export function readDatabaseEnvironment(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): DatabaseEnvironment {
  const parsed = databaseEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid environment for @exbox/db:\n${problems}`);
  }
  return parsed.data;
}
