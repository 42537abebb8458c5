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
    return priceToTicks(this.parameters, price);
  }

  /** API quantity -> lots; undefined when not a decimal or not a whole number of lots. */
  parseQuantity(quantity: string): bigint | undefined {
    return quantityToLots(this.parameters, quantity);
  }

  /** API quote amount -> quote minor units; undefined when not a decimal or too precise. */
  parseQuoteAmount(amount: string): bigint | undefined {
    return decimalToMinor(amount, this.quoteDecimals);
  }
}
