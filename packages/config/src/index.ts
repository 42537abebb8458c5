// @exbox/config: the tenant config (one per operator deployment): its schema, loader and the integer market
// parameters derived from it.

export { ConfigError, formatConfigIssues, type ConfigIssue } from './config-error.js';
export { readConfigEnvironment, type ConfigEnvironment } from './env.js';
export * as configLimits from './limits.js';
export {
  demoTenantPath,
  loadDemoTenantConfig,
  loadTenantConfig,
  loadTenantConfigFromEnvironment,
} from './load-tenant-config.js';
export {
  decimalToMinor,
  deriveMarketParameters,
  lotsToQuantity,
  minorToDecimal,
  priceToTicks,
  quantityToLots,
  ticksToPrice,
  type MarketParameters,
} from './market-parameters.js';
export { parseTenantConfig, type ParseTenantConfigOptions } from './parse-tenant-config.js';
export {
  rateLimitDefaults,
  tenantConfigSchema,
  type AssetConfig,
  type BrandingConfig,
  type FeesConfig,
  type FeeTierConfig,
  type MarketConfig,
  type MarketStatus,
  type RateLimitsConfig,
  type TenantConfig,
  type TenantConfigInput,
} from './schema.js';
