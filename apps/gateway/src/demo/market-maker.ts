// The demo's market maker and taker: two ordinary API clients (signed REST, nothing in-process) that keep every
// book two-sided and trading. The maker quotes a ladder around a mid price that random-walks (seeded) and
// re-prices one rung at a time with cancelReplace, so the book is never empty; the taker sends small market and
// IOC orders on either side so trades, tickers and klines move. Both read the market rules from exchangeInfo.
import { BinanceApiError, type BinanceRestClient } from '../client/rest-client.js';
import { seededRandom } from '../internal/random.js';

export interface MarketMakerMarket {
  symbol: string;
  /** Where the mid starts when the market has never traded, as a decimal price string. */
  anchorPrice: string;
}

export interface MarketMakerOptions {
  maker: BinanceRestClient;
  taker: BinanceRestClient;
  markets: readonly MarketMakerMarket[];
  seed: number;
  /** Rungs per side. */
  levels?: number;
  /** One maker action and one taker action per market per this many ms. */
  intervalMs?: number;
  signal: AbortSignal;
  log?: (line: string) => void;
}

interface Rules {
  symbol: string;
  tickDecimals: number;
  stepDecimals: number;
  /** The tick and step as integers at their decimals (usually 1). */
  tickUnits: bigint;
  stepUnits: bigint;
  minLots: number;
  minNotional: number;
}

interface Rung {
  side: 'BUY' | 'SELL';
  clientOrderId: string;
  priceTicks: number;
}

const decimalsOf = (text: string): number => {
  const trimmed = text.includes('.') ? text.replace(/0+$/, '') : text;
  const dot = trimmed.indexOf('.');
  return dot < 0 ? 0 : trimmed.length - dot - 1;
};

const scaled = (text: string, decimals: number): bigint => {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(decimals, '0').slice(0, decimals));
};

const formatScaled = (units: bigint, decimals: number): string => {
  if (decimals === 0) return units.toString();
  const digits = units.toString().padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
};

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export class MarketMaker {
  private readonly random: () => number;
  private readonly levels: number;
  private readonly intervalMs: number;
  private readonly log: (line: string) => void;
  private counter = 0;
  /** Actions that failed (other than expected refusals), for the demo's status line. */
  errors = 0;
  actions = 0;

  constructor(private readonly options: MarketMakerOptions) {
    this.random = seededRandom(options.seed);
    this.levels = options.levels ?? 5;
    this.intervalMs = options.intervalMs ?? 400;
    this.log = options.log ?? (() => undefined);
  }

  /** Runs until the signal aborts; each market in its own loop. */
  async run(): Promise<void> {
    const info = await this.options.maker.get<{ symbols: { symbol: string; filters: Record<string, string>[] }[] }>(
      '/api/v3/exchangeInfo',
    );
    await Promise.all(
      this.options.markets.map(async (market) => {
        const symbolInfo = info.symbols.find((symbol) => symbol.symbol === market.symbol);
        if (symbolInfo === undefined) throw new Error(`market maker: ${market.symbol} is not listed`);
        await this.runMarket(market, this.rulesOf(symbolInfo));
      }),
    );
  }

  private rulesOf(symbol: { symbol: string; filters: Record<string, string>[] }): Rules {
    const filter = (type: string) => symbol.filters.find((entry) => entry['filterType'] === type) ?? {};
    const tickSize = filter('PRICE_FILTER')['tickSize'] ?? '0.01';
    const stepSize = filter('LOT_SIZE')['stepSize'] ?? '0.001';
    const tickDecimals = decimalsOf(tickSize);
    const stepDecimals = decimalsOf(stepSize);
    const stepUnits = scaled(stepSize, stepDecimals);
    const minQty = scaled(filter('LOT_SIZE')['minQty'] ?? stepSize, stepDecimals);
    return {
      symbol: symbol.symbol,
      tickDecimals,
      stepDecimals,
      tickUnits: scaled(tickSize, tickDecimals),
      stepUnits,
      minLots: Number(minQty / stepUnits),
      minNotional: Number(filter('NOTIONAL')['minNotional'] ?? '0'),
    };
  }

  private price(rules: Rules, ticks: number): string {
    return formatScaled(BigInt(ticks) * rules.tickUnits, rules.tickDecimals);
  }

  private quantity(rules: Rules, lots: number): string {
    return formatScaled(BigInt(lots) * rules.stepUnits, rules.stepDecimals);
  }

  /** Lots worth about `multiple` times the minimum notional at `priceTicks`. */
  private lotsFor(rules: Rules, priceTicks: number, multiple: number): number {
    const price = Number(this.price(rules, priceTicks));
    const step = Number(this.quantity(rules, 1));
    const lots = Math.ceil((rules.minNotional * multiple) / (price * step));
    return Math.max(rules.minLots, lots);
  }

  private nextClientId(side: string): string {
    this.counter++;
    return `mm${side[0]}${this.options.seed % 1000}x${this.counter}`;
  }

  private async runMarket(market: MarketMakerMarket, rules: Rules): Promise<void> {
    const { maker, taker, signal } = this.options;
    const symbol = market.symbol;
    const last = await maker.get<{ price: string }>('/api/v3/ticker/price', { symbol }).catch(() => ({ price: '0' }));
    const startPrice = Number(last.price) > 0 ? last.price : market.anchorPrice;
    const anchorTicks = Number(scaled(market.anchorPrice, rules.tickDecimals) / rules.tickUnits);
    let midTicks = Number(scaled(startPrice, rules.tickDecimals) / rules.tickUnits);
    const spacingTicks = Math.max(1, Math.round(midTicks * 0.0004));
    await maker.signed('DELETE', '/api/v3/openOrders', { symbol }).catch(() => undefined);
    const rungs: Rung[] = [];
    for (let level = 1; level <= this.levels; level++) {
      for (const side of ['BUY', 'SELL'] as const) {
        const priceTicks = side === 'BUY' ? midTicks - level * spacingTicks : midTicks + level * spacingTicks;
        const rung: Rung = { side, clientOrderId: this.nextClientId(side), priceTicks };
        await this.act(() =>
          maker.signed('POST', '/api/v3/order', {
            symbol,
            side,
            type: 'LIMIT_MAKER',
            price: this.price(rules, priceTicks),
            quantity: this.quantity(rules, this.lotsFor(rules, priceTicks, 2 + this.random() * 20)),
            newClientOrderId: rung.clientOrderId,
            newOrderRespType: 'ACK',
          }),
        );
        rungs.push(rung);
      }
    }
    this.log(`[market-maker] ${symbol}: ${rungs.length} quotes around ${this.price(rules, midTicks)}`);
    while (!signal.aborted) {
      await sleep(this.intervalMs * (0.5 + this.random()), signal);
      if (signal.aborted) break;
      // Random walk with a pull back to the anchor, so the demo's prices stay plausible for days.
      const drift = (anchorTicks - midTicks) * 0.002;
      midTicks = Math.max(
        spacingTicks * (this.levels + 2),
        Math.round(midTicks + drift + (this.random() - 0.5) * spacingTicks * 2),
      );
      const rung = rungs[Math.floor(this.random() * rungs.length)]!;
      const level = 1 + Math.floor(this.random() * this.levels);
      const priceTicks = rung.side === 'BUY' ? midTicks - level * spacingTicks : midTicks + level * spacingTicks;
      const clientOrderId = this.nextClientId(rung.side);
      await this.act(() =>
        maker.signed('POST', '/api/v3/order/cancelReplace', {
          symbol,
          side: rung.side,
          type: 'LIMIT_MAKER',
          cancelReplaceMode: 'ALLOW_FAILURE',
          cancelOrigClientOrderId: rung.clientOrderId,
          price: this.price(rules, priceTicks),
          quantity: this.quantity(rules, this.lotsFor(rules, priceTicks, 2 + this.random() * 20)),
          newClientOrderId: clientOrderId,
          newOrderRespType: 'ACK',
        }),
      );
      rung.clientOrderId = clientOrderId;
      rung.priceTicks = priceTicks;
      if (this.random() < 0.6) {
        const side = this.random() < 0.5 ? 'BUY' : 'SELL';
        await this.act(() =>
          taker.signed('POST', '/api/v3/order', {
            symbol,
            side,
            type: 'MARKET',
            quantity: this.quantity(rules, this.lotsFor(rules, midTicks, 1.5 + this.random() * 4)),
            newOrderRespType: 'ACK',
          }),
        );
      }
    }
  }

  /** Runs one API action; refusals a live market produces (post-only would trade, nothing to fill) are expected. */
  private async act(action: () => Promise<unknown>): Promise<void> {
    this.actions++;
    try {
      await action();
    } catch (error) {
      if (error instanceof BinanceApiError && [-2010, -2021, -2022, -2011, -1013].includes(error.code)) return;
      if (this.options.signal.aborted) return;
      this.errors++;
      if (this.errors <= 5 || this.errors % 100 === 0) this.log(`[market-maker] ${(error as Error).message}`);
    }
  }
}
