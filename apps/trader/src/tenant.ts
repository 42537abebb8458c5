// Server only. The tenant config, loaded once per server process (EXBOX_TENANT_CONFIG, or the demo tenant), and the
// small, serialisable slice of it that client components receive.
import type * as configModule from '@exbox/config';
import type { TenantConfig } from '@exbox/config';
import type { MarketSummary } from './lib/market-summary';

let loading: Promise<TenantConfig> | null = null;

/**
 * @exbox/config is imported by Node at run time, not bundled: it finds the demo tenant next to its own file
 * (`new URL('../tenants/demo.json', import.meta.url)`), which a bundle would relocate. Turbopack does not
 * externalise workspace packages (they resolve outside node_modules), hence the ignore comment.
 */
async function loadTenantConfig(): Promise<TenantConfig> {
  const config: typeof configModule = await import(/* turbopackIgnore: true */ '@exbox/config');
  return config.loadTenantConfigFromEnvironment();
}

export function tenantConfig(): Promise<TenantConfig> {
  loading ??= loadTenantConfig().catch((error: unknown) => {
    // A broken file is reported on every request until it is fixed, rather than cached as a failure.
    loading = null;
    throw error;
  });
  return loading;
}

export function marketSummaries(config: TenantConfig): MarketSummary[] {
  return config.markets.map((market) => ({ symbol: market.symbol, base: market.base, quote: market.quote }));
}
