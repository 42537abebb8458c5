// Decimal strings for the API edge. Binance prints every price and quantity as a fixed-point string
// ("43210.50000000"); we print each with its asset's decimals, exactly, from the engine's integer units.
// These run for every event fanned out, so they avoid the config package's general decimal arithmetic.
import { priceToTicks, quantityToLots, decimalToMinor, type MarketParameters } from '@exbox/config';

/** Minor units as a fixed-point decimal string with `decimals` places: (150000000n, 8) -> "1.50000000". */
export const formatMinor = (minor: bigint | number, decimals: number): string => {
  const negative = minor < 0;
  let digits = String(negative ? -minor : minor);
  if (decimals === 0) return negative ? `-${digits}` : digits;
  if (digits.length <= decimals) digits = digits.padStart(decimals + 1, '0');
  const text = `${digits.slice(0, digits.length - decimals)}.${digits.slice(digits.length - decimals)}`;
  return negative ? `-${text}` : text;
};

const plainDecimal = /^(\d{1,15})(?:\.(\d{1,18}))?$/;

/**
 * The fast path of parsing an order's price or quantity (it runs for every order): `text` in minor units (at
 * `decimals`) divided by `minorPerUnit`, in exact integer Number arithmetic. Returns undefined when the value is
 * not a whole number of units, and null when the fast path cannot decide exactly (too many digits, more decimals
 * than the asset has) so the caller takes the general decimal path.
 */
const wholeUnits = (text: string, decimals: number, minorPerUnit: number): bigint | undefined | null => {
  const match = plainDecimal.exec(text);
  if (match === null) return null;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) return null;
  const digits = match[1]! + fraction.padEnd(decimals, '0');
  if (digits.length > 15) return null;
  const minor = Number(digits);
  if (minor % minorPerUnit !== 0) return undefined;
  return BigInt(minor / minorPerUnit);
};

/** Formats one market's ticks, lots and quote amounts, and parses API decimals back into them. */
export class MarketFormat {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly baseDecimals: number;
  readonly quoteDecimals: number;
  private readonly priceMinorPerTick: bigint;
  private readonly priceMinorPerTickNumber: number;
  private readonly baseMinorPerLot: bigint;
  private readonly baseMinorPerLotNumber: number;

  constructor(readonly parameters: MarketParameters) {
    this.symbol = parameters.symbol;
    this.base = parameters.base;
    this.quote = parameters.quote;
    this.baseDecimals = parameters.baseDecimals;
    this.quoteDecimals = parameters.quoteDecimals;
    this.priceMinorPerTick = parameters.priceMinorPerTick;
    this.priceMinorPerTickNumber = Number(parameters.priceMinorPerTick);
    this.baseMinorPerLot = parameters.baseMinorPerLot;
    this.baseMinorPerLotNumber = Number(parameters.baseMinorPerLot);
  }

  /** Ticks as a price string with the quote asset's decimals. */
  price(priceTicks: number): string {
    const minor = priceTicks * this.priceMinorPerTickNumber;
    return formatMinor(
      Number.isSafeInteger(minor) ? minor : BigInt(priceTicks) * this.priceMinorPerTick,
      this.quoteDecimals,
    );
  }

  /** Lots as a base quantity string with the base asset's decimals. */
  quantity(quantityLots: number): string {
    const minor = quantityLots * this.baseMinorPerLotNumber;
    return formatMinor(
      Number.isSafeInteger(minor) ? minor : BigInt(quantityLots) * this.baseMinorPerLot,
      this.baseDecimals,
    );
  }

  /** Quote minor units as a quote amount string. */
  quoteAmount(quoteMinor: bigint | number): string {
    return formatMinor(quoteMinor, this.quoteDecimals);
  }

  /** Base minor units as a base amount string. */
  baseAmount(baseMinor: bigint | number): string {
    return formatMinor(baseMinor, this.baseDecimals);
  }

  /** A price as a float for arithmetic that is only displayed (averages, percentages), never for money. */
  priceNumber(priceTicks: number): number {
    return (priceTicks * this.priceMinorPerTickNumber) / 10 ** this.quoteDecimals;
  }

  /** API price -> ticks; undefined when not a decimal or not a whole number of ticks. */
  parsePrice(price: string): bigint | undefined {
    const fast = wholeUnits(price, this.quoteDecimals, this.priceMinorPerTickNumber);
    return fast !== null ? fast : priceToTicks(this.parameters, price);
  }

  /** API quantity -> lots; undefined when not a decimal or not a whole number of lots. */
  parseQuantity(quantity: string): bigint | undefined {
    const fast = wholeUnits(quantity, this.baseDecimals, this.baseMinorPerLotNumber);
    return fast !== null ? fast : quantityToLots(this.parameters, quantity);
  }

  /** API quote amount -> quote minor units; undefined when not a decimal or too precise. */
  parseQuoteAmount(amount: string): bigint | undefined {
    return decimalToMinor(amount, this.quoteDecimals);
  }
}
