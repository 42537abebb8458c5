// The engine's rejection codes as Binance errors. Clients map these to exception classes by code and text
// (ccxt: "Account has insufficient balance" -> InsufficientFunds, "Filter failure: LOT_SIZE" -> InvalidOrder,
// "Unknown order sent." -> OrderNotFound), so the texts are Binance's own.
import { RejectCode } from '@exbox/engine';
import { BinanceError, errors, orderRejectText } from '../binance/errors.js';

export type RejectContext = 'new' | 'cancel' | 'query' | 'amend';

export const binanceErrorFor = (
  code: RejectCode,
  message: string,
  context: RejectContext,
  isMarket = false,
): BinanceError => {
  switch (code) {
    case RejectCode.UNKNOWN_MARKET:
      return errors.badSymbol();
    case RejectCode.QUANTITY_BELOW_MIN:
    case RejectCode.QUANTITY_ABOVE_MAX:
      return errors.filterFailure(isMarket ? 'MARKET_LOT_SIZE' : 'LOT_SIZE');
    case RejectCode.PRICE_BELOW_MIN:
    case RejectCode.PRICE_ABOVE_MAX:
      return errors.filterFailure('PRICE_FILTER');
    case RejectCode.NOTIONAL_BELOW_MIN:
      return errors.filterFailure('NOTIONAL');
    case RejectCode.PRICE_OUTSIDE_BAND:
      return errors.filterFailure('PERCENT_PRICE_BY_SIDE');
    case RejectCode.INSUFFICIENT_BALANCE:
      return errors.orderRejected(orderRejectText.insufficientBalance);
    case RejectCode.POST_ONLY_WOULD_TRADE:
      return errors.orderRejected(orderRejectText.postOnlyWouldTrade);
    case RejectCode.STOP_WOULD_TRIGGER:
      return errors.orderRejected(orderRejectText.stopWouldTrigger);
    case RejectCode.DUPLICATE_CLIENT_ORDER_ID:
      return errors.orderRejected(orderRejectText.duplicateOrder);
    case RejectCode.MARKET_HALTED:
      return context === 'cancel'
        ? errors.cancelRejected(orderRejectText.marketClosed)
        : errors.orderRejected(orderRejectText.marketClosed);
    case RejectCode.USER_FROZEN:
      return context === 'cancel'
        ? errors.cancelRejected(orderRejectText.accountDisabled)
        : errors.orderRejected(orderRejectText.accountDisabled);
    case RejectCode.UNKNOWN_ORDER:
    case RejectCode.UNKNOWN_ORDER_LIST:
      return context === 'query'
        ? errors.noSuchOrder()
        : context === 'new'
          ? errors.orderRejected('Unknown order sent.')
          : errors.cancelRejected();
    case RejectCode.ORDER_NOT_AMENDABLE:
      return new BinanceError(-2038, 'Order amend (quantity increase) is not supported.');
    case RejectCode.OCO_INVALID:
      return errors.orderRejected('The relationship of the prices for the orders is not correct.');
    case RejectCode.BOOK_FULL:
      return errors.orderRejected('Too many open orders on this symbol.');
    case RejectCode.AMOUNT_LIMIT_EXCEEDED:
      return errors.filterFailure('NOTIONAL');
    case RejectCode.INVALID_COMMAND:
      return new BinanceError(-1130, `Invalid data sent for a parameter: ${message}`);
    case RejectCode.UNKNOWN_ASSET:
    case RejectCode.UNKNOWN_FEE_TIER:
    case RejectCode.CONFIG_CONFLICT:
    case RejectCode.DUPLICATE_DEPOSIT:
    case RejectCode.DUPLICATE_WITHDRAWAL:
    case RejectCode.UNKNOWN_WITHDRAWAL:
      return new BinanceError(-1000, `An unknown error occurred while processing the request. (${message})`, 500);
  }
};
