// The shape of one operator's tenant file. This file checks each field on its own; rules that relate fields to
// each other (a market's tick against its quote asset's decimals, and so on) live in validate-tenant-config.ts.

import { z } from 'zod';
import { isDecimalString } from './internal/decimal.js';
import {
  assetDecimalsMax,
  assetsMax,
  decimalFractionDigitsMax,
  decimalIntegerDigitsMax,
  displayNameLengthMax,
  feeBpsMax,
  feeTierNameLengthMax,
  feeTiersMax,
  marketsMax,
  marketSymbolLengthMax,
  ordersPer10sMax,
  ordersPerDayMax,
  requestWeightPerMinuteMax,
  tenantIdLengthMax,
  urlLengthMax,
} from './limits.js';

const tenantIdPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const assetCodePattern = /^[A-Z0-9]{2,10}$/;
const marketSymbolPattern = new RegExp(`^[A-Z0-9]{4,${marketSymbolLengthMax}}$`);
const feeTierNamePattern = new RegExp(`^[a-z0-9][a-z0-9_-]{0,${feeTierNameLengthMax - 1}}$`);
const hexColourPattern = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

const displayName = z.string().trim().min(1, { error: 'must not be empty' }).max(displayNameLengthMax);

/**
 * Sizes and amounts are decimal strings, never JSON numbers: a JSON number goes through a binary float on the way
 * in, and "0.1" would already be wrong before we saw it.
 */
const decimalString = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : `must be a decimal string such as "0.01", not a ${typeof issue.input} (quote it, so no precision is lost)`,
  })
  .refine(isDecimalString, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a plain decimal string such as "0.01" (digits and one optional point; ` +
      `no sign, exponent or spaces; at most ${decimalIntegerDigitsMax} digits before the point and ` +
      `${decimalFractionDigitsMax} after)`,
  });

const logoUrl = z
  .string()
  .max(urlLengthMax)
  .refine((text) => text.startsWith('/') || /^https?:\/\/[^\s]+$/.test(text), {
    error: 'must be an http(s) URL or a path starting with "/"',
  });

export const tenantSchema = z.strictObject({
  id: z.string().max(tenantIdLengthMax).regex(tenantIdPattern, {
    error: 'must be a lowercase slug such as "acme-exchange" (letters, digits and single dashes)',
  }),
  name: displayName,
});

export const brandingSchema = z.strictObject({
  name: displayName,
  logoUrl: logoUrl.optional(),
  primaryColor: z.string().regex(hexColourPattern, { error: 'must be a hex colour such as "#0b5fff"' }),
  accentColor: z.string().regex(hexColourPattern, { error: 'must be a hex colour such as "#f5a623"' }),
  defaultMarket: z.string().regex(marketSymbolPattern, { error: 'must be a market symbol such as "BTCUSDT"' }),
});

export const assetSchema = z.strictObject({
  code: z.string().regex(assetCodePattern, { error: 'must be 2 to 10 uppercase letters or digits, such as "BTC"' }),
  name: displayName,
  decimals: z
    .int({ error: 'must be a whole number of decimals' })
    .min(0, { error: 'must not be negative' })
    .max(assetDecimalsMax, { error: `must be at most ${assetDecimalsMax}` }),
});

export const marketStatusSchema = z.enum(['TRADING', 'HALT']);

export const marketSchema = z.strictObject({
  /** Defaults to base + quote ("BTC" + "USDT" = "BTCUSDT"), as on Binance. */
  symbol: z
    .string()
    .regex(marketSymbolPattern, {
      error: `must be 4 to ${marketSymbolLengthMax} uppercase letters or digits, such as "BTCUSDT"`,
    })
    .optional(),
  base: z.string().regex(assetCodePattern, { error: 'must be an asset code such as "BTC"' }),
  quote: z.string().regex(assetCodePattern, { error: 'must be an asset code such as "USDT"' }),
  tickSize: decimalString,
  stepSize: decimalString,
  minQty: decimalString,
  maxQty: decimalString,
  minNotional: decimalString,
  /** How far a limit price may stray from the reference price, in percent ("10" = ±10%). */
  priceBandPct: decimalString,
  status: marketStatusSchema.default('TRADING'),
});

const feeBps = z
  .int({ error: 'must be a whole number of basis points' })
  .min(0, { error: 'must not be negative (rebates are not supported)' })
  .max(feeBpsMax, { error: `must be at most ${feeBpsMax} (10%)` });

export const feeTierSchema = z.strictObject({ makerBps: feeBps, takerBps: feeBps });

export const feesSchema = z.strictObject({
  defaultTier: z.string(),
  tiers: z
    .record(
      z.string().regex(feeTierNamePattern, {
        error: 'fee tier names must be lowercase slugs such as "vip1"',
      }),
      feeTierSchema,
    )
    .refine((tiers) => Object.keys(tiers).length >= 1, { error: 'must define at least one tier' })
    .refine((tiers) => Object.keys(tiers).length <= feeTiersMax, { error: `must define at most ${feeTiersMax} tiers` }),
});

const positiveCount = (maximum: number) =>
  z
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(maximum, { error: `must be at most ${maximum}` });

/** Binance's published spot defaults: 6000 request weight a minute, 100 orders per 10 s, 200 000 orders a day. */
export const rateLimitDefaults = {
  requestWeightPerMinute: 6000,
  ordersPer10s: 100,
  ordersPerDay: 200_000,
} as const;

export const rateLimitsSchema = z
  .strictObject({
    requestWeightPerMinute: positiveCount(requestWeightPerMinuteMax).default(rateLimitDefaults.requestWeightPerMinute),
    ordersPer10s: positiveCount(ordersPer10sMax).default(rateLimitDefaults.ordersPer10s),
    ordersPerDay: positiveCount(ordersPerDayMax).default(rateLimitDefaults.ordersPerDay),
  })
  .prefault({});

export const tenantConfigSchema = z.strictObject({
  /** Lets editors validate the file; ignored here. */
  $schema: z.string().optional(),
  tenant: tenantSchema,
  branding: brandingSchema,
  assets: z
    .array(assetSchema)
    .min(1, { error: 'must define at least one asset' })
    .max(assetsMax, { error: `must define at most ${assetsMax} assets` }),
  markets: z
    .array(marketSchema)
    .min(1, { error: 'must define at least one market' })
    .max(marketsMax, { error: `must define at most ${marketsMax} markets` }),
  fees: feesSchema,
  rateLimits: rateLimitsSchema,
});

/** What an operator writes: optional fields may be left out. */
export type TenantConfigInput = z.input<typeof tenantConfigSchema>;
export type AssetConfig = z.output<typeof assetSchema>;
export type BrandingConfig = z.output<typeof brandingSchema>;
export type FeeTierConfig = z.output<typeof feeTierSchema>;
export type FeesConfig = z.output<typeof feesSchema>;
export type RateLimitsConfig = z.output<typeof rateLimitsSchema>;
export type MarketStatus = z.output<typeof marketStatusSchema>;

/** A market with its symbol resolved (given, or base + quote). */
export type MarketConfig = Omit<z.output<typeof marketSchema>, 'symbol'> & { readonly symbol: string };

/** A valid tenant config: every cross-field rule holds, defaults are filled in, every market has its symbol. */
export type TenantConfig = Omit<z.output<typeof tenantConfigSchema>, 'markets' | '$schema'> & {
  readonly markets: readonly MarketConfig[];
};
