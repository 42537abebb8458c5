// Rules that relate fields of a tenant config to each other. They run on whatever parts of the file passed the
// schema, so one pass reports both the malformed fields and the inconsistent ones.

import type { ConfigIssue } from '../config-error.js';
import { analyzeMarket } from '../market-parameters.js';
import type { AssetConfig, BrandingConfig, FeesConfig, MarketConfig, RateLimitsConfig } from '../schema.js';

/** A tenant config in which any section or list element may be missing because it failed the schema. */
export interface PartialTenantConfig {
  readonly branding: BrandingConfig | undefined;
  readonly assets: readonly (AssetConfig | undefined)[];
  /** Asset codes written in the file, valid or not, so a broken asset does not also make its markets "unknown". */
  readonly assetCodesWritten: ReadonlySet<string>;
  readonly markets: readonly (MarketConfig | undefined)[];
  /** True when every market passed the schema, so a missing symbol really is missing. */
  readonly marketsComplete: boolean;
  readonly fees: FeesConfig | undefined;
  readonly rateLimits: RateLimitsConfig | undefined;
}

export function validateTenantConfig(config: PartialTenantConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];

  const assetsByCode = new Map<string, { asset: AssetConfig; index: number }>();
  config.assets.forEach((asset, index) => {
    if (asset === undefined) return;
    const first = assetsByCode.get(asset.code);
    if (first === undefined) assetsByCode.set(asset.code, { asset, index });
    else
      issues.push({
        path: `assets[${index}].code`,
        message: `duplicate asset "${asset.code}" (first at assets[${first.index}])`,
      });
  });

  const marketIndexBySymbol = new Map<string, number>();
  const marketIndexByPair = new Map<string, number>();
  config.markets.forEach((market, index) => {
    if (market === undefined) return;
    const path = `markets[${index}]`;

    const firstWithSymbol = marketIndexBySymbol.get(market.symbol);
    if (firstWithSymbol === undefined) marketIndexBySymbol.set(market.symbol, index);
    else
      issues.push({
        path: `${path}.symbol`,
        message: `duplicate market "${market.symbol}" (first at markets[${firstWithSymbol}])`,
      });

    const pair = `${market.base}/${market.quote}`;
    const firstWithPair = marketIndexByPair.get(pair);
    if (firstWithPair === undefined) marketIndexByPair.set(pair, index);
    else if (firstWithSymbol === undefined) {
      issues.push({ path, message: `a market for ${pair} already exists at markets[${firstWithPair}]` });
    }

    const base = resolveAsset(market.base, `${path}.base`);
    const quote = resolveAsset(market.quote, `${path}.quote`);
    if (market.base === market.quote) {
      issues.push({ path: `${path}.quote`, message: `must differ from base (both are "${market.base}")` });
      return;
    }
    if (base === undefined || quote === undefined) return;
    issues.push(...analyzeMarket(market, base, quote, path).issues);
  });

  function resolveAsset(code: string, path: string): AssetConfig | undefined {
    const found = assetsByCode.get(code);
    if (found === undefined && !config.assetCodesWritten.has(code)) {
      issues.push({ path, message: `unknown asset "${code}": define it under assets` });
    }
    return found?.asset;
  }

  if (config.branding !== undefined && config.marketsComplete) {
    const defaultMarket = config.branding.defaultMarket;
    if (!marketIndexBySymbol.has(defaultMarket)) {
      const known = [...marketIndexBySymbol.keys()].join(', ');
      issues.push({ path: 'branding.defaultMarket', message: `unknown market "${defaultMarket}" (markets: ${known})` });
    }
  }

  if (config.fees !== undefined && !Object.hasOwn(config.fees.tiers, config.fees.defaultTier)) {
    const known = Object.keys(config.fees.tiers).join(', ');
    issues.push({
      path: 'fees.defaultTier',
      message: `unknown fee tier "${config.fees.defaultTier}" (tiers: ${known})`,
    });
  }

  if (config.rateLimits !== undefined && config.rateLimits.ordersPer10s > config.rateLimits.ordersPerDay) {
    issues.push({
      path: 'rateLimits.ordersPer10s',
      message: `${config.rateLimits.ordersPer10s} is more than ordersPerDay (${config.rateLimits.ordersPerDay})`,
    });
  }

  return issues;
}
