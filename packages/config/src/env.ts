// The only place this package reads the environment (STYLE.md): every variable is named and validated here.

import { z } from 'zod';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const configEnvironmentSchema = z.object({
  /** Path of the operator's tenant file (JSON). Unset: the demo tenant. */
  EXBOX_TENANT_CONFIG: z.preprocess(emptyAsUnset, z.string().optional()),
});

export type ConfigEnvironment = z.output<typeof configEnvironmentSchema>;

/** Validated variables from `environment` (default: this process's environment); throws naming a bad variable. */
export function readConfigEnvironment(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): ConfigEnvironment {
  const parsed = configEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid environment for @exbox/config:\n${problems}`);
  }
  return parsed.data;
}
