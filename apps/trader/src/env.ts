// The only place the portal reads the environment (STYLE.md). Read at request time on the server, never at build
// time, so one build runs against any gateway and any database.
import { z } from 'zod';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const flag = z.preprocess(emptyAsUnset, z.enum(['0', '1', 'true', 'false']).default('0'));

const traderEnvironmentSchema = z.object({
  /** The gateway's REST/WebSocket base URL as this server reaches it. */
  EXBOX_GATEWAY_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080')),
  /** The gateway's base URL as browsers reach it, when it differs (a public hostname behind a proxy). */
  EXBOX_GATEWAY_PUBLIC_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/ }).optional()),
  /** The exchange's database (accounts, sessions, API keys). Required by the account pages. */
  DATABASE_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  /**
   * The demo (npm start): the local mailbox page shows sent messages, and the master key for API secrets comes from
   * the demo's key file when EXBOX_MASTER_KEY is unset. Never set it for real users.
   */
  EXBOX_DEMO: flag,
  /**
   * Behind a reverse proxy that sets X-Forwarded-For (and strips the client's own), take the client address from
   * it; it feeds login history and the per-address lockout. Off: the address is recorded as unknown.
   */
  EXBOX_TRUST_PROXY: flag,
});

export interface TraderEnvironment {
  /** What browsers use for REST and streams. */
  gatewayPublicUrl: string;
  databaseUrl: string | undefined;
  demo: boolean;
  trustProxy: boolean;
}

const isOn = (value: string) => value === '1' || value === 'true';

export function readTraderEnvironment(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): TraderEnvironment {
  const parsed = traderEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid environment for @exbox/trader:\n${problems}`);
  }
  const url = parsed.data.EXBOX_GATEWAY_PUBLIC_URL ?? parsed.data.EXBOX_GATEWAY_URL;
  return {
    gatewayPublicUrl: url.replace(/\/+$/, ''),
    databaseUrl: parsed.data.DATABASE_URL,
    demo: isOn(parsed.data.EXBOX_DEMO),
    trustProxy: isOn(parsed.data.EXBOX_TRUST_PROXY),
  };
}
