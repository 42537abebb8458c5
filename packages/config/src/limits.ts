// Every list and number in a tenant config has an upper bound, so a typo or a hostile file cannot make the
// gateway or the engine allocate without limit (TigerBeetle's "put a limit on everything").

/** Most assets one deployment may define. */
export const assetsMax = 256;
/** Most markets one deployment may define. */
export const marketsMax = 1024;
/** Most fee tiers one deployment may define. */
export const feeTiersMax = 64;

/** Most decimals an asset may have: 18 covers ETH-style tokens; more would only make minor units meaningless. */
export const assetDecimalsMax = 18;
/** Most digits before the decimal point in any size or amount of a config: keeps every derived value well bounded. */
export const decimalIntegerDigitsMax = 20;
/** Most digits after the decimal point in any size or amount of a config. */
export const decimalFractionDigitsMax = assetDecimalsMax;

/**
 * Most lots one order may hold: the order book keeps quantities as JavaScript safe integers (DESIGN.md, Money),
 * so a market's maxQty, in lots, must stay within 2^53 - 1.
 */
export const quantityLotsMax = BigInt(Number.MAX_SAFE_INTEGER);
/** Most ticks in one unit of price: a tick finer than 10^-18 would be finer than the finest asset. */
export const priceTicksPerUnitMax = 10n ** BigInt(assetDecimalsMax);

/** Highest maker or taker fee, in basis points (10%). Rebates (negative fees) are not supported. */
export const feeBpsMax = 1000;
/** Widest price band around the reference price, in basis points (100%). */
export const priceBandBpsMax = 10_000;

/** Ceilings for the per-tenant rate limits, far above anything sane, to catch a slipped digit. */
export const requestWeightPerMinuteMax = 1_000_000;
export const ordersPer10sMax = 100_000;
export const ordersPerDayMax = 100_000_000;

/** Longest tenant id, asset name, market symbol and display strings. */
export const tenantIdLengthMax = 40;
export const displayNameLengthMax = 80;
export const marketSymbolLengthMax = 20;
export const feeTierNameLengthMax = 32;
export const urlLengthMax = 2048;
