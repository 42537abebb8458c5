// A market's decimal sizes turned into exact integers once, at load time, so the engine and the order book work
// in ticks, lots and minor units only and never see a decimal (DESIGN.md, Money).

import type { ConfigIssue } from './config-error.js';
import {
  compareDecimals,
  decimalFromScaledInteger,
  divideExactly,
  formatDecimal,
  multiplyDecimals,
  parseDecimal,
  toScaledInteger,
  type Decimal,
} from './internal/decimal.js';
import { priceBandBpsMax, quantityLotsMax } from './limits.js';
import type { AssetConfig, MarketConfig, MarketStatus, TenantConfig } from './schema.js';

/**
 * Integer parameters of one market. A price is a whole number of ticks, a quantity a whole number of lots; for a
 * trade of `priceTicks` x `quantityLots`:
 * - the base amount is `quantityLots * baseMinorPerLot` base minor units,
 * - the quote amount is `priceTicks * quantityLots * quoteMinorPerTickLot` quote minor units,
 * both exact, which is what lets settlement post integers without rounding.
 */
export interface MarketParameters {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly baseDecimals: number;
  readonly quoteDecimals: number;
  readonly status: MarketStatus;
  /** The decimal strings the parameters came from, for the API edge (exchangeInfo filters). */
  readonly tickSize: string;
  readonly stepSize: string;
  /** Ticks in one whole unit of price (1 / tickSize): 100 for a tick of 0.01. */
  readonly priceTicksPerUnit: bigint;
  /** Quote minor units per whole base unit for one tick of price (tickSize * 10^quoteDecimals). */
  readonly priceMinorPerTick: bigint;
  /** Quote minor units one tick of price is worth on one lot (tickSize * stepSize * 10^quoteDecimals), >= 1. */
  readonly quoteMinorPerTickLot: bigint;
  /** Base minor units in one lot (stepSize * 10^baseDecimals), >= 1. */
  readonly baseMinorPerLot: bigint;
  /** Smallest order quantity, in lots (>= 1). */
  readonly minQtyLots: bigint;
  /** Largest order quantity, in lots (<= quantityLotsMax, a safe integer). */
  readonly maxQtyLots: bigint;
  /** Smallest order value, in quote minor units: compare with priceTicks * quantityLots * quoteMinorPerTickLot. */
  readonly minNotionalMinor: bigint;
  /** Price band around the reference price, in basis points (1000 = ±10%). */
  readonly priceBandBps: number;
}

const one: Decimal = { units: 1n, scale: 0 };
const hundred: Decimal = { units: 100n, scale: 0 };

function parseValidated(text: string): Decimal {
  const value = parseDecimal(text);
  // The schema admits only decimal strings, so this is a bug, not bad input.
  if (value === undefined) throw new Error(`market rules: ${JSON.stringify(text)} passed the schema unparsed`);
  return value;
}

const quoted = (text: string) => JSON.stringify(text);

/**
 * Checks one market against its assets and computes its integer parameters. Returns the problems, each with its
 * field path under `path` (such as `markets[1]`); parameters are present exactly when there are no problems.
 */
export function analyzeMarket(
  market: MarketConfig,
  base: AssetConfig,
  quote: AssetConfig,
  path: string,
): { issues: ConfigIssue[]; parameters: MarketParameters | undefined } {
  const issues: ConfigIssue[] = [];
  const report = (field: string | undefined, message: string) =>
    issues.push({ path: field === undefined ? path : `${path}.${field}`, message });

  const tickSize = parseValidated(market.tickSize);
  const stepSize = parseValidated(market.stepSize);
  const minQty = parseValidated(market.minQty);
  const maxQty = parseValidated(market.maxQty);
  const minNotional = parseValidated(market.minNotional);
  const priceBandPct = parseValidated(market.priceBandPct);

  let priceTicksPerUnit: bigint | undefined;
  if (tickSize.units === 0n) {
    report('tickSize', 'must be greater than 0');
  } else if (tickSize.scale > quote.decimals) {
    report(
      'tickSize',
      `${quoted(market.tickSize)} has more decimals than quote asset ${quote.code} allows (${quote.decimals})`,
    );
  } else {
    priceTicksPerUnit = divideExactly(one, tickSize);
    if (priceTicksPerUnit === undefined) {
      report(
        'tickSize',
        `${quoted(market.tickSize)} must divide 1 exactly (such as 0.01, 0.05 or 0.25), ` +
          'so that a whole unit of price is a whole number of ticks',
      );
    }
  }

  let baseMinorPerLot: bigint | undefined;
  if (stepSize.units === 0n) {
    report('stepSize', 'must be greater than 0');
  } else {
    baseMinorPerLot = toScaledInteger(stepSize, base.decimals);
    if (baseMinorPerLot === undefined) {
      report(
        'stepSize',
        `${quoted(market.stepSize)} has more decimals than base asset ${base.code} allows (${base.decimals})`,
      );
    }
  }

  let quoteMinorPerTickLot: bigint | undefined;
  if (priceTicksPerUnit !== undefined && baseMinorPerLot !== undefined) {
    const tickLotValue = multiplyDecimals(tickSize, stepSize);
    quoteMinorPerTickLot = toScaledInteger(tickLotValue, quote.decimals);
    if (quoteMinorPerTickLot === undefined) {
      report(
        undefined,
        `one tick (${market.tickSize}) x one step (${market.stepSize}) is worth ${formatDecimal(tickLotValue)} ` +
          `${quote.code}, which is not a whole number of ${quote.code} minor units (${quote.code} has ` +
          `${quote.decimals} decimals): settlement would need rounding. Use a coarser tickSize or stepSize, ` +
          `or give ${quote.code} at least ${tickLotValue.scale} decimals`,
      );
    }
  }

  let minQtyLots: bigint | undefined;
  let maxQtyLots: bigint | undefined;
  if (minQty.units === 0n) {
    report('minQty', 'must be greater than 0 (at least one stepSize)');
  } else if (baseMinorPerLot !== undefined) {
    minQtyLots = divideExactly(minQty, stepSize);
    if (minQtyLots === undefined) {
      report('minQty', `${quoted(market.minQty)} is not a multiple of stepSize ${quoted(market.stepSize)}`);
    }
  }
  if (maxQty.units === 0n) {
    report('maxQty', 'must be greater than 0');
  } else if (baseMinorPerLot !== undefined) {
    maxQtyLots = divideExactly(maxQty, stepSize);
    if (maxQtyLots === undefined) {
      report('maxQty', `${quoted(market.maxQty)} is not a multiple of stepSize ${quoted(market.stepSize)}`);
    } else if (maxQtyLots > quantityLotsMax) {
      report(
        'maxQty',
        `${quoted(market.maxQty)} is ${maxQtyLots} lots of ${market.stepSize}; the order book allows at most ` +
          `${quantityLotsMax} lots (2^53 - 1): lower maxQty or use a coarser stepSize`,
      );
      maxQtyLots = undefined;
    }
  }
  if (compareDecimals(minQty, maxQty) > 0) {
    report('minQty', `${quoted(market.minQty)} is greater than maxQty ${quoted(market.maxQty)}`);
  }

  const minNotionalMinor = toScaledInteger(minNotional, quote.decimals);
  if (minNotionalMinor === undefined) {
    report(
      'minNotional',
      `${quoted(market.minNotional)} has more decimals than quote asset ${quote.code} allows (${quote.decimals})`,
    );
  }

  let priceBandBps: bigint | undefined;
  if (priceBandPct.units === 0n) {
    report('priceBandPct', 'must be greater than 0');
  } else if (compareDecimals(priceBandPct, hundred) > 0) {
    report('priceBandPct', `${quoted(market.priceBandPct)} is more than 100 (percent)`);
  } else {
    priceBandBps = toScaledInteger(priceBandPct, 2);
    if (priceBandBps === undefined) {
      report(
        'priceBandPct',
        `${quoted(market.priceBandPct)} has more than 2 decimals: the band is kept in whole basis points`,
      );
    }
  }

  if (
    issues.length > 0 ||
    priceTicksPerUnit === undefined ||
    baseMinorPerLot === undefined ||
    quoteMinorPerTickLot === undefined ||
    minQtyLots === undefined ||
    maxQtyLots === undefined ||
    minNotionalMinor === undefined ||
    priceBandBps === undefined
  ) {
    return { issues, parameters: undefined };
  }

  const priceMinorPerTick = toScaledInteger(tickSize, quote.decimals);
  // Paired assertions: the checks above imply these; if they fail, the checks are wrong.
  if (priceMinorPerTick === undefined || priceMinorPerTick < 1n) throw new Error(`${path}: priceMinorPerTick`);
  if (quoteMinorPerTickLot < 1n || baseMinorPerLot < 1n || minQtyLots < 1n || minQtyLots > maxQtyLots) {
    throw new Error(`${path}: derived parameters out of range`);
  }
  if (priceBandBps < 1n || priceBandBps > BigInt(priceBandBpsMax)) throw new Error(`${path}: priceBandBps`);

  return {
    issues,
    parameters: {
      symbol: market.symbol,
      base: base.code,
      quote: quote.code,
      baseDecimals: base.decimals,
      quoteDecimals: quote.decimals,
      status: market.status,
      tickSize: formatDecimal(tickSize),
      stepSize: formatDecimal(stepSize),
      priceTicksPerUnit,
      priceMinorPerTick,
      quoteMinorPerTickLot,
      baseMinorPerLot,
      minQtyLots,
      maxQtyLots,
      minNotionalMinor,
      priceBandBps: Number(priceBandBps),
    },
  };
}

/** The integer parameters of every market of a valid config, by symbol, in config order. */
export function deriveMarketParameters(config: TenantConfig): ReadonlyMap<string, MarketParameters> {
  const assetsByCode = new Map(config.assets.map((asset) => [asset.code, asset]));
  const parametersBySymbol = new Map<string, MarketParameters>();
  config.markets.forEach((market, index) => {
    const base = assetsByCode.get(market.base);
    const quote = assetsByCode.get(market.quote);
    if (base === undefined || quote === undefined) {
      throw new Error(`deriveMarketParameters: markets[${index}] names an unknown asset; was the config parsed?`);
    }
    const { issues, parameters } = analyzeMarket(market, base, quote, `markets[${index}]`);
    if (parameters === undefined) {
      throw new Error(`deriveMarketParameters: config was not validated:\n${issues.map((i) => i.message).join('\n')}`);
    }
    parametersBySymbol.set(market.symbol, Object.freeze(parameters));
  });
  return parametersBySymbol;
}

/**
 * A decimal price string in whole ticks, or undefined when it is not a plain decimal string or not a whole
 * number of ticks. For the API edge: the engine only ever sees the ticks.
 */
export function priceToTicks(market: MarketParameters, price: string): bigint | undefined {
  const value = parseDecimal(price);
  if (value === undefined) return undefined;
  return divideExactly(value, parseValidated(market.tickSize));
}

/** Whole ticks as the shortest decimal price string. */
export function ticksToPrice(market: MarketParameters, priceTicks: bigint): string {
  if (priceTicks < 0n) throw new Error(`ticksToPrice: negative price ${priceTicks}`);
  return formatDecimal(multiplyDecimals(decimalFromScaledInteger(priceTicks, 0), parseValidated(market.tickSize)));
}

/** A decimal quantity string in whole lots, or undefined when it is not a decimal or not a whole number of lots. */
export function quantityToLots(market: MarketParameters, quantity: string): bigint | undefined {
  const value = parseDecimal(quantity);
  if (value === undefined) return undefined;
  return divideExactly(value, parseValidated(market.stepSize));
}

/** Whole lots as the shortest decimal quantity string. */
export function lotsToQuantity(market: MarketParameters, quantityLots: bigint): string {
  if (quantityLots < 0n) throw new Error(`lotsToQuantity: negative quantity ${quantityLots}`);
  return formatDecimal(multiplyDecimals(decimalFromScaledInteger(quantityLots, 0), parseValidated(market.stepSize)));
}

/** Minor units of an asset with `decimals` as the shortest decimal string ("150000000" with 8 -> "1.5"). */
export function minorToDecimal(amountMinor: bigint, decimals: number): string {
  if (amountMinor < 0n) return `-${formatDecimal(decimalFromScaledInteger(-amountMinor, decimals))}`;
  return formatDecimal(decimalFromScaledInteger(amountMinor, decimals));
}

/** A decimal amount string in minor units of an asset with `decimals`, or undefined when it needs more decimals. */
export function decimalToMinor(amount: string, decimals: number): bigint | undefined {
  const value = parseDecimal(amount);
  return value === undefined ? undefined : toScaledInteger(value, decimals);
}
