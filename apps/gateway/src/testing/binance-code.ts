// For unit tests: runs `action` and returns the code of the BinanceError it throws (failing when it throws
// nothing or something else).
import { BinanceError } from '../binance/errors.js';

export const binanceErrorOf = (action: () => unknown): BinanceError => {
  try {
    action();
  } catch (error) {
    if (error instanceof BinanceError) return error;
    throw error;
  }
  throw new Error('expected a BinanceError');
};

export const binanceCodeOf = (action: () => unknown): number => binanceErrorOf(action).code;
