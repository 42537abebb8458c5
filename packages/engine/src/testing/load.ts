// A deterministic, endless stream of engine commands for load and fault tests: command `index` depends only on
// (seed, index), so a restarted process can continue the exact stream where the journal ends.
import type { EngineCommand } from '../commands.js';
import { tenantCommands } from './fixtures.js';

const USERS = 16;

/** SplitMix-style hash of (seed, index, salt) to a float in [0, 1). */
const unit = (seed: number, index: number, salt: number): number => {
  let x =
    (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35) ^ Math.imul(salt + 7, 0x27d4eb2f)) >>>
    0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
};

/** Setup first (tenant, then funds for every user), then a mixed flow of orders, cancels and withdrawals. */
export const loadCommand = (seed: number, index: number): EngineCommand => {
  const setup = tenantCommands();
  if (index < setup.length) return setup[index]!;
  const fundIndex = index - setup.length;
  if (fundIndex < USERS * 2) {
    const userId = 1 + (fundIndex >> 1);
    const asset = fundIndex % 2 === 0 ? 'USDT' : 'BTC';
    return {
      type: 'creditDeposit',
      userId,
      asset,
      amountMinor: asset === 'USDT' ? '100000000000000' : '1000000000000',
      depositId: `seed-${userId}-${asset}`,
    };
  }
  const r = (salt: number) => unit(seed, index, salt);
  const userId = 1 + Math.floor(r(1) * USERS);
  const kind = r(2);
  if (kind < 0.25) {
    return { type: 'cancelOrder', userId, symbol: 'BTCUSDT', clientOrderId: `L${index - 1 - Math.floor(r(3) * 40)}` };
  }
  if (kind < 0.27) {
    return {
      type: 'creditDeposit',
      userId,
      asset: r(3) < 0.5 ? 'BTC' : 'USDT',
      amountMinor: String(1 + Math.floor(r(4) * 1e9)),
      depositId: `D${index}`,
    };
  }
  if (kind < 0.29) {
    return {
      type: 'holdWithdrawal',
      userId,
      asset: 'BTC',
      amountMinor: String(1_000 + Math.floor(r(3) * 1e6)),
      feeMinor: '500',
      withdrawalId: `W${index}`,
    };
  }
  if (kind < 0.31) return { type: 'settleWithdrawal', withdrawalId: `W${index - 1 - Math.floor(r(3) * 20)}` };
  const side = r(3) < 0.5 ? 'BUY' : 'SELL';
  const offset = Math.floor(r(4) * 20) - 6;
  const priceTicks = 5_000_000 + (side === 'BUY' ? -offset : offset);
  const quantityLots = 100 + Math.floor(r(5) * 900);
  if (kind < 0.36)
    return {
      type: 'placeOrder',
      userId,
      symbol: 'BTCUSDT',
      clientOrderId: `M${index}`,
      side,
      orderType: 'MARKET',
      quantityLots,
    };
  return {
    type: 'placeOrder',
    userId,
    symbol: 'BTCUSDT',
    clientOrderId: `L${index}`,
    side,
    orderType: 'LIMIT',
    timeInForce: r(6) < 0.15 ? 'IOC' : 'GTC',
    priceTicks,
    quantityLots,
  };
};
