// Proves the matching rules, one scenario per rule: the workload rules of shared/workloads/README.md, every
// order type, time in force, STP mode, filter, cap, OCO and amend. How: each scenario sets up a book with
// `given` commands, applies `when`, and compares the events (in the one-line form of describeEvent) with
// `then`; optional checks read the book afterwards. Every scenario runs against BOTH implementations, and
// both books must pass validateInternalState() after every command.
import { describe, expect, it } from 'vitest';
import { createOrderBook } from './book.js';
import { EventCollector } from './events.js';
import { describeEvent } from './internal/testing.js';
import {
  OrderStatus,
  OrderType,
  Side,
  StpMode,
  TimeInForce,
  type Command,
  type MarketRules,
  type OrderBook,
  type OrderSpec,
  type PlaceOrder,
} from './types.js';

type Extra = Partial<Omit<OrderSpec, 'orderId' | 'side'>>;
const OWNER = 1;
const place = (spec: Omit<OrderSpec, 'ownerId'> & { ownerId?: number }): PlaceOrder => ({
  kind: 'place',
  ownerId: OWNER,
  ...spec,
});
const buy = (orderId: number, priceTicks: number, quantityLots: number, extra: Extra = {}) =>
  place({ orderId, side: Side.BUY, type: OrderType.LIMIT, priceTicks, quantityLots, ...extra });
const sell = (orderId: number, priceTicks: number, quantityLots: number, extra: Extra = {}) =>
  place({ orderId, side: Side.SELL, type: OrderType.LIMIT, priceTicks, quantityLots, ...extra });
const marketBuy = (orderId: number, quantityLots: number, extra: Extra = {}) =>
  place({ orderId, side: Side.BUY, type: OrderType.MARKET, quantityLots, ...extra });
const marketSell = (orderId: number, quantityLots: number, extra: Extra = {}) =>
  place({ orderId, side: Side.SELL, type: OrderType.MARKET, quantityLots, ...extra });
const quoteBuy = (orderId: number, quoteOrderQty: number, extra: Extra = {}) =>
  place({ orderId, side: Side.BUY, type: OrderType.MARKET, quoteOrderQty, ...extra });
const quoteSell = (orderId: number, quoteOrderQty: number, extra: Extra = {}) =>
  place({ orderId, side: Side.SELL, type: OrderType.MARKET, quoteOrderQty, ...extra });
const stop = (
  orderId: number,
  side: Side,
  type: OrderType,
  stopPriceTicks: number,
  quantityLots: number,
  extra: Extra = {},
) => place({ orderId, side, type, stopPriceTicks, quantityLots, ...extra });
const cancel = (orderId: number, reportUnknown = false): Command => ({ kind: 'cancel', orderId, reportUnknown });
const amend = (orderId: number, quantityLots: number, priceTicks?: number): Command => ({
  kind: 'amend',
  orderId,
  quantityLots,
  priceTicks,
});
const oco = (first: PlaceOrder, second: PlaceOrder): Command => ({ kind: 'placeOco', first, second });

interface Scenario {
  name: string;
  rules?: Partial<MarketRules>;
  liveOrdersMax?: number;
  given?: Command[];
  when: Command | Command[];
  then: string[];
  check?: (book: OrderBook) => void;
}

/** Resting asks 100x5 (id 1), 101x5 (id 2), 102x5 (id 3). */
const asks = [sell(1, 100, 5), sell(2, 101, 5), sell(3, 102, 5)];
/** Resting bids 100x5 (id 1), 99x5 (id 2), 98x5 (id 3). */
const bids = [buy(1, 100, 5), buy(2, 99, 5), buy(3, 98, 5)];
/** One trade at 100 so there is a last price: ask 4@100 taken by a buy (ids 90, 91). */
const lastAt100 = [sell(90, 100, 1), buy(91, 100, 1)];

const scenarios: Scenario[] = [
  // ----- workload rules (shared/workloads/README.md) -----
  {
    name: 'a limit order with nothing to meet rests',
    when: buy(1, 100, 5),
    then: ['accepted 1', 'delta BUY 100 5'],
    check: (book) => expect(book.bestBidTicks()).toBe(100),
  },
  {
    name: 'rule 1-2: a crossing order trades at the maker price, not its own',
    given: [sell(1, 100, 5)],
    when: buy(2, 105, 5),
    then: [
      'accepted 2',
      'trade 2/1 5@100 taker-done maker-done',
      'delta SELL 100 0',
      'done 1 FILLED 0',
      'done 2 FILLED 0',
    ],
    check: (book) => expect(book.lastTradePriceTicks()).toBe(100),
  },
  {
    name: 'rule 2: better price first, then first come first served at one price',
    given: [sell(1, 100, 2), sell(2, 100, 2), sell(3, 99, 2)],
    when: buy(4, 100, 5),
    then: [
      'accepted 4',
      'trade 4/3 2@99 maker-done',
      'delta SELL 99 0',
      'done 3 FILLED 0',
      'trade 4/1 2@100 maker-done',
      'delta SELL 100 2',
      'done 1 FILLED 0',
      'trade 4/2 1@100 taker-done',
      'delta SELL 100 1',
      'done 4 FILLED 0',
    ],
    check: (book) => expect(book.order(2)?.remainingLots).toBe(1),
  },
  {
    name: 'rule 2: a trade is for the smaller of the two remaining quantities',
    given: [buy(1, 100, 10)],
    when: sell(2, 100, 3),
    then: ['accepted 2', 'trade 2/1 3@100 taker-done', 'delta BUY 100 7', 'done 2 FILLED 0'],
  },
  {
    name: 'rule 1 + 3: a buy stops at its limit and GTC rests the rest at its limit price',
    given: asks,
    when: buy(5, 100, 8),
    then: ['accepted 5', 'trade 5/1 5@100 maker-done', 'delta SELL 100 0', 'done 1 FILLED 0', 'delta BUY 100 3'],
    check: (book) => {
      expect(book.depth(Side.BUY, 5)).toEqual([{ priceTicks: 100, quantityLots: 3, orderCount: 1 }]);
      expect(book.bestAskTicks()).toBe(101);
    },
  },
  {
    name: 'rule 3: a resting order queues behind the orders already at its price',
    given: [buy(1, 100, 2), buy(2, 100, 3)],
    when: marketSell(3, 3),
    then: [
      'accepted 3',
      'trade 3/1 2@100 maker-done',
      'delta BUY 100 3',
      'done 1 FILLED 0',
      'trade 3/2 1@100 taker-done',
      'delta BUY 100 2',
      'done 3 FILLED 0',
    ],
  },
  {
    name: 'rule 1: a sell trades while bid >= its limit',
    given: bids,
    when: sell(4, 99, 12),
    then: [
      'accepted 4',
      'trade 4/1 5@100 maker-done',
      'delta BUY 100 0',
      'done 1 FILLED 0',
      'trade 4/2 5@99 maker-done',
      'delta BUY 99 0',
      'done 2 FILLED 0',
      'delta SELL 99 2',
    ],
  },
  {
    name: 'rule 3: IOC drops what it cannot fill at once',
    given: asks,
    when: buy(4, 100, 8, { timeInForce: TimeInForce.IOC }),
    then: ['accepted 4', 'trade 4/1 5@100 maker-done', 'delta SELL 100 0', 'done 1 FILLED 0', 'done 4 EXPIRED 3'],
    check: (book) => expect(book.bestBidTicks()).toBeNull(),
  },
  {
    name: 'rule 3: a market order sweeps any price and drops the rest',
    given: asks,
    when: marketBuy(4, 17),
    then: [
      'accepted 4',
      'trade 4/1 5@100 maker-done',
      'delta SELL 100 0',
      'done 1 FILLED 0',
      'trade 4/2 5@101 maker-done',
      'delta SELL 101 0',
      'done 2 FILLED 0',
      'trade 4/3 5@102 maker-done',
      'delta SELL 102 0',
      'done 3 FILLED 0',
      'done 4 EXPIRED 2',
    ],
  },
  {
    name: 'rule 3: a market order on an empty side expires untouched',
    when: marketSell(1, 5),
    then: ['accepted 1', 'done 1 EXPIRED 5'],
  },
  {
    name: 'rule 3: FOK with too little at acceptable prices expires without trading',
    given: asks,
    when: buy(4, 101, 11, { timeInForce: TimeInForce.FOK }),
    then: ['accepted 4', 'done 4 FOK_NOT_FILLABLE 11'],
    check: (book) => expect(book.depth(Side.SELL, 5).map((level) => level.quantityLots)).toEqual([5, 5, 5]),
  },
  {
    name: 'rule 3: FOK with enough fills completely across levels',
    given: asks,
    when: buy(4, 101, 10, { timeInForce: TimeInForce.FOK }),
    then: [
      'accepted 4',
      'trade 4/1 5@100 maker-done',
      'delta SELL 100 0',
      'done 1 FILLED 0',
      'trade 4/2 5@101 taker-done maker-done',
      'delta SELL 101 0',
      'done 2 FILLED 0',
      'done 4 FILLED 0',
    ],
  },
  {
    name: 'rule 3: POST that would trade is rejected without a trade',
    given: asks,
    when: place({ orderId: 4, side: Side.BUY, type: OrderType.LIMIT_MAKER, priceTicks: 100, quantityLots: 1 }),
    then: ['rejected 4 POST_ONLY_WOULD_TRADE'],
  },
  {
    name: 'rule 3: POST that would not trade rests like GTC',
    given: asks,
    when: place({ orderId: 4, side: Side.BUY, type: OrderType.LIMIT_MAKER, priceTicks: 99, quantityLots: 1 }),
    then: ['accepted 4', 'delta BUY 99 1'],
    check: (book) => expect(book.order(4)?.timeInForce).toBe(TimeInForce.GTC),
  },
  {
    name: 'cancel removes a resting order and reports what was left',
    given: [buy(1, 100, 5), buy(2, 100, 3)],
    when: cancel(1),
    then: ['delta BUY 100 3', 'done 1 CANCELLED 5'],
    check: (book) => expect(book.order(1)).toBeUndefined(),
  },
  {
    name: 'rule 4: cancel of a never-seen, filled, cancelled or IOC id is a silent no-op',
    given: [sell(1, 100, 1), buy(2, 100, 1), buy(3, 90, 1), cancel(3), buy(4, 80, 1, { timeInForce: TimeInForce.IOC })],
    when: [cancel(99), cancel(1), cancel(2), cancel(3), cancel(4)],
    then: [],
  },
  {
    name: 'cancel of an unknown id is rejected when asked to report it',
    when: cancel(99, true),
    then: ['rejected 99 UNKNOWN_ORDER'],
  },

  // ----- market orders by quote budget -----
  {
    name: 'a market buy by quote budget spends down to less than one lot',
    given: asks,
    when: quoteBuy(4, 750),
    then: [
      'accepted 4',
      'trade 4/1 5@100 maker-done',
      'delta SELL 100 0',
      'done 1 FILLED 0',
      'trade 4/2 2@101',
      'delta SELL 101 3',
      'done 4 FILLED 0',
    ],
  },
  {
    name: 'a market buy by quote budget that spends it exactly',
    given: asks,
    when: quoteBuy(4, 300),
    then: ['accepted 4', 'trade 4/1 3@100 taker-done', 'delta SELL 100 2', 'done 4 FILLED 0'],
  },
  {
    name: 'a market order by quote budget that runs out of liquidity expires',
    given: [sell(1, 100, 2)],
    when: quoteBuy(4, 1000),
    then: ['accepted 4', 'trade 4/1 2@100 maker-done', 'delta SELL 100 0', 'done 1 FILLED 0', 'done 4 EXPIRED 0'],
  },
  {
    name: 'a market sell by quote budget receives at most the budget',
    given: bids,
    when: quoteSell(4, 650),
    then: [
      'accepted 4',
      'trade 4/1 5@100 maker-done',
      'delta BUY 100 0',
      'done 1 FILLED 0',
      'trade 4/2 1@99',
      'delta BUY 99 4',
      'done 4 FILLED 0',
    ],
  },

  // ----- caps set by the engine for funds -----
  {
    name: 'a market buy with a notional cap takes floor(room / price) lots at the level where it binds',
    given: asks,
    when: marketBuy(4, 10, { notionalCap: 700 }),
    then: [
      'accepted 4',
      'trade 4/1 5@100 maker-done',
      'delta SELL 100 0',
      'done 1 FILLED 0',
      'trade 4/2 1@101',
      'delta SELL 101 4',
      'done 4 CAP 4',
    ],
  },
  {
    name: 'a market sell by quote budget stops at its quantity cap',
    given: bids,
    when: quoteSell(4, 5000, { quantityLotsCap: 7 }),
    then: [
      'accepted 4',
      'trade 4/1 5@100 maker-done',
      'delta BUY 100 0',
      'done 1 FILLED 0',
      'trade 4/2 2@99',
      'delta BUY 99 3',
      'done 4 CAP 0',
    ],
  },
  {
    name: 'a notional cap too small for one lot stops the order before any trade',
    given: asks,
    when: marketBuy(4, 3, { notionalCap: 99 }),
    then: ['accepted 4', 'done 4 CAP 3'],
  },
  {
    name: 'a GTC order whose caps cannot cover its remainder at its price does not rest',
    given: [sell(1, 100, 2)],
    when: buy(4, 100, 5, { notionalCap: 400 }),
    then: ['accepted 4', 'trade 4/1 2@100 maker-done', 'delta SELL 100 0', 'done 1 FILLED 0', 'done 4 CAP 3'],
  },
  {
    name: 'a GTC order fully covered by its caps rests, and its room is tracked',
    when: buy(4, 100, 5, { notionalCap: 500, quantityLotsCap: 5 }),
    then: ['accepted 4', 'delta BUY 100 5'],
    check: (book) => {
      expect(book.order(4)).toMatchObject({ notionalCapRoom: 500, quantityLotsCapRoom: 5 });
    },
  },
  {
    name: 'a resting order with caps trades as a maker and its room shrinks',
    given: [buy(4, 100, 5, { notionalCap: 600 })],
    when: marketSell(5, 2),
    then: ['accepted 5', 'trade 5/4 2@100 taker-done', 'delta BUY 100 3', 'done 5 FILLED 0'],
    check: (book) => expect(book.order(4)).toMatchObject({ notionalCapRoom: 400, filledLots: 2, remainingLots: 3 }),
  },
  {
    name: 'FOK counts its caps: the notional cap makes it unfillable',
    given: asks,
    when: buy(4, 101, 7, { timeInForce: TimeInForce.FOK, notionalCap: 700 }),
    then: ['accepted 4', 'done 4 FOK_NOT_FILLABLE 7'],
  },
  {
    name: 'a sell whose notional cap binds at one level stops there, although a lower level would fit a lot',
    given: [buy(1, 100, 5), buy(2, 60, 5)],
    when: marketSell(4, 5, { notionalCap: 250 }),
    then: ['accepted 4', 'trade 4/1 2@100', 'delta BUY 100 3', 'done 4 CAP 3'],
  },
  {
    name: 'FOK sell with the same binding cap is not fillable (the check walks the same steps)',
    given: [buy(1, 100, 5), buy(2, 60, 5)],
    when: sell(4, 60, 3, { timeInForce: TimeInForce.FOK, notionalCap: 250 }),
    then: ['accepted 4', 'done 4 FOK_NOT_FILLABLE 3'],
  },

  // ----- self-trade prevention -----
  {
    name: 'STP NONE: an owner may trade with itself',
    given: [sell(1, 100, 5, { ownerId: 7 })],
    when: buy(2, 100, 5, { ownerId: 7 }),
    then: [
      'accepted 2',
      'trade 2/1 5@100 taker-done maker-done',
      'delta SELL 100 0',
      'done 1 FILLED 0',
      'done 2 FILLED 0',
    ],
  },
  {
    name: 'STP EXPIRE_TAKER: trades with others, then the taker expires at its own order',
    given: [sell(1, 100, 2, { ownerId: 8 }), sell(2, 100, 5, { ownerId: 7 }), sell(3, 100, 5, { ownerId: 8 })],
    when: buy(4, 100, 10, { ownerId: 7, stpMode: StpMode.EXPIRE_TAKER }),
    then: ['accepted 4', 'trade 4/1 2@100 maker-done', 'delta SELL 100 10', 'done 1 FILLED 0', 'done 4 STP 8'],
    check: (book) => expect(book.order(2)?.remainingLots).toBe(5),
  },
  {
    name: 'STP EXPIRE_MAKER: the own resting order expires and matching continues',
    given: [sell(1, 100, 5, { ownerId: 7 }), sell(2, 100, 5, { ownerId: 8 })],
    when: buy(3, 100, 4, { ownerId: 7, stpMode: StpMode.EXPIRE_MAKER }),
    then: [
      'accepted 3',
      'delta SELL 100 5',
      'done 1 STP 5',
      'trade 3/2 4@100 taker-done',
      'delta SELL 100 1',
      'done 3 FILLED 0',
    ],
  },
  {
    name: 'STP EXPIRE_BOTH: both the own maker and the taker expire',
    given: [sell(1, 100, 5, { ownerId: 7 }), sell(2, 100, 5, { ownerId: 8 })],
    when: buy(3, 100, 4, { ownerId: 7, stpMode: StpMode.EXPIRE_BOTH }),
    then: ['accepted 3', 'delta SELL 100 5', 'done 1 STP 5', 'done 3 STP 4'],
  },
  {
    name: "STP: only the taker's mode counts",
    given: [sell(1, 100, 5, { ownerId: 7, stpMode: StpMode.EXPIRE_BOTH })],
    when: buy(2, 100, 1, { ownerId: 7 }),
    then: ['accepted 2', 'trade 2/1 1@100 taker-done', 'delta SELL 100 4', 'done 2 FILLED 0'],
  },
  {
    name: 'FOK with EXPIRE_MAKER does not count its own liquidity',
    given: [sell(1, 100, 5, { ownerId: 7 }), sell(2, 100, 3, { ownerId: 8 })],
    when: buy(3, 100, 4, { ownerId: 7, stpMode: StpMode.EXPIRE_MAKER, timeInForce: TimeInForce.FOK }),
    then: ['accepted 3', 'done 3 FOK_NOT_FILLABLE 4'],
    check: (book) => expect(book.order(1)?.remainingLots).toBe(5),
  },
  {
    name: 'FOK with EXPIRE_TAKER counts only liquidity ahead of its own order',
    given: [sell(1, 100, 3, { ownerId: 8 }), sell(2, 100, 5, { ownerId: 7 }), sell(3, 100, 5, { ownerId: 8 })],
    when: buy(4, 100, 4, { ownerId: 7, stpMode: StpMode.EXPIRE_TAKER, timeInForce: TimeInForce.FOK }),
    then: ['accepted 4', 'done 4 FOK_NOT_FILLABLE 4'],
  },

  // ----- stop orders -----
  {
    name: 'a stop order waits outside the book',
    given: lastAt100,
    when: stop(1, Side.SELL, OrderType.STOP_LOSS, 95, 3),
    then: ['accepted 1'],
    check: (book) => {
      expect(book.order(1)?.status).toBe(OrderStatus.PENDING_TRIGGER);
      expect(book.counts().pendingStops).toBe(1);
      expect(book.bestAskTicks()).toBeNull();
    },
  },
  {
    name: 'a SELL STOP_LOSS triggers when the last price falls to its stop and sells at market',
    given: [...lastAt100, stop(1, Side.SELL, OrderType.STOP_LOSS, 95, 3), buy(2, 95, 1), buy(3, 94, 5)],
    when: sell(4, 95, 1),
    then: [
      'accepted 4',
      'trade 4/2 1@95 taker-done maker-done',
      'delta BUY 95 0',
      'done 2 FILLED 0',
      'done 4 FILLED 0',
      'triggered 1',
      'trade 1/3 3@94 taker-done',
      'delta BUY 94 2',
      'done 1 FILLED 0',
    ],
  },
  {
    name: 'a BUY STOP_LOSS triggers when the last price rises to its stop',
    given: [...lastAt100, stop(1, Side.BUY, OrderType.STOP_LOSS, 105, 2), sell(2, 105, 1), sell(3, 106, 5)],
    when: buy(4, 105, 1),
    then: [
      'accepted 4',
      'trade 4/2 1@105 taker-done maker-done',
      'delta SELL 105 0',
      'done 2 FILLED 0',
      'done 4 FILLED 0',
      'triggered 1',
      'trade 1/3 2@106 taker-done',
      'delta SELL 106 3',
      'done 1 FILLED 0',
    ],
  },
  {
    name: 'a SELL TAKE_PROFIT triggers on a rise, a BUY TAKE_PROFIT on a fall',
    given: [
      ...lastAt100,
      stop(1, Side.SELL, OrderType.TAKE_PROFIT, 105, 1),
      stop(2, Side.BUY, OrderType.TAKE_PROFIT, 95, 1),
      sell(3, 105, 1),
      buy(4, 104, 5),
      sell(6, 106, 5),
    ],
    when: buy(5, 105, 1),
    then: [
      'accepted 5',
      'trade 5/3 1@105 taker-done maker-done',
      'delta SELL 105 0',
      'done 3 FILLED 0',
      'done 5 FILLED 0',
      'triggered 1',
      'trade 1/4 1@104 taker-done',
      'delta BUY 104 4',
      'done 1 FILLED 0',
    ],
    check: (book) => expect(book.order(2)?.status).toBe(OrderStatus.PENDING_TRIGGER),
  },
  {
    name: 'a triggered STOP_LOSS_LIMIT becomes a limit order and rests what it cannot fill',
    given: [
      ...lastAt100,
      stop(1, Side.SELL, OrderType.STOP_LOSS_LIMIT, 95, 4, { priceTicks: 94 }),
      buy(2, 95, 1),
      buy(3, 94, 1),
      buy(5, 93, 1),
    ],
    when: sell(4, 95, 1),
    then: [
      'accepted 4',
      'trade 4/2 1@95 taker-done maker-done',
      'delta BUY 95 0',
      'done 2 FILLED 0',
      'done 4 FILLED 0',
      'triggered 1',
      'trade 1/3 1@94 maker-done',
      'delta BUY 94 0',
      'done 3 FILLED 0',
      'delta SELL 94 3',
    ],
    check: (book) =>
      expect(book.order(1)).toMatchObject({
        type: OrderType.STOP_LOSS_LIMIT,
        status: OrderStatus.PARTIALLY_FILLED,
        remainingLots: 3,
        priceTicks: 94,
      }),
  },
  {
    name: 'a TAKE_PROFIT_LIMIT with IOC expires what it cannot fill when triggered',
    given: [
      ...lastAt100,
      stop(1, Side.BUY, OrderType.TAKE_PROFIT_LIMIT, 95, 4, { priceTicks: 96, timeInForce: TimeInForce.IOC }),
      buy(2, 95, 1),
    ],
    when: sell(3, 95, 1),
    then: [
      'accepted 3',
      'trade 3/2 1@95 taker-done maker-done',
      'delta BUY 95 0',
      'done 2 FILLED 0',
      'done 3 FILLED 0',
      'triggered 1',
      'done 1 EXPIRED 4',
    ],
  },
  {
    name: 'a stop whose condition already holds is rejected',
    given: lastAt100,
    when: [stop(1, Side.SELL, OrderType.STOP_LOSS, 100, 1), stop(2, Side.BUY, OrderType.TAKE_PROFIT, 101, 1)],
    then: ['rejected 1 STOP_WOULD_TRIGGER', 'rejected 2 STOP_WOULD_TRIGGER'],
  },
  {
    name: 'without a last price a stop waits for the first trade',
    given: [stop(1, Side.SELL, OrderType.STOP_LOSS, 100, 1), buy(2, 90, 5)],
    when: [sell(3, 100, 1), marketSell(4, 1)],
    then: [
      'accepted 3',
      'delta SELL 100 1',
      'accepted 4',
      'trade 4/2 1@90 taker-done',
      'delta BUY 90 4',
      'done 4 FILLED 0',
      'triggered 1',
      'trade 1/2 1@90 taker-done',
      'delta BUY 90 3',
      'done 1 FILLED 0',
    ],
  },
  {
    name: 'triggers cascade: each triggered stop may move the price and trigger the next',
    given: [
      ...lastAt100,
      stop(1, Side.SELL, OrderType.STOP_LOSS, 98, 1),
      stop(2, Side.SELL, OrderType.STOP_LOSS, 97, 1),
      buy(3, 98, 1),
      buy(4, 97, 1),
      buy(5, 96, 1),
    ],
    when: marketSell(6, 1),
    then: [
      'accepted 6',
      'trade 6/3 1@98 taker-done maker-done',
      'delta BUY 98 0',
      'done 3 FILLED 0',
      'done 6 FILLED 0',
      'triggered 1',
      'trade 1/4 1@97 taker-done maker-done',
      'delta BUY 97 0',
      'done 4 FILLED 0',
      'done 1 FILLED 0',
      'triggered 2',
      'trade 2/5 1@96 taker-done maker-done',
      'delta BUY 96 0',
      'done 5 FILLED 0',
      'done 2 FILLED 0',
    ],
  },
  {
    name: 'stops triggered together go in the order the price crossed them, then by time',
    given: [
      ...lastAt100,
      stop(1, Side.SELL, OrderType.STOP_LOSS, 97, 1),
      stop(2, Side.SELL, OrderType.STOP_LOSS, 99, 1),
      stop(3, Side.SELL, OrderType.STOP_LOSS, 99, 1),
      buy(4, 96, 1),
      buy(5, 10, 10),
    ],
    when: marketSell(6, 1),
    then: [
      'accepted 6',
      'trade 6/4 1@96 taker-done maker-done',
      'delta BUY 96 0',
      'done 4 FILLED 0',
      'done 6 FILLED 0',
      'triggered 2',
      'trade 2/5 1@10 taker-done',
      'delta BUY 10 9',
      'done 2 FILLED 0',
      'triggered 3',
      'trade 3/5 1@10 taker-done',
      'delta BUY 10 8',
      'done 3 FILLED 0',
      'triggered 1',
      'trade 1/5 1@10 taker-done',
      'delta BUY 10 7',
      'done 1 FILLED 0',
    ],
  },
  {
    name: 'a pending stop can be cancelled, not amended',
    given: [...lastAt100, stop(1, Side.SELL, OrderType.STOP_LOSS, 95, 3)],
    when: [amend(1, 2), cancel(1)],
    then: ['rejected 1 ORDER_NOT_AMENDABLE', 'done 1 CANCELLED 3'],
  },

  // ----- OCO -----
  {
    name: 'OCO: both legs are accepted; the limit leg rests and the stop leg waits',
    given: lastAt100,
    when: oco(
      place({ orderId: 1, side: Side.SELL, type: OrderType.LIMIT_MAKER, priceTicks: 110, quantityLots: 5 }),
      stop(2, Side.SELL, OrderType.STOP_LOSS_LIMIT, 90, 5, { priceTicks: 89 }),
    ),
    then: ['accepted 1', 'accepted 2', 'delta SELL 110 5'],
    check: (book) => {
      expect(book.order(1)?.ocoSiblingOrderId).toBe(2);
      expect(book.order(2)?.ocoSiblingOrderId).toBe(1);
    },
  },
  {
    name: 'OCO: a partial fill of the limit leg cancels the stop leg',
    given: [
      ...lastAt100,
      oco(
        place({ orderId: 1, side: Side.SELL, type: OrderType.LIMIT_MAKER, priceTicks: 110, quantityLots: 5 }),
        stop(2, Side.SELL, OrderType.STOP_LOSS, 90, 5),
      ),
    ],
    when: buy(3, 110, 2),
    then: ['accepted 3', 'trade 3/1 2@110 taker-done', 'delta SELL 110 3', 'done 2 OCO 5', 'done 3 FILLED 0'],
    check: (book) => expect(book.order(1)?.ocoSiblingOrderId).toBe(0),
  },
  {
    name: 'OCO: the stop leg triggering cancels the limit leg before it trades',
    given: [
      ...lastAt100,
      oco(
        place({ orderId: 1, side: Side.SELL, type: OrderType.LIMIT_MAKER, priceTicks: 110, quantityLots: 5 }),
        stop(2, Side.SELL, OrderType.STOP_LOSS, 95, 5),
      ),
      buy(3, 95, 1),
      buy(4, 94, 10),
    ],
    when: marketSell(5, 1),
    then: [
      'accepted 5',
      'trade 5/3 1@95 taker-done maker-done',
      'delta BUY 95 0',
      'done 3 FILLED 0',
      'done 5 FILLED 0',
      'triggered 2',
      'delta SELL 110 0',
      'done 1 OCO 5',
      'trade 2/4 5@94 taker-done',
      'delta BUY 94 5',
      'done 2 FILLED 0',
    ],
  },
  {
    name: 'OCO: cancelling one leg cancels the other',
    given: [
      ...lastAt100,
      oco(
        place({ orderId: 1, side: Side.SELL, type: OrderType.LIMIT_MAKER, priceTicks: 110, quantityLots: 5 }),
        stop(2, Side.SELL, OrderType.STOP_LOSS, 90, 5),
      ),
    ],
    when: cancel(2),
    then: ['done 2 CANCELLED 5', 'delta SELL 110 0', 'done 1 OCO 5'],
  },
  {
    name: 'OCO: a leg expired by STP ends the other leg',
    given: [
      ...lastAt100,
      oco(
        place({ orderId: 1, side: Side.SELL, type: OrderType.LIMIT_MAKER, priceTicks: 110, quantityLots: 5 }),
        stop(2, Side.SELL, OrderType.STOP_LOSS, 90, 5),
      ),
    ],
    when: buy(3, 110, 1, { stpMode: StpMode.EXPIRE_MAKER }),
    then: ['accepted 3', 'delta SELL 110 0', 'done 1 STP 5', 'done 2 OCO 5', 'delta BUY 110 1'],
  },
  {
    name: 'OCO: legs must pair up (types, sides, owners, ids)',
    given: lastAt100,
    when: [
      oco(buy(1, 90, 1), stop(2, Side.BUY, OrderType.STOP_LOSS, 110, 1)),
      oco(
        place({ orderId: 3, side: Side.SELL, type: OrderType.LIMIT_MAKER, priceTicks: 110, quantityLots: 1 }),
        place({ orderId: 4, side: Side.SELL, type: OrderType.LIMIT_MAKER, priceTicks: 111, quantityLots: 1 }),
      ),
      oco(stop(5, Side.SELL, OrderType.STOP_LOSS, 90, 1), stop(6, Side.BUY, OrderType.STOP_LOSS, 110, 1)),
      oco(
        stop(7, Side.SELL, OrderType.STOP_LOSS, 90, 1),
        stop(8, Side.SELL, OrderType.TAKE_PROFIT, 110, 1, { ownerId: 2 }),
      ),
      oco(stop(9, Side.SELL, OrderType.STOP_LOSS, 90, 1), stop(9, Side.SELL, OrderType.TAKE_PROFIT, 110, 1)),
    ],
    then: [
      'rejected 1 OCO_INVALID',
      'rejected 2 OCO_INVALID',
      'rejected 3 OCO_INVALID',
      'rejected 4 OCO_INVALID',
      'rejected 5 OCO_INVALID',
      'rejected 6 OCO_INVALID',
      'rejected 7 OCO_INVALID',
      'rejected 8 OCO_INVALID',
      'rejected 9 OCO_INVALID',
      'rejected 9 OCO_INVALID',
    ],
  },
  {
    name: 'OCO: a leg failing its own checks rejects the pair, naming the sibling',
    given: [...lastAt100, buy(92, 100, 1)],
    when: [
      oco(
        place({ orderId: 1, side: Side.SELL, type: OrderType.LIMIT_MAKER, priceTicks: 100, quantityLots: 1 }),
        stop(2, Side.SELL, OrderType.STOP_LOSS, 90, 1),
      ),
      oco(
        place({ orderId: 3, side: Side.SELL, type: OrderType.LIMIT_MAKER, priceTicks: 110, quantityLots: 1 }),
        stop(4, Side.SELL, OrderType.STOP_LOSS, 100, 1),
      ),
      oco(
        place({ orderId: 5, side: Side.SELL, type: OrderType.LIMIT_MAKER, priceTicks: 110, quantityLots: 0 }),
        stop(6, Side.SELL, OrderType.STOP_LOSS, 90, 1),
      ),
    ],
    then: [
      'rejected 1 POST_ONLY_WOULD_TRADE',
      'rejected 2 OCO_SIBLING_REJECTED',
      'rejected 3 OCO_SIBLING_REJECTED',
      'rejected 4 STOP_WOULD_TRIGGER',
      'rejected 5 INVALID_ORDER',
      'rejected 6 OCO_SIBLING_REJECTED',
    ],
  },

  // ----- filters, in precedence order -----
  {
    name: 'malformed orders are INVALID_ORDER',
    when: [
      place({ orderId: 1, side: Side.BUY, type: OrderType.LIMIT, quantityLots: 1 }),
      place({ orderId: 2, side: Side.BUY, type: OrderType.MARKET, quantityLots: 1, quoteOrderQty: 100 }),
      place({ orderId: 3, side: Side.BUY, type: OrderType.MARKET, quantityLots: 1, timeInForce: TimeInForce.IOC }),
      buy(4, 100, 1.5),
      buy(5, -100, 1),
      place({ orderId: 6, side: Side.BUY, type: 99 as OrderType, priceTicks: 100, quantityLots: 1 }),
      place({ orderId: 7, side: 2 as Side, type: OrderType.LIMIT, priceTicks: 100, quantityLots: 1 }),
      buy(0, 100, 1),
      buy(8, 100, 1, { ownerId: 0 }),
      place({ orderId: 9, side: Side.BUY, type: OrderType.STOP_LOSS, quantityLots: 1 }),
      place({
        orderId: 10,
        side: Side.BUY,
        type: OrderType.LIMIT_MAKER,
        priceTicks: 100,
        quantityLots: 1,
        timeInForce: TimeInForce.IOC,
      }),
      buy(11, 100, 1, { stpMode: 9 as StpMode }),
      buy(12, 100, 1, { notionalCap: -1 }),
      buy(13, 100, 1, { stopPriceTicks: 90 }),
    ],
    then: [
      'rejected 1 INVALID_ORDER',
      'rejected 2 INVALID_ORDER',
      'rejected 3 INVALID_ORDER',
      'rejected 4 INVALID_ORDER',
      'rejected 5 INVALID_ORDER',
      'rejected 6 INVALID_ORDER',
      'rejected 7 INVALID_ORDER',
      'rejected 0 INVALID_ORDER',
      'rejected 8 INVALID_ORDER',
      'rejected 9 INVALID_ORDER',
      'rejected 10 INVALID_ORDER',
      'rejected 11 INVALID_ORDER',
      'rejected 12 INVALID_ORDER',
      'rejected 13 INVALID_ORDER',
    ],
  },
  {
    name: 'an id that is live is a DUPLICATE_ID; once the order is done the id is free again',
    given: [buy(1, 100, 1)],
    when: [buy(1, 99, 1), cancel(1), buy(1, 99, 1)],
    then: ['rejected 1 DUPLICATE_ID', 'delta BUY 100 0', 'done 1 CANCELLED 1', 'accepted 1', 'delta BUY 99 1'],
  },
  {
    name: 'a book at its live-order limit refuses new orders (stops and OCO legs count) until one ends',
    liveOrdersMax: 3,
    given: [buy(1, 90, 1), stop(2, Side.BUY, OrderType.STOP_LOSS, 110, 1)],
    when: [
      oco(
        place({ orderId: 3, side: Side.SELL, type: OrderType.LIMIT_MAKER, priceTicks: 120, quantityLots: 1 }),
        stop(4, Side.SELL, OrderType.STOP_LOSS, 80, 1),
      ),
      sell(5, 100, 1),
      marketSell(6, 1),
      cancel(5),
      sell(7, 100, 1),
    ],
    then: [
      'rejected 3 BOOK_FULL',
      'rejected 4 BOOK_FULL',
      'accepted 5',
      'delta SELL 100 1',
      'rejected 6 BOOK_FULL',
      'delta SELL 100 0',
      'done 5 CANCELLED 1',
      'accepted 7',
      'delta SELL 100 1',
    ],
  },
  {
    name: 'quantity and price bounds',
    rules: { quantityLotsMin: 2, quantityLotsMax: 10, priceTicksMin: 50, priceTicksMax: 150 },
    when: [
      buy(1, 100, 1),
      buy(2, 100, 11),
      buy(3, 49, 5),
      buy(4, 151, 5),
      stop(5, Side.BUY, OrderType.STOP_LOSS, 151, 5),
      buy(6, 150, 10),
    ],
    then: [
      'rejected 1 QUANTITY_BELOW_MIN',
      'rejected 2 QUANTITY_ABOVE_MAX',
      'rejected 3 PRICE_BELOW_MIN',
      'rejected 4 PRICE_ABOVE_MAX',
      'rejected 5 PRICE_ABOVE_MAX',
      'accepted 6',
      'delta BUY 150 10',
    ],
  },
  {
    name: 'precedence: the smallest reason wins',
    rules: { quantityLotsMin: 2, priceTicksMax: 150, notionalMin: 10_000 },
    given: [buy(1, 100, 100)],
    when: [buy(1, 200, 1), buy(2, 200, 1), buy(3, 200, 5), buy(4, 100, 5)],
    then: [
      'rejected 1 DUPLICATE_ID',
      'rejected 2 QUANTITY_BELOW_MIN',
      'rejected 3 PRICE_ABOVE_MAX',
      'rejected 4 NOTIONAL_BELOW_MIN',
    ],
  },
  {
    name: 'minimum notional: limit price x quantity; stop price for stop-market; budget for quote orders',
    rules: { notionalMin: 1000 },
    given: [sell(90, 100, 10), buy(91, 100, 10)],
    when: [
      buy(1, 100, 9),
      buy(2, 100, 10),
      stop(3, Side.BUY, OrderType.STOP_LOSS, 110, 9),
      stop(4, Side.BUY, OrderType.STOP_LOSS, 112, 9),
      quoteBuy(5, 999),
      marketBuy(6, 9),
    ],
    then: [
      'rejected 1 NOTIONAL_BELOW_MIN',
      'accepted 2',
      'delta BUY 100 10',
      'rejected 3 NOTIONAL_BELOW_MIN',
      'accepted 4',
      'rejected 5 NOTIONAL_BELOW_MIN',
      'rejected 6 NOTIONAL_BELOW_MIN',
    ],
  },
  {
    name: 'minimum notional of a market order by quantity is skipped before the first trade',
    rules: { notionalMin: 1000 },
    when: marketBuy(1, 1),
    then: ['accepted 1', 'done 1 EXPIRED 1'],
  },
  {
    name: 'price band: limit and stop prices too far from the last trade are rejected',
    rules: { priceBandBps: 500 },
    given: lastAt100,
    when: [
      buy(1, 94, 1),
      sell(2, 106, 1),
      buy(3, 95, 1),
      sell(4, 105, 1),
      stop(5, Side.SELL, OrderType.STOP_LOSS, 94, 1),
    ],
    then: [
      'rejected 1 PRICE_OUTSIDE_BAND',
      'rejected 2 PRICE_OUTSIDE_BAND',
      'accepted 3',
      'delta BUY 95 1',
      'accepted 4',
      'delta SELL 105 1',
      'rejected 5 PRICE_OUTSIDE_BAND',
    ],
  },
  {
    name: 'price band: off until there is a last price',
    rules: { priceBandBps: 100 },
    when: buy(1, 5, 1),
    then: ['accepted 1', 'delta BUY 5 1'],
  },
  {
    name: 'price band: a taker stops where the next price leaves the band set at command arrival',
    rules: { priceBandBps: 200 },
    // Resting first: with a last price the band would refuse the ask at 103.
    given: [sell(1, 101, 1), sell(2, 102, 1), sell(3, 103, 1), ...lastAt100],
    when: marketBuy(4, 5),
    then: [
      'accepted 4',
      'trade 4/1 1@101 maker-done',
      'delta SELL 101 0',
      'done 1 FILLED 0',
      'trade 4/2 1@102 maker-done',
      'delta SELL 102 0',
      'done 2 FILLED 0',
      'done 4 PRICE_BAND 3',
    ],
  },
  {
    name: 'price band: triggered stops are held to the band of the command that triggered them',
    rules: { priceBandBps: 300 },
    given: [buy(2, 99, 1), buy(3, 98, 1), buy(4, 96, 5), ...lastAt100, stop(1, Side.SELL, OrderType.STOP_LOSS, 99, 5)],
    when: marketSell(5, 1),
    then: [
      'accepted 5',
      'trade 5/2 1@99 taker-done maker-done',
      'delta BUY 99 0',
      'done 2 FILLED 0',
      'done 5 FILLED 0',
      'triggered 1',
      'trade 1/3 1@98 maker-done',
      'delta BUY 98 0',
      'done 3 FILLED 0',
      'done 1 PRICE_BAND 4',
    ],
  },

  // ----- amend -----
  {
    name: 'amend: reducing the quantity keeps time priority',
    given: [buy(1, 100, 5), buy(2, 100, 5)],
    when: [amend(1, 2), marketSell(3, 3)],
    then: [
      'amended 1 2@100 kept',
      'delta BUY 100 7',
      'accepted 3',
      'trade 3/1 2@100 maker-done',
      'delta BUY 100 5',
      'done 1 FILLED 0',
      'trade 3/2 1@100 taker-done',
      'delta BUY 100 4',
      'done 3 FILLED 0',
    ],
  },
  {
    name: 'amend: increasing the quantity loses time priority',
    given: [buy(1, 100, 5), buy(2, 100, 5)],
    when: [amend(1, 6), marketSell(3, 6)],
    then: [
      'delta BUY 100 5',
      'amended 1 6@100 lost',
      'delta BUY 100 11',
      'accepted 3',
      'trade 3/2 5@100 maker-done',
      'delta BUY 100 6',
      'done 2 FILLED 0',
      'trade 3/1 1@100 taker-done',
      'delta BUY 100 5',
      'done 3 FILLED 0',
    ],
  },
  {
    name: 'amend: a new price loses priority and may trade like a new order',
    given: [buy(1, 99, 5), sell(2, 101, 3)],
    when: amend(1, 5, 101),
    then: [
      'delta BUY 99 0',
      'amended 1 5@101 lost',
      'trade 1/2 3@101 maker-done',
      'delta SELL 101 0',
      'done 2 FILLED 0',
      'delta BUY 101 2',
    ],
    check: (book) => expect(book.order(1)).toMatchObject({ filledLots: 3, remainingLots: 2, quantityLots: 5 }),
  },
  {
    name: 'amend is atomic: a rejected amend leaves the order as it was',
    rules: { quantityLotsMin: 2 },
    given: [
      place({ orderId: 1, side: Side.BUY, type: OrderType.LIMIT_MAKER, priceTicks: 99, quantityLots: 5 }),
      sell(2, 101, 3),
    ],
    when: [amend(1, 5, 101), amend(1, 1), amend(1, 0), amend(7, 1)],
    then: [
      'rejected 1 POST_ONLY_WOULD_TRADE',
      'rejected 1 QUANTITY_BELOW_MIN',
      'rejected 1 INVALID_ORDER',
      'rejected 7 UNKNOWN_ORDER',
    ],
    check: (book) => expect(book.order(1)).toMatchObject({ priceTicks: 99, remainingLots: 5, status: OrderStatus.NEW }),
  },

  // ----- queries -----
  {
    name: 'depth aggregates each price, best first, up to the requested number of levels',
    given: [buy(1, 100, 1), buy(2, 100, 2), buy(3, 98, 4), buy(4, 99, 8), sell(5, 101, 1), sell(6, 103, 2)],
    when: [],
    then: [],
    check: (book) => {
      expect(book.depth(Side.BUY, 2)).toEqual([
        { priceTicks: 100, quantityLots: 3, orderCount: 2 },
        { priceTicks: 99, quantityLots: 8, orderCount: 1 },
      ]);
      expect(book.depth(Side.SELL, 10).map((level) => level.priceTicks)).toEqual([101, 103]);
      expect(book.counts()).toEqual({ restingBids: 4, restingAsks: 2, pendingStops: 0, bidLevels: 3, askLevels: 2 });
      expect(book.order(2)).toEqual({
        orderId: 2,
        ownerId: OWNER,
        side: Side.BUY,
        type: OrderType.LIMIT,
        timeInForce: TimeInForce.GTC,
        stpMode: StpMode.NONE,
        status: OrderStatus.NEW,
        priceTicks: 100,
        stopPriceTicks: 0,
        quantityLots: 2,
        filledLots: 0,
        remainingLots: 2,
        quantityLotsCapRoom: 0,
        notionalCapRoom: 0,
        sequence: 2,
        ocoSiblingOrderId: 0,
      });
      expect(book.lastTradePriceTicks()).toBeNull();
    },
  },
];

describe.each(['fast', 'naive'] as const)('%s book scenarios', (implementation) => {
  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
    const book = createOrderBook({ implementation, rules: scenario.rules, liveOrdersMax: scenario.liveOrdersMax });
    const apply = (command: Command): string[] => {
      const collector = new EventCollector();
      book.apply(command, collector);
      book.validateInternalState();
      return collector.events.map(describeEvent);
    };
    for (const command of scenario.given ?? []) apply(command);
    const commands = Array.isArray(scenario.when) ? scenario.when : [scenario.when];
    expect(commands.flatMap(apply)).toEqual(scenario.then);
    scenario.check?.(book);
  });

  it('refuses a command issued from inside an event sink', () => {
    const book = createOrderBook({ implementation });
    book.apply(sell(1, 100, 5), new EventCollector());
    const reentrant = new (class extends EventCollector {
      override onTrade(): void {
        book.apply(buy(3, 90, 1), new EventCollector());
      }
    })();
    expect(() => book.apply(buy(2, 100, 1), reentrant)).toThrow(/inside an event sink/);
  });

  it('a trade event carries both owners and the taker side', () => {
    const book = createOrderBook({ implementation });
    const collector = new EventCollector();
    book.apply(sell(1, 100, 5, { ownerId: 11 }), collector);
    book.apply(buy(2, 100, 2, { ownerId: 22 }), collector);
    expect(collector.events).toContainEqual({
      type: 'trade',
      takerOrderId: 2,
      makerOrderId: 1,
      takerOwnerId: 22,
      makerOwnerId: 11,
      takerSide: Side.BUY,
      priceTicks: 100,
      quantityLots: 2,
      takerDone: true,
      makerDone: false,
    });
  });
});
