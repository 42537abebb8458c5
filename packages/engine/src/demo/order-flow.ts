// The demo's simulated order flow. Market makers keep both sides of every demo market quoted around a random-walk
// mid price (placing, replacing, amending and cancelling their quotes); takers trade against them with IOC limit
// and market orders, and park passive limits, stop orders and OCOs, which they cancel again to stay bounded.
//
// Every command is decided from the engine state as it is at that instant: the runner submits one command before
// asking for the next, and the sequencer applies it synchronously. So the flow never guesses: it respects every
// market filter (quantity, notional, the price band), never sends a post-only order that would trade or a stop
// that would trigger at once, and sizes orders to what the user can pay for. It also makes the command stream a
// pure function of (seed, starting state): the same seed on the same database replays the same commands.
import type { EngineCommand, OcoLeg, PlaceOrder, Side } from '../commands.js';
import { STOP_MARKET_HOLD_MARGIN_BPS, type EngineState } from '../state/engine-state.js';
import type { OrderView } from '../state/results.js';
import type { DemoMarket } from './demo-market.js';
import type { DemoActors } from './demo-tenant.js';
import { Random } from './random.js';

/** What the flow reads: the engine's state, read-only. */
export type FlowStateView = Pick<EngineState, 'book' | 'openOrders' | 'balancesOf' | 'market'>;

export interface OrderFlowOptions {
  state: FlowStateView;
  markets: readonly DemoMarket[];
  actors: DemoActors;
  seed: number;
  /**
   * Distinguishes this run's client order ids from an earlier run's orders that may still be open (the journal's
   * last sequence at start is a good one: it only grows).
   */
  runId: number;
}

/** Share of steps that are market-maker actions; the rest are taker actions. */
const MARKET_MAKER_SHARE_PERCENT = 60;
/** Candidate actions tried per `next()` before giving up (an action is skipped when its user cannot pay for it). */
const FLOW_ATTEMPTS_MAX = 16;

/** Share of steps in which the chosen market's mid price moves, and the largest move in basis points. */
const MID_MOVE_PERCENT = 25;
const MID_STEP_BPS = 1;
/** How much the chance of an upward move grows (per 10,000) per basis point the mid is below its reference. */
const MID_PULL_PER_BPS = 1;
const MID_PULL_MAX_PER_10000 = 2_500;
/** The mid stays this close to the last trade price, so quotes around it stay well inside the price band. */
const MID_LEASH_BPS = 300;

/** Quote levels per side per market maker and market; half the spread and the gap between levels. */
const MARKET_MAKER_LEVELS = 5;
const MARKET_MAKER_HALF_SPREAD_BPS = 2;
const MARKET_MAKER_LEVEL_GAP_BPS = 3;
/** Quote sizes, as multiples of the market's smallest valid order at that price. */
const MARKET_MAKER_SIZE_MULTIPLE_MIN = 4;
const MARKET_MAKER_SIZE_MULTIPLE_MAX = 60;
const MARKET_MAKER_CANCEL_PERCENT = 8;
const MARKET_MAKER_AMEND_PERCENT = 7;
const MARKET_MAKER_POST_ONLY_PERCENT = 50;

const TAKER_SIZE_MULTIPLE_MIN = 2;
const TAKER_SIZE_MULTIPLE_MAX = 60;
/** How far past the best opposite price a taker's IOC limit may reach. */
const TAKER_REACH_BPS = 10;
/** How far behind the best price on its own side a taker parks a passive limit order. */
const TAKER_PASSIVE_DEPTH_BPS = 20;
/** Orders a taker keeps resting per market (passive limits, stops, OCO legs) before it cancels the oldest. */
const TAKER_RESTING_ORDERS_MAX = 4;
const TAKER_CANCEL_ALL_PERCENT = 2;
/** Distance of stop triggers and OCO legs from the last trade price. */
const TRIGGER_DISTANCE_BPS_MIN = 20;
const TRIGGER_DISTANCE_BPS_MAX = 150;
/** A stop-limit's limit concedes this much beyond its trigger, so that it trades once triggered. */
const STOP_LIMIT_SLIPPAGE_BPS = 10;
/** The largest span `Random.between` draws from when a range may be wide (amend sizes). */
const DRAW_SPAN_MAX = 1 << 20;

type TakerKind = 'ioc' | 'marketQuantity' | 'marketQuote' | 'passive' | 'stop' | 'oco';
const TAKER_MIX: readonly (readonly [TakerKind, number])[] = [
  ['ioc', 44],
  ['marketQuantity', 16],
  ['marketQuote', 10],
  ['passive', 12],
  ['stop', 10],
  ['oco', 8],
];
const TAKER_MIX_TOTAL = TAKER_MIX.reduce((sum, [, weight]) => sum + weight, 0);
const RESTING_KINDS: ReadonlySet<TakerKind> = new Set(['passive', 'stop', 'oco']);
const STOP_TYPES = ['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'] as const;

interface MarketView {
  bestBidTicks: number | null;
  bestAskTicks: number | null;
  lastPriceTicks: number | null;
  midTicks: number;
  lowTicks: number;
  highTicks: number;
}

type OrderFields = Omit<PlaceOrder, 'type' | 'userId' | 'symbol' | 'clientOrderId'>;

const opposite = (side: Side): Side => (side === 'BUY' ? 'SELL' : 'BUY');
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

export class OrderFlow {
  private readonly random: Random;
  private readonly mids = new Map<string, number>();
  private readonly clientOrderIdPrefix: string;
  private clientOrderNumber = 0;

  constructor(private readonly options: OrderFlowOptions) {
    if (options.markets.length === 0) throw new Error('OrderFlow: no markets to trade');
    if (options.actors.marketMakerIds.length === 0 || options.actors.takerIds.length === 0)
      throw new Error('OrderFlow: needs market makers and takers');
    this.random = new Random(options.seed);
    this.clientOrderIdPrefix = `d${options.runId.toString(36)}-`;
    // A restarted demo continues from the recovered last price, not from the reference: a price far from the last
    // trade would be outside the band.
    for (const market of options.markets) {
      const lastPriceTicks = options.state.book(market.symbol)?.lastTradePriceTicks() ?? null;
      this.mids.set(market.symbol, lastPriceTicks ?? market.referencePriceTicks);
    }
  }

  /** The current simulated mid price of a market, in ticks. */
  midPriceTicks(symbol: string): number | undefined {
    return this.mids.get(symbol);
  }

  /** The next command, decided from the state as it is now; null when no candidate action was possible. */
  next(): EngineCommand | null {
    for (let attempt = 0; attempt < FLOW_ATTEMPTS_MAX; attempt++) {
      const market = this.random.pick(this.options.markets);
      const status = this.options.state.market(market.symbol);
      if (status === undefined || status.halted) continue;
      this.walk(market);
      const command = this.random.chance(MARKET_MAKER_SHARE_PERCENT, 100)
        ? this.marketMakerAction(market)
        : this.takerAction(market);
      if (command !== null) return command;
    }
    return null;
  }

  // ------------------------------------------------------------------------------------------------ prices

  private walk(market: DemoMarket): void {
    if (!this.random.chance(MID_MOVE_PERCENT, 100)) return;
    const midTicks = this.mids.get(market.symbol)!;
    const referenceTicks = market.referencePriceTicks;
    // Moves lean toward the reference price the further the mid has drifted: prices wander, but around it.
    const belowReferenceBps = Math.trunc(((referenceTicks - midTicks) * 10_000) / referenceTicks);
    const upChancePer10000 =
      5_000 + clamp(belowReferenceBps * MID_PULL_PER_BPS, -MID_PULL_MAX_PER_10000, MID_PULL_MAX_PER_10000);
    const stepTicks = this.random.between(1, market.ticksOfBps(midTicks, MID_STEP_BPS));
    let nextTicks = this.random.chance(upChancePer10000, 10_000) ? midTicks + stepTicks : midTicks - stepTicks;
    const lastPriceTicks = this.options.state.book(market.symbol)?.lastTradePriceTicks() ?? null;
    if (lastPriceTicks !== null) {
      const leashTicks = market.ticksOfBps(lastPriceTicks, MID_LEASH_BPS);
      nextTicks = clamp(nextTicks, lastPriceTicks - leashTicks, lastPriceTicks + leashTicks);
    }
    this.mids.set(market.symbol, clamp(nextTicks, Math.ceil(referenceTicks / 2), referenceTicks * 2));
  }

  private view(market: DemoMarket): MarketView {
    const book = this.options.state.book(market.symbol);
    if (book === undefined) throw new Error(`OrderFlow: the engine has no book for ${market.symbol}`);
    const lastPriceTicks = book.lastTradePriceTicks();
    const range = market.priceRange(lastPriceTicks);
    return {
      bestBidTicks: book.bestBidTicks(),
      bestAskTicks: book.bestAskTicks(),
      lastPriceTicks,
      midTicks: this.mids.get(market.symbol)!,
      lowTicks: range.lowTicks,
      highTicks: range.highTicks,
    };
  }

  // ----------------------------------------------------------------------------------------- market makers

  private marketMakerAction(market: DemoMarket): EngineCommand | null {
    const userId = this.random.pick(this.options.actors.marketMakerIds);
    const side: Side = this.random.chance(1, 2) ? 'BUY' : 'SELL';
    const level = this.random.below(MARKET_MAKER_LEVELS);
    const symbol = market.symbol;
    // Each quote slot (side and level) holds at most one order, found by the slot's suffix on its client order id.
    // Every placement gets a fresh id, because the engine refuses a client order id that ended a moment ago; the
    // suffix also lets a restarted demo pick up the quotes an earlier run left open.
    const slot = `-${side === 'BUY' ? 'B' : 'S'}${level}`;
    const resting = this.options.state.openOrders(userId, symbol).find((o) => o.clientOrderId.endsWith(slot));
    if (resting !== undefined) {
      const roll = this.random.below(100);
      if (roll < MARKET_MAKER_CANCEL_PERCENT) return { type: 'cancelOrder', userId, symbol, orderId: resting.orderId };
      if (roll < MARKET_MAKER_CANCEL_PERCENT + MARKET_MAKER_AMEND_PERCENT) {
        const amend = this.amendDown(market, userId, resting);
        if (amend !== null) return amend;
      }
    }
    const quote = this.quote(market, userId, side, level, resting);
    if (quote === null) {
      // It cannot pay for a fresh quote: a stale one comes down rather than stay at an old price.
      return resting === undefined ? null : { type: 'cancelOrder', userId, symbol, orderId: resting.orderId };
    }
    const clientOrderId = `${this.newClientOrderId()}${slot}`;
    if (resting === undefined) return { type: 'placeOrder', userId, symbol, clientOrderId, ...quote };
    return {
      type: 'replaceOrder',
      userId,
      symbol,
      cancelOrderId: resting.orderId,
      mode: 'STOP_ON_FAILURE',
      order: { clientOrderId, ...quote },
    };
  }

  private quote(
    market: DemoMarket,
    userId: number,
    side: Side,
    level: number,
    resting: OrderView | undefined,
  ): OrderFields | null {
    const v = this.view(market);
    const gapTicks = market.ticksOfBps(v.midTicks, MARKET_MAKER_LEVEL_GAP_BPS);
    const offsetTicks =
      market.ticksOfBps(v.midTicks, MARKET_MAKER_HALF_SPREAD_BPS) + level * gapTicks + this.random.below(gapTicks);
    const priceTicks = clamp(
      side === 'BUY' ? v.midTicks - offsetTicks : v.midTicks + offsetTicks,
      v.lowTicks,
      v.highTicks,
    );
    const oppositeTicks = side === 'BUY' ? v.bestAskTicks : v.bestBidTicks;
    const crosses =
      oppositeTicks !== null && (side === 'BUY' ? priceTicks >= oppositeTicks : priceTicks <= oppositeTicks);
    // Post-only only when the quote would rest anyway; a quote that crosses (the mid moved past stale quotes) goes in
    // as a plain limit order and trades, as a real market maker's would.
    const postOnly = !crosses && this.random.chance(MARKET_MAKER_POST_ONLY_PERCENT, 100);
    // A replace frees the old quote's hold before the new one is taken, and the engine counts it.
    const freedMinor = resting === undefined ? 0n : this.remainingHoldMinor(market, resting);
    const multiple = this.random.between(MARKET_MAKER_SIZE_MULTIPLE_MIN, MARKET_MAKER_SIZE_MULTIPLE_MAX);
    const quantityLots = this.affordableLots(
      market,
      userId,
      side,
      priceTicks,
      market.lotsOf(priceTicks, multiple),
      freedMinor,
    );
    if (quantityLots < market.minimumLots(priceTicks)) return null;
    return {
      side,
      orderType: postOnly ? 'LIMIT_MAKER' : 'LIMIT',
      ...(postOnly ? {} : { timeInForce: 'GTC' as const }),
      priceTicks,
      quantityLots,
      // Crossing its own older quote on the other side expires that quote instead of trading with itself.
      stpMode: 'EXPIRE_MAKER',
    };
  }

  private amendDown(market: DemoMarket, userId: number, resting: OrderView): EngineCommand | null {
    const remainingLots = resting.quantityLots - resting.executedLots;
    const minimumLots = market.minimumLots(resting.priceTicks);
    if (remainingLots <= minimumLots) return null;
    const newQuantityLots = this.random.between(minimumLots, Math.min(remainingLots - 1, minimumLots + DRAW_SPAN_MAX));
    return { type: 'amendOrder', userId, symbol: market.symbol, orderId: resting.orderId, newQuantityLots };
  }

  /** What a resting limit order still holds: its remaining lots at its limit price (buy) or in base (sell). */
  private remainingHoldMinor(market: DemoMarket, order: OrderView): bigint {
    const remainingLots = order.quantityLots - order.executedLots;
    return order.side === 'BUY' ? market.quoteMinor(order.priceTicks, remainingLots) : market.baseMinor(remainingLots);
  }

  // ------------------------------------------------------------------------------------------------ takers

  private takerAction(market: DemoMarket): EngineCommand | null {
    const userId = this.random.pick(this.options.actors.takerIds);
    const symbol = market.symbol;
    const open = this.options.state.openOrders(userId, symbol);
    if (open.length > 0 && this.random.chance(TAKER_CANCEL_ALL_PERCENT, 100))
      return { type: 'cancelAllOrders', userId, symbol };
    const kind = this.pickTakerKind();
    if (RESTING_KINDS.has(kind) && open.length >= TAKER_RESTING_ORDERS_MAX) {
      const oldest = open[0]!;
      return oldest.orderListId >= 0
        ? { type: 'cancelOrderList', userId, symbol, orderListId: oldest.orderListId }
        : { type: 'cancelOrder', userId, symbol, orderId: oldest.orderId };
    }
    const side: Side = this.random.chance(1, 2) ? 'BUY' : 'SELL';
    // A taker short of one asset trades the other way rather than be refused.
    return this.takerOrder(kind, market, userId, side) ?? this.takerOrder(kind, market, userId, opposite(side));
  }

  private pickTakerKind(): TakerKind {
    let roll = this.random.below(TAKER_MIX_TOTAL);
    for (const [kind, weight] of TAKER_MIX) {
      if (roll < weight) return kind;
      roll -= weight;
    }
    throw new Error('OrderFlow: taker mix weights do not add up');
  }

  private takerOrder(kind: TakerKind, market: DemoMarket, userId: number, side: Side): EngineCommand | null {
    const v = this.view(market);
    switch (kind) {
      case 'ioc': {
        const fromTicks = (side === 'BUY' ? v.bestAskTicks : v.bestBidTicks) ?? v.midTicks;
        const reachTicks = this.random.between(0, market.ticksOfBps(fromTicks, TAKER_REACH_BPS));
        const priceTicks = clamp(
          side === 'BUY' ? fromTicks + reachTicks : fromTicks - reachTicks,
          v.lowTicks,
          v.highTicks,
        );
        const quantityLots = this.takerLots(market, userId, side, priceTicks, priceTicks);
        if (quantityLots === 0) return null;
        return this.placeOrder(market, userId, {
          side,
          orderType: 'LIMIT',
          timeInForce: 'IOC',
          priceTicks,
          quantityLots,
        });
      }
      case 'marketQuantity': {
        // The engine measures a market order's notional at the last trade price (before the first trade it does not).
        const measureTicks = v.lastPriceTicks ?? v.midTicks;
        // It walks the book, so it is priced for the affordability check a little through the opposite side.
        const fromTicks = (side === 'BUY' ? v.bestAskTicks : v.bestBidTicks) ?? v.midTicks;
        const costTicks = side === 'BUY' ? fromTicks + market.ticksOfBps(fromTicks, TAKER_REACH_BPS) : fromTicks;
        const quantityLots = this.takerLots(market, userId, side, measureTicks, costTicks);
        if (quantityLots === 0) return null;
        return this.placeOrder(market, userId, { side, orderType: 'MARKET', quantityLots });
      }
      case 'marketQuote': {
        // A budget of whole tick-lots at least the minimum notional: the engine floors the budget to tick-lots.
        const unitTickLots = market.minimumLots(v.midTicks) * v.midTicks;
        let budgetTickLots = unitTickLots * this.random.between(TAKER_SIZE_MULTIPLE_MIN, TAKER_SIZE_MULTIPLE_MAX);
        if (side === 'BUY') {
          const affordableTickLots = this.availableMinor(userId, market.quote) / market.quoteMinorPerTickLot;
          if (affordableTickLots < BigInt(budgetTickLots)) budgetTickLots = Number(affordableTickLots);
        } else if (this.availableMinor(userId, market.base) < market.baseMinor(market.minimumLots(v.midTicks))) {
          return null; // a market sell for a quote amount holds the whole base balance and needs some
        }
        if (budgetTickLots < unitTickLots) return null;
        const quoteOrderQtyMinor = (BigInt(budgetTickLots) * market.quoteMinorPerTickLot).toString();
        return this.placeOrder(market, userId, { side, orderType: 'MARKET', quoteOrderQtyMinor });
      }
      case 'passive': {
        const fromTicks = (side === 'BUY' ? v.bestBidTicks : v.bestAskTicks) ?? v.midTicks;
        const depthTicks = this.random.between(0, market.ticksOfBps(fromTicks, TAKER_PASSIVE_DEPTH_BPS));
        const priceTicks = clamp(
          side === 'BUY' ? fromTicks - depthTicks : fromTicks + depthTicks,
          v.lowTicks,
          v.highTicks,
        );
        const quantityLots = this.takerLots(market, userId, side, priceTicks, priceTicks);
        if (quantityLots === 0) return null;
        return this.placeOrder(market, userId, {
          side,
          orderType: 'LIMIT',
          timeInForce: 'GTC',
          priceTicks,
          quantityLots,
        });
      }
      case 'stop':
        return this.stopOrder(market, userId, side, v);
      case 'oco':
        return this.oco(market, userId, side, v);
      default: {
        const unreachable: never = kind;
        throw new Error(`OrderFlow: unknown taker kind ${String(unreachable)}`);
      }
    }
  }

  private stopOrder(market: DemoMarket, userId: number, side: Side, v: MarketView): EngineCommand | null {
    const lastTicks = v.lastPriceTicks;
    if (lastTicks === null) return null; // a stop triggers on the last trade price: none yet
    const orderType = this.random.pick(STOP_TYPES);
    // Sell stop-losses and buy take-profits wait below the last price, the others above (the book's trigger rules):
    // placing them on the far side keeps them from triggering at once, which the engine would refuse.
    const below = orderType.startsWith('STOP_LOSS') === (side === 'SELL');
    const stopPriceTicks = clamp(
      below
        ? lastTicks - this.triggerDistanceTicks(market, lastTicks)
        : lastTicks + this.triggerDistanceTicks(market, lastTicks),
      v.lowTicks,
      v.highTicks,
    );
    if (below ? stopPriceTicks >= lastTicks : stopPriceTicks <= lastTicks) return null;
    const limitPriced = orderType.endsWith('_LIMIT');
    const slippageTicks = market.ticksOfBps(stopPriceTicks, STOP_LIMIT_SLIPPAGE_BPS);
    const priceTicks = limitPriced
      ? clamp(side === 'BUY' ? stopPriceTicks + slippageTicks : stopPriceTicks - slippageTicks, v.lowTicks, v.highTicks)
      : 0;
    // Notional is measured at the limit price, or at the stop price of a stop-market order.
    const measureTicks = limitPriced ? priceTicks : stopPriceTicks;
    // A buy stop-market holds its quantity at the stop price plus a margin (the engine's rule): price it so.
    const marginBps = Math.max(STOP_MARKET_HOLD_MARGIN_BPS, market.priceBandBps);
    const costTicks = limitPriced ? priceTicks : stopPriceTicks + market.ticksOfBps(stopPriceTicks, marginBps) + 1;
    const quantityLots = this.takerLots(market, userId, side, measureTicks, costTicks);
    if (quantityLots === 0) return null;
    return this.placeOrder(market, userId, {
      side,
      orderType,
      stopPriceTicks,
      ...(limitPriced ? { priceTicks, timeInForce: 'GTC' as const } : {}),
      quantityLots,
    });
  }

  /**
   * A take-profit and a stop-loss on one quantity: sell OCOs rest a post-only sell above the market and a
   * stop-limit below; buy OCOs the mirror image. The post-only leg must not cross the book, the stop must not
   * trigger at once.
   */
  private oco(market: DemoMarket, userId: number, side: Side, v: MarketView): EngineCommand | null {
    const lastTicks = v.lastPriceTicks;
    if (lastTicks === null) return null;
    const makerDistanceTicks = this.triggerDistanceTicks(market, lastTicks);
    const stopDistanceTicks = this.triggerDistanceTicks(market, lastTicks);
    const selling = side === 'SELL';
    const makerTicks = clamp(
      selling
        ? Math.max(lastTicks, v.bestBidTicks ?? lastTicks) + makerDistanceTicks
        : Math.min(lastTicks, v.bestAskTicks ?? lastTicks) - makerDistanceTicks,
      v.lowTicks,
      v.highTicks,
    );
    const stopTicks = clamp(
      selling ? lastTicks - stopDistanceTicks : lastTicks + stopDistanceTicks,
      v.lowTicks,
      v.highTicks,
    );
    const slippageTicks = market.ticksOfBps(stopTicks, STOP_LIMIT_SLIPPAGE_BPS);
    const limitTicks = clamp(selling ? stopTicks - slippageTicks : stopTicks + slippageTicks, v.lowTicks, v.highTicks);
    const makerCrosses = selling
      ? v.bestBidTicks !== null && makerTicks <= v.bestBidTicks
      : v.bestAskTicks !== null && makerTicks >= v.bestAskTicks;
    const stopTriggers = selling ? stopTicks >= lastTicks : stopTicks <= lastTicks;
    if (makerCrosses || stopTriggers) return null;
    // Sized so that both legs pass the minimum notional, paid for at the dearer leg (one hold covers both).
    const quantityLots = this.takerLots(
      market,
      userId,
      side,
      Math.min(makerTicks, limitTicks),
      Math.max(makerTicks, limitTicks),
    );
    if (quantityLots === 0) return null;
    const maker: OcoLeg = { clientOrderId: this.newClientOrderId(), orderType: 'LIMIT_MAKER', priceTicks: makerTicks };
    const stop: OcoLeg = {
      clientOrderId: this.newClientOrderId(),
      orderType: 'STOP_LOSS_LIMIT',
      priceTicks: limitTicks,
      stopPriceTicks: stopTicks,
      timeInForce: 'GTC',
    };
    return {
      type: 'placeOco',
      userId,
      symbol: market.symbol,
      listClientOrderId: this.newClientOrderId(),
      side,
      quantityLots,
      above: selling ? maker : stop,
      below: selling ? stop : maker,
    };
  }

  private triggerDistanceTicks(market: DemoMarket, lastTicks: number): number {
    return this.random.between(
      market.ticksOfBps(lastTicks, TRIGGER_DISTANCE_BPS_MIN),
      market.ticksOfBps(lastTicks, TRIGGER_DISTANCE_BPS_MAX),
    );
  }

  /**
   * A random taker size that passes the filters when measured at `measureTicks` and that the user can pay for at
   * `costTicks`; 0 when even the smallest valid order is too dear.
   */
  private takerLots(market: DemoMarket, userId: number, side: Side, measureTicks: number, costTicks: number): number {
    const multiple = this.random.between(TAKER_SIZE_MULTIPLE_MIN, TAKER_SIZE_MULTIPLE_MAX);
    const quantityLots = this.affordableLots(market, userId, side, costTicks, market.lotsOf(measureTicks, multiple));
    return quantityLots >= market.minimumLots(measureTicks) ? quantityLots : 0;
  }

  // ----------------------------------------------------------------------------------------------- helpers

  private placeOrder(market: DemoMarket, userId: number, fields: OrderFields): PlaceOrder {
    return { type: 'placeOrder', userId, symbol: market.symbol, clientOrderId: this.newClientOrderId(), ...fields };
  }

  private newClientOrderId(): string {
    this.clientOrderNumber++;
    return `${this.clientOrderIdPrefix}${this.clientOrderNumber.toString(36)}`;
  }

  private availableMinor(userId: number, asset: string): bigint {
    return this.options.state.balancesOf(userId).find((b) => b.asset === asset)?.availableMinor ?? 0n;
  }

  /** `wantedLots`, or fewer: as many as the user's available balance (plus `extraMinor` about to be freed) pays for. */
  private affordableLots(
    market: DemoMarket,
    userId: number,
    side: Side,
    priceTicks: number,
    wantedLots: number,
    extraMinor = 0n,
  ): number {
    const availableMinor = this.availableMinor(userId, side === 'BUY' ? market.quote : market.base) + extraMinor;
    const perLotMinor = side === 'BUY' ? market.quoteMinor(priceTicks, 1) : market.baseMinorPerLot;
    const affordable = availableMinor / perLotMinor;
    return affordable < BigInt(wantedLots) ? Number(affordable) : wantedLots;
  }
}
