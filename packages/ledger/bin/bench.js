#!/usr/bin/env node
// Micro-benchmark: how many trades per second settleTrade settles (base leg, quote leg, two fees), so the engine
// knows the ledger's share of its budget. Build first (npx tsc -b packages/ledger); run: node packages/ledger/bin/bench.js
// Also times a whole order life cycle (hold, trade, void of the rest) for comparison.
import { Bucket, Ledger, ResultCode, resultCodeName } from '../dist/index.js';

const USERS = 1_000;
const BASE = 1;
const QUOTE = 2;
const TRADES = Number(process.argv[2] ?? 300_000);

function setup() {
  let transfersEmitted = 0;
  const ledger = new Ledger({ sink: () => void transfersEmitted++ });
  let transferId = 1;
  for (let user = 1; user <= USERS; user++) {
    for (const assetId of [BASE, QUOTE]) {
      ledger.deposit({
        transferId: transferId++,
        ownerId: user,
        assetId,
        amountMinor: 10n ** 30n,
        externalKey: `seed-${user}-${assetId}`,
      });
    }
  }
  return { ledger, nextId: () => transferId, setId: (id) => (transferId = id), emitted: () => transfersEmitted };
}

function expectOk(result, what) {
  if (result !== ResultCode.OK) throw new Error(`${what}: ${resultCodeName(result)}`);
}

function settleOnly() {
  const { ledger, nextId, setId, emitted } = setup();
  let id = nextId();
  // One large hold per user and side, so the timed loop is settleTrade alone (partial posts, holds stay open).
  for (let user = 1; user <= USERS; user++) {
    expectOk(
      ledger.createHold({
        transferId: id++,
        holdId: user * 2,
        ownerId: user,
        assetId: BASE,
        amountMinor: 10n ** 29n,
        bucket: Bucket.LOCKED,
      }),
      'hold',
    );
    expectOk(
      ledger.createHold({
        transferId: id++,
        holdId: user * 2 + 1,
        ownerId: user,
        assetId: QUOTE,
        amountMinor: 10n ** 29n,
        bucket: Bucket.LOCKED,
      }),
      'hold',
    );
  }
  const before = emitted();
  const start = performance.now();
  for (let trade = 0; trade < TRADES; trade++) {
    const seller = 1 + (trade % USERS);
    const buyer = 1 + ((trade * 7 + 3) % USERS);
    const result = ledger.settleTrade({
      transferId: id,
      tradeId: trade + 1,
      baseAssetId: BASE,
      quoteAssetId: QUOTE,
      buyerId: buyer,
      sellerId: seller,
      buyerHoldId: buyer * 2 + 1,
      sellerHoldId: seller * 2,
      baseMinor: 1_000_000n + BigInt(trade % 1000),
      quoteMinor: 65_000_000_000n + BigInt(trade),
      buyerFeeMinor: 1_000n,
      sellerFeeMinor: 65_000_000n,
    });
    if (result.result !== ResultCode.OK) throw new Error(`trade ${trade}: ${resultCodeName(result.result)}`);
    id += 4;
  }
  const seconds = (performance.now() - start) / 1000;
  setId(id);
  ledger.checkInvariants();
  return { seconds, transfers: emitted() - before };
}

function orderLifeCycle() {
  const { ledger, nextId, emitted } = setup();
  let id = nextId();
  const before = emitted();
  const start = performance.now();
  for (let trade = 0; trade < TRADES; trade++) {
    const seller = 1 + (trade % USERS);
    const buyer = 1 + ((trade * 7 + 3) % USERS);
    const sellerHold = trade * 2 + 1;
    const buyerHold = trade * 2 + 2;
    expectOk(
      ledger.createHold({
        transferId: id++,
        holdId: sellerHold,
        ownerId: seller,
        assetId: BASE,
        amountMinor: 2_000_000n,
        bucket: Bucket.LOCKED,
      }),
      'hold',
    );
    expectOk(
      ledger.createHold({
        transferId: id++,
        holdId: buyerHold,
        ownerId: buyer,
        assetId: QUOTE,
        amountMinor: 130_000_000_000n,
        bucket: Bucket.LOCKED,
      }),
      'hold',
    );
    const result = ledger.settleTrade({
      transferId: id,
      tradeId: trade + 1,
      baseAssetId: BASE,
      quoteAssetId: QUOTE,
      buyerId: buyer,
      sellerId: seller,
      buyerHoldId: buyerHold,
      sellerHoldId: sellerHold,
      baseMinor: 1_000_000n,
      quoteMinor: 65_000_000_000n,
      buyerFeeMinor: 1_000n,
      sellerFeeMinor: 65_000_000n,
    });
    if (result.result !== ResultCode.OK) throw new Error(`trade ${trade}: ${resultCodeName(result.result)}`);
    id += 4;
    expectOk(ledger.voidHold({ transferId: id++, holdId: sellerHold }), 'void');
    expectOk(ledger.voidHold({ transferId: id++, holdId: buyerHold }), 'void');
  }
  const seconds = (performance.now() - start) / 1000;
  ledger.checkInvariants();
  if (ledger.openHoldCount !== 0) throw new Error('holds left open');
  return { seconds, transfers: emitted() - before };
}

const rate = (count, seconds) => Math.round(count / seconds).toLocaleString('en-US');

settleOnly(); // warm-up: let the JIT see the hot path before timing it
const settled = settleOnly();
console.log(
  `settleTrade with fees: ${rate(TRADES, settled.seconds)} trades/s ` +
    `(${rate(settled.transfers, settled.seconds)} transfers/s, ${((settled.seconds / TRADES) * 1e6).toFixed(2)} us/trade)`,
);
const cycle = orderLifeCycle();
console.log(
  `hold x2 + settleTrade + void x2: ${rate(TRADES, cycle.seconds)} cycles/s ` +
    `(${rate(cycle.transfers, cycle.seconds)} transfers/s)`,
);
