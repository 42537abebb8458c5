// The only place the portal reads the environment (STYLE.md). Read at request time on the server, never at build
// time, so one build runs against any gateway and any database.
import { z } from 'zod';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const flag = z.preprocess(emptyAsUnset, z.enum(['0', '1', 'true', 'false']).default('0'));

const traderEnvironmentSchema = z.object({
  /** The gateway's REST/WebSocket base URL as this server reaches it. */
  EXBOX_GATEWAY_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080')),
  /**
   * The gateway's base URL as browsers reach it. Unset: EXBOX_GATEWAY_URL with the hostname the page was loaded
   * from, because the session cookie is scoped to that host and the browser must send it to the gateway too.
   */
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
  gatewayUrl: string;
  /** What browsers use for REST and streams, when configured (else see gatewayUrlForBrowser). */
  gatewayPublicUrl: string | undefined;
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
  return {
    gatewayUrl: parsed.data.EXBOX_GATEWAY_URL.replace(/\/+$/, ''),
    gatewayPublicUrl: parsed.data.EXBOX_GATEWAY_PUBLIC_URL?.replace(/\/+$/, ''),
    databaseUrl: parsed.data.DATABASE_URL,
    demo: isOn(parsed.data.EXBOX_DEMO),
    trustProxy: isOn(parsed.data.EXBOX_TRUST_PROXY),
  };
}

/**
 * The gateway's base URL for a page requested with this Host header: the configured public URL, else the
 * gateway's URL on the page's hostname (http://localhost:3000 talks to http://localhost:8080, http://127.0.0.1:3000
 * to http://127.0.0.1:8080), so the browser's session cookie, which belongs to the page's host, reaches it.
 */
export function gatewayUrlForBrowser(environment: TraderEnvironment, pageHost: string | null): string {
  if (environment.gatewayPublicUrl !== undefined) return environment.gatewayPublicUrl;
  const url = new URL(environment.gatewayUrl);
  if (pageHost !== null && pageHost !== '') {
    try {
      url.hostname = new URL(`http://${pageHost}`).hostname;
    } catch {
      // A malformed Host header: keep the configured hostname.
    }
  }
  return url.toString().replace(/\/+$/, '');
}
