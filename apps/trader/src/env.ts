// The only place the portal reads the environment (STYLE.md). Read at request time on the server, never at build
// time, so one build runs against any gateway.
import { z } from 'zod';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const traderEnvironmentSchema = z.object({
  /** The gateway's REST/WebSocket base URL as this server reaches it. */
  EXBOX_GATEWAY_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080')),
  /** The gateway's base URL as browsers reach it, when it differs (a public hostname behind a proxy). */
  EXBOX_GATEWAY_PUBLIC_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/ }).optional()),
});

export interface TraderEnvironment {
  /** What browsers use for REST and streams. */
  gatewayPublicUrl: string;
}

export function readTraderEnvironment(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): TraderEnvironment {
  const parsed = traderEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid environment for @exbox/trader:\n${problems}`);
  }
  const url = parsed.data.EXBOX_GATEWAY_PUBLIC_URL ?? parsed.data.EXBOX_GATEWAY_URL;
  return { gatewayPublicUrl: url.replace(/\/+$/, '') };
}
