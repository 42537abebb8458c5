// Turns untrusted input (a parsed JSON file) into a valid TenantConfig, or throws one ConfigError listing every
// problem with its field path.

import type { z } from 'zod';
import { ConfigError, formatPath, type ConfigIssue } from './config-error.js';
import { validateTenantConfig, type PartialTenantConfig } from './internal/validate-tenant-config.js';
import {
  assetSchema,
  brandingSchema,
  feesSchema,
  marketSchema,
  rateLimitsSchema,
  tenantConfigSchema,
  type MarketConfig,
  type TenantConfig,
} from './schema.js';

export interface ParseTenantConfigOptions {
  /** Where the input came from (a file path), named in the error message. */
  readonly source?: string;
}

/** Returns the valid config, frozen, or throws a ConfigError whose message lists every problem, one per line. */
export function parseTenantConfig(input: unknown, options: ParseTenantConfigOptions = {}): TenantConfig {
  const parsed = tenantConfigSchema.safeParse(input, { error: describeIssue });
  const issues: ConfigIssue[] = parsed.success ? [] : parsed.error.issues.flatMap(toConfigIssues);
  const partial = parsed.success ? completeConfig(parsed.data) : salvageSections(input);
  issues.push(...validateTenantConfig(partial));
  // A failed parse always carries at least one issue, so the error is never empty.
  if (!parsed.success || issues.length > 0) throw new ConfigError(issues, options.source);
  const { $schema: _schema, ...data } = parsed.data;
  return deepFreeze({ ...data, markets: data.markets.map(resolveSymbol) });
}

type ParsedMarket = z.output<typeof marketSchema>;

function resolveSymbol(market: ParsedMarket): MarketConfig {
  return { ...market, symbol: market.symbol ?? `${market.base}${market.quote}` };
}

function completeConfig(data: z.output<typeof tenantConfigSchema>): PartialTenantConfig {
  return {
    branding: data.branding,
    assets: data.assets,
    assetCodesWritten: new Set(data.assets.map((asset) => asset.code)),
    markets: data.markets.map(resolveSymbol),
    marketsComplete: true,
    fees: data.fees,
    rateLimits: data.rateLimits,
  };
}

/** Parses each section and list element on its own, keeping what is valid, for the cross-field rules. */
function salvageSections(input: unknown): PartialTenantConfig {
  const root = isRecord(input) ? input : {};
  const assetsInput = Array.isArray(root['assets']) ? (root['assets'] as unknown[]) : [];
  const marketsInput = Array.isArray(root['markets']) ? (root['markets'] as unknown[]) : [];
  const markets = marketsInput.map((market) => {
    const result = marketSchema.safeParse(market);
    return result.success ? resolveSymbol(result.data) : undefined;
  });
  return {
    branding: brandingSchema.safeParse(root['branding']).data,
    assets: assetsInput.map((asset) => assetSchema.safeParse(asset).data),
    assetCodesWritten: new Set(
      assetsInput.flatMap((asset) => (isRecord(asset) && typeof asset['code'] === 'string' ? [asset['code']] : [])),
    ),
    markets,
    marketsComplete: markets.length > 0 && markets.every((market) => market !== undefined),
    fees: feesSchema.safeParse(root['fees']).data,
    rateLimits: rateLimitsSchema.safeParse(root['rateLimits']).data,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Clearer wording than zod's defaults for the two most common mistakes: a missing field and a wrong type. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'is required';
  return `must be ${article(issue.expected)}, not ${describeValue(issue.input)}`;
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return `${article(typeof value)}`;
}

function toConfigIssues(issue: z.core.$ZodIssue): ConfigIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: 'is not a known field (check its spelling)',
    }));
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
